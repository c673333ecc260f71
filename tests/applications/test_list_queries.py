"""List pages cost a fixed number of queries whatever the number of rows."""

import pytest
from django.urls import reverse

from applications import services
from tests.factories import OrganisationFactory, applicant

from .conftest import fill_complete, make_call

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


def _applications_of_one_organisation(n, organisation, user, commission_user):
    for i in range(n):
        call = make_call(commission_user=commission_user, title=f"第{i}批申报通知")
        services.application_start(call=call, organisation=organisation, actor=user)


@pytest.mark.parametrize("rows", [1, 30])
def test_applicant_dashboard(rows, org_a, applicant_a, commission_staff, role_client,
                             django_assert_max_num_queries):
    _applications_of_one_organisation(rows, org_a, applicant_a, commission_staff)
    client = role_client("applicant")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("dashboard_applicant"))
    assert response.content.decode().count('href="/applications/') == rows


@pytest.mark.parametrize("rows", [1, 30])
def test_district_dashboard(rows, open_call, laoshan, official_laoshan, role_client,
                            django_assert_max_num_queries):
    for _ in range(rows):
        organisation = OrganisationFactory(competent_department=laoshan)
        user = applicant(organisation)
        application = services.application_start(call=open_call, organisation=organisation,
                                                 actor=user)
        fill_complete(application, user)
        services.application_submit(application=application, actor=user)
    client = role_client("district_official")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("dashboard_district"))
    assert response.content.decode().count('href="/applications/') == rows


@pytest.mark.parametrize("rows", [1, 30])
def test_commission_dashboard(rows, open_call, commission_staff, role_client,
                              django_assert_max_num_queries):
    for _ in range(rows):
        organisation = OrganisationFactory(is_city_level=True, competent_department=None,
                                           route_confirmed=True)
        user = applicant(organisation)
        application = services.application_start(call=open_call, organisation=organisation,
                                                 actor=user)
        fill_complete(application, user)
        services.application_submit(application=application, actor=user)
    client = role_client("commission_staff")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("dashboard_commission"))
    body = response.content.decode()
    assert body.count('href="/applications/') == rows  # direct submissions, no district first
    overview = response.context["call_overview"]
    assert overview[0]["title"] == open_call.title and overview[0]["total"] == rows
    assert ("已提交", rows) in overview[0]["statuses"]
