"""统计分析 (第十五条): every chart's figures equal the database (known data built by
statistics_world, expected figures computed from its plan or from centers.progress), each
selector and the page run a fixed number of queries with 1 and 30 applications, only the
commission reads them, and each chart downloads as an audited Excel sheet."""

import datetime
import io
from collections import Counter

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from centers import statistics as stats
from centers.enums import ChangeKind
from centers.models import Center, ChangeReport
from centers.progress import progress_figures
from core.audit import AuditEvent
from evaluations.enums import CycleStatus
from evaluations.indicators import table_install_default
from evaluations.models import Evaluation, EvaluationCycle
from evaluations.statistics import grade_distribution
from portal.statistics_charts import CHARTS
from tests.factories import ApplicationFactory, department

from .statistics_world import STAGES, build_world

pytestmark = pytest.mark.django_db

STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGES)}


def _funnel_expected(planned, key):
    expected = {}
    for plan in planned:
        counts = expected.setdefault(getattr(plan, key), Counter())
        rank = STAGE_RANK[plan.stage]
        counts["submitted"] += 1
        counts["recommended"] += rank >= 1
        counts["proposed"] += rank >= 3
        counts["designated"] += rank >= 3
    return {label: dict(counts) for label, counts in expected.items()}


def _by_label(table):
    return {row.label: {k: v for k, v in row.values.items()} for row in table.rows}


def test_the_funnel_equals_the_database(commission_staff):
    world = build_world(12, commission_staff)
    by_district = _by_label(stats.funnel_by_district(world.call.pk))
    assert by_district == _funnel_expected(world.planned, "district")
    by_field = _by_label(stats.funnel_by_field(world.call.pk))
    assert by_field == _funnel_expected(world.planned, "field")
    [row] = stats.funnel_by_call().rows
    assert row.label == world.call.title
    assert row.values == {"submitted": 12, "recommended": 9, "proposed": 3, "designated": 3}
    table = stats.funnel_by_district(world.call.pk)
    assert table.total == {"submitted": 12, "recommended": 9, "proposed": 3, "designated": 3}


def test_the_funnel_of_one_call_leaves_the_others_out(commission_staff):
    world = build_world(4, commission_staff, records=False)
    other = build_world(8, commission_staff, records=False)
    assert stats.funnel_by_district(world.call.pk).total["submitted"] == 4
    assert stats.funnel_by_district(other.call.pk).total["submitted"] == 8
    assert stats.funnel_by_district(None).total["submitted"] == 12
    assert [r.label for r in stats.funnel_by_call().rows] == [world.call.title, other.call.title]


def test_a_withdrawn_application_counts_as_submitted_and_a_draft_never(commission_staff):
    world = build_world(4, commission_staff, records=False)
    application = world.call.applications.filter(status="submitted").first()
    application.status = "withdrawn"
    application.save(update_fields=["status"])
    assert stats.funnel_by_call().rows[0].values["submitted"] == 4  # the draft not among them


def test_the_centers_charts_equal_the_database(commission_staff):
    world = build_world(16, commission_staff, records=False)
    designated = [p for p in world.planned if p.stage == "designated"]

    def expected(key):
        out = {}
        for plan in designated:
            c = out.setdefault(key(plan), {"active": 0, "revoked": 0, "total": 0})
            c["revoked" if plan.revoked else "active"] += 1
            c["total"] += 1
        return out

    assert _by_label(stats.centers_by_district()) == expected(lambda p: p.district)
    assert _by_label(stats.centers_by_field()) == expected(lambda p: p.field)
    assert _by_label(stats.centers_by_year()) == expected(lambda p: f"{p.designated_on.year}年")
    in_2026 = [p for p in designated if p.designated_on.year == 2026]
    assert stats.centers_by_district(2026).total["total"] == len(in_2026) > 0
    assert stats.centers_by_field(2026).total["total"] == len(in_2026)


def test_the_service_totals_equal_the_database(commission_staff):
    world = build_world(16, commission_staff)
    table = stats.service_totals()
    years = sorted({year for year, _ in world.enterprises})
    assert [row.label for row in table.rows] == [f"{y}年" for y in years]
    for row, year in zip(table.rows, years):
        centers = [c for c in world.centers if c.designated_on.year == year]
        positions = [int(c.name[-3:]) for c in centers]
        assert row.values == {
            "enterprises": len({u for y, u in world.enterprises if y == year}),
            "diagnoses": len(centers), "trainings": len(centers), "projects": len(centers),
            "participants": sum(10 * p for p in positions)}
    # Served by every center: counted once over the years too.
    assert table.total["enterprises"] == len({u for _, u in world.enterprises})
    assert table.total["diagnoses"] == len(world.centers)
    assert stats.service_totals(years[0]).total["diagnoses"] == len(
        [c for c in world.centers if c.designated_on.year == years[0]])


