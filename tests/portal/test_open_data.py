"""第七条（八）: the open-data API (/api/open/v1/), its OpenAPI document, the CSV and XLSX files
and the data dictionary page. Published facts only: no draft, no objection, no contact, no
private field (the schema walk below fails on any property outside the allow-list)."""

import csv
import io
import json
import re

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from centers.models import Center
from portal.open_data_views import DATASETS, dataset_columns, file_columns

from .open_data_helpers import SECRETS, centers_make, notice_make, open_world

pytestmark = pytest.mark.django_db

CENTERS, NOTICES, CALLS = (reverse(f"open_data_{slug}-list")
                           for slug in ("centers", "notices", "calls"))
SCHEMA = reverse("open_data_schema")

# Every property any answer of the API may carry. A new one is a decision: add it here only
# once it is a published fact (第七条（八）), never a contact, score, objector or note.
ALLOWED_PROPERTIES = {
    # the page envelope and the error answers
    "count", "next", "previous", "results", "detail",
    # 赋能中心名录
    "id", "name", "lead_unit_name", "joint_unit_name", "industry_field", "department",
    "designated_on", "designated_year", "status", "status_name", "revoked_on",
    "revocation_ground", "notice_id",
    # 公示公告 and their lists
    "title", "call_id", "call_year", "starts_on", "ends_on", "working_days", "issuer",
    "issued_on", "entries", "position", "center_name", "unit_name", "field_name",
    "department_name",
    # 申报通知
    "year", "opens_at", "closes_at", "district_review_deadline", "industry_fields",
    "policy_title", "policy_document_number", "policy_effective_from", "policy_effective_until",
}
ALLOWED_PARAMETERS = {"page", "page_size", "status", "field", "department", "year"}
# Belt and braces: names that would be private whatever the allow-list says.
PRIVATE_NAME = re.compile(
    r"contact|phone|mail|uscc|credit|score|grade|expert|objection|objector|real_name|address|"
    r"longitude|latitude|note|remov|director|password|user|created_by|(^|_)ip(_|$)|facts",
    re.IGNORECASE)


def _get(url, params=None):
    response = Client().get(url, params or {})
    return response, json.loads(response.content)


@pytest.fixture
def world(commission_staff):
    return open_world(commission_staff)


@pytest.fixture
def schema(db):
    response = Client().get(SCHEMA)
    assert response.status_code == 200
    return json.loads(response.content)


# --- the schema walk --------------------------------------------------------------------------

def _deref(document, node):
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        target = document
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
        seen += 1
        assert seen < 20, "a $ref loop"
    return node


def _properties(document, node, found, path=()):
    """Every property name reachable from `node`, with the path to it."""
    node = _deref(document, node)
    if not isinstance(node, dict):
        return
    for name, sub in node.get("properties", {}).items():
        found.append((name, "/".join((*path, name))))
        _properties(document, sub, found, (*path, name))
    for key in ("items", "additionalProperties", "not"):
        if isinstance(node.get(key), dict):
            _properties(document, node[key], found, (*path, key))
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in node.get(key, []):
            _properties(document, sub, found, path)


def test_every_property_and_parameter_of_every_path_is_allowed(schema):
    properties, parameters = [], []
    assert set(schema["paths"]) == {CENTERS, NOTICES, CALLS}
    for route, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert method == "get", f"{route} answers {method}: the open data is read-only"
            parameters += [(p["name"], route) for p in operation.get("parameters", [])]
            assert "requestBody" not in operation
            for status, answer in operation["responses"].items():
                for media in answer.get("content", {}).values():
                    _properties(schema, media["schema"], properties, (route, status))
    assert properties, "the walk found no property: it is broken"
    outside = sorted({path for name, path in properties if name not in ALLOWED_PROPERTIES})
    assert outside == [], f"properties outside the allow-list: {outside}"
    private = sorted({path for name, path in properties if PRIVATE_NAME.search(name)})
    assert private == [], f"private-looking properties: {private}"
    assert {name for name, _ in parameters} <= ALLOWED_PARAMETERS, parameters
    # The components too: nothing unreachable but present hides there.
    loose = []
    for component in schema["components"]["schemas"].values():
        _properties(schema, component, loose)
    assert {name for name, _ in loose} <= ALLOWED_PROPERTIES


def test_the_walk_catches_a_property_outside_the_allow_list():
    document = {"components": {"schemas": {"X": {"properties": {"objector_phone": {}}}}}}
    found = []
    _properties(document, {"type": "array", "items": {"$ref": "#/components/schemas/X"}}, found)
    assert found == [("objector_phone", "items/objector_phone")]
    assert PRIVATE_NAME.search("objector_phone") and "objector_phone" not in ALLOWED_PROPERTIES


