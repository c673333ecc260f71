"""The commission's list of all applications, its filters and its Excel export (list and admin)."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import OrganisationKind, Role
from applications import admin as application_admin
from applications import services
from applications.enums import ApplicationStatus, AttachmentKind, DocumentStatus
from applications.exporters import application_export_headers, application_export_rows
from applications.filters import DIRECT_TO_COMMISSION
from applications.forms import CenterForm, GoalsForm, PlanForm, ServiceForm, UnitForm
from applications.models import Application, ApplicationExport, ApplicationUnit, IndustryField
from config.celery import app as celery_app
from core.models import AuditEvent
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    OrganisationFactory,
    department,
    staff,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
S = ApplicationStatus
_TRAIT = {S.SUBMITTED: "submitted", S.RETURNED: "returned", S.DRAFT: "complete"}


def staff_application(call, organisation, *, status=S.SUBMITTED, field="智能家电",
                      attachments=0, **fields):
    """A complete application in `status` (routed once submitted) with `attachments` case files."""
    return ApplicationFactory(**{_TRAIT[status]: True}, call=call, organisation=organisation,
                              industry_field=IndustryField.objects.get(name=field),
                              attachments=[AttachmentKind.CASE] * attachments, **fields)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def call_2026(db):
    return CallFactory(closed=True, title="关于组织申报2026年度青岛市重点产业数字化转型赋能中心的通知")


@pytest.fixture
def call_2025(db):
    return CallFactory(closed=True, year=2025,
                       title="关于组织申报2025年度青岛市重点产业数字化转型赋能中心的通知")


@pytest.fixture
def city_institute(db):
    return OrganisationFactory(name="青岛市人工智能研究院", is_city_level=True,
                               competent_department=None, kind=OrganisationKind.RESEARCH_INSTITUTE)


@pytest.fixture
def applications(call_2026, call_2025, org_a, org_b, city_institute, applicant_a, jimo):
    """Four applications that differ in call, field, district and status."""
    drafting_org = OrganisationFactory(name="青岛城阳轨道装备有限公司",
                                       competent_department=department("城阳区"))
    return {
        # 崂山区, 智能家电, submitted, with a joint unit and two attachments
        "laoshan": staff_application(
            call_2026, org_a, created_by=applicant_a, field="智能家电",
            center_name="青岛市智能家电产业数字化转型赋能中心",
            joint=True, joint_unit__name="青岛海尔卡奥斯联合科技有限公司", attachments=2),
        # 即墨区, 人工智能, returned for revision
        "jimo": staff_application(
            call_2026, org_b, created_by=applicant_a, status=S.RETURNED, field="人工智能",
            center_name="即墨纺织服装人工智能赋能中心"),
        # 市直: straight to the commission, last year's call
        "direct": staff_application(
            call_2025, city_institute, created_by=applicant_a, field="人工智能",
            center_name="青岛市人工智能赋能中心"),
        # a draft, never routed
        "draft": staff_application(
            call_2026, drafting_org, created_by=applicant_a, status=S.DRAFT, field="智能家电",
            center_name="城阳轨道交通装备赋能中心"),
    }


def listed(client, **params):
    response = client.get(reverse("applications:staff_list"), params)
    assert response.status_code == 200
    return {a.pk for a in response.context["page"].object_list}


def pks(applications, *keys):
    return {applications[key].pk for key in keys}


# The list and its filters -------------------------------------------------------------------

def test_the_list_shows_every_application_with_its_columns(role_client, applications):
    client = role_client("commission_staff")

    response = client.get(reverse("applications:staff_list"))

    assert {a.pk for a in response.context["page"].object_list} == pks(applications, *applications)
    page = response.content.decode()
    thead = page[page.index("<thead>"):page.index("</thead>")]
    for heading in ("单位", "中心名称", "领域", "主管部门/直报", "状态", "提交时间", "附件数"):
        assert f"<th>{heading}</th>" in thead or f'end">{heading}</th>' in thead, heading
    assert "青岛海智工业互联网有限公司" in page
    assert reverse("applications:detail", args=[applications["laoshan"].pk]) in page
    assert "直报市发展改革委" in page
    assert "导出 Excel" in page


@pytest.mark.parametrize("param, value, expected", [
    ("call", "call_2025", ["direct"]),
    ("industry_field", "人工智能", ["jimo", "direct"]),
    ("district", "崂山区", ["laoshan"]),
    ("district", "即墨区", ["jimo"]),
    ("district", DIRECT_TO_COMMISSION, ["direct"]),
    ("status", S.RETURNED, ["jimo"]),
    ("status", S.DRAFT, ["draft"]),
])
def test_each_filter_narrows_the_list(role_client, applications, call_2025, param, value,
                                      expected):
    if value == "call_2025":
        value = call_2025.pk
    elif param == "industry_field":
        value = applications["direct"].industry_field_id
    elif param == "district" and value != DIRECT_TO_COMMISSION:
        value = department(value).pk

    assert listed(role_client("commission_staff"), **{param: value}) == pks(applications,
                                                                             *expected)


def test_filters_combine(role_client, applications, call_2026):
    client = role_client("commission_staff")

    found = listed(client, call=call_2026.pk, status=S.SUBMITTED,
                   industry_field=applications["laoshan"].industry_field_id)

    assert found == pks(applications, "laoshan")


@pytest.mark.parametrize("q, expected", [
    ("智能家电产业", ["laoshan"]),                  # center name
    ("即墨纺织数字科技", ["jimo"]),                 # organisation name
    ("人工智能", ["jimo", "direct"]),               # center names of two
    ("卡奥斯联合", ["laoshan"]),                    # the joint unit's name
    ("  城阳轨道  ", ["draft"]),                     # spaces around the words are ignored
    ("没有这个单位", []),
])
def test_text_search(role_client, applications, q, expected):
    assert listed(role_client("commission_staff"), q=q) == pks(applications, *expected)


def test_text_search_finds_a_unified_social_credit_code(role_client, applications, org_b):
    client = role_client("commission_staff")

    assert listed(client, q=org_b.uscc) == pks(applications, "jimo")
    assert listed(client, q=org_b.uscc[-8:].lower()) == pks(applications, "jimo")


def test_an_invalid_filter_value_is_reported_not_a_500(role_client, applications):
    response = role_client("commission_staff").get(reverse("applications:staff_list"),
                                                   {"status": "approved-by-magic"})

    assert response.status_code == 200
    assert response.context["filter"].form.errors["status"]


def test_the_list_is_paginated_by_fifty(role_client, call_2026, applicant_a, laoshan):
    for n in range(51):
        staff_application(call_2026, OrganisationFactory(competent_department=laoshan),
                          created_by=applicant_a)
    client = role_client("commission_staff")

    first = client.get(reverse("applications:staff_list"), {"district": laoshan.pk})
    second = client.get(reverse("applications:staff_list"), {"district": laoshan.pk, "page": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 1
    assert f"?district={laoshan.pk}&page=2" in first.content.decode()


# Session, user, roles, unread notifications, the filter form's three choice lists (calls,
# fields, departments), row count, rows, my recent exports, session save (3). Fixed, whatever
# the number of rows.
STAFF_LIST_QUERIES = 13


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("applications:staff_list"))
    assert response.status_code == 200
    return len(queries), response


def test_the_staff_list_costs_the_same_queries_for_1_and_30_rows(
    role_client, call_2026, applicant_a, laoshan, django_assert_max_num_queries
):
    client = role_client("commission_staff")
    client.get(reverse("applications:staff_list"))  # settles the session
    staff_application(call_2026, OrganisationFactory(competent_department=laoshan),
                      created_by=applicant_a, joint=True, attachments=1)
    with django_assert_max_num_queries(STAFF_LIST_QUERIES):
        one, response = _list_queries(client)
    assert len(response.context["page"].object_list) == 1

    for n in range(29):
        staff_application(call_2026, OrganisationFactory(competent_department=laoshan),
                          created_by=applicant_a, joint=True, attachments=2)
    with django_assert_max_num_queries(STAFF_LIST_QUERIES):
        thirty, response = _list_queries(client)
    assert len(response.context["page"].object_list) == 30

    assert one == thirty


def test_the_export_rows_cost_the_same_queries_for_1_and_30_applications(
    call_2026, applicant_a, laoshan, django_assert_num_queries
):
    staff_application(call_2026, OrganisationFactory(competent_department=laoshan),
                      created_by=applicant_a, joint=True, attachments=1)
    # The applications with their call and both units joined, in one query; the names of the
    # 主管部门 and 产业方向 they refer to.
    with django_assert_num_queries(3):
        assert len(list(application_export_rows(Application.objects.all()))) == 2

    for n in range(29):
        staff_application(call_2026, OrganisationFactory(competent_department=laoshan),
                          created_by=applicant_a, joint=True, attachments=2)
    with django_assert_num_queries(3):
        assert len(list(application_export_rows(Application.objects.all()))) == 31


# The Excel export ---------------------------------------------------------------------------

def _form_labels() -> list[str]:
    """The label of every field of the 申报表 forms, as the applicant saw it."""
    labels = [str(ApplicationUnit._meta.get_field(name).verbose_name)
              for name in UnitForm.Meta.fields]
    for form in (CenterForm, ServiceForm, GoalsForm, PlanForm):
        labels += [str(Application._meta.get_field(name).verbose_name)
                   for name in form.Meta.fields]
    return labels


def read_xlsx(content: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return sheet, rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]


def export_through_the_page(client, captured, **params):
    with captured(execute=True):
        response = client.post(reverse("applications:staff_export"), params)
    assert response.status_code == 302
    export = ApplicationExport.objects.latest("pk")
    assert response.url == reverse("applications:export_detail", args=[export.pk])
    return export


@pytest.mark.usefixtures("celery_eager")
def test_the_export_holds_every_form_field_and_one_row_per_filtered_application(
    role_client, applications, call_2026, django_capture_on_commit_callbacks
):
    client = role_client("commission_staff")

    export = export_through_the_page(client, django_capture_on_commit_callbacks,
                                     call=call_2026.pk, status=S.SUBMITTED)

    export.refresh_from_db()
    assert export.status == DocumentStatus.READY
    assert export.row_count == 1
    detail = client.get(reverse("applications:export_detail", args=[export.pk])).content.decode()
    assert "已生成" in detail and "共 1 项申报" in detail
    assert "申报通知：" + call_2026.title in detail and "状态：已提交" in detail
    download = client.get(reverse("applications:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX
    assert download["Content-Disposition"].startswith("attachment;")
    sheet, header, rows = read_xlsx(b"".join(download.streaming_content))

    for label in _form_labels():
        assert any(label in heading for heading in header), label
    for heading in ("申报通知", "状态", "报送去向", "提交时间", "承建主体：单位名称",
                    "承建主体：研发投入占营业收入比例（%）", "联合承建主体：统一社会信用代码",
                    "五、建设目标：（一）关键技术突破（项）", "五、建设目标：关键技术突破简述",
                    "建设方案：一（一）单位概况（含联合申报单位情况）",
                    "建设方案：四（三）经济社会效益说明",
                    "承建单位承诺时间", "联合申报单位承诺时间", "附件数量"):
        assert heading in header, heading
    assert header == application_export_headers()
    assert len(rows) == 1
    row = rows[0]
    application = applications["laoshan"]
    assert row["系统编号"] == application.pk
    assert row["赋能中心名称"] == "青岛市智能家电产业数字化转型赋能中心"
    assert row["状态"] == "已提交"
    assert row["报送去向"] == application.routed_department.name
    assert row["承建主体：统一社会信用代码"] == application.organisation.uscc
    assert row["承建主体：在青岛市注册"] == "是"
    assert row["承建主体：研发投入占营业收入比例（%）"] == pytest.approx(7.5)
    assert row["联合承建主体：单位名称"] == "青岛海尔卡奥斯联合科技有限公司"
    assert row["五、建设目标：（二）应用场景落地（个）"] == application.goal_scenarios == 21
    assert row["五、建设目标：应用场景落地简述"] == application.goal_scenarios_note
    assert row["产业方向/领域"] == "智能家电"
    assert row["赋能中心负责人邮箱"] == application.director_email
    assert row["附件数量"] == 2
    assert row["提交时间"] is not None and row["承建单位承诺时间"] is not None
    # Header: bold and frozen.
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"


@pytest.mark.usefixtures("celery_eager")
def test_the_export_without_filters_holds_all_applications(
    role_client, applications, django_capture_on_commit_callbacks
):
    client = role_client("commission_staff")

    export = export_through_the_page(client, django_capture_on_commit_callbacks)

    export.refresh_from_db()
    _, _, rows = read_xlsx(export.file.read())
    assert {row["系统编号"] for row in rows} == pks(applications, *applications)
    draft = next(row for row in rows if row["系统编号"] == applications["draft"].pk)
    assert draft["报送去向"] is None and draft["联合承建主体：单位名称"] is None


def test_the_export_task_is_registered_with_celery():
    celery_app.loader.import_default_modules()
    assert "applications.tasks.build_application_export" in celery_app.tasks


@pytest.mark.usefixtures("celery_eager")
def test_applicant_text_that_looks_like_a_formula_stays_text(
    role_client, call_2026, org_a, applicant_a, django_capture_on_commit_callbacks
):
    staff_application(call_2026, org_a, created_by=applicant_a,
                      center_name='=HYPERLINK("http://evil.example","点击")',
                      service_summary="第一行\x0b第二行")
    export = export_through_the_page(role_client("commission_staff"),
                                     django_capture_on_commit_callbacks)

    export.refresh_from_db()
    sheet, header, rows = read_xlsx(export.file.read())
    column = header.index("赋能中心名称") + 1
    assert sheet.cell(row=2, column=column).data_type == "s"
    assert rows[0]["赋能中心名称"] == '=HYPERLINK("http://evil.example","点击")'
    assert "第一行第二行" in next(v for k, v in rows[0].items() if k.startswith("三、"))


def test_the_export_page_says_it_is_being_made_until_ready(role_client, applications):
    client = role_client("commission_staff")
    # Not committed, so not queued yet: the export is still pending.
    response = client.post(reverse("applications:staff_export"), {"status": S.SUBMITTED})
    export = ApplicationExport.objects.get()

    page = client.get(response.url).content.decode()

    assert export.status == DocumentStatus.PENDING
    assert "正在生成" in page and 'http-equiv="refresh"' in page
    assert client.get(reverse("applications:export_download",
                              args=[export.pk])).status_code == 404


def test_the_export_request_is_recorded_in_the_audit_log(role_client, applications):
    role_client("commission_staff").post(reverse("applications:staff_export"),
                                         {"status": S.SUBMITTED, "q": "中心"})
    export = ApplicationExport.objects.get()

    event = AuditEvent.objects.get(action="application.export_request")
    assert event.object_id == str(export.pk)
    assert event.after == {"status": S.SUBMITTED, "q": "中心"} == export.params


def test_an_invalid_filter_is_refused_not_exported(role_client, applications):
    client = role_client("commission_staff")

    response = client.post(reverse("applications:staff_export"), {"status": "nonsense"})

    assert response.status_code == 302
    assert response.url == reverse("applications:staff_list")
    assert not ApplicationExport.objects.exists()


def test_only_the_commission_may_request_an_export(applicant_a, official_laoshan):
    for actor in (applicant_a, official_laoshan):
        with pytest.raises(PermissionDenied):
            services.application_export_request(actor=actor, params={})
    assert not ApplicationExport.objects.exists()


@pytest.mark.usefixtures("celery_eager")
def test_the_rows_follow_what_the_requester_may_see_when_built(
    commission_staff, applications, django_capture_on_commit_callbacks
):
    """An export queued by someone who has since lost the commission role holds nothing."""
    export = services.application_export_request(actor=commission_staff, params={})
    commission_staff.role_assignments.all().delete()
    del commission_staff._role_assignments_cache

    services.application_export_build(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == DocumentStatus.READY and export.row_count == 0


# Who may do what ----------------------------------------------------------------------------

@pytest.fixture
def ready_export(commission_staff, applications, celery_eager,
                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = services.application_export_request(actor=commission_staff, params={})
    export.refresh_from_db()
    assert export.status == DocumentStatus.READY
    return export


def _requests(export):
    return [
        ("get", reverse("applications:staff_list")),
        ("post", reverse("applications:staff_export")),
        ("get", reverse("applications:export_detail", args=[export.pk])),
        ("get", reverse("applications:export_download", args=[export.pk])),
    ]


@pytest.mark.parametrize("role", ["applicant", "district_official", "expert", "auditor",
                                  "industry_staff", "third_party_staff"])
def test_other_roles_are_refused(role_client, ready_export, role):
    client = role_client(role)
    for method, url in _requests(ready_export):
        assert getattr(client, method)(url).status_code == 403, url
    assert ApplicationExport.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(role_client, ready_export):
    client = role_client("anonymous")
    for method, url in _requests(ready_export):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login") + "?next="), url


def test_another_commission_user_may_download_the_export(client, commission, ready_export):
    colleague = staff(Role.COMMISSION_STAFF, commission, username="commission_staff_2")
    client.force_login(colleague)

    response = client.get(reverse("applications:export_download", args=[ready_export.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX


def test_the_commission_dashboard_links_to_the_list(role_client):
    page = role_client("commission_staff").get(reverse("dashboard_commission")).content.decode()
    assert reverse("applications:staff_list") in page


# The same in admin --------------------------------------------------------------------------

@pytest.fixture
def admin_client_of_commission(client, commission_staff):
    commission_staff.is_staff = True
    commission_staff.save(update_fields=["is_staff"])
    client.force_login(commission_staff)
    return client


def _admin_export(client, applications):
    return client.post(reverse("admin:applications_application_changelist"), {
        "action": "export_applications",
        "_selected_action": [a.pk for a in applications],
    })


@pytest.mark.usefixtures("celery_eager")
def test_the_admin_action_exports_the_same_rows_as_the_staff_export(
    admin_client_of_commission, applications, django_capture_on_commit_callbacks
):
    chosen = [applications["laoshan"], applications["direct"]]

    response = _admin_export(admin_client_of_commission, chosen)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    _, admin_header, admin_rows = read_xlsx(response.content)
    export = export_through_the_page(admin_client_of_commission,
                                     django_capture_on_commit_callbacks)
    export.refresh_from_db()
    _, header, rows = read_xlsx(export.file.read())
    assert admin_header == header
    assert admin_rows == [row for row in rows if row["系统编号"] in {a.pk for a in chosen}]
    assert AuditEvent.objects.filter(action="application.export").exists()


@pytest.mark.usefixtures("celery_eager")
def test_a_large_admin_selection_is_built_in_the_background(
    admin_client_of_commission, applications, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(application_admin, "ADMIN_DIRECT_EXPORT_LIMIT", 1)
    chosen = [applications["jimo"], applications["draft"]]

    with django_capture_on_commit_callbacks(execute=True):
        response = _admin_export(admin_client_of_commission, chosen)

    assert response.status_code == 302
    export = ApplicationExport.objects.get()
    export.refresh_from_db()
    assert export.status == DocumentStatus.READY and export.row_count == 2
    _, _, rows = read_xlsx(export.file.read())
    assert {row["系统编号"] for row in rows} == {a.pk for a in chosen}
    detail = admin_client_of_commission.get(
        reverse("applications:export_detail", args=[export.pk])).content.decode()
    assert "管理后台选中的 2 项申报" in detail


def test_the_admin_action_is_offered_only_to_the_commission(client, official_laoshan,
                                                            applications):
    official_laoshan.is_staff = True
    official_laoshan.save(update_fields=["is_staff"])
    client.force_login(official_laoshan)

    response = _admin_export(client, [applications["laoshan"]])

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="application.export").exists()


def test_the_filter_choices_are_kept_until_a_call_field_or_department_changes(
        role_client, applications):
    """The calls, fields and 主管部门 of the filter form are read once and kept
    (core.caching.choices_kept); a new or renamed one shows on the next request."""
    from accounts.enums import COMPETENT_DEPARTMENT_KINDS
    from tests.factories import CallFactory, DepartmentFactory

    client = role_client("commission_staff")
    url = reverse("applications:staff_list")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert 'FROM "applications_call"' not in read
    assert 'FROM "applications_industryfield"' not in read
    assert 'FROM "accounts_department"' not in read
    CallFactory(title="新增的申报通知")
    IndustryField.objects.create(name="新增领域", sort_order=99)
    department = DepartmentFactory(name="新增主管部门", kind=COMPETENT_DEPARTMENT_KINDS[0])
    page = client.get(url).content.decode()
    assert "新增的申报通知" in page and "新增领域" in page and "新增主管部门" in page
    department.name = "改名的主管部门"
    department.save()
    assert "改名的主管部门" in client.get(url).content.decode()
