"""Lists fast by construction: the staff list counts attachments without joining them, reads
only the columns it shows, pages by ids, follows an index; the dashboards' bounds are
tests/portal/test_dashboard_bounds.py's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.enums import ApplicationStatus, AttachmentKind
from applications.models import Application
from applications.selectors import (
    STAFF_LIST_ORDERING,
    application_filterset_for,
    application_list_page,
)
from applications.staff_views import STAFF_LIST_PAGE_SIZE
from core.indexes import ListOrderIndex
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

TABLE = Application._meta.db_table


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _application_queries(queries):
    return [q["sql"] for q in queries.captured_queries if f'"{TABLE}"' in q["sql"]]


def test_the_staff_list_counts_attachments_in_a_subquery_without_join_or_group_by(
        role_client, open_call, laoshan):
    with_files = ApplicationFactory(submitted=True, call=open_call,
                                    attachments=[AttachmentKind.CASE] * 3)
    without = ApplicationFactory(submitted=True, call=open_call, attachments=[])
    client = role_client("commission_staff")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("applications:staff_list"))
    assert response.status_code == 200
    counts = {a.pk: a.attachment_count for a in response.context["page"]}
    assert counts == {with_files.pk: 3, without.pk: 0}

    sqls = _application_queries(queries)
    assert sqls, "the list's queries were not captured"
    for sql in sqls:
        assert 'JOIN "applications_attachment"' not in sql
        assert "GROUP BY" not in sql
    count_sql = next(sql for sql in sqls if "COUNT(*)" in sql and "__count" in sql)
    assert "JOIN" not in count_sql  # the paginator counts the applications alone


def test_a_filtered_staff_list_counts_without_one_to_many_joins(role_client, open_call,
                                                                laoshan):
    ApplicationFactory(submitted=True, call=open_call, attachments=[AttachmentKind.CASE])
    client = role_client("commission_staff")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("applications:staff_list"),
                              {"call": open_call.pk, "status": ApplicationStatus.SUBMITTED,
                               "district": laoshan.pk, "q": "青岛"})
    assert response.status_code == 200 and response.context["page"].paginator.count == 1
    count_sql = next(sql for sql in _application_queries(queries) if "__count" in sql)
    for table in ("applications_attachment", "applications_applicationunit"):
        assert f'JOIN "{table}"' not in count_sql
    assert "GROUP BY" not in count_sql


def test_list_rows_read_only_the_columns_shown(role_client, open_call):
    ApplicationFactory(submitted=True, call=open_call, direct=True)
    client = role_client("commission_staff")
    for url in (reverse("applications:staff_list"), reverse("dashboard_commission")):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        row_sql = [sql for sql in _application_queries(queries) if "center_name" in sql]
        assert row_sql, url
        for sql in row_sql:
            # 建设方案, the goals' notes and the call's full text stay in the database.
            assert "plan_main_content" not in sql and "construction_content" not in sql
            assert '"applications_call"."body"' not in sql


def test_a_deep_page_holds_the_right_rows_in_the_list_order(commission_staff, open_call):
    for _ in range(STAFF_LIST_PAGE_SIZE + 5):
        ApplicationFactory(submitted=True, call=open_call)
    ApplicationFactory(call=open_call)  # a draft: never submitted, so last
    everything = list(application_filterset_for(commission_staff).qs.values_list("pk", flat=True))
    page = application_list_page(application_filterset_for(commission_staff).qs, "2",
                                 STAFF_LIST_PAGE_SIZE)
    assert [a.pk for a in page] == everything[STAFF_LIST_PAGE_SIZE:]
    assert page.object_list[-1].status == ApplicationStatus.DRAFT
    assert page.paginator.count == len(everything) == STAFF_LIST_PAGE_SIZE + 6
    # Out of range: the last page, as before.
    assert application_list_page(application_filterset_for(commission_staff).qs, "99",
                                 STAFF_LIST_PAGE_SIZE).number == 2


def test_the_list_order_is_read_from_an_index():
    if connection.vendor == "postgresql":
        # An empty test table is cheaper to sort than to read by index: tell the planner not
        # to sort when it need not, so the plan shows whether an index has the order at all.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_sort = off")
    plan = Application.objects.order_by(*STAFF_LIST_ORDERING)[:50].explain()
    assert "application_list_order" in plan


@pytest.mark.parametrize("name", ["application_list_order", "application_status_order",
                                  "application_call_order", "application_department_order",
                                  "application_field_order"])
def test_the_list_indexes_match_the_list_order(name):
    index = next(i for i in Application._meta.indexes if i.name == name)
    assert isinstance(index, ListOrderIndex)
    assert index.fields[-3:] == ["-submitted_at", "-updated_at", "-id"]
    editor = connection.SchemaEditorClass(connection, collect_sql=True)
    sql = str(index.create_sql(Application, editor))
    if connection.vendor == "postgresql":
        # Drafts (no submitted_at) after the submitted ones, as STAFF_LIST_ORDERING says.
        assert '"submitted_at" DESC NULLS LAST' in sql and '"updated_at" DESC,' in sql
    else:
        assert '"submitted_at" DESC' in sql and "NULLS" not in sql
