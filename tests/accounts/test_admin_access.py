"""Commission staff work in Django admin without being superusers; admin flags open admin pages
only, never a portal act."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.admin_access import COMMISSION_ADMIN_GROUP, COMMISSION_ADMIN_PERMISSIONS
from accounts.services import commission_admin_group_sync

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
    from tests.applications.conftest import make_call

    call = make_call(commission_user=commission_staff, publish=False)
    client.force_login(superuser_no_role)

    response = client.post(reverse("admin:applications_call_changelist"),
                           {"action": "publish_calls", "_selected_action": [call.pk]},
                           follow=True)

    assert "没有执行此操作的权限" in response.content.decode()
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT
