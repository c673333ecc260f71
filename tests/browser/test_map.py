"""一张图 (第十五条) in Chromium, on the demo data: the public map and the commission's map are
drawn by the vendored ECharts from the portal's own boundary file; no request leaves the
portal; the figures the chart shows equal the database; clicking a district lists its centers,
each linking to its public page."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from accounts.enums import DepartmentKind
from accounts.models import Department
from centers.enums import CenterStatus
from centers.models import Center
from evaluations.models import Evaluation
from portal.management.commands.seed_demo import DEMO_PASSWORD
from tests.test_english import english_words

pytestmark = pytest.mark.browser


def _watch(page, portal):
    seen = {"requests": [], "foreign": [], "errors": [], "failed": []}
    host = urlsplit(portal).netloc

    def on_request(request):
        seen["requests"].append(request.url)
        if urlsplit(request.url).scheme in ("http", "https", "ws", "wss") and \
                urlsplit(request.url).netloc != host:
            seen["foreign"].append(request.url)

    page.on("request", on_request)
    # The browser asks for /favicon.ico on its own; the portal has none (not the map's concern).
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and seen["failed"].append(f"{r.status} {r.url}"))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    # A CSP refusal (inline style or script) is reported on the console; a failed load is
    # reported there too, and is counted above by its response.
    page.on("console", lambda m: m.type == "error" and not m.text.startswith(
        "Failed to load resource") and seen["errors"].append(m.text))
    return seen


def _chart_regions(page):
    return page.evaluate("""() => {
        const chart = echarts.getInstanceByDom(document.getElementById('map-chart'));
        const option = chart.getOption();
        return {regions: option.series[0].data.map(d => ({code: d.code, value: d.value,
                                                           name: d.name})),
                points: option.series.slice(1).reduce((n, s) => n + s.data.length, 0),
                legend: option.legend[0].data, title: option.title[0].text};
    }""")


def _expected_counts(*, revoked):
    statuses = [CenterStatus.ACTIVE, CenterStatus.REVOKED] if revoked else [CenterStatus.ACTIVE]
    return {d.region_code: Center.objects.filter(department=d, status__in=statuses).count()
            for d in Department.objects.filter(kind=DepartmentKind.DISTRICT)}


def _canvas_is_drawn(page):
    # The canvas has a size and paints more than one colour (the districts, their borders).
    return page.evaluate("""() => {
        const canvas = document.querySelector('#map-chart canvas');
        if (!canvas || canvas.width < 100 || canvas.height < 100) return false;
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        const colours = new Set();
        for (let i = 0; i < data.length; i += 4 * 97) colours.add(data.slice(i, i + 4).join());
        return colours.size > 5;
    }""")


def _click_district(page, name):
    """Clicks inside the district `name` of the chart, away from any point."""
    x, y = page.evaluate("""(name) => {
        const chart = echarts.getInstanceByDom(document.getElementById('map-chart'));
        const geo = chart.getModel().getComponent('geo').coordinateSystem;
        const centre = geo.getRegion(name).getCenter();
        return chart.convertToPixel({geoIndex: 0}, centre);
    }""", name)
    box = page.locator("#map-chart").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_the_public_map_draws_the_database_offline(page, portal, save_screenshot):
    seen = _watch(page, portal)
    page.goto(portal + "/")
    page.get_by_role("link", name="一张图", exact=True).click()
    expect(page.locator("#map-chart")).to_have_attribute("data-ready", "1")
    expect(page.locator("#map-schematic")).to_have_text("示意图")

    shown = _chart_regions(page)
    assert shown["title"] == "赋能中心分布示意图"
    assert {r["code"]: r["value"] for r in shown["regions"]} == _expected_counts(revoked=False)
    assert int(page.locator("#map-total").inner_text()) == Center.objects.filter(
        status=CenterStatus.ACTIVE).count()
    located = Center.objects.filter(status=CenterStatus.ACTIVE, longitude__isnull=False)
    assert shown["points"] == located.count() > 0
    assert _canvas_is_drawn(page)
    # The functional zones are their own entry beside the map, not a district of it.
    zone = Department.objects.get(kind=DepartmentKind.FUNCTIONAL_ZONE)
    expect(page.locator("#map-zones")).to_contain_text(zone.short_name)
    assert zone.short_name not in {r["name"] for r in shown["regions"]}

    # Clicking the district with most centers lists them, each linking to its public page.
    busiest = max(shown["regions"], key=lambda r: r["value"])
    _click_district(page, busiest["name"])
    expect(page.locator("#region-list li").first).to_be_visible()
    names = page.locator("#region-list li a").all_inner_texts()
    assert sorted(names) == sorted(Center.objects.filter(
        department__region_code=busiest["code"], status=CenterStatus.ACTIVE)
        .values_list("name", flat=True))
    # Published grades are for the staff map (the public reads them on the results page).
    expect(page.locator("#region-list")).not_to_contain_text("评价结果")
    assert english_words(page.content()) == []
    save_screenshot(page, "map-public")
    page.locator("#region-list li a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(names[0])

    assert seen["foreign"] == [], "the map must not load anything from outside the portal"
    assert any(u.endswith("/static/geo/qingdao-districts.geojson") for u in seen["requests"])
    assert any("/static/vendor/echarts/echarts.min.js" in u for u in seen["requests"])
    assert seen["failed"] == [] and seen["errors"] == []


def test_the_staff_map_shows_revoked_centers_on_request(page, portal, log_in, save_screenshot):
    seen = _watch(page, portal)
    log_in(page, "commission", DEMO_PASSWORD)
    page.goto(portal + "/dashboard/commission/")
    page.locator("#commission-map-link").click()
    expect(page.locator("#map-chart")).to_have_attribute("data-ready", "1")
    shown = _chart_regions(page)
    assert {r["code"]: r["value"] for r in shown["regions"]} == _expected_counts(revoked=False)

    page.locator("#m-revoked").check()  # applies at once
    page.wait_for_url("**/commission/map/?**revoked=1**")
    expect(page.locator("#map-chart")).to_have_attribute("data-ready", "1")
    shown = _chart_regions(page)
    assert {r["code"]: r["value"] for r in shown["regions"]} == _expected_counts(revoked=True)
    assert "已撤销的赋能中心" in shown["legend"]
    assert int(page.locator("#map-total").inner_text()) == Center.objects.count()
    assert shown["points"] == Center.objects.filter(longitude__isnull=False).count()
    assert Center.objects.filter(status=CenterStatus.REVOKED).exists()
    assert _canvas_is_drawn(page)
    # Each center listed carries its latest published grade (the demo's 2026 cycle).
    laoshan = next(r for r in shown["regions"] if r["code"] == "370212")
    _click_district(page, laoshan["name"])
    expect(page.locator("#region-list li").first).to_be_visible()
    items = page.locator("#region-list li")
    graded = Evaluation.objects.filter(cycle__status="published").exclude(grade="")
    for i in range(items.count()):
        pk = int(items.nth(i).get_attribute("data-center"))
        latest = graded.filter(center_id=pk).order_by("-cycle__year").first()
        expect(items.nth(i)).to_contain_text(
            f"{latest.cycle.year}年度评价结果：{latest.get_grade_display()}" if latest
            else "暂无已公布的评价结果")
    assert english_words(page.content()) == []
    save_screenshot(page, "map-commission")
    assert seen["foreign"] == []
    assert seen["failed"] == [] and seen["errors"] == []


def _district_labels(page):
    """The district labels the chart drew: [{name, x, y, width, height}] in the chart's pixels
    (ECharts' own text elements, read from its renderer), hidden ones left out."""
    return page.evaluate("""() => {
        const chart = echarts.getInstanceByDom(document.getElementById('map-chart'));
        const names = new Set(chart.getOption().series[0].data.map(d => d.name));
        const shown = [];
        chart.getZr().storage.getDisplayList(true).forEach(el => {
            if (el.type !== 'tspan' || el.ignore || el.invisible || !el.style) return;
            if (!names.has(el.style.text)) return;
            const box = el.getBoundingRect().clone();
            box.applyTransform(el.getComputedTransform());
            shown.push({name: el.style.text, x: box.x, y: box.y, width: box.width,
                        height: box.height});
        });
        return shown;
    }""")


# Labels closer than this (px) read as one: before the fix 市北区 stood 2 px above 市南区 and
# 李沧区 1 px left of 崂山区 ("李沧区崂山区").
LABEL_GAP = 8


def _overlapping(labels, gap=LABEL_GAP):
    return [(a["name"], b["name"]) for i, a in enumerate(labels) for b in labels[i + 1:]
            if a["x"] < b["x"] + b["width"] + gap and b["x"] < a["x"] + a["width"] + gap
            and a["y"] < b["y"] + b["height"] + gap and b["y"] < a["y"] + a["height"] + gap]


def test_the_district_labels_do_not_overlap_at_1280_wide(page, portal, save_screenshot):
    # 市南区/市北区 and 李沧区/崂山区 are small and side by side: at the map's first zoom their
    # labels fell on one another.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(portal + "/map/")
    expect(page.locator("#map-chart")).to_have_attribute("data-ready", "1")
    page.wait_for_timeout(300)  # the labels are laid out after the first frame
    labels = _district_labels(page)
    assert sorted(label["name"] for label in labels) == sorted(
        r["name"] for r in _chart_regions(page)["regions"]), "every district keeps its label"
    assert _overlapping(labels) == []
    save_screenshot(page, "map-labels-1280")


def test_a_center_page_shows_its_address_and_opens_the_map_on_its_point(page, portal):
    center = Center.objects.filter(status=CenterStatus.ACTIVE, longitude__isnull=False).first()
    page.goto(portal + f"/centers/{center.pk}/")
    expect(page.locator("#center-address")).to_contain_text(center.address)
    page.locator("#center-map-link").click()
    expect(page.locator("#map-chart")).to_have_attribute("data-focused", str(center.pk))
    centre, zoom = page.evaluate("""() => {
        const geo = echarts.getInstanceByDom(document.getElementById('map-chart'))
            .getOption().geo[0];
        return [geo.center, geo.zoom];
    }""")
    assert centre == pytest.approx([float(center.longitude), float(center.latitude)])
    assert zoom > 1
