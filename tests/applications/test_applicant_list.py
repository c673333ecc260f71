"""我的申报: the applicant's full, paginated list of their own unit's applications, filtered by
call and status; the applicant dashboard shows its first rows."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application
from applications.selectors import LIST_COLUMNS
from applications.views import APPLICANT_LIST_PAGE_SIZE
from tests.factories import ApplicationFactory, CallFactory
from tests.utils import application_rows_shown

pytestmark = pytest.mark.django_db

# Session, user, roles, the unread-notice badge …, the call choices, the count and the page.
MAX_QUERIES = 12


def _applications(n, organisation, user, **traits):
    return [ApplicationFactory(call=CallFactory(title=f"第{i}批申报通知"), organisation=organisation,
                               created_by=user, **traits) for i in range(n)]


@pytest.mark.parametrize("rows", [1, 30])
def test_the_list_reads_a_fixed_number_of_queries(rows, org_a, applicant_a, role_client,
                                                  django_assert_max_num_queries):
    _applications(rows, org_a, applicant_a)
    client = role_client("applicant")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("applications:mine"))
    assert response.status_code == 200
    assert application_rows_shown(response) == min(rows, APPLICANT_LIST_PAGE_SIZE)
    assert response.context["page"].paginator.count == rows


def test_the_list_reads_only_the_columns_it_shows(org_a, applicant_a, role_client):
    _applications(1, org_a, applicant_a)
    row = role_client("applicant").get(reverse("applications:mine")).context["page"][0]
    assert "plan_main_content" in row.get_deferred_fields()
    assert set(LIST_COLUMNS) & row.get_deferred_fields() == set()


def test_the_list_shows_only_the_users_own_unit(org_a, org_b, applicant_a, applicant_b,
                                                 role_client):
    own = _applications(2, org_a, applicant_a)
    _applications(3, org_b, applicant_b)
    response = role_client("applicant").get(reverse("applications:mine"))
    assert sorted(a.pk for a in response.context["page"]) == sorted(a.pk for a in own)
    # The call choices name only the calls the unit applied under.
    choices = response.context["filter"].form.fields["call"].queryset
    assert sorted(choices.values_list("pk", flat=True)) == sorted(a.call_id for a in own)


def test_the_list_pages_and_keeps_its_filters(org_a, applicant_a, role_client):
    _applications(APPLICANT_LIST_PAGE_SIZE + 5, org_a, applicant_a, submitted=True)
    _applications(2, org_a, applicant_a)  # drafts
    client = role_client("applicant")
    first = client.get(reverse("applications:mine"), {"status": ApplicationStatus.SUBMITTED})
    assert first.context["page"].paginator.count == APPLICANT_LIST_PAGE_SIZE + 5
    assert application_rows_shown(first) == APPLICANT_LIST_PAGE_SIZE
    assert "?status=submitted&page=2" in first.content.decode()
    second = client.get(reverse("applications:mine"),
                        {"status": ApplicationStatus.SUBMITTED, "page": 2})
    assert application_rows_shown(second) == 5
    assert all(a.status == ApplicationStatus.SUBMITTED for a in second.context["page"])


def test_the_list_filters_by_call(org_a, applicant_a, role_client):
    first, _ = _applications(2, org_a, applicant_a)
    response = role_client("applicant").get(reverse("applications:mine"),
                                            {"call": first.call_id})
    assert [a.pk for a in response.context["page"]] == [first.pk]


def test_the_list_is_in_the_dashboards_order(org_a, applicant_a, role_client):
    """Latest call first, as on the dashboard, so "查看全部" goes on from the same rows."""
    start = timezone.now() - datetime.timedelta(days=30)
    applications = [
        ApplicationFactory(call=CallFactory(opens_at=start + datetime.timedelta(days=day)),
                           organisation=org_a, created_by=applicant_a)
        for day in (3, 1, 7, 5, 2, 9, 4, 8, 6, 10, 12, 11)]
    client = role_client("applicant")
    listed = [a.pk for a in client.get(reverse("applications:mine")).context["page"]]
    dashboard = [a.pk for a in client.get(reverse("dashboard_applicant")).context["applications"]]
    by_call = sorted(applications, key=lambda a: a.call.opens_at, reverse=True)
    assert listed == [a.pk for a in by_call]
    assert dashboard == listed[:len(dashboard)]


def test_the_units_applications_are_found_by_an_index_on_the_organisation():
    """The list filters on the organisation and sorts only what it finds: a unit holds one
    application per call, so the sort (by the call's opening, across the join) stays small."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Application._meta.db_table)
    leading = {tuple(c["columns"][:1]) for c in constraints.values() if c["index"] or c["unique"]}
    assert ("organisation_id",) in leading
