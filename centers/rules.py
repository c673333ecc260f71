"""Who may act on the public notice (第九条（四）): the commission draws it up and publishes it;
anyone, signed in or not, reads a published one."""

import rules

from accounts.rules import is_commission_staff
from applications.rules import is_member_of_applicant_organisation

rules.add_perm("centers.publish_notice", is_commission_staff)


@rules.predicate
def is_member_of_center_unit(user, center):
    """The applicant users of the unit whose application became `center`."""
    from accounts.selectors import user_organisation_ids

    return (center is not None
            and center.application.organisation_id in user_organisation_ids(user))


# 授牌证书: the commission and the center's own unit download it.
rules.add_perm("centers.download_certificate", is_commission_staff | is_member_of_center_unit)
# 第九条（四）: the commission handles objections and alone sees who filed them.
rules.add_perm("centers.handle_objection", is_commission_staff)
# The applicant answers the commission's question about an objection (never seeing the objector).
rules.add_perm("centers.answer_explanation", is_member_of_applicant_organisation)
