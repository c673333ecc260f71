"""Dashboards cost a fixed number of queries whatever the number of rows."""

import pytest
from django.urls import reverse

from applications.selectors import DASHBOARD_ROWS
from tests.factories import ApplicationFactory, CallFactory, OrganisationFactory
from tests.utils import application_rows_shown

pytestmark = pytest.mark.django_db

# One more when a dashboard holds more rows than it shows: the count of them all.
MAX_QUERIES = 11
# Two more than the others: the unit's centers (赋能中心运行管理) and the questions waiting
# for its 情况说明 (第九条（四）).
APPLICANT_MAX_QUERIES = MAX_QUERIES + 2


def _applications_of_one_organisation(n, organisation, user, commission_user):
    for i in range(n):
        ApplicationFactory(call=CallFactory(title=f"第{i}批申报通知"), organisation=organisation,
                           created_by=user)


@pytest.mark.parametrize("rows", [1, 30])
def test_applicant_dashboard(rows, org_a, applicant_a, commission_staff, role_client,
                             django_assert_max_num_queries):
    _applications_of_one_organisation(rows, org_a, applicant_a, commission_staff)
    client = role_client("applicant")
    with django_assert_max_num_queries(APPLICANT_MAX_QUERIES):
        response = client.get(reverse("dashboard_applicant"))
    assert application_rows_shown(response) == min(rows, DASHBOARD_ROWS)


@pytest.mark.parametrize("rows", [1, 30])
def test_district_dashboard(rows, open_call, laoshan, official_laoshan, role_client,
                            django_assert_max_num_queries):
    for _ in range(rows):
        ApplicationFactory(submitted=True, call=open_call,
                           organisation=OrganisationFactory(competent_department=laoshan))
    client = role_client("district_official")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("dashboard_district"))
    assert application_rows_shown(response) == min(rows, DASHBOARD_ROWS)


@pytest.mark.parametrize("rows", [1, 30])
def test_commission_dashboard(rows, open_call, commission_staff, role_client,
                              django_assert_max_num_queries):
    for _ in range(rows):
        ApplicationFactory(submitted=True, direct=True, call=open_call)
    client = role_client("commission_staff")
    # Three more than the other dashboards: the count of claims waiting, next year's
    # working-day schedule and the expert review rounds, each one query whatever the rows.
    with django_assert_max_num_queries(MAX_QUERIES + 3):
        response = client.get(reverse("dashboard_commission"))
    body = response.content.decode()
    # direct submissions, no district first; the full list is the staff list's
    assert application_rows_shown(response) == min(rows, DASHBOARD_ROWS)
    overview = response.context["call_overview"]
    assert overview[0]["title"] == open_call.title and overview[0]["total"] == rows
    assert ("已提交", rows) in overview[0]["statuses"]
