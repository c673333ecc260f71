"""Who may review what (第八条): a 主管部门's officials act only on the applications routed to
their own department; everybody else's are not found (404), never hinted at."""

import rules

from accounts.enums import Role
from accounts.rules import is_commission_staff, is_district_official
from accounts.selectors import user_department_ids
from applications.rules import is_official_of_routed_department


@rules.predicate
def is_official_of_review_department(user, review):
    """The review (or recommendation list) belongs to a department the user is official of."""
    return (review is not None
            and review.department_id in user_department_ids(user, Role.DISTRICT_OFFICIAL))


@rules.predicate
def is_commission_staff_of_review_department(user, review):
    """The review is the commission's own 形式审查 of a direct submission (第八条)."""
    return (review is not None
            and review.department_id in user_department_ids(user, Role.COMMISSION_STAFF))


rules.add_perm("reviews.view_inbox", is_district_official)
# 第八条: the commission's intake of what the 主管部门 recommend and what comes to it directly.
rules.add_perm("reviews.view_intake", is_commission_staff)
# The application as a whole: its page, its files, saving the checklist.
rules.add_perm("reviews.review_application", is_official_of_routed_department)
# A round's decision and the ranks of the department's recommendations.
rules.add_perm("reviews.decide_review",
               is_official_of_review_department | is_commission_staff_of_review_department)
rules.add_perm("reviews.reorder_recommendations", is_official_of_review_department)
# 第八条: the department sends its batch; the commission reads every batch and sends one back.
rules.add_perm("reviews.submit_batch", is_official_of_review_department)
rules.add_perm("reviews.view_batch", is_official_of_review_department | is_commission_staff)
rules.add_perm("reviews.list_batches", is_commission_staff)
rules.add_perm("reviews.reopen_batch", is_commission_staff)
