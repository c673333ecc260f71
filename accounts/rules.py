"""Who a user is. Other apps compose their permissions from these predicates."""

import rules

from .enums import Role
from .selectors import user_role_assignments, user_roles


def _has_role(role):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user):
        return role in user_roles(user)

    return predicate


is_applicant = _has_role(Role.APPLICANT)
is_district_official = _has_role(Role.DISTRICT_OFFICIAL)
is_commission_staff = _has_role(Role.COMMISSION_STAFF)
is_industry_staff = _has_role(Role.INDUSTRY_STAFF)
is_third_party_staff = _has_role(Role.THIRD_PARTY_STAFF)
is_expert = _has_role(Role.EXPERT)
is_auditor = _has_role(Role.AUDITOR)

is_government_staff = (
    is_district_official | is_commission_staff | is_industry_staff | is_third_party_staff
)

@rules.predicate
def is_organisation_administrator(user, organisation):
    return organisation is not None and any(
        a.role == Role.APPLICANT and a.organisation_id == organisation.pk and a.is_administrator
        for a in user_role_assignments(user)
    )


rules.add_perm("accounts.view_applicant_dashboard", is_applicant)
# An applicant unit's administrator opens accounts for colleagues (第二次注册同一单位被拒后).
rules.add_perm("accounts.view_organisation_members", is_applicant)
rules.add_perm("accounts.add_organisation_member", is_organisation_administrator)
# 本单位信息: every member reads it, the unit's administrator keeps it.
rules.add_perm("accounts.view_organisation_profile", is_applicant)
rules.add_perm("accounts.change_organisation_profile", is_organisation_administrator)
rules.add_perm("accounts.view_district_dashboard", is_district_official)
rules.add_perm("accounts.view_commission_dashboard", is_commission_staff)
rules.add_perm("accounts.view_industry_dashboard", is_industry_staff)
rules.add_perm("accounts.view_third_party_dashboard", is_third_party_staff)
rules.add_perm("accounts.view_expert_dashboard", is_expert)
rules.add_perm("accounts.view_auditor_dashboard", is_auditor)
# The commission lifts lock-outs (账号锁定管理) and decides claims of a registered unit.
rules.add_perm("accounts.unlock_account", is_commission_staff)
rules.add_perm("accounts.decide_organisation_claim", is_commission_staff)
rules.add_perm("accounts.view_organisation_claim", is_commission_staff)
# The audit log is read by auditors and the commission; nobody may change it.
rules.add_perm("core.view_auditevent", is_auditor | is_commission_staff)
# 第八条: only the commission confirms what a unit declares about its route.
rules.add_perm("accounts.confirm_organisation_route", is_commission_staff)