def test_the_target_completion_equals_progress_figures_summed(commission_staff):
    world = build_world(16, commission_staff)
    on = datetime.date(2026, 12, 31)
    table = stats.target_completion(on)
    promised, achieved, promising = Counter(), Counter(), Counter()
    for center in Center.objects.filter(status="active"):
        for figure in progress_figures(center, on).targets:
            if figure.promised:
                promised[figure.label] += figure.promised
                achieved[figure.label] += figure.achieved
                promising[figure.label] += 1
    for row in table.rows:
        assert row.values["promised"] == promised[row.label]
        assert row.values["achieved"] == achieved[row.label]
        assert row.values["centers"] == promising[row.label]
        assert row.values["rate"] == stats.percent(achieved[row.label], promised[row.label])
    assert table.total["promised"] == sum(promised.values()) > 0
    assert table.total["achieved"] == sum(achieved.values()) > 0
    assert len(world.centers) > table.total["centers"]  # the revoked ones left out


def test_records_after_the_three_years_do_not_count(commission_staff):
    world = build_world(1, commission_staff)
    [center] = world.centers
    from centers.models import ServiceRecord

    late = center.designated_on.replace(year=center.designated_on.year + 3) \
        + datetime.timedelta(days=1)
    ServiceRecord.objects.create(center=center, kind="key_technology", occurred_on=late,
                                 title="期满后", created_by=center.application.created_by)
    on = late + datetime.timedelta(days=10)
    row = stats.target_completion(on).rows[0]
    assert row.values["achieved"] == progress_figures(center, on).targets[0].achieved


def _cycle(year, status, table, commission):
    now = timezone.now()
    return EvaluationCycle.objects.create(
        year=year, title=f"{year}年度评价", window_start=datetime.date(year - 1, 1, 1),
        window_end=datetime.date(year - 1, 12, 31), table=table, materials_due=now,
        district_due=now, status=status, created_by=commission)


def test_the_grade_distribution_counts_confirmed_grades_per_cycle(commission_staff):
    world = build_world(16, commission_staff, records=False)
    table = table_install_default(actor=commission_staff)
    published = _cycle(2025, CycleStatus.PUBLISHED, table, commission_staff)
    confirmed = _cycle(2026, CycleStatus.CONFIRMED, table, commission_staff)
    scoring = _cycle(2027, CycleStatus.SCORING, table, commission_staff)
    grades = ["excellent", "good", "good", "fail"]
    for cycle in (published, confirmed, scoring):
        for center, grade in zip(world.centers, grades):
            Evaluation.objects.create(cycle=cycle, center=center, department=center.department,
                                      grade=grade)
    Evaluation.objects.filter(cycle=confirmed, grade="fail").update(grade="")  # not confirmed
    distribution = grade_distribution()
    assert [(r.label, r.values) for r in distribution.rows] == [
        ("2025年度", {"excellent": 1, "good": 2, "pass": 0, "fail": 1}),
        ("2026年度（未公布）", {"excellent": 1, "good": 2, "pass": 0, "fail": 0}),
    ]


def test_change_reports_on_time_late_and_overdue(commission_staff):
    world = build_world(8, commission_staff, records=False)
    center = world.centers[0]
    today = datetime.date(2026, 6, 30)
    tz = timezone.get_current_timezone()

    def report(due, forwarded=None, kind=ChangeKind.ENTITY, licence=datetime.date(2026, 3, 1)):
        return ChangeReport.objects.create(
            center=center, department=center.department, kind=kind, summary="变更",
            licence_changed_on=licence if kind == ChangeKind.ENTITY else None, due_on=due,
            forwarded_at=forwarded, created_by=commission_staff,
            status="forwarded" if forwarded else "submitted")

    due = datetime.date(2026, 4, 14)
    # Forwarded at 23:30 Beijing time on the due day: on time (a UTC date would say the 14th too,
    # 00:30 the next day Beijing is the 15th: late).
    report(due, datetime.datetime(2026, 4, 14, 23, 30, tzinfo=tz))
    report(due, datetime.datetime(2026, 4, 15, 0, 30, tzinfo=tz))
    report(due, datetime.datetime(2026, 5, 20, 9, 0, tzinfo=tz))
    report(due)  # overdue, not forwarded
    report(datetime.date(2026, 7, 10), licence=datetime.date(2026, 5, 28))  # not yet due
    report(None, licence=datetime.date(2025, 12, 20))  # no due date yet
    report(None, kind=ChangeKind.CONTENT)  # no deadline: not counted
    table = stats.change_timeliness(today)
    assert _by_label(table) == {
        "2025年": {"on_time": 0, "late": 0, "overdue": 0, "waiting": 0, "no_due": 1},
        "2026年": {"on_time": 1, "late": 2, "overdue": 1, "waiting": 1, "no_due": 0},
    }


