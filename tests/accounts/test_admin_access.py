"""Commission staff work in Django admin without being superusers; admin flags open admin pages
only, never a portal act."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.admin_access import COMMISSION_ADMIN_GROUP, COMMISSION_ADMIN_PERMISSIONS
from accounts.services import commission_admin_group_sync
from tests.factories import WORKDAY_TABLE_2027

pytestmark = pytest.mark.django_db

COMMISSION_ADMIN_PAGES = [
    "admin:applications_call_changelist",
    "admin:applications_call_add",
    "admin:applications_application_changelist",
    "admin:applications_policydocument_changelist",
    "admin:applications_industryfield_changelist",
    "admin:accounts_organisation_changelist",
    "admin:accounts_user_changelist",
    "admin:accounts_department_changelist",
    "admin:accounts_roleassignment_changelist",
    "admin:core_auditevent_changelist",
    "admin:core_holidayoverride_changelist",
    "admin:core_outgoingmail_changelist",
]


def test_every_permission_of_the_group_exists_and_the_group_holds_them():
    group = Group.objects.get(name=COMMISSION_ADMIN_GROUP)  # made by migrate, not by a test
    held = {f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")}
    assert held == set(COMMISSION_ADMIN_PERMISSIONS)


def test_the_sync_is_idempotent_and_restores_a_removed_permission():
    group = Group.objects.get(name=COMMISSION_ADMIN_GROUP)
    group.permissions.remove(Permission.objects.get(codename="add_call"))

    assert commission_admin_group_sync() == group
    commission_admin_group_sync()

    assert group.permissions.filter(codename="add_call").exists()
    assert Group.objects.filter(name=COMMISSION_ADMIN_GROUP).count() == 1


@pytest.mark.parametrize("page", COMMISSION_ADMIN_PAGES)
def test_commission_staff_open_their_admin_pages_without_being_superusers(page, commission_admin,
                                                                         client):
    assert not commission_admin.is_superuser
    client.force_login(commission_admin)

    assert client.get(reverse(page)).status_code == 200


def test_is_staff_alone_opens_no_admin_page(staff_no_role, client):
    client.force_login(staff_no_role)

    assert client.get(reverse("admin:applications_call_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_commission_staff_cannot_make_anyone_a_superuser(commission_admin, applicant_a, client):
    client.force_login(commission_admin)
    url = reverse("admin:accounts_user_change", args=[commission_admin.pk])

    page = client.get(url).content.decode()

    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    assert 'name="groups"' in page


def test_platform_superuser_edits_superuser_flags(superuser_no_role, client):
    client.force_login(superuser_no_role)

    page = client.get(reverse("admin:accounts_user_change",
                              args=[superuser_no_role.pk])).content.decode()

    assert 'name="is_superuser"' in page


def test_a_superuser_cannot_publish_a_call_through_admin(superuser_no_role, commission_staff,
                                                         client):
    """Publishing is the commission's act (a role rule), not an admin flag's."""
    from applications.enums import CallStatus
    from tests.factories import CallFactory

    call = CallFactory(unpublished=True)
    client.force_login(superuser_no_role)

    response = client.post(reverse("admin:applications_call_changelist"),
                           {"action": "publish_calls", "_selected_action": [call.pk]},
                           follow=True)

    assert "没有执行此操作的权限" in response.content.decode()
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT


# Who may act is audited when admin changes it ------------------------------------------------

def test_a_role_given_in_admin_is_audited_even_to_oneself(superuser_no_role, org_a, client):
    """The way an admin could act for an applicant is to give itself the role: it is recorded."""
    from accounts.models import RoleAssignment
    from core.models import AuditEvent

    client.force_login(superuser_no_role)
    response = client.post(reverse("admin:accounts_roleassignment_add"), {
        "user": superuser_no_role.pk, "role": "applicant", "organisation": org_a.pk})

    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=superuser_no_role)
    event = AuditEvent.objects.get(action="role.assign")
    assert event.actor == superuser_no_role and event.object_id == str(superuser_no_role.pk)
    assert event.after["role"] == "applicant" and event.after["organisation"] == org_a.name

    client.post(reverse("admin:accounts_roleassignment_delete", args=[assignment.pk]),
                {"post": "yes"})
    assert AuditEvent.objects.filter(action="role.revoke", actor=superuser_no_role).exists()
    assert not RoleAssignment.objects.filter(user=superuser_no_role).exists()


def test_admin_access_given_on_the_user_page_is_audited(superuser_no_role, applicant_a, client):
    from core.models import AuditEvent

    client.force_login(superuser_no_role)
    url = reverse("admin:accounts_user_change", args=[applicant_a.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items()
            if value is not None and name not in ("groups", "user_permissions", "password",
                                                  "last_login", "date_joined")}
    data |= {"is_staff": "on", "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
             "role_assignments-TOTAL_FORMS": "1", "role_assignments-INITIAL_FORMS": "1",
             "role_assignments-0-id": applicant_a.role_assignments.get().pk,
             "role_assignments-0-user": applicant_a.pk,
             "role_assignments-0-role": "applicant",
             "role_assignments-0-organisation": applicant_a.role_assignments.get().organisation_id,
             "role_assignments-0-is_administrator": "on"}
    data = {k: v for k, v in data.items() if not isinstance(v, bool) or v}

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="user.admin_access")
    assert event.before["is_staff"] is False and event.after["is_staff"] is True


def test_commission_staff_cannot_take_over_the_superuser_s_account(commission_admin,
                                                                   superuser_no_role, client):
    client.force_login(commission_admin)

    password = client.post(reverse("admin:auth_user_password_change",
                                   args=[superuser_no_role.pk]),
                           {"password1": "Taken#Over2026", "password2": "Taken#Over2026"})
    change = client.get(reverse("admin:accounts_user_change", args=[superuser_no_role.pk]))

    assert password.status_code == 403
    assert 'name="username"' not in change.content.decode()  # read-only at most
    superuser_no_role.refresh_from_db()
    assert not superuser_no_role.check_password("Taken#Over2026")


def test_commission_staff_enter_and_confirm_next_years_schedule_in_admin(commission_admin,
                                                                         client):
    """The dashboard sends the commission to 年度节假日安排 (第六部分); a commission account that
    is not a superuser must be able to open it, paste a year's table and confirm it."""
    from core.models import WorkdayYear

    client.force_login(commission_admin)
    assert client.get(reverse("admin:core_workdayyear_changelist")).status_code == 200
    assert client.get(reverse("admin:core_workdayyear_enter")).status_code == 200

    response = client.post(reverse("admin:core_workdayyear_enter"), {
        "year": "2027", "source": "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕7号）",
        "table": WORKDAY_TABLE_2027,
        "_save": "1"})
    assert response.status_code == 302
    schedule = WorkdayYear.objects.get(year=2027)

    client.post(reverse("admin:core_workdayyear_changelist"),
                {"action": "confirm_workday_years", "_selected_action": [schedule.pk]})
    schedule.refresh_from_db()
    assert schedule.is_complete
