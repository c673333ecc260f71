"""The 主管部门's supervision (第十一条) and the data duties (第十四条): the district sees only
its centers; periods; the report saved as draft, submitted once, read-only after; reminders
once per threshold and overdue marking once; the commission's overview; the data pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from centers import supervision
from centers.models import (
    Center,
    DataAgreement,
    DataSelfCheck,
    OperationAssessment,
    OperationReport,
    Plaque,
    ServiceRecord,
    SupervisionPeriod,
)
from centers.supervision import SupervisionError
from core.audit import AuditEvent
from core.models import Notification
from core.workdays import working_days_between
from tests.factories import ApplicationFactory

from ..permission_table import TABLE  # noqa: F401  (loads the row modules in their order)
from .permission_rows import _notice

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class _World:
    def __init__(self, commission_staff):
        self.commission_staff = commission_staff

    def user(self, key):
        return self.commission_staff


@pytest.fixture
def notice_pk(commission_staff):
    return _notice(_World(commission_staff), "finalised")["pk"]


@pytest.fixture
def make_center(notice_pk):
    from centers.models import PublicNotice

    notice = PublicNotice.objects.get(pk=notice_pk)

    def make(department, *, organisation=None, name=None, status="active",
             designated_on=datetime.date(2026, 3, 1)):
        extra = {"organisation": organisation} if organisation is not None else {}
        application = ApplicationFactory(call=notice.call, complete=True, status="proposed",
                                         **extra)
        count = Center.objects.count()
        center = Center.objects.create(
            application=application, notice=notice, name=name or f"测试赋能中心{count + 1:02d}",
            lead_unit_name="测试单位", designated_on=designated_on, department=department,
            status=status)
        Plaque.objects.create(center=center, number=f"青数赋-2026-{count + 1:03d}",
                              token=f"{count:032d}", issued_on=designated_on)
        return center

    return make


@pytest.fixture
def period(commission_staff):
    return SupervisionPeriod.objects.create(
        name="2026年上半年", starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 6, 30), due_on=datetime.date(2026, 7, 15),
        created_by=commission_staff)


def _record(center, user, on, title="培训"):
    return ServiceRecord.objects.create(center=center, kind="training", occurred_on=on,
                                        title=title, created_by=user)


# --- the district's centers ------------------------------------------------------------------

def test_the_district_sees_only_its_centers_with_plaque_and_this_years_records(
        make_center, laoshan, jimo, official_laoshan, role_client):
    mine = make_center(laoshan, name="崂山工业互联网赋能中心")
    make_center(jimo, name="即墨纺织赋能中心")
    year = timezone.localdate().year
    _record(mine, official_laoshan, datetime.date(year, 1, 5))
    _record(mine, official_laoshan, datetime.date(year, 2, 5))
    _record(mine, official_laoshan, datetime.date(year - 1, 12, 5))
    rows = list(supervision.district_centers(official_laoshan))
    assert [r["name"] for r in rows] == ["崂山工业互联网赋能中心"]
    assert rows[0]["records_this_year"] == 2
    assert rows[0]["latest_record_on"] == datetime.date(year, 2, 5)
    assert rows[0]["plaque_number"].startswith("青数赋-2026-")
    page = role_client("district_official").get(reverse("centers:district_center_list"))
    text = page.content.decode()
    assert "崂山工业互联网赋能中心" in text and "即墨纺织赋能中心" not in text
    assert reverse("centers:workspace", args=[mine.pk]) in text


def test_the_district_centers_list_reads_a_fixed_number_of_queries(
        make_center, laoshan, role_client, django_assert_max_num_queries):
    client = role_client("district_official")
    url = reverse("centers:district_center_list")
    make_center(laoshan)
    client.get(url)
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    for _ in range(29):
        make_center(laoshan)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("青数赋-2026-") == 30


# --- periods -----------------------------------------------------------------------------------

def test_the_next_period_is_the_half_year_after_the_latest(commission_staff):
    first = supervision.period_create_next(actor=commission_staff,
                                           today=datetime.date(2026, 8, 3))
    assert (first.name, first.starts_on, first.ends_on, first.due_on) == (
        "2026年下半年", datetime.date(2026, 7, 1), datetime.date(2026, 12, 31),
        datetime.date(2027, 1, 15))
    second = supervision.period_create_next(actor=commission_staff)
    assert (second.name, second.starts_on, second.ends_on) == (
        "2027年上半年", datetime.date(2027, 1, 1), datetime.date(2027, 6, 30))
    with pytest.raises(SupervisionError, match="时间重叠"):
        supervision.period_create(actor=commission_staff, name="重复",
                                  starts_on=second.starts_on, ends_on=second.ends_on,
                                  due_on=second.due_on)
    with pytest.raises(SupervisionError, match="不能早于"):
        supervision.period_create(actor=commission_staff, name="倒序",
                                  starts_on=datetime.date(2028, 6, 30),
                                  ends_on=datetime.date(2028, 1, 1),
                                  due_on=datetime.date(2028, 7, 1))


def test_periods_never_overlap(commission_staff):
    first = supervision.period_create_next(actor=commission_staff,
                                           today=datetime.date(2026, 8, 3))
    # One shared day is an overlap; the day after the period's end is not.
    with pytest.raises(SupervisionError, match="2026年下半年.*时间重叠"):
        supervision.period_create(actor=commission_staff, name="跨年",
                                  starts_on=datetime.date(2026, 12, 31),
                                  ends_on=datetime.date(2027, 3, 31),
                                  due_on=datetime.date(2027, 4, 15))
    later = supervision.period_create(actor=commission_staff, name="2027年一季度",
                                      starts_on=datetime.date(2027, 1, 1),
                                      ends_on=datetime.date(2027, 3, 31),
                                      due_on=datetime.date(2027, 4, 15))
    with pytest.raises(SupervisionError, match="时间重叠"):
        supervision.period_update(period=later, actor=commission_staff, name=later.name,
                                  starts_on=datetime.date(2026, 12, 1),
                                  ends_on=later.ends_on, due_on=later.due_on)
    # A period may be moved within its own dates.
    supervision.period_update(period=first, actor=commission_staff, name=first.name,
                              starts_on=first.starts_on, ends_on=first.ends_on,
                              due_on=datetime.date(2027, 1, 20))


def test_only_the_commission_sets_periods(official_laoshan, superuser_no_role):
    for user in (official_laoshan, superuser_no_role):
        with pytest.raises(PermissionDenied):
            supervision.period_create_next(actor=user)


def test_the_admin_action_creates_the_next_period_without_a_ticked_row(commission_admin,
                                                                          client):
    client.force_login(commission_admin)
    url = reverse("admin:centers_supervisionperiod_changelist")
    response = client.post(url, {"action": "create_next_period", "index": "0"})
    assert response.status_code == 302
    assert SupervisionPeriod.objects.count() == 1
    client.post(url, {"action": "create_next_period", "index": "0"})
    first, second = SupervisionPeriod.objects.order_by("starts_on")
    assert second.starts_on == first.ends_on + datetime.timedelta(days=1)


def test_the_period_form_is_prefilled_and_a_second_click_creates_nothing(role_client):
    client = role_client("commission_staff")
    url = reverse("centers:commission_period_new")
    page = client.get(url).content.decode()
    defaults = supervision.period_next_defaults()
    assert defaults["name"] in page
    data = {"name": "2030年上半年", "starts_on": "2030-01-01", "ends_on": "2030-06-30",
            "due_on": "2030-07-15", "form_token": "t" * 32}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert SupervisionPeriod.objects.filter(name="2030年上半年").count() == 1
    bad = client.post(url, {**data, "name": "倒序报告期", "due_on": "2030-01-01",
                            "form_token": "u" * 32})
    assert bad.status_code == 200 and "倒序报告期" in bad.content.decode()
    assert "报送截止日期不能早于" in bad.content.decode()


# --- the report --------------------------------------------------------------------------------

@pytest.fixture
def two_centers(make_center, laoshan):
    return [make_center(laoshan, name="甲赋能中心"), make_center(laoshan, name="乙赋能中心")]


def test_a_draft_is_saved_and_submit_needs_every_center(two_centers, period, official_laoshan):
    first, second = two_centers
    draft = supervision.operation_report_save(
        period=period, department_id=first.department_id, actor=official_laoshan,
        summary="总体平稳。", assessments={first.pk: ("good", "按计划推进。")})
    assert draft.status == "draft" and draft.assessments.count() == 1
    with pytest.raises(SupervisionError, match="乙赋能中心"):
        supervision.operation_report_save(
            period=period, department_id=first.department_id, actor=official_laoshan,
            summary="总体平稳。", assessments={first.pk: ("good", "按计划推进。")}, submit=True)
    report = supervision.operation_report_save(
        period=period, department_id=first.department_id, actor=official_laoshan,
        summary="总体平稳。", submit=True,
        assessments={first.pk: ("good", "按计划推进。"), second.pk: ("fair", "服务企业偏少。")})
    assert report.status == "submitted" and report.submitted_by == official_laoshan
    assert OperationReport.objects.count() == 1 and OperationAssessment.objects.count() == 2
    assert AuditEvent.objects.filter(action="operationreport.submit").count() == 1
    with pytest.raises(SupervisionError, match="已报送"):
        supervision.operation_report_save(
            period=period, department_id=first.department_id, actor=official_laoshan,
            summary="改", assessments={})


def test_another_department_cannot_write_the_report(two_centers, period, official_jimo):
    with pytest.raises(PermissionDenied):
        supervision.operation_report_save(period=period, department_id=two_centers[0]
                                          .department_id, actor=official_jimo, summary="x",
                                          assessments={})


def test_the_report_page_keeps_typed_text_submits_once_and_is_read_only_after(
        two_centers, period, role_client):
    first, second = two_centers
    client = role_client("district_official")
    url = reverse("centers:district_report", args=[period.pk])
    assert "甲赋能中心" in client.get(url).content.decode()
    partial = {"summary": "上半年总体平稳运行", f"rating_{first.pk}": "good",
               f"opinion_{first.pk}": "培训企业三十家", "intent": "submit",
               "form_token": "a" * 32}
    page = client.post(url, partial)
    text = page.content.decode()
    assert page.status_code == 200 and "上半年总体平稳运行" in text and "培训企业三十家" in text
    assert "乙赋能中心" in text and OperationReport.objects.get().status == "draft"
    full = {**partial, f"rating_{second.pk}": "fair", f"opinion_{second.pk}": "需加强",
            "form_token": "b" * 32}
    assert client.post(url, full).status_code == 302
    assert client.post(url, full).status_code == 302  # the second click
    report = OperationReport.objects.get()
    assert report.status == "submitted" and report.assessments.count() == 2
    assert AuditEvent.objects.filter(action="operationreport.submit").count() == 1
    shown = client.get(url).content.decode()
    assert "operation-report-form" not in shown and "需加强" in shown
    printed = client.get(reverse("centers:district_report_print", args=[period.pk]))
    assert printed.status_code == 200 and "培训企业三十家" in printed.content.decode()


def test_a_report_sent_after_the_session_ended_comes_back_after_login(
        two_centers, period, official_laoshan, official_jimo):
    """Nothing typed is lost: the login redirect used to drop the report without a word."""
    import re

    from django.contrib.sessions.models import Session
    from django.test import Client

    first, _second = two_centers
    url = reverse("centers:district_report", args=[period.pk])
    client = Client()
    client.force_login(official_laoshan)
    token = re.search(r'name="held_token" value="([^"]+)"',
                      client.get(url).content.decode()).group(1)
    Session.objects.all().delete()  # 30 idle minutes
    typed = {"summary": "会话结束前写的总体情况", f"rating_{first.pk}": "good",
             f"opinion_{first.pk}": "会话结束前写的意见", "intent": "save",
             "department": str(first.department_id), "held_token": token}
    sent = client.post(url, typed, follow=True)
    assert "已为您保留" in sent.content.decode()
    assert not OperationReport.objects.exists()  # nothing acted on without a session

    client.force_login(official_laoshan)
    page = client.get(url).content.decode()
    assert "会话结束前写的总体情况" in page and "会话结束前写的意见" in page
    assert "已恢复您在登录超时前填写" in page
    assert "会话结束前写的意见" not in client.get(url).content.decode()  # put back once

    # Someone else signing in on that browser does not get it.
    Session.objects.all().delete()
    client.post(url, typed)
    client.force_login(official_jimo)
    assert "会话结束前写的意见" not in client.get(url).content.decode()


# --- the sweep ---------------------------------------------------------------------------------

def _day_with_working_days_left(due, n):
    day = due
    while working_days_between(day, due) < n:
        day -= datetime.timedelta(days=1)
    return day


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def test_reminders_go_once_per_threshold(two_centers, period, official_laoshan):
    due = period.due_on
    day10 = _day_with_working_days_left(due, 10)
    assert supervision.remind_operation_reports(_at(day10 - datetime.timedelta(days=7))) == 0
    assert supervision.remind_operation_reports(_at(day10)) == 1
    assert supervision.remind_operation_reports(_at(day10)) == 0
    report = OperationReport.objects.get()
    assert report.reminded_at_days == 10 and report.status == "draft"
    # A late sweep sends only the nearest threshold: 1, never the 5 it missed.
    day1 = _day_with_working_days_left(due, 1)
    assert supervision.remind_operation_reports(_at(day1)) == 1
    assert supervision.remind_operation_reports(_at(day1)) == 0
    assert supervision.remind_operation_reports(_at(_day_with_working_days_left(due, 5))) == 0
    sent = Notification.objects.filter(recipient=official_laoshan,
                                       purpose="operation_report_reminder")
    assert sent.count() == 2
    assert "1个工作日" in sent.order_by("-pk").first().title


def test_a_submitted_report_is_neither_reminded_nor_overdue(two_centers, period,
                                                            official_laoshan):
    first, second = two_centers
    supervision.operation_report_save(
        period=period, department_id=first.department_id, actor=official_laoshan,
        summary="平稳", submit=True,
        assessments={first.pk: ("good", "好"), second.pk: ("good", "好")})
    assert supervision.remind_operation_reports(_at(_day_with_working_days_left(
        period.due_on, 1))) == 0
    assert supervision.mark_overdue_operation_reports(_at(period.due_on
                                                          + datetime.timedelta(days=1))) == 0


def test_overdue_is_marked_once_and_shown_to_the_commission(two_centers, period,
                                                           commission_staff, role_client):
    after = _at(period.due_on + datetime.timedelta(days=1))
    assert supervision.mark_overdue_operation_reports(_at(period.due_on)) == 0
    assert supervision.mark_overdue_operation_reports(after) == 1
    assert supervision.mark_overdue_operation_reports(after + datetime.timedelta(hours=1)) == 0
    report = OperationReport.objects.get()
    assert report.overdue_at == after
    assert Notification.objects.filter(recipient=commission_staff,
                                       purpose="operation_report_overdue").count() == 1
    client = role_client("commission_staff")
    url = reverse("centers:commission_supervision")
    assert "逾期未报送" in client.get(url, {"period": period.pk, "state": "overdue"}) \
        .content.decode()
    assert "崂山区" not in client.get(url, {"period": period.pk, "state": "submitted"}) \
        .content.decode().split("overview-rows")[1]


def test_the_sweeps_are_registered():
    from core.sweep import registered_checks

    assert {supervision.remind_operation_reports,
            supervision.mark_overdue_operation_reports} <= set(registered_checks())


def test_the_overview_reads_a_fixed_number_of_queries(make_center, period, role_client,
                                                      django_assert_max_num_queries):
    from tests.factories import DepartmentFactory

    client = role_client("commission_staff")
    url = reverse("centers:commission_supervision")

    def departments(n):
        for _ in range(n):
            department = DepartmentFactory(kind="district", name=f"测试区{Center.objects.count()}")
            make_center(department)

    departments(1)
    client.get(url)
    with django_assert_max_num_queries(14) as one:
        client.get(url)
    departments(29)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert "应报送30个主管部门" in page
    periods_url = reverse("centers:commission_periods")
    with django_assert_max_num_queries(10):
        assert client.get(periods_url).status_code == 200


# --- data duties -------------------------------------------------------------------------------

@pytest.fixture
def own_center(make_center, laoshan, org_a):
    return make_center(laoshan, organisation=org_a, name="海智赋能中心")


def test_the_unit_keeps_its_data_record_and_the_district_reads_it(own_center, role_client):
    url = reverse("centers:center_data_record", args=[own_center.pk])
    client = role_client("applicant")
    bad = client.post(url, {"responsible_person": "李强", "responsible_phone": "12345",
                            "shared_data": "服务企业名录"})
    assert bad.status_code == 200 and "服务企业名录" in bad.content.decode()
    assert client.post(url, {"responsible_person": "李强", "responsible_title": "主管",
                             "responsible_phone": "139 1234 5678",
                             "shared_data": "服务企业名录"}).status_code == 302
    assert own_center.data_security.responsible_phone == "13912345678"
    page = role_client("district_official").get(
        reverse("centers:center_data", args=[own_center.pk])).content.decode()
    assert "李强" in page and "data-record-edit" not in page


def test_an_agreement_file_follows_the_upload_rules_and_reads_by_others_are_audited(
        own_center, role_client):
    client = role_client("applicant")
    url = reverse("centers:center_data_agreement_new", args=[own_center.pk])
    fake = SimpleUploadedFile("协议.pdf", b"MZ\x90\x00 not a pdf")
    bad = client.post(url, {"title": "公共数据共享协议", "counterparty": "市大数据局",
                            "signed_on": "2026-05-01", "file": fake, "form_token": "c" * 32})
    assert bad.status_code == 200 and "公共数据共享协议" in bad.content.decode()
    assert not DataAgreement.objects.exists()
    good = SimpleUploadedFile("协议.pdf", PDF)
    data = {"title": "公共数据共享协议", "counterparty": "市大数据局",
            "signed_on": "2026-05-01", "file": good, "form_token": "d" * 32}
    assert client.post(url, data).status_code == 302
    agreement = DataAgreement.objects.get()
    file_url = reverse("centers:center_data_agreement_file", args=[own_center.pk, agreement.pk])
    assert client.get(file_url).status_code == 200
    assert not AuditEvent.objects.filter(action="data_agreement.download").exists()
    assert role_client("district_official").get(file_url).status_code == 200
    assert AuditEvent.objects.filter(action="data_agreement.download").count() == 1


def test_one_self_check_per_year(own_center, role_client):
    client = role_client("applicant")
    url = reverse("centers:center_data_self_check_new", args=[own_center.pk])
    year = timezone.localdate().year
    data = {"year": year, "findings": "制度健全", "form_token": "e" * 32}
    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "findings": "再次自查", "form_token": "f" * 32})
    assert again.status_code == 200 and "每年度一份" in again.content.decode()
    assert "再次自查" in again.content.decode()
    assert DataSelfCheck.objects.count() == 1


def test_a_revoked_center_keeps_no_records(make_center, laoshan, org_a, applicant_a):
    center = make_center(laoshan, organisation=org_a, status="revoked")
    with pytest.raises(PermissionDenied):
        supervision.data_security_save(center=center, actor=applicant_a,
                                       responsible_person="李强", responsible_title="",
                                       responsible_phone="13912345678", shared_data="")


def test_the_period_pages_show_their_dates(role_client, period):
    """The date pickers of the period form show the proposed and the stored dates (ISO; the
    zh-hans rendering 2026/07/15 would show empty boxes)."""
    client = role_client("commission_staff")
    new_page = client.get(reverse("centers:commission_period_new")).content.decode()
    defaults = supervision.period_next_defaults()
    assert f'value="{defaults["starts_on"].isoformat()}"' in new_page
    edit_page = client.get(reverse("centers:commission_period_edit",
                                   args=[period.pk])).content.decode()
    assert f'name="due_on" value="{period.due_on.isoformat()}"' in edit_page


def test_a_department_without_centers_in_a_period_is_not_asked_to_report(
        make_center, laoshan, period, commission_staff, client, official_laoshan):
    later = SupervisionPeriod.objects.create(
        name="2026年下半年", starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 12, 31), due_on=datetime.date(2027, 1, 15),
        created_by=commission_staff)
    # Designated after the first period ended: only the second asks for a report.
    make_center(laoshan, designated_on=datetime.date(2026, 8, 1))
    client.force_login(official_laoshan)
    page = client.get(reverse("centers:district_supervision")).content.decode()
    rows = {name: page.split(name, 1)[1].split("</tr>", 1)[0]
            for name in (period.name, later.name)}
    assert "本期无需报告" in rows[period.name] and "填报" not in rows[period.name]
    assert "未填报" in rows[later.name]
