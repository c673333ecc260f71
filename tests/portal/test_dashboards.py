import re

import pytest
from django.urls import reverse

from accounts.enums import Role
from core.models import AuditEvent
from tests.conftest import ROLE_USERS
from tests.factories import AuditEventFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

OWN_DASHBOARD = {
    "applicant": "dashboard_applicant",
    "applicant_b": "dashboard_applicant",
    "district_official": "dashboard_district",
    "district_official_b": "dashboard_district",
    "commission_staff": "dashboard_commission",
    "industry_staff": "dashboard_industry",
    "third_party_staff": "dashboard_third_party",
    "expert": "dashboard_expert",
    "auditor": "dashboard_auditor",
}
DASHBOARD_ROLE = {
    "dashboard_applicant": "applicant",
    "dashboard_district": "district_official",
    "dashboard_commission": "commission_staff",
    "dashboard_industry": "industry_staff",
    "dashboard_third_party": "third_party_staff",
    "dashboard_expert": "expert",
    "dashboard_auditor": "auditor",
}


# Users with admin flags and no role: the dashboard sends them to Django admin.
ADMIN_FLAG_USERS = {"superuser", "staff_no_role"}


def test_every_fixture_role_has_a_dashboard():
    assert set(OWN_DASHBOARD) | ADMIN_FLAG_USERS == set(ROLE_USERS)


@pytest.mark.parametrize("role_key", sorted(ADMIN_FLAG_USERS))
def test_admin_flags_without_a_role_go_to_admin(role_client, role_key):
    response = role_client(role_key).get(reverse("dashboard"))

    assert response.url == reverse("admin:index")


@pytest.mark.parametrize("role_key", sorted(OWN_DASHBOARD))
def test_dashboard_sends_each_role_to_its_own(role_client, role_key):
    response = role_client(role_key).get(reverse("dashboard"))

    assert response.status_code == 302
    assert response.url == reverse(OWN_DASHBOARD[role_key])


@pytest.mark.parametrize("role_key", sorted(OWN_DASHBOARD))
def test_own_dashboard_names_the_role_and_its_scope(role_client, role_user, role_key):
    user = role_user(role_key)
    name = OWN_DASHBOARD[role_key]

    page = role_client(role_key).get(reverse(name)).content.decode()

    assert f'data-role="{DASHBOARD_ROLE[name]}"' in page
    assert user.display_name in page
    for assignment in user.role_assignments.select_related("organisation", "department"):
        scope = assignment.organisation or assignment.department
        if scope is not None:
            assert scope.name in page


@pytest.mark.parametrize("role_key", sorted(OWN_DASHBOARD))
def test_navigation_offers_only_the_roles_own_workspace(role_client, role_key):
    page = role_client(role_key).get(reverse("home")).content.decode()

    own = OWN_DASHBOARD[role_key]
    links = {name for name in DASHBOARD_ROLE if f'href="{reverse(name)}"' in page}
    assert links == {own}
    assert f'href="{reverse("admin:index")}"' not in page


def test_a_user_without_a_role_is_told_whom_to_ask(client, db):
    client.force_login(UserFactory())

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    assert "尚未分配角色" in response.content.decode()


def test_a_staff_account_without_a_role_goes_to_admin(client, db):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("dashboard"))

    assert response.url == reverse("admin:index")


def test_a_user_with_two_roles_gets_both_workspaces(client, expert):
    RoleAssignmentFactory(user=expert, role=Role.AUDITOR)
    client.force_login(expert)

    assert client.get(reverse("dashboard_expert")).status_code == 200
    assert client.get(reverse("dashboard_auditor")).status_code == 200
    assert client.get(reverse("dashboard_commission")).status_code == 403


# The auditor's audit log -------------------------------------------------------------------

def audit_rows(page: str) -> list[str]:
    table = page.split('id="audit-log"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<td class="audit-action">([^<]+)</td>', table)


def test_audit_log_lists_newest_first(role_client):
    client = role_client("auditor")  # the login itself is the first row
    AuditEventFactory(action="organisation.register")
    AuditEventFactory(action="user.confirm_email")

    page = client.get(reverse("dashboard_auditor")).content.decode()

    assert audit_rows(page) == ["确认电子邮箱", "注册申报单位", "登录"]


def test_audit_log_search(role_client):
    client = role_client("auditor")
    AuditEventFactory(action="organisation.register", object_repr="青岛海智工业互联网有限公司")
    AuditEventFactory(action="organisation.register", object_repr="青岛即墨纺织数字科技有限公司")

    page = client.get(reverse("dashboard_auditor"), {"q": "海智"}).content.decode()

    assert audit_rows(page) == ["注册申报单位"]
    assert "青岛海智工业互联网有限公司" in page and "即墨纺织" not in page


def test_audit_log_pages_keep_the_search(role_client):
    client = role_client("auditor")
    AuditEventFactory.create_batch(55, action="test.paged")

    page = client.get(reverse("dashboard_auditor"), {"q": "paged"}).content.decode()

    assert len(audit_rows(page)) == 50
    assert 'href="?q=paged&page=2"' in page


def test_reading_the_audit_log_changes_nothing(role_client):
    client = role_client("auditor")
    before = AuditEvent.objects.count()

    response = client.post(reverse("dashboard_auditor"), {"action": "forged"})

    assert response.status_code == 405
    assert AuditEvent.objects.count() == before


# Session, user, roles, notification count (bell), event count, event rows, session save (3).
AUDIT_LOG_QUERIES = 9


@pytest.mark.parametrize("rows", [1, 30])
def test_audit_log_query_count_does_not_grow_with_rows(
    role_client, auditor, rows, django_assert_max_num_queries
):
    client = role_client("auditor")  # writes the first row
    AuditEventFactory.create_batch(rows - 1, actor=auditor)

    with django_assert_max_num_queries(AUDIT_LOG_QUERIES):
        response = client.get(reverse("dashboard_auditor"))

    assert len(audit_rows(response.content.decode())) == rows
