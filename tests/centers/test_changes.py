"""变更报告 (第十三条): the center reports, its 主管部门 forwards within 30 working days (countdown,
reminders at 10, 5 and 1 working days, overdue marked once), the commission accepts or refuses;
an accepted content change replaces the targets from its date, a rename reissues the plaque, a
cancellation is marked for the revocation path."""

import datetime

import chinese_calendar
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from applications.services import organisation_members
from centers import changes
from centers.enums import ChangeKind, ChangeReportStatus, EntityChange
from centers.models import Center, ChangeReport, Plaque, TargetSet
from core.models import AuditEvent, Notification, WorkdayYear
from core.sweep import registered_checks
from core.workdays import add_working_days, working_days_between
from tests.factories import staff

pytestmark = pytest.mark.django_db

S = ChangeReportStatus
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="营业执照变更.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def member(center):
    return organisation_members(center.application.organisation_id)[0]


@pytest.fixture
def center(designated_centers):
    return designated_centers[0]


@pytest.fixture
def official(center):
    return staff(Role.DISTRICT_OFFICIAL, center.department, username="official_of_center")


def entity(center, *, change=EntityChange.EQUITY, on=datetime.date(2026, 9, 22), submit=True,
           today=datetime.date(2026, 11, 20), **fields):
    return changes.change_report_create(
        center=center, actor=member(center), kind=ChangeKind.ENTITY, entity_change=change,
        licence_changed_on=on, summary="股东变更为青岛市某国有投资公司。", files=[pdf()],
        submit=submit, today=today, **fields)


def content(center, submit=True):
    return changes.change_report_create(
        center=center, actor=member(center), kind=ChangeKind.CONTENT,
        summary="服务方向由装备制造调整为智能家电。", new_content="面向智能家电企业的数字化诊断。",
        new_key_technologies=7, new_patents=12,
        new_targets_from=datetime.date(2027, 1, 1), submit=submit)


# --- the due date ------------------------------------------------------------------------------

def _independent_due(start, n):
    # chinese_calendar directly, not core.workdays.
    day, counted = start, 0
    while counted < n:
        day += datetime.timedelta(days=1)
        if chinese_calendar.is_workday(day):
            counted += 1
    return day


def test_thirty_working_days_from_22_september_2026_cross_national_day(center):
    report = entity(center)
    start = datetime.date(2026, 9, 22)
    assert report.due_on == add_working_days(start, 30) == _independent_due(start, 30)
    assert report.due_on == datetime.date(2026, 11, 10)
    # More than 30 working days' worth of calendar days: the National Day week is off.
    assert (report.due_on - start).days > 42
    assert working_days_between(start, report.due_on) == 30


def test_a_due_date_in_a_year_without_schedule_says_so_and_the_sweep_fills_it_in(
        center, client, commission_staff):
    assert not WorkdayYear.objects.filter(year=2027).exists()
    # The bundled calendar knows 2026 and not 2027.
    assert chinese_calendar.is_workday(datetime.date(2026, 12, 31)) is not None
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(datetime.date(2027, 1, 4))
    report = entity(center, on=datetime.date(2026, 12, 10), today=datetime.date(2026, 12, 11))
    assert report.due_on is None
    assert "2027 年" in changes.due_problem(report)
    client.force_login(member(center))
    page = client.get(reverse("centers:change_detail", args=[center.pk, report.pk]))
    assert "报送截止日期暂无法计算" in page.content.decode()
    assert "2027 年" in page.content.decode()
    # The applicant is told the date waits for the commission, not sent to an admin screen.
    assert "自动计算" in page.content.decode()
    assert "后台" not in page.content.decode()
    # Once forwarded, the deadline is met: no warning about computing it.
    ChangeReport.objects.filter(pk=report.pk).update(forwarded_at=timezone.now())
    report.refresh_from_db()
    assert changes.due_problem(report) == ""
    ChangeReport.objects.filter(pk=report.pk).update(forwarded_at=None)
    report.refresh_from_db()

    WorkdayYear.objects.create(year=2027, is_complete=True)
    changes.change_report_deadlines(timezone.now())
    report.refresh_from_db()
    assert report.due_on == add_working_days(datetime.date(2026, 12, 10), 30)
    assert changes.due_problem(report) == ""


