"""统计分析 (第十五条) in Chromium on the demo data: the commission's page draws every chart with
the vendored ECharts (a canvas in each), asks nothing of any other host, breaks no rule of the
Content-Security-Policy, and the figures it shows equal the database."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from applications.models import Application
from centers.models import Center
from evaluations.models import Evaluation
from portal.statistics_charts import CHARTS

pytestmark = pytest.mark.browser


def _total_row(page, key):
    """The 合计 row of chart `key`'s table, as integers (— and percentages left out)."""
    cells = page.locator(f'[data-table="{key}"] tr.stat-total td')
    values = []
    for text in cells.all_inner_texts():
        text = text.strip()
        values.append(int(text) if text.isdigit() else text)
    return values


def test_the_statistics_page_draws_the_database_figures_offline(page, portal, log_in,
                                                               save_screenshot):
    foreign, failed, errors, console = [], [], [], []
    host = urlsplit(portal).netloc
    page.on("request", lambda r: urlsplit(r.url).netloc != host and foreign.append(r.url))
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    # The policy's refusals show as console errors (the browser's own favicon probe is a 404).
    page.on("console", lambda m: "Content Security Policy" in m.text and console.append(m.text))

    log_in(page, "commission", "Demo@2026")
    page.goto(f"{portal}/dashboard/commission/")
    page.locator("#statistics-link").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("统计分析")
    page.locator("#filter-call").select_option("all")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()

    # Every chart with figures is drawn: ECharts puts a canvas in its container.
    drawn = page.locator("[data-chart] canvas")
    expect(drawn.first).to_be_visible()
    keys = page.locator("[data-chart]").evaluate_all(
        "els => els.map(e => e.getAttribute('data-chart'))")
    assert set(keys) == set(CHARTS), "the demo data fills every chart"
    for key in keys:
        expect(page.locator(f'[data-chart="{key}"] canvas').first).to_be_attached()
    assert page.evaluate("typeof window.echarts.getInstanceByDom") == "function"
    assert page.evaluate(
        "Array.from(document.querySelectorAll('[data-chart]')).every("
        "e => window.echarts.getInstanceByDom(e) !== undefined)")

    # The figures shown equal the database.
    submitted = Application.objects.filter(submitted_at__isnull=False).count()
    assert _total_row(page, "funnel_call")[0] == submitted
    assert _total_row(page, "funnel_district")[0] == submitted
    designated = Center.objects.count()
    assert _total_row(page, "funnel_call")[3] == designated
    assert _total_row(page, "centers_district") == [
        Center.objects.filter(status="active").count(),
        Center.objects.filter(status="revoked").count(), designated]
    assert _total_row(page, "centers_year")[2] == designated
    graded = Evaluation.objects.exclude(grade="").filter(
        cycle__status__in=["confirmed", "published"])
    assert _total_row(page, "grades") == [graded.filter(grade=g).count()
                                         for g in ("excellent", "good", "pass", "fail")]

    # An Excel download is offered per chart.
    assert page.locator("[data-download]").count() == len(CHARTS)
    assert foreign == [], "the statistics page must not ask any other host"
    assert failed == []
    assert errors == []
    assert console == [], "nothing the Content-Security-Policy refuses"
    save_screenshot(page, "statistics")


def test_every_table_shows_all_its_figures_on_a_1280_wide_screen(page, portal, log_in):
    # The numbers beside each chart are read, not scrolled to: no column is cut off at 1280px.
    log_in(page, "commission", "Demo@2026")
    page.goto(f"{portal}/commission/statistics/?call=all&year=all")
    expect(page.locator("[data-chart] canvas").first).to_be_visible()
    cut = page.locator(".table-responsive").evaluate_all(
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1)"
        ".map(e => e.querySelector('[data-table]').getAttribute('data-table'))")
    assert cut == []
