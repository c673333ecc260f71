"""Who may act on the public notice (第九条（四）): the commission draws it up and publishes it;
anyone, signed in or not, reads a published one."""

import rules

from accounts.rules import is_commission_staff, is_district_official
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


# --- Operation (第十至十四条) ---

@rules.predicate
def is_official_of_center_department(user, center):
    """A 主管部门 official of `center`'s 主管部门 (第十一条: it supervises its centers)."""
    from accounts.enums import Role
    from accounts.selectors import user_department_ids

    return (center is not None and center.department_id is not None
            and center.department_id in user_department_ids(user, Role.DISTRICT_OFFICIAL))


@rules.predicate
def center_is_active(user, center):
    from .enums import CenterStatus

    return center is not None and center.status == CenterStatus.ACTIVE


# 第十二条: the center's own users keep its service records and data-security record.
rules.add_perm("centers.keep_center_records", is_member_of_center_unit & center_is_active)
# Who reads a center's operation (records, progress, change reports, data duties): its unit,
# its 主管部门 and the commission (第十一条). Never the public.
rules.add_perm("centers.view_center_operation",
               is_member_of_center_unit | is_official_of_center_department | is_commission_staff)
# 第十三条: the center reports its changes; its 主管部门 forwards them; the commission decides.
rules.add_perm("centers.report_change", is_member_of_center_unit & center_is_active)
rules.add_perm("centers.forward_change", is_official_of_center_department)
rules.add_perm("centers.decide_change", is_commission_staff)
# 第十一条: the 主管部门 reports on its centers' operation; the commission sets the periods.
rules.add_perm("centers.submit_operation_report", is_district_official)
rules.add_perm("centers.manage_supervision", is_commission_staff)
# 第十七条: the commission revokes a center (the decision is taken on the revocation record).
rules.add_perm("centers.revoke_center", is_commission_staff)
# 第十五条 产业数据分析: the commission's statistics (grades confirmed but not yet published, every
# district's recommendations) are read by its staff only.
rules.add_perm("centers.view_statistics", is_commission_staff)