def test_an_entity_change_needs_its_date_not_in_the_future_and_evidence(center):
    actor = member(center)
    base = {"center": center, "actor": actor, "kind": ChangeKind.ENTITY,
            "entity_change": EntityChange.EQUITY, "summary": "股权变更。"}
    with pytest.raises(changes.ChangeError, match="营业执照变更"):
        changes.change_report_create(**base, files=[pdf()])
    with pytest.raises(changes.ChangeError, match="不能晚于今天"):
        changes.change_report_create(**base, files=[pdf()],
                                     licence_changed_on=timezone.localdate()
                                     + datetime.timedelta(days=1))
    with pytest.raises(changes.ChangeError, match="证明材料"):
        changes.change_report_create(**base, licence_changed_on=datetime.date(2026, 10, 9))
    with pytest.raises(changes.ChangeError, match="不是允许的格式"):
        changes.change_report_create(**base, licence_changed_on=datetime.date(2026, 10, 9),
                                     files=[SimpleUploadedFile("a.pdf", b"MZ\x90\x00plain")])
    with pytest.raises(changes.ChangeError, match="变更后的赋能中心名称"):
        changes.change_report_create(**{**base, "entity_change": EntityChange.RENAME},
                                     licence_changed_on=datetime.date(2026, 10, 9),
                                     files=[pdf()])
    assert not ChangeReport.objects.exists()


def test_only_the_centers_users_report(center, designated_centers, official):
    other = designated_centers[1]
    with pytest.raises(PermissionDenied):
        changes.change_report_create(center=center, actor=member(other), kind=ChangeKind.OTHER,
                                     summary="调整。")
    with pytest.raises(PermissionDenied):
        changes.change_report_create(center=center, actor=official, kind=ChangeKind.OTHER,
                                     summary="调整。")


# --- the pages of the center -------------------------------------------------------------------