# --- the page, its queries and downloads -----------------------------------------------------

URL = reverse("statistics")


def _page_queries(client, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        response = client.get(URL)
    assert response.status_code == 200
    return response


# Session, user, roles, the three choices and every chart's selectors (about two each).
PAGE_QUERY_LIMIT = 32


@pytest.mark.parametrize("n", [1, 30])
def test_the_page_runs_a_fixed_number_of_queries(n, role_client, commission_staff,
                                                 django_assert_max_num_queries):
    build_world(n, commission_staff)
    client = role_client("commission_staff")
    response = _page_queries(client, django_assert_max_num_queries, PAGE_QUERY_LIMIT)
    assert len(response.context["tables"]) == len(CHARTS)


@pytest.mark.parametrize("n", [1, 30])
def test_each_selector_runs_a_fixed_number_of_queries(n, commission_staff,
                                                      django_assert_max_num_queries):
    world = build_world(n, commission_staff)
    for selector, limit in [
            (lambda: stats.funnel_by_call(), 1), (lambda: stats.funnel_by_district(world.call.pk), 2),
            (lambda: stats.funnel_by_field(world.call.pk), 1),
            (lambda: stats.centers_by_district(), 2), (lambda: stats.centers_by_field(), 1),
            (lambda: stats.centers_by_year(), 1), (lambda: stats.service_totals(), 3),
            (lambda: stats.target_completion(), 3), (grade_distribution, 1),
            (lambda: stats.change_timeliness(), 1)]:
        with django_assert_max_num_queries(limit):
            selector()


def test_the_page_shows_every_chart_with_its_table(role_client, commission_staff):
    build_world(8, commission_staff)
    response = role_client("commission_staff").get(URL, {"call": "all"})
    html = response.content.decode()
    for key in CHARTS:
        assert f'id="stat-{key}"' in html
    assert 'id="statistics-data"' in html and "vendor/echarts/echarts.min.js" in html
    funnel = next(t for t in response.context["tables"] if t.key == "funnel_district")
    assert funnel.total["submitted"] == 8
    data = response.context["chart_data"]["funnel_district"]
    assert data["categories"] == [r.label for r in funnel.rows]


def test_filters_pick_a_call_and_a_year(role_client, commission_staff):
    world = build_world(4, commission_staff, records=False)
    build_world(8, commission_staff, records=False)
    client = role_client("commission_staff")
    tables = {t.key: t for t in client.get(URL, {"call": world.call.pk, "year": "2026"})
              .context["tables"]}
    assert tables["funnel_district"].total["submitted"] == 4
    assert tables["centers_district"].total["total"] == Center.objects.filter(
        designated_on__year=2026).count()
    # Unknown values fall back to everything, never an error.
    response = client.get(URL, {"call": "999999", "year": "abc"})
    assert response.status_code == 200
    assert {t.key: t for t in response.context["tables"]}["funnel_district"].total[
        "submitted"] == 12


@pytest.mark.parametrize("role", ["district_official", "auditor", "industry_staff", "applicant"])
def test_only_the_commission_reads_the_statistics(role, role_client):
    assert role_client(role).get(URL).status_code == 403
    assert role_client(role).get(reverse("statistics_download", args=["grades"])) \
        .status_code == 403


def test_a_chart_downloads_as_excel_and_is_audited(role_client, commission_staff):
    world = build_world(8, commission_staff)
    client = role_client("commission_staff")
    response = client.get(reverse("statistics_download", args=["funnel_field"]),
                          {"call": world.call.pk})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    table = stats.funnel_by_field(world.call.pk)
    assert rows[0] == table.header()
    assert rows[1:1 + len(table.table_rows())] == table.table_rows()
    event = AuditEvent.objects.get(action="statistics.export")
    assert event.actor == commission_staff
    assert event.after["chart"] == "funnel_field" and event.after["call"] == world.call.pk


def test_an_unknown_chart_is_404(role_client):
    response = role_client("commission_staff").get(
        reverse("statistics_download", args=["nothing"]))
    assert response.status_code == 404


def test_percentages_download_as_numbers(role_client, commission_staff):
    build_world(4, commission_staff)
    response = role_client("commission_staff").get(
        reverse("statistics_download", args=["targets"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rates = [r[4] for r in sheet.iter_rows(min_row=2, values_only=True) if r and r[0]]
    assert any(isinstance(rate, (int, float)) for rate in rates)


def test_the_commission_dashboard_links_the_statistics(role_client):
    html = role_client("commission_staff").get(reverse("dashboard_commission")).content.decode()
    assert f'href="{URL}"' in html and 'id="statistics-link"' in html


def test_districts_are_named_by_their_short_name(commission_staff):
    build_world(2, commission_staff, records=False)
    labels = [r.label for r in stats.funnel_by_district().rows]
    assert labels == [department("崂山区").short_name, department("即墨区").short_name] or \
        set(labels) == {"崂山区", "即墨区"}


# --- kept figures: at most STATISTICS_MAX_AGE_SECONDS old ---------------------------------

def _submitted_total(response):
    return next(t for t in response.context["tables"] if t.key == "funnel_call").total["submitted"]


def test_figures_are_kept_until_the_max_age_second_and_the_page_says_when(
        role_client, commission_staff, monkeypatch, settings):
    settings.STATISTICS_MAX_AGE_SECONDS = 300
    world = build_world(4, commission_staff, records=False)
    client = role_client("commission_staff")
    computed = timezone.now().replace(microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: computed)
    first = client.get(URL)
    assert _submitted_total(first) == 4
    assert "统计时间：" in first.content.decode() and "数据每5分钟更新一次" in first.content.decode()
    ApplicationFactory(call=world.call, submitted=True, attachments=False)

    # One second before the max age: the kept figures, and no chart's query (every chart
    # groups; the page still reads the filters' choices).
    monkeypatch.setattr(timezone, "now", lambda: computed + datetime.timedelta(seconds=299))
    with CaptureQueriesContext(connection) as queries:
        kept = client.get(URL)
    assert not [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]
    assert _submitted_total(kept) == 4
    assert kept.context["computed_at"] == computed

    # At the max age: computed again, with the new application.
    later = computed + datetime.timedelta(seconds=300)
    monkeypatch.setattr(timezone, "now", lambda: later)
    fresh = client.get(URL)
    assert _submitted_total(fresh) == 5
    assert fresh.context["computed_at"] == later


def test_each_set_of_filters_keeps_its_own_figures(role_client, commission_staff):
    world = build_world(4, commission_staff, records=False)
    other = build_world(2, commission_staff, records=False)
    client = role_client("commission_staff")
    assert _submitted_total(client.get(URL)) == 6

    def district_total(call):
        response = client.get(URL, {"call": call.pk})
        return next(t for t in response.context["tables"]
                    if t.key == "funnel_district").total["submitted"]

    assert district_total(world.call) == 4
    assert district_total(other.call) == 2


def test_a_download_gives_the_figures_of_the_page_with_their_time(
        role_client, commission_staff, monkeypatch):
    world = build_world(4, commission_staff, records=False)
    client = role_client("commission_staff")
    computed = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: computed)
    page = client.get(URL)
    ApplicationFactory(call=world.call, submitted=True, attachments=False)
    response = client.get(reverse("statistics_download", args=["funnel_call"]),
                          {"call": "all", "year": "all"})
    rows = [list(r) for r in openpyxl.load_workbook(io.BytesIO(response.content))
            .active.iter_rows(values_only=True)]
    table = next(t for t in page.context["tables"] if t.key == "funnel_call")
    assert rows[1:1 + len(table.table_rows())] == table.table_rows()
    stamp = timezone.localtime(computed)
    assert rows[-1] == [f"统计时间：{stamp.year}年{stamp.month}月{stamp.day}日 "
                        f"{stamp:%H:%M}"] + [None] * (len(rows[-1]) - 1)
