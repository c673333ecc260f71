"""No dashboard is unbounded (issue 7): each shows counts and at most `DASHBOARD_ROWS` of the
most recent or most urgent rows, with a link to the full list where one exists, and its page
stays small whatever the number of applications."""

import pytest
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.filters import DIRECT_TO_COMMISSION
from applications.models import Application
from applications.selectors import DASHBOARD_ROWS
from portal.views import AUDIT_PAGE_SIZE
from tests.factories import (
    ApplicationFactory,
    AuditEventFactory,
    CallFactory,
    OrganisationFactory,
)
from tests.utils import application_rows_shown

pytestmark = pytest.mark.django_db

HUNDRED = 100
# "A page of HTML stays under ~100 KB at any scale" (issue 7).
PAGE_BYTES = 100_000

# The dashboard of each role key of tests/conftest.py's ROLE_USERS.
DASHBOARDS = {
    "applicant": "dashboard_applicant",
    "district_official": "dashboard_district",
    "commission_staff": "dashboard_commission",
    "industry_staff": "dashboard_industry",
    "third_party_staff": "dashboard_third_party",
    "expert": "dashboard_expert",
    "auditor": "dashboard_auditor",
}


@pytest.fixture
def hundred_of_everything(open_call, org_a, applicant_a, laoshan):
    """A hundred applications of each kind a dashboard lists (organisation A's own, submitted
    to 崂山区, submitted straight to the commission) and a hundred audit events."""
    for i in range(HUNDRED):
        ApplicationFactory(call=CallFactory(title=f"第{i}批"), organisation=org_a,
                           created_by=applicant_a)
        ApplicationFactory(submitted=True, call=open_call,
                           organisation=OrganisationFactory(competent_department=laoshan))
        ApplicationFactory(submitted=True, direct=True, call=open_call)
        AuditEventFactory(action="paged")


@pytest.mark.parametrize("role_key", DASHBOARDS)
def test_each_dashboard_shows_a_bounded_number_of_rows_when_100_exist(
        hundred_of_everything, role_client, role_key):
    response = role_client(role_key).get(reverse(DASHBOARDS[role_key]))
    assert response.status_code == 200
    assert application_rows_shown(response) <= DASHBOARD_ROWS
    if role_key in ("applicant", "district_official", "commission_staff"):
        assert application_rows_shown(response) == DASHBOARD_ROWS
        assert f"共 {HUNDRED} 项" in response.content.decode()
    if role_key == "auditor":  # the audit trail is its dashboard: one page of it
        assert len(response.context["page"].object_list) == AUDIT_PAGE_SIZE
    assert len(response.content) < PAGE_BYTES


def test_the_applicant_dashboard_links_to_the_full_list(org_a, applicant_a, role_client):
    for i in range(HUNDRED):
        ApplicationFactory(call=CallFactory(title=f"第{i}批"), organisation=org_a,
                           created_by=applicant_a)
    response = role_client("applicant").get(reverse("dashboard_applicant"))
    body = response.content.decode()
    assert application_rows_shown(response) == DASHBOARD_ROWS
    assert f"共 {HUNDRED} 项，此处显示最近的 {DASHBOARD_ROWS} 项" in body
    assert f'href="{reverse("applications:mine")}" id="dashboard-full-list"' in body


def test_the_applicant_dashboard_links_to_the_full_list_even_with_few_rows(role_client):
    body = role_client("applicant").get(reverse("dashboard_applicant")).content.decode()
    assert f'href="{reverse("applications:mine")}" id="applicant-list-link"' in body


def test_the_district_dashboard_counts_by_status_and_shows_the_longest_waiting(
        open_call, laoshan, jimo, role_client):
    for _ in range(HUNDRED):
        ApplicationFactory(submitted=True, call=open_call,
                           organisation=OrganisationFactory(competent_department=laoshan))
    for trait in ("returned", "returned", "withdrawn"):
        ApplicationFactory(**{trait: True}, call=open_call,
                           organisation=OrganisationFactory(competent_department=laoshan))
    ApplicationFactory(submitted=True, call=open_call,  # another district's: not counted
                       organisation=OrganisationFactory(competent_department=jimo))
    response = role_client("district_official").get(reverse("dashboard_district"))
    assert application_rows_shown(response) == DASHBOARD_ROWS
    assert f"共 {HUNDRED} 项，此处显示等待最久的 {DASHBOARD_ROWS} 项" in response.content.decode()
    assert response.context["status_counts"] == [
        (ApplicationStatus.SUBMITTED.label, HUNDRED), (ApplicationStatus.RETURNED.label, 2),
        (ApplicationStatus.WITHDRAWN.label, 1), (ApplicationStatus.RECOMMENDED.label, 0),
        (ApplicationStatus.NOT_RECOMMENDED.label, 0), (ApplicationStatus.EXPERT_REVIEW.label, 0)]
    assert f'href="{reverse("reviews:inbox")}" id="district-inbox-link"' in response.content.decode()
    waiting = (Application.objects.filter(routed_department=laoshan,
                                          status=ApplicationStatus.SUBMITTED)
               .order_by("submitted_at", "updated_at", "id")[:DASHBOARD_ROWS])
    assert [a.pk for a in response.context["applications"]] == [a.pk for a in waiting]


def test_the_commission_dashboard_shows_a_bounded_number_of_rows_and_links_the_full_list(
        open_call, role_client):
    for _ in range(HUNDRED):
        ApplicationFactory(submitted=True, direct=True, call=open_call)
    response = role_client("commission_staff").get(reverse("dashboard_commission"))
    assert application_rows_shown(response) == DASHBOARD_ROWS
    body = response.content.decode()
    assert f"共 {HUNDRED} 项，此处显示最近的 {DASHBOARD_ROWS} 项" in body
    full_list = (f'href="{reverse("applications:staff_list")}?district={DIRECT_TO_COMMISSION}'
                 f'&amp;status={ApplicationStatus.SUBMITTED}"')
    assert full_list in body
    # The counts still cover every application.
    assert response.context["call_overview"][0]["total"] == HUNDRED


def test_a_dashboard_with_few_rows_shows_them_all_without_a_total_line(open_call, role_client):
    ApplicationFactory(submitted=True, direct=True, call=open_call)
    response = role_client("commission_staff").get(reverse("dashboard_commission"))
    assert application_rows_shown(response) == 1
    assert 'id="dashboard-rows-shown"' not in response.content.decode()