def test_bad_input_keeps_the_typed_text_and_a_second_click_creates_nothing(center, client):
    client.force_login(member(center))
    url = reverse("centers:change_new", args=[center.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="form_token"' in page.content.decode()
    token = "t" * 30
    typed = {"kind": "entity", "entity_change": "equity", "licence_changed_on": "2026-10-09",
             "summary": "股东由甲公司变更为乙公司，持股比例不变。", "intent": "submit",
             "form_token": token}
    bad = client.post(url, typed)  # no evidence file
    assert bad.status_code == 200
    assert "股东由甲公司变更为乙公司" in bad.content.decode()
    assert "请上传营业执照变更" in bad.content.decode()
    assert not ChangeReport.objects.exists()

    token = "u" * 30
    first = client.post(url, {**typed, "form_token": token, "files": pdf()})
    second = client.post(url, {**typed, "form_token": token, "files": pdf()})
    report = ChangeReport.objects.get()
    assert first.status_code == second.status_code == 302
    assert second.url == first.url == reverse("centers:change_detail",
                                              args=[center.pk, report.pk])
    assert report.status == S.SUBMITTED and report.files.count() == 1


def test_the_list_shows_the_countdown(center, client, official):
    report = entity(center, on=datetime.date(2026, 11, 2))
    today = timezone.localdate()
    left = working_days_between(today, report.due_on)
    client.force_login(official)
    page = client.get(reverse("centers:change_list", args=[center.pk])).content.decode()
    assert f"剩余{left}个工作日" in page


# --- routes and decisions ----------------------------------------------------------------------

def test_a_content_change_accepted_replaces_the_targets_from_its_date(center, official,
                                                                     commission_staff):
    first = center.target_sets.get()
    report = content(center)
    with pytest.raises(changes.ChangeError, match="请填写主管部门意见"):
        changes.change_report_forward(report=report, actor=official, opinion=" ")
    report = changes.change_report_forward(report=report, actor=official, opinion="同意报送。")
    assert report.status == S.FORWARDED and report.forwarded_by == official
    assert Notification.objects.filter(purpose="change_report_forwarded",
                                       recipient=commission_staff).exists()
    with pytest.raises(changes.ChangeError, match="理由"):
        changes.change_report_decide(report=report, actor=commission_staff, accepted=True,
                                     reason="")
    decided = changes.change_report_decide(report=report, actor=commission_staff, accepted=True,
                                           reason="调整后的目标符合产业方向。")
    assert decided.status == S.ACCEPTED
    new = TargetSet.objects.get(change_report=report)
    assert new.effective_from == datetime.date(2027, 1, 1)
    assert (new.key_technologies, new.patents) == (7, 12)
    assert (new.scenarios, new.solutions) == (first.scenarios, first.solutions)
    assert TargetSet.objects.filter(pk=first.pk).exists()
    assert AuditEvent.objects.filter(action="target_set.replace").exists()
    with pytest.raises(changes.ChangeError):
        changes.change_report_decide(report=decided, actor=commission_staff, accepted=False,
                                     reason="再次办理。")


def test_a_refusal_keeps_the_targets(center, official, commission_staff):
    report = changes.change_report_forward(report=content(center), actor=official,
                                           opinion="请审定。")
    refused = changes.change_report_decide(report=report, actor=commission_staff,
                                           accepted=False, reason="目标下调幅度过大。")
    assert refused.status == S.REFUSED and refused.decision_reason == "目标下调幅度过大。"
    assert center.target_sets.count() == 1


def test_an_other_change_is_only_noted(center, official, commission_staff):
    report = changes.change_report_create(center=center, actor=member(center),
                                          kind=ChangeKind.OTHER, summary="联系人变更。",
                                          submit=True)
    with pytest.raises(changes.ChangeError):
        changes.change_report_forward(report=report, actor=official, opinion="报送。")
    noted = changes.change_report_note(report=report, actor=official)
    assert noted.status == S.NOTED
    assert Notification.objects.filter(purpose="change_report_decided",
                                       recipient=member(center)).exists()


def test_only_the_centers_department_forwards(center, official, designated_centers):
    from accounts.models import Department

    other_department = Department.objects.exclude(pk=center.department_id).filter(
        kind=center.department.kind).first()
    stranger = staff(Role.DISTRICT_OFFICIAL, other_department, username="stranger_official")
    report = content(center)
    with pytest.raises(PermissionDenied):
        changes.change_report_forward(report=report, actor=stranger, opinion="报送。")
    with pytest.raises(PermissionDenied):
        changes.change_report_forward(report=report, actor=member(center), opinion="报送。")


def test_a_rename_accepted_renames_the_center_and_reissues_the_plaque(
        center, official, commission_staff, client):
    old = Plaque.objects.get(center=center)
    report = entity(center, change=EntityChange.RENAME, new_name="青岛智能家电数字化转型赋能中心")
    report = changes.change_report_forward(report=report, actor=official, opinion="情况属实。")
    changes.change_report_decide(report=report, actor=commission_staff, accepted=True,
                                 reason="同意更名。")
    center.refresh_from_db()
    assert center.name == "青岛智能家电数字化转型赋能中心"
    old.refresh_from_db()
    assert old.replaced_at is not None
    new = Plaque.objects.get(center=center, replaced_at__isnull=True)
    assert new.token != old.token and new.number == old.number
    page = client.get(reverse("centers:verify_token", args=[old.token])).content.decode()
    assert "换发" in page and "原牌匾不再有效" in page
    assert "有效" in client.get(reverse("centers:verify_token",
                                        args=[new.token])).content.decode()
    assert AuditEvent.objects.filter(action="center.rename").exists()
    assert AuditEvent.objects.filter(action="plaque.reissue").exists()
    directory = client.get(reverse("centers:center_list")).content.decode()
    assert "青岛智能家电数字化转型赋能中心" in directory


def test_a_cancellation_accepted_is_marked_for_the_revocation_path(center, official,
                                                                   commission_staff):
    report = entity(center, change=EntityChange.CANCELLATION)
    report = changes.change_report_forward(report=report, actor=official, opinion="已注销。")
    changes.change_report_decide(report=report, actor=commission_staff, accepted=True,
                                 reason="依托法人实体已注销。")
    assert list(changes.cancellations_awaiting_revocation()) == [report]
    assert AuditEvent.objects.filter(action="center.cancellation_accepted",
                                     object_id=str(center.pk)).exists()
    assert Notification.objects.filter(purpose="center_cancellation_accepted",
                                       recipient=commission_staff).exists()
    center.refresh_from_db()
    assert center.status == "active"  # revocation itself is a later step (依法终止)


# --- the sweep ---------------------------------------------------------------------------------

def _at(day):
    zone = timezone.get_current_timezone()
    return datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=zone)


def _day_with_left(due_on, left):
    day = due_on
    while working_days_between(day, due_on) < left:
        day -= datetime.timedelta(days=1)
    return day


def test_the_sweep_is_registered():
    assert changes.change_report_deadlines in registered_checks()


def test_reminders_go_once_per_threshold(center, official):
    report = entity(center, on=datetime.date(2026, 5, 6), today=datetime.date(2026, 5, 7))
    due = report.due_on
    reminders = Notification.objects.filter(purpose="change_report_reminder", recipient=official)
    changes.change_report_deadlines(_at(_day_with_left(due, 12)))
    assert reminders.count() == 0
    ten = _at(_day_with_left(due, 10))
    changes.change_report_deadlines(ten)
    changes.change_report_deadlines(ten)
    assert reminders.count() == 1
    report.refresh_from_db()
    assert report.reminded_at_days == 10
    # At 4 days left only the 5-day reminder goes, not both.
    four = _at(_day_with_left(due, 4))
    changes.change_report_deadlines(four)
    changes.change_report_deadlines(four)
    assert reminders.count() == 2
    one = _at(_day_with_left(due, 1))
    changes.change_report_deadlines(one)
    changes.change_report_deadlines(one + datetime.timedelta(hours=1))
    assert reminders.count() == 3
    report.refresh_from_db()
    assert report.reminded_at_days == 1
    assert "还有1个工作日" in reminders.order_by("-pk").first().body


def test_overdue_is_marked_once_and_shown_to_the_commission(center, official, commission_staff,
                                                            client):
    report = entity(center, on=datetime.date(2026, 5, 6), today=datetime.date(2026, 5, 7))
    after = _at(report.due_on + datetime.timedelta(days=1))
    changes.change_report_deadlines(_at(report.due_on))
    report.refresh_from_db()
    assert report.overdue_at is None
    assert changes.change_report_deadlines(after) == 1
    assert changes.change_report_deadlines(after + datetime.timedelta(hours=1)) == 0
    report.refresh_from_db()
    marked = report.overdue_at
    assert marked is not None
    assert Notification.objects.filter(purpose="change_report_overdue",
                                       recipient=commission_staff).count() == 1
    assert AuditEvent.objects.filter(action="change_report.overdue").count() == 1
    # A late forward is still taken; the mark stays.
    changes.change_report_forward(report=report, actor=official, opinion="逾期报送，说明原因。")
    report.refresh_from_db()
    assert report.overdue_at == marked
    client.force_login(commission_staff)
    page = client.get(reverse("centers:change_overview"), {"overdue": "1"}).content.decode()
    assert "已逾期" in page and center.name in page


def test_drafts_are_not_reminded_nor_marked(center):
    entity(center, on=datetime.date(2026, 5, 6), today=datetime.date(2026, 5, 7), submit=False)
    assert changes.change_report_deadlines(_at(datetime.date(2026, 8, 1))) == 0


# --- reading ------------------------------------------------------------------------------------

def test_reading_evidence_by_the_department_is_audited(center, official, client):
    report = entity(center)
    evidence = report.files.get()
    url = reverse("centers:change_file", args=[center.pk, report.pk, evidence.pk])
    client.force_login(member(center))
    assert client.get(url).status_code == 200
    assert not AuditEvent.objects.filter(action="change_report_file.download").exists()
    client.force_login(official)
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="change_report_file.download",
                                     actor=official).count() == 1


