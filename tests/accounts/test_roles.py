import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from accounts import rules as predicates
from accounts.enums import Role
from accounts.models import RoleAssignment
from accounts.selectors import (
    organisation_administrators,
    user_department_ids,
    user_organisation_ids,
    user_roles,
)
from tests.factories import RoleAssignmentFactory, applicant

pytestmark = pytest.mark.django_db


def test_one_role_per_scope(expert, official_laoshan, laoshan, jimo):
    with pytest.raises(ValidationError, match="该用户在此范围内已有此角色"):
        RoleAssignmentFactory(user=expert, role=Role.EXPERT)
    with pytest.raises(ValidationError, match="该用户在此范围内已有此角色"):
        RoleAssignmentFactory(user=official_laoshan, role=Role.DISTRICT_OFFICIAL,
                              department=laoshan)

    # The same role in another scope is a second assignment, not a duplicate.
    RoleAssignmentFactory(user=official_laoshan, role=Role.DISTRICT_OFFICIAL, department=jimo)
    assert user_department_ids(official_laoshan, Role.DISTRICT_OFFICIAL) == {laoshan.pk, jimo.pk}


def test_the_database_refuses_a_duplicate_scope_less_role(expert):
    if not connection.features.supports_nulls_distinct_unique_constraints:
        pytest.skip(f"{connection.vendor} cannot declare NULLS NOT DISTINCT; full_clean guards it")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=expert, role=Role.EXPERT)


@pytest.mark.parametrize(
    ("role", "scope", "message"),
    [
        (Role.APPLICANT, None, "申报单位用户须指定所属单位"),
        (Role.DISTRICT_OFFICIAL, None, "此角色须指定所属部门"),
        (Role.DISTRICT_OFFICIAL, "org", "此角色不属于申报单位"),
        (Role.DISTRICT_OFFICIAL, "commission", "所选部门的类别与角色不符"),
        (Role.COMMISSION_STAFF, "laoshan", "所选部门的类别与角色不符"),
        (Role.EXPERT, "laoshan", "此角色不属于任何部门"),
    ],
)
def test_a_role_must_sit_in_the_right_kind_of_scope(
    role, scope, message, org_a, laoshan, commission
):
    scopes = {
        None: {},
        "org": {"organisation": org_a},
        "laoshan": {"department": laoshan},
        "commission": {"department": commission},
    }
    with pytest.raises(ValidationError, match=message):
        RoleAssignmentFactory(role=role, **scopes[scope])


def test_predicates_follow_role_assignments(applicant_a, official_laoshan, commission_staff,
                                            industry_staff, third_party_staff, expert, auditor):
    assert predicates.is_applicant(applicant_a) and not predicates.is_applicant(expert)
    assert predicates.is_district_official(official_laoshan)
    assert predicates.is_commission_staff(commission_staff)
    assert predicates.is_expert(expert) and not predicates.is_expert(auditor)
    assert predicates.is_auditor(auditor)
    government = [official_laoshan, commission_staff, industry_staff, third_party_staff]
    assert all(predicates.is_government_staff(u) for u in government)
    assert not any(predicates.is_government_staff(u) for u in (applicant_a, expert, auditor))


def test_auditors_and_the_commission_read_the_audit_log(
    auditor, commission_staff, official_laoshan, applicant_a
):
    assert auditor.has_perm("core.view_auditevent")
    assert commission_staff.has_perm("core.view_auditevent")
    assert not official_laoshan.has_perm("core.view_auditevent")
    assert not applicant_a.has_perm("core.view_auditevent")
    assert not auditor.has_perm("core.change_auditevent")
    assert not auditor.has_perm("core.delete_auditevent")


def test_selectors_give_each_users_scope(applicant_a, applicant_b, org_a, org_b, expert):
    assert user_roles(applicant_a) == {Role.APPLICANT}
    assert user_organisation_ids(applicant_a) == {org_a.pk}
    assert user_organisation_ids(applicant_b) == {org_b.pk}
    assert user_roles(expert) == {Role.EXPERT} and user_organisation_ids(expert) == set()

    member = applicant(org_a, is_administrator=False)
    assert organisation_administrators(org_a) == [applicant_a]
    assert user_organisation_ids(member) == {org_a.pk}


def test_roles_are_loaded_once_per_user_object(applicant_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        user_roles(applicant_a)
        predicates.is_applicant(applicant_a)
        predicates.is_government_staff(applicant_a)


@pytest.mark.parametrize("flags", [{"is_superuser": True, "is_staff": True}, {"is_staff": True}])
def test_admin_flags_grant_no_portal_act(flags, applicant_a, org_a):
    """A superuser or is_staff user without a role passes no rule of the portal, while the
    admin's model permissions still follow Django's own rules."""
    from applications.models import Application  # noqa: F401  (rules registered at start-up)
    from tests.factories import UserFactory

    admin_user = UserFactory(**flags)
    for perm in ("applications.start_application", "applications.list_all_applications",
                 "accounts.view_commission_dashboard", "accounts.view_applicant_dashboard",
                 "core.view_auditevent"):
        assert not admin_user.has_perm(perm), perm
    assert not admin_user.has_perm("accounts.add_organisation_member", org_a)
    assert admin_user.has_perm("applications.change_call") is flags.get("is_superuser", False)


def test_role_users_are_the_active_holders_each_once(commission, laoshan, jimo):
    """accounts.selectors.role_users: one list of who holds a role (in a department), used by
    every notice that goes to the commission or a 主管部门."""
    from accounts.enums import Role
    from accounts.selectors import role_users
    from tests.factories import staff

    first = staff(Role.COMMISSION_STAFF, commission, username="c1")
    gone = staff(Role.COMMISSION_STAFF, commission, username="c2")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    official = staff(Role.DISTRICT_OFFICIAL, laoshan, username="o1")
    staff(Role.DISTRICT_OFFICIAL, jimo, username="o2")
    assert role_users((Role.COMMISSION_STAFF, None)) == [first]
    assert role_users((Role.DISTRICT_OFFICIAL, laoshan.pk)) == [official]
    assert role_users((Role.COMMISSION_STAFF, None), (Role.DISTRICT_OFFICIAL, laoshan.pk),
                      (Role.COMMISSION_STAFF, None)) == [first, official]
