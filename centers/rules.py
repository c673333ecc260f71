"""Who may act on the public notice (第九条（四）): the commission draws it up and publishes it;
anyone, signed in or not, reads a published one."""

import rules

from accounts.rules import is_commission_staff
from applications.rules import is_member_of_applicant_organisation

rules.add_perm("centers.publish_notice", is_commission_staff)

# 第九条（四）: the commission handles objections and alone sees who filed them.
rules.add_perm("centers.handle_objection", is_commission_staff)
# The applicant answers the commission's question about an objection (never seeing the objector).
rules.add_perm("centers.answer_explanation", is_member_of_applicant_organisation)
