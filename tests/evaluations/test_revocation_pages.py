"""Revocation pages (第十七条): the unit reads its told proposals with the due date in working
days and states its case (text kept on error, one submission per form); it requests its own
revocation; the 主管部门 reads its centers' proposals only; the commission proposes, tells and
decides, in the portal and in admin. A revoked center gets no reminder. Lists read a fixed
number of queries with 1 and 30 rows."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from centers import changes, supervision
from centers.enums import CenterStatus, ChangeKind, EntityChange
from centers.models import Center, SupervisionPeriod
from core.models import AuditEvent, Notification
from core.workdays import working_days_between
from evaluations import revocations
from evaluations.enums import RevocationGround, RevocationStatus
from evaluations.models import Revocation
from tests.evaluations.revocation_helpers import member, pdf
from tests.factories import staff

pytestmark = pytest.mark.django_db

G = RevocationGround
R = RevocationStatus


@pytest.fixture
def center(designated_centers):
    return designated_centers[0]


@pytest.fixture
def official(center):
    return staff(Role.DISTRICT_OFFICIAL, center.department, username="official_of_center")


def _proposal(center, actor, ground=G.FALSE_MATERIALS):
    return revocations.revocation_propose(center=center, ground=ground,
                                          facts="经核查，报送的服务企业数据与实际不符。",
                                          actor=actor, files=[pdf("核查报告.pdf")])


def _told(center, actor):
    return revocations.revocation_notify(revocation=_proposal(center, actor), actor=actor)


def test_the_unit_reads_its_told_proposal_and_states_its_case_once(center, commission_staff,
                                                                   client):
    proposal = _proposal(center, commission_staff)
    client.force_login(member(center))
    url = reverse("evaluations:revocation_detail", args=[center.pk, proposal.pk])
    assert client.get(url).status_code == 404  # not told yet
    listing = reverse("evaluations:revocation_center_list", args=[center.pk])
    assert "提供虚假材料" not in client.get(listing).content.decode()
    told = revocations.revocation_notify(revocation=proposal, actor=commission_staff)
    page = client.get(url).content.decode()
    assert "经核查，报送的服务企业数据与实际不符" in page and "核查报告.pdf" in page
    assert f"{told.statement_due.year}年{told.statement_due.month}月" in page
    assert "10个工作日" in page and 'name="form_token"' in page
    assert "提供虚假材料" in client.get(listing).content.decode()

    typed = {"statement": "数据为统计口径差异，附说明。", "form_token": "s" * 30}
    bad = client.post(url, {**typed, "files": _bad_file()})
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "数据为统计口径差异，附说明。" in text and "不是允许的格式" in text
    assert Revocation.objects.get().status == R.NOTIFIED

    token = "t" * 30
    first = client.post(url, {**typed, "form_token": token, "files": pdf("说明.pdf")})
    second = client.post(url, {**typed, "form_token": token, "files": pdf("说明.pdf")})
    assert first.status_code == second.status_code == 302 and second.url == url
    stated = Revocation.objects.get()
    assert stated.status == R.STATED and stated.files.filter(kind="statement").count() == 1
    assert "statement-form" not in client.get(url).content.decode()


def _bad_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("坏文件.exe", b"MZ\x90\x00 not a document",
                              content_type="application/octet-stream")


def test_the_unit_requests_its_own_revocation(center, commission_staff, client):
    client.force_login(member(center))
    workspace = client.get(reverse("centers:workspace", args=[center.pk])).content.decode()
    listing = reverse("evaluations:revocation_center_list", args=[center.pk])
    assert listing in workspace
    url = reverse("evaluations:revocation_request", args=[center.pk])
    typed = {"legal_representative": "王强", "reason": "集团战略调整，不再运营赋能中心。",
             "form_token": "r" * 30}
    bad = client.post(url, typed)  # no signed letter
    assert bad.status_code == 200
    assert "集团战略调整" in bad.content.decode() and "签字的撤销申请" in bad.content.decode()
    token = "q" * 30
    first = client.post(url, {**typed, "form_token": token, "letter": pdf("撤销申请.pdf")})
    second = client.post(url, {**typed, "form_token": token, "letter": pdf("撤销申请.pdf")})
    request = Revocation.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("evaluations:revocation_detail",
                                              args=[center.pk, request.pk])
    assert request.ground == G.SELF_REQUEST and request.legal_representative == "王强"
    assert "获评单位自行要求撤销" in client.get(listing).content.decode()


def test_the_department_reads_only_its_centers(designated_centers, commission_staff, client):
    mine, other = designated_centers
    Center.objects.filter(pk=other.pk).update(department=None)
    official = staff(Role.DISTRICT_OFFICIAL, mine.department, username="o1")
    told_mine = _told(mine, commission_staff)
    told_other = _told(other, commission_staff)
    client.force_login(official)
    page = client.get(reverse("evaluations:revocation_district_list")).content.decode()
    assert reverse("evaluations:revocation_detail", args=[mine.pk, told_mine.pk]) in page
    assert reverse("evaluations:revocation_detail", args=[other.pk, told_other.pk]) not in page
    assert client.get(reverse("evaluations:revocation_detail",
                              args=[other.pk, told_other.pk])).status_code == 403
    # A read of the evidence by the department is audited.
    evidence = told_mine.files.get()
    response = client.get(reverse("evaluations:revocation_file",
                                  args=[told_mine.pk, evidence.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="revocation_file.download",
                                     object_id=str(told_mine.pk)).exists()


def test_the_commission_proposes_tells_and_decides(center, commission_staff, client):
    client.force_login(commission_staff)
    new = reverse("evaluations:revocation_new")
    typed = {"center": center.pk, "ground": G.SERIOUS_VIOLATION, "form_token": "a" * 30,
             "facts": "经市场监管部门认定，该单位存在严重违法失信行为。"}
    bad = client.post(new, typed)
    assert bad.status_code == 200 and "认定文书" in bad.content.decode()
    assert "严重违法失信行为。" in bad.content.decode()
    made = client.post(new, {**typed, "form_token": "b" * 30, "files": pdf("决定书.pdf")})
    proposal = Revocation.objects.get()
    manage = reverse("evaluations:revocation_manage", args=[proposal.pk])
    assert made.url == manage
    again = client.post(new, {**typed, "form_token": "c" * 30, "files": pdf("决定书.pdf")})
    assert again.url == manage and Revocation.objects.count() == 1
    client.post(manage, {"intent": "notify"})
    proposal.refresh_from_db()
    assert proposal.status == R.NOTIFIED
    early = client.post(manage, {"intent": "decide", "outcome": "revoke", "reason": "认定属实。"})
    assert "期满" in early.content.decode()
    client.post(manage, {"intent": "decide", "outcome": "drop", "reason": "已整改到位。"})
    proposal.refresh_from_db()
    assert proposal.status == R.DROPPED and proposal.decision_reason == "已整改到位。"
    listing = client.get(reverse("evaluations:revocation_list"),
                         {"status": "dropped", "ground": G.SERIOUS_VIOLATION}).content.decode()
    assert manage in listing
    assert manage not in client.get(reverse("evaluations:revocation_list"),
                                    {"status": "revoked"}).content.decode()


def test_the_admin_tells_and_revokes_with_the_same_services(center, commission_staff, client):
    commission_staff.is_staff = True
    commission_staff.save(update_fields=["is_staff"])
    proposal = _proposal(center, commission_staff)
    client.force_login(commission_staff)
    url = reverse("admin:evaluations_revocation_changelist")
    assert client.get(url, {"status": "proposed", "ground": "false_materials"}).status_code == 200
    client.post(url, {"action": "notify_revocations", ACTION_CHECKBOX_NAME: [proposal.pk]})
    proposal.refresh_from_db()
    assert proposal.status == R.NOTIFIED
    revocations.revocation_state(revocation=proposal, actor=member(center), statement="无异议。")
    form_page = client.post(url, {"action": "revoke_centers",
                                  ACTION_CHECKBOX_NAME: [proposal.pk]})
    assert "决定理由" in form_page.content.decode()
    token = "z" * 30
    data = {"action": "revoke_centers", ACTION_CHECKBOX_NAME: [proposal.pk], "apply": "1",
            "reason": "事实清楚。", "form_token": token}
    client.post(url, data)
    client.post(url, data)  # a double click acts once
    proposal.refresh_from_db()
    center.refresh_from_db()
    assert proposal.status == R.REVOKED and center.status == CenterStatus.REVOKED
    assert AuditEvent.objects.filter(action="center.revoke").count() == 1
    change = reverse("admin:evaluations_revocation_change", args=[proposal.pk])
    assert client.get(change).status_code == 200


# --- a revoked center gets no reminder -----------------------------------------------------------

def _revoke(center, commission_staff):
    told = _told(center, commission_staff)
    revocations.revocation_state(revocation=told, actor=member(center), statement="无异议。")
    return revocations.revocation_decide(revocation=told, actor=commission_staff, revoke=True,
                                         reason="事实清楚。")


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def _day_with_left(due, n):
    day = due
    while working_days_between(day, due) < n:
        day -= datetime.timedelta(days=1)
    return day


def test_a_revoked_center_gets_no_change_report_reminder(center, official, commission_staff):
    report = changes.change_report_create(
        center=center, actor=member(center), kind=ChangeKind.ENTITY,
        entity_change=EntityChange.EQUITY, licence_changed_on=datetime.date(2026, 5, 6),
        summary="股东变更。", files=[pdf()], submit=True, today=datetime.date(2026, 5, 7))
    _revoke(center, commission_staff)
    ten = _at(_day_with_left(report.due_on, 10))
    assert changes.change_report_deadlines(ten) == 0
    assert changes.change_report_deadlines(_at(report.due_on + datetime.timedelta(days=3))) == 0
    assert not Notification.objects.filter(purpose__in=["change_report_reminder",
                                                        "change_report_overdue"]).exists()


def test_a_department_whose_centers_are_revoked_gets_no_operation_report_reminder(
        designated_centers, commission_staff):
    for center in designated_centers:
        _revoke(center, commission_staff)
    period = SupervisionPeriod.objects.create(
        name="2027年上半年", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 6, 30),
        due_on=datetime.date(2026, 7, 15), created_by=commission_staff)
    day10 = _day_with_left(period.due_on, 10)
    assert supervision.remind_operation_reports(_at(day10)) == 0
    assert supervision.mark_overdue_operation_reports(
        _at(period.due_on + datetime.timedelta(days=1))) == 0
    assert not Notification.objects.filter(purpose__startswith="operation_report").exists()


# --- fixed queries ------------------------------------------------------------------------------

def _many(center, n):
    Revocation.objects.bulk_create([
        Revocation(center=center, ground=G.FALSE_MATERIALS, status=R.DROPPED,
                   facts=f"第{i}项。", notified_at=timezone.now(),
                   statement_due=timezone.localdate(), decided_at=timezone.now())
        for i in range(n)])


@pytest.mark.parametrize("url_name,role", [
    ("evaluations:revocation_center_list", "member"),
    ("evaluations:revocation_district_list", "official"),
    ("evaluations:revocation_list", "commission")])
def test_the_lists_read_a_fixed_number_of_queries(center, official, commission_staff, client,
                                                  django_assert_max_num_queries, url_name,
                                                  role):
    user = {"member": member(center), "official": official,
            "commission": commission_staff}[role]
    client.force_login(user)
    url = (reverse(url_name, args=[center.pk])
           if url_name == "evaluations:revocation_center_list" else reverse(url_name))
    _many(center, 1)
    client.get(url)
    with django_assert_max_num_queries(20) as one:
        assert client.get(url).status_code == 200
    _many(center, 29)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("不予撤销") >= 30


def test_the_units_reading_of_the_commissions_evidence_is_audited(center, commission_staff,
                                                                  client):
    told = _told(center, commission_staff)
    user = member(center)
    client.force_login(user)
    evidence = told.files.get()
    response = client.get(reverse("evaluations:revocation_file", args=[told.pk, evidence.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="revocation_file.download", actor=user,
                                     object_id=str(told.pk)).count() == 1