def test_a_draft_is_the_centers_own(center, official, client):
    report = entity(center, submit=False)
    client.force_login(official)
    assert client.get(reverse("centers:change_detail",
                              args=[center.pk, report.pk])).status_code == 404
    listed = client.get(reverse("centers:change_district_list")).content.decode()
    assert "暂无变更报告" in listed


def test_the_department_sees_only_its_centers(designated_centers, official, client):
    from accounts.models import Department

    mine, theirs = designated_centers
    other_department = Department.objects.exclude(pk=mine.department_id).filter(
        kind=mine.department.kind).first()
    Center.objects.filter(pk=theirs.pk).update(department=other_department, name="别区中心")
    theirs.refresh_from_db()
    content(mine)
    content(theirs)
    client.force_login(official)
    page = client.get(reverse("centers:change_district_list")).content.decode()
    assert mine.name in page and "别区中心" not in page
    assert client.get(reverse("centers:change_list", args=[theirs.pk])).status_code == 403


# --- query counts -------------------------------------------------------------------------------

def _many(center, n):
    actor = member(center)
    ChangeReport.objects.bulk_create([ChangeReport(
        center=center, department_id=center.department_id, kind=ChangeKind.ENTITY,
        entity_change=EntityChange.EQUITY, licence_changed_on=datetime.date(2026, 11, 2),
        due_on=datetime.date(2026, 12, 14), summary=f"变更{i}", status=S.SUBMITTED,
        created_by=actor) for i in range(n)])