def test_the_schema_describes_every_field_in_chinese(schema):
    for name, component in schema["components"]["schemas"].items():
        for prop, spec in component.get("properties", {}).items():
            if name.startswith("Paginated"):
                assert re.search(r"[\u4e00-\u9fff]", spec.get("description", "")), (name, prop)
                continue
            assert re.search(r"[\u4e00-\u9fff]", spec.get("title", "")), (name, prop)
            assert re.search(r"[\u4e00-\u9fff]", spec.get("description", "")), (name, prop)


@pytest.mark.parametrize("slug", ["centers", "notices", "calls"])
def test_the_answers_carry_exactly_the_documented_properties(world, schema, slug):
    response, body = _get(reverse(f"open_data_{slug}-list"))
    assert response.status_code == 200 and body["results"]
    component = schema["components"]["schemas"][DATASETS[slug].serializer.__name__[:-10]]
    for row in body["results"]:
        assert set(row) == set(component["properties"])
        for entry in row.get("entries", []):
            assert set(entry) == set(schema["components"]["schemas"]["OpenNoticeEntry"]
                                     ["properties"])


# --- what each list shows -------------------------------------------------------------------

def test_the_centers_list_shows_active_and_revoked_centers_with_the_published_ground(world):
    response, body = _get(CENTERS)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert body["count"] == 3
    by_name = {row["name"]: row for row in body["results"]}
    revoked = by_name[world["revoked"].name]
    assert revoked | {"id": 0} == {
        "id": 0, "name": world["revoked"].name, "lead_unit_name": world["revoked"].lead_unit_name,
        "joint_unit_name": "", "industry_field": "智能家电", "department": "即墨区发展和改革局",
        "designated_on": "2023-07-01", "designated_year": 2023, "status": "revoked",
        "status_name": "已撤销", "revoked_on": "2026-03-01", "revocation_ground": "主动申请撤销认定",
        "notice_id": world["finalised"].pk}
    active = by_name[world["active"].name]
    assert (active["status"], active["status_name"], active["revoked_on"],
            active["revocation_ground"], active["department"]) == ("active", "有效", None, "",
                                                                   "崂山区发展和改革局")
    assert by_name[world["city"].name]["department"] == "市直"


@pytest.mark.parametrize(("params", "expected"), [
    ({"status": "active"}, {"active", "city"}),
    ({"status": "revoked"}, {"revoked"}),
    ({"field": "智能家电"}, {"revoked"}),
    ({"field": "人工智能", "department": "崂山区"}, {"active"}),
    ({"department": "市直"}, {"city"}),
    ({"department": "崂山区发展和改革局"}, {"active"}),
    ({"department": "不存在的区"}, set()),
    ({"year": "2023"}, {"revoked"}),
    ({"year": 2024, "status": "active"}, {"active", "city"}),
])
def test_the_centers_filters(world, params, expected):
    response, body = _get(CENTERS, params)
    assert response.status_code == 200
    assert {row["name"] for row in body["results"]} == {world[k].name for k in expected}
    assert body["count"] == len(expected)


def test_pagination_pages_through_every_center_once(world):
    seen = []
    url, params = CENTERS, {"page_size": 2}
    response, body = _get(url, params)
    assert body["count"] == 3 and body["previous"] is None
    seen += body["results"]
    assert body["next"].endswith(f"{CENTERS}?page=2&page_size=2")
    response, body = _get(CENTERS, {"page": 2, "page_size": 2})
    seen += body["results"]
    assert body["next"] is None and body["previous"]
    assert sorted(row["id"] for row in seen) == sorted(Center.objects.values_list("pk", flat=True))
    # Ordered: newest designation first.
    assert seen[-1]["id"] == world["revoked"].pk
    # page_size beyond the maximum is the maximum, not an error.
    assert _get(CENTERS, {"page_size": 1000})[1]["count"] == 3


