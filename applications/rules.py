import rules

from accounts.enums import Role
from accounts.rules import is_applicant, is_commission_staff
from accounts.selectors import user_department_ids, user_organisation_ids

from .enums import ApplicationStatus


@rules.predicate
def is_member_of_applicant_organisation(user, application):
    return application is not None and application.organisation_id in user_organisation_ids(user)


@rules.predicate
def is_official_of_routed_department(user, application):
    """第八条: the 主管部门 the application was submitted to sees it, drafts excepted."""
    return (
        application is not None
        and application.status != ApplicationStatus.DRAFT
        and application.routed_department_id in user_department_ids(user, Role.DISTRICT_OFFICIAL)
    )


rules.add_perm("applications.start_application", is_applicant)
# 我的申报: the list of the unit's own applications.
rules.add_perm("applications.list_own_applications", is_applicant)
rules.add_perm(
    "applications.view_application",
    is_member_of_applicant_organisation | is_commission_staff | is_official_of_routed_department,
)
rules.add_perm("applications.edit_application", is_member_of_applicant_organisation)
rules.add_perm("applications.submit_application", is_member_of_applicant_organisation)
rules.add_perm("applications.resubmit_application", is_member_of_applicant_organisation)
rules.add_perm("applications.withdraw_application", is_member_of_applicant_organisation)
rules.add_perm("applications.reopen_application", is_member_of_applicant_organisation)


@rules.predicate
def is_direct_submission(user, application):
    return application is not None and application.routed_to_commission


rules.add_perm(
    "applications.return_application",
    is_official_of_routed_department | (is_commission_staff & is_direct_submission),
)
# 择优推荐 ranks among one 主管部门's recommendations: the district's act only.
rules.add_perm("applications.recommend_application", is_official_of_routed_department)
rules.add_perm(
    "applications.decline_application",
    is_official_of_routed_department | (is_commission_staff & is_direct_submission),
)
# 第八条: the commission's 形式审查 of a 市直 or 中央、省驻青 unit's submission.
rules.add_perm("applications.pass_formal_review", is_commission_staff & is_direct_submission)
rules.add_perm("applications.start_expert_review", is_commission_staff)
rules.add_perm("applications.decide_proposed_list", is_commission_staff)
rules.add_perm("applications.list_all_applications", is_commission_staff)
rules.add_perm("applications.publish_call", is_commission_staff)
rules.add_perm("applications.close_call", is_commission_staff)
# Extending or shortening a call's window (and reopening it) is the commission's act.
rules.add_perm("applications.change_call_window", is_commission_staff)
# 第八条: the commission sends a submission on to the 主管部门 that must review it first.
rules.add_perm("applications.reroute_application", is_commission_staff)