@pytest.mark.parametrize("url_name,role", [
    ("centers:change_list", "member"), ("centers:change_district_list", "official"),
    ("centers:change_overview", "commission")])
def test_the_lists_read_a_fixed_number_of_queries(center, official, commission_staff, client,
                                                  django_assert_max_num_queries, url_name,
                                                  role):
    user = {"member": member(center), "official": official,
            "commission": commission_staff}[role]
    client.force_login(user)
    url = (reverse(url_name, args=[center.pk]) if url_name == "centers:change_list"
           else reverse(url_name))
    _many(center, 1)
    client.get(url)
    with django_assert_max_num_queries(20) as one:
        assert client.get(url).status_code == 200
    _many(center, 29)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("剩余") >= 30


# --- admin --------------------------------------------------------------------------------------

def test_the_admin_accepts_with_the_same_service(center, official, commission_staff, client):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    commission_staff.is_staff = True
    commission_staff.save(update_fields=["is_staff"])
    report = changes.change_report_forward(report=content(center), actor=official,
                                           opinion="请审定。")
    client.force_login(commission_staff)
    url = reverse("admin:centers_changereport_changelist")
    listing = client.get(url, {"overdue": "0", "kind": "content"})
    assert listing.status_code == 200
    form_page = client.post(url, {"action": "accept_changes", ACTION_CHECKBOX_NAME: [report.pk]})
    assert "市发展改革委意见" in form_page.content.decode()
    client.post(url, {"action": "accept_changes", ACTION_CHECKBOX_NAME: [report.pk],
                      "apply": "1", "reason": "同意调整。"})
    report.refresh_from_db()
    assert report.status == S.ACCEPTED and report.decided_by == commission_staff
    assert TargetSet.objects.filter(change_report=report).exists()