@pytest.mark.parametrize(("params", "status", "key"), [
    ({"page": 99}, 404, "detail"),
    ({"page": "abc"}, 404, "detail"),
    ({"page": 0}, 404, "detail"),
    ({"stauts": "active"}, 400, "detail"),
    # `format` chooses a renderer and only JSON is offered: not found, as JSON.
    ({"format": "xml"}, 404, "detail"),
    ({"year": "二〇二四"}, 400, "year"),
    ({"year": "99999999999999999999"}, 400, "year"),
    ({"year": "1900"}, 400, "year"),
    ({"status": "deleted"}, 400, "status"),
    ({"field": "人工\x00智能"}, 400, "field"),
])
def test_bad_queries_are_clean_json_refusals(world, params, status, key):
    response, body = _get(CENTERS, params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert key in body
    text = json.dumps(body, ensure_ascii=False)
    assert re.search(r"[\u4e00-\u9fff]", text), text  # explained in Chinese


def test_unknown_parameters_are_named_in_the_refusal(world):
    response, body = _get(NOTICES, {"contact": "1", "page": 1})
    assert response.status_code == 400
    assert "contact" in body["detail"] and "status" in body["detail"]


def test_notices_are_published_ones_with_their_lists_and_nothing_of_the_objection(world):
    response, body = _get(NOTICES)
    assert [n["title"] for n in body["results"]] == ["2026年度拟认定名单公示", "2024年度拟认定名单公示"]
    published = body["results"][0]
    assert (published["status"], published["status_name"], published["call_year"]) == (
        "published", "公示中", 2026)
    # The removed entry is listed as the notice published it: removal is the objection's.
    assert [e["position"] for e in published["entries"]] == [1, 2]
    assert published["entries"][0] == {
        "position": 1, "center_name": "公示赋能中心1", "unit_name": "公示单位1",
        "joint_unit_name": "", "field_name": "人工智能", "department_name": "崂山区"}
    assert _get(NOTICES, {"status": "finalised"})[1]["count"] == 1
    assert _get(NOTICES, {"year": 2026})[1]["results"][0]["id"] == world["published"].pk
    assert _get(NOTICES, {"status": "draft"})[0].status_code == 400


def test_calls_are_published_and_closed_ones_with_their_policy(world):
    response, body = _get(CALLS)
    from applications.models import Call

    assert body["count"] == Call.objects.exclude(status="draft").count() >= 2
    by_year = {}
    for row in body["results"]:
        by_year.setdefault(row["year"], row)
    current = by_year[2026]
    assert current["status"] == "published" and current["status_name"] == "已发布"
    assert current["industry_fields"] == ["智能家电", "人工智能"] or set(
        current["industry_fields"]) == {"智能家电", "人工智能"}
    assert (current["policy_title"], current["policy_document_number"],
            current["policy_effective_from"], current["policy_effective_until"]) == (
        "青岛市重点产业数字化转型赋能中心管理办法（试行）", "青发改规〔2024〕1号", "2024-01-01", None)
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d.*\+08:00$", current["opens_at"])
    assert 2027 not in by_year
    assert {r["year"] for r in _get(CALLS, {"status": "published"})[1]["results"]} == {2026}
    assert {r["year"] for r in _get(CALLS, {"field": "智能家电", "year": 2026})[1]["results"]} == {
        2026}


@pytest.mark.parametrize("url", [CENTERS, NOTICES, CALLS])
def test_nothing_private_in_any_answer(world, url):
    text = json.dumps(_get(url, {"page_size": 100})[1], ensure_ascii=False)
    assert [s for s in SECRETS if s in text] == []


# --- no session, no CSRF, read-only -----------------------------------------------------------

def test_the_api_ignores_sessions_and_csrf(world, applicant_a):
    anonymous = Client().get(CENTERS)
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(applicant_a)
    answer = signed_in.get(CENTERS)
    assert answer.status_code == 200 and answer.content == anonymous.content
    assert "sessionid" not in anonymous.cookies and "csrftoken" not in anonymous.cookies
    # A write is refused as a method the API does not have (not as a CSRF failure).
    for method in ("post", "put", "patch", "delete"):
        refused = getattr(signed_in, method)(CENTERS)
        assert refused.status_code == 405, method
        assert refused["Content-Type"] == "application/json"


# --- fixed query counts -----------------------------------------------------------------------

@pytest.mark.parametrize("rows", [1, 30])
def test_the_lists_read_a_fixed_number_of_queries(commission_staff, rows,
                                                  django_assert_max_num_queries):
    notice = notice_make(commission=commission_staff)
    centers_make(notice, rows)
    for _ in range(rows - 1):  # as many notices as centers, each with its list
        other = notice_make(commission=commission_staff)
        centers_make(other, 1, status="revoked")
    for url, most in ((CENTERS, 2), (NOTICES, 3), (CALLS, 3)):
        with django_assert_max_num_queries(most):
            response = Client().get(url)
        assert response.status_code == 200
        assert json.loads(response.content)["count"] >= rows
    for slug in DATASETS:
        with django_assert_max_num_queries(3):
            body = b"".join(Client().get(reverse("open_data_csv", args=[slug]))
                            .streaming_content)
        assert body.count(b"\n") > rows
        with django_assert_max_num_queries(3):
            response = Client().get(reverse("open_data_xlsx", args=[slug]))
            b"".join(response.streaming_content)
    with django_assert_max_num_queries(0):
        assert Client().get(reverse("open_data_dictionary")).status_code == 200


# --- the files ---------------------------------------------------------------------------------

def _csv(slug):
    response = Client().get(reverse("open_data_csv", args=[slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx(slug):
    response = Client().get(reverse("open_data_xlsx", args=[slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(data)
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("read", [_csv, _xlsx], ids=["csv", "xlsx"])
def test_the_files_hold_the_same_data_as_the_api(world, read):
    centers = read("centers")
    labels = [c.label for c in file_columns(DATASETS["centers"])]
    assert centers[0] == labels and labels[:2] == ["赋能中心编号", "赋能中心名称"]
    api = _get(CENTERS)[1]["results"]
    assert [str(row[0]) for row in centers[1:]] == [str(r["id"]) for r in api]
    revoked = next(row for row in centers[1:] if str(row[0]) == str(world["revoked"].pk))
    assert "已撤销" in revoked and "主动申请撤销认定" in revoked and "2026-03-01" in revoked

    notices = read("notices")
    header = notices[0]
    assert "公示名单" not in header and {"标题", "序号", "赋能中心名称", "承建单位"} <= set(header)
    # One row per entry: the 2026 notice's two, the 2024 notice's three.
    assert len(notices) == 1 + 2 + 3
    title = header.index("标题")
    assert [row[title] for row in notices[1:]].count("2026年度拟认定名单公示") == 2

    calls = read("calls")
    fields = calls[0].index("重点产业领域")
    assert any(set(row[fields].split("、")) == {"智能家电", "人工智能"} for row in calls[1:])
    assert len(calls) == 1 + _get(CALLS)[1]["count"]

    everything = json.dumps([centers, notices, calls], ensure_ascii=False, default=str)
    assert [s for s in SECRETS if s in everything] == []


def test_a_typed_text_starting_with_an_equals_sign_stays_text_in_the_xlsx(world):
    # Names are typed by the units: opened in Excel or WPS, a leading "=" must not run as a
    # formula (the portal's other exports keep such texts as text too).
    Center.objects.filter(pk=world["revoked"].pk).update(
        lead_unit_name='=HYPERLINK("http://example.com","点此")')
    response = Client().get(reverse("open_data_xlsx", args=["centers"]))
    data = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK")]
    assert len(cells) == 1 and cells[0].data_type == "s"


def test_a_typed_text_starting_as_a_formula_is_quoted_in_the_csv(world):
    Center.objects.filter(pk=world["revoked"].pk).update(
        lead_unit_name='=HYPERLINK("http://example.com","点此")')
    response = Client().get(reverse("open_data_csv", args=["centers"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows for cell in row if "HYPERLINK" in cell]
    assert cells == ['\'=HYPERLINK("http://example.com","点此")']


def test_an_unknown_dataset_is_the_portals_not_found_page(db):
    for name in ("open_data_csv", "open_data_xlsx"):
        response = Client().get(reverse(name, args=["objections"]))
        assert response.status_code == 404 and "页面不存在" in response.content.decode()


# --- the dictionary page -----------------------------------------------------------------------

def test_the_dictionary_names_every_field_and_links_the_api_schema_and_files(db):
    response = Client().get(reverse("open_data_dictionary"))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"http://testserver{SCHEMA}" in page
    for slug, dataset in DATASETS.items():
        assert dataset.title in page
        assert f"http://testserver{reverse(f'open_data_{slug}-list')}" in page
        assert reverse("open_data_csv", args=[slug]) in page
        assert reverse("open_data_xlsx", args=[slug]) in page
        for column in dataset_columns(dataset):
            assert f"<code>{column.identifier}</code>" in page
            assert column.label in page and column.meaning in page
        for name in dataset.filterset.base_filters:
            assert f"<code>{name}</code>" in page
    assert "<code>revoked</code>＝已撤销" in page


def test_the_public_navigation_links_the_dictionary(db):
    page = Client().get(reverse("home")).content.decode()
    assert f'href="{reverse("open_data_dictionary")}">开放数据' in page
