"""撤销资格 (第十七条): each of the six grounds is a rule producing exactly one proposal with its
evidence; the proposal is told to the center, which states its case within ten working days
(to the second, Asia/Shanghai), then the commission revokes (the plaque's verification page
and the public list say so, with the ground and date) or drops it with a reason."""

import datetime
import zoneinfo

import chinese_calendar
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from centers.enums import CenterStatus, ChangeKind, ChangeReportStatus, EntityChange
from centers.models import Center, ChangeReport
from core.models import AuditEvent, Notification
from core.sweep import registered_checks
from evaluations import revocations
from evaluations.enums import (
    STATEMENT_WORKING_DAYS,
    Grade,
    RevocationFileKind,
    RevocationGround,
    RevocationStatus,
)
from evaluations.errors import EvaluationError
from evaluations.models import EvaluationCycle, Revocation
from tests.evaluations.revocation_helpers import cycle_of, graded, member, pdf

pytestmark = pytest.mark.django_db

G = RevocationGround
R = RevocationStatus
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def center(designated_centers):
    return designated_centers[0]


def _at(day, hour=10, minute=0, second=0):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, second,
                             tzinfo=SHANGHAI)


def _propose(center, actor, ground=G.FALSE_MATERIALS, files=None):
    return revocations.revocation_propose(
        center=center, ground=ground, facts="经核查，该中心报送的服务企业数据与实际不符。",
        actor=actor, files=[pdf()] if files is None else files)


# --- ground 1: two consecutive 不合格 ---------------------------------------------------------

def test_two_consecutive_fails_propose_once(center, indicator_table, commission_staff):
    graded(cycle_of(2025, indicator_table, commission_staff), center, Grade.FAIL)
    second = graded(cycle_of(2026, indicator_table, commission_staff), center, Grade.FAIL)
    first = revocations.after_grade_confirmed(second)
    again = revocations.after_grade_confirmed(second)
    assert first is not None and again.pk == first.pk
    assert Revocation.objects.filter(center=center, ground=G.TWO_FAILS).count() == 1
    assert first.cycle.year == 2026 and first.proposed_by is None
    assert "2025年度、2026年度" in first.facts
    assert Notification.objects.filter(purpose="revocation_proposed",
                                       recipient=commission_staff).count() == 1


def test_fails_across_a_gap_year_do_not_propose(center, indicator_table, commission_staff):
    graded(cycle_of(2024, indicator_table, commission_staff), center, Grade.FAIL)
    second = graded(cycle_of(2026, indicator_table, commission_staff), center, Grade.FAIL)
    assert revocations.after_grade_confirmed(second) is None
    assert not Revocation.objects.exists()


def test_a_pass_in_between_or_an_unconfirmed_grade_does_not_propose(
        center, indicator_table, commission_staff):
    graded(cycle_of(2025, indicator_table, commission_staff), center, Grade.FAIL,
           confirmed=False)
    second = graded(cycle_of(2026, indicator_table, commission_staff), center, Grade.FAIL)
    assert revocations.after_grade_confirmed(second) is None
    third = graded(cycle_of(2027, indicator_table, commission_staff), center, Grade.PASS)
    assert revocations.after_grade_confirmed(third) is None
    assert not Revocation.objects.exists()


# --- ground 2: materials overdue --------------------------------------------------------------

def test_the_overdue_sweep_proposes_once_for_centers_that_never_submitted(
        designated_centers, open_cycle, evaluation_of):
    late, on_time = designated_centers
    evaluation = evaluation_of(on_time)
    evaluation.submitted_at = timezone.now()
    evaluation.save(update_fields=["submitted_at"])
    assert revocations.revocation_materials_overdue in registered_checks()
    before_due = open_cycle.materials_due
    assert revocations.revocation_materials_overdue(before_due) == 0
    after = before_due + datetime.timedelta(seconds=1)
    assert revocations.revocation_materials_overdue(after) == 1
    assert revocations.revocation_materials_overdue(after + datetime.timedelta(hours=1)) == 0
    proposals = Revocation.objects.filter(ground=G.MATERIALS_OVERDUE)
    assert [(p.center_id, p.cycle_id) for p in proposals] == [(late.pk, open_cycle.pk)]
    open_cycle.refresh_from_db()
    assert open_cycle.materials_closed_at == after


def test_the_overdue_sweep_skips_a_revoked_center(designated_centers, open_cycle):
    Center.objects.filter(pk__in=[c.pk for c in designated_centers]).update(
        status=CenterStatus.REVOKED)
    revocations.revocation_materials_overdue(open_cycle.materials_due
                                             + datetime.timedelta(seconds=1))
    assert not Revocation.objects.exists()


def test_materials_returned_and_not_sent_again_by_the_district_deadline_propose_once(
        designated_centers, open_cycle, evaluation_of):
    from evaluations.enums import EvaluationStatus

    returned, resent = designated_centers
    now = timezone.now()
    evaluation_of(returned)
    evaluation_of(resent)
    Evaluation = type(evaluation_of(returned))
    Evaluation.objects.filter(cycle=open_cycle, center=returned).update(
        status=EvaluationStatus.RETURNED, submitted_at=now)
    Evaluation.objects.filter(cycle=open_cycle, center=resent).update(
        status=EvaluationStatus.SUBMITTED, submitted_at=now)
    assert revocations.revocation_returned_not_resent in registered_checks()
    due = open_cycle.district_due
    assert revocations.revocation_returned_not_resent(due) == 0  # the last second still counts
    after = due + datetime.timedelta(seconds=1)
    assert revocations.revocation_returned_not_resent(after) == 1
    assert revocations.revocation_returned_not_resent(after + datetime.timedelta(hours=1)) == 0
    proposal = Revocation.objects.get()
    assert (proposal.center_id, proposal.cycle_id, proposal.ground) == (
        returned.pk, open_cycle.pk, G.MATERIALS_OVERDUE)
    assert "退回修改" in proposal.facts
    # Dropped by the commission, it is not proposed again for the same cycle.
    Revocation.objects.filter(pk=proposal.pk).update(status="dropped")
    assert revocations.revocation_returned_not_resent(after + datetime.timedelta(days=1)) == 0


# --- ground 3: false materials ----------------------------------------------------------------

def test_false_materials_need_evidence_and_propose_once(center, commission_staff):
    with pytest.raises(EvaluationError, match="证据材料"):
        _propose(center, commission_staff, files=[])
    first = _propose(center, commission_staff)
    again = _propose(center, commission_staff)
    assert again.pk == first.pk and Revocation.objects.count() == 1
    assert first.files.get().kind == RevocationFileKind.EVIDENCE
    assert AuditEvent.objects.filter(action="revocation.propose",
                                     object_id=str(first.pk)).count() == 1


def test_only_the_commission_proposes(center):
    with pytest.raises(PermissionDenied):
        _propose(center, member(center))


# --- ground 4: the center's own request -------------------------------------------------------

def test_the_centers_request_needs_the_legal_representative_and_the_signed_letter(
        center, designated_centers, commission_staff):
    user = member(center)
    with pytest.raises(EvaluationError, match="法定代表人"):
        revocations.revocation_request(center=center, actor=user, legal_representative="",
                                       reason="战略调整，不再运营。", upload=pdf())
    with pytest.raises(EvaluationError, match="签字"):
        revocations.revocation_request(center=center, actor=user, legal_representative="王强",
                                       reason="战略调整，不再运营。", upload=None)
    with pytest.raises(PermissionDenied):
        revocations.revocation_request(center=center, actor=member(designated_centers[1]),
                                       legal_representative="王强", reason="x", upload=pdf())
    first = revocations.revocation_request(center=center, actor=user, legal_representative="王强",
                                           reason="战略调整，不再运营。", upload=pdf("申请.pdf"))
    again = revocations.revocation_request(center=center, actor=user, legal_representative="王强",
                                           reason="战略调整。", upload=pdf())
    assert again.pk == first.pk and Revocation.objects.count() == 1
    assert first.ground == G.SELF_REQUEST and first.legal_representative == "王强"
    assert first.proposed_by == user
    assert first.files.get().kind == RevocationFileKind.REQUEST
    assert Notification.objects.filter(purpose="revocation_proposed",
                                       recipient=commission_staff).exists()


# --- ground 5: terminated (注销) --------------------------------------------------------------

def _cancellation(center):
    return ChangeReport.objects.create(
        center=center, department_id=center.department_id, kind=ChangeKind.ENTITY,
        entity_change=EntityChange.CANCELLATION, licence_changed_on=datetime.date(2026, 9, 1),
        summary="依托法人实体注销。", status=ChangeReportStatus.ACCEPTED,
        decided_at=timezone.now(), created_by=member(center))


def test_an_accepted_cancellation_proposes_once(center, commission_staff):
    report = _cancellation(center)
    assert revocations.revocation_terminations in registered_checks()
    assert revocations.revocation_terminations(timezone.now()) == 1
    assert revocations.revocation_terminations(timezone.now()) == 0
    proposal = Revocation.objects.get()
    assert proposal.ground == G.TERMINATED and proposal.change_report == report
    assert "2026年09月01日" in proposal.facts
    # The commission proposing the same ground gets the standing proposal.
    assert _propose(center, commission_staff, ground=G.TERMINATED, files=[]).pk == proposal.pk


def test_the_commission_may_propose_termination_without_a_report(center, commission_staff):
    first = _propose(center, commission_staff, ground=G.TERMINATED, files=[])
    _cancellation(center)
    assert revocations.terminations_propose() == 0
    assert Revocation.objects.get().pk == first.pk


# --- ground 6: serious violation --------------------------------------------------------------

def test_a_serious_violation_needs_the_decision_document(center, commission_staff):
    with pytest.raises(EvaluationError, match="认定文书"):
        _propose(center, commission_staff, ground=G.SERIOUS_VIOLATION, files=[])
    first = _propose(center, commission_staff, ground=G.SERIOUS_VIOLATION)
    assert _propose(center, commission_staff, ground=G.SERIOUS_VIOLATION).pk == first.pk
    assert first.files.get().kind == RevocationFileKind.DECISION


# --- told, stated, decided --------------------------------------------------------------------

def _independent_due(start, n):
    day, counted = start, 0
    while counted < n:
        day += datetime.timedelta(days=1)
        if chinese_calendar.is_workday(day):
            counted += 1
    return day


def test_the_statement_window_counts_working_days_across_national_day(center,
                                                                      commission_staff):
    proposal = _propose(center, commission_staff)
    told = revocations.revocation_notify(revocation=proposal, actor=commission_staff,
                                         now=_at(datetime.date(2026, 9, 28)))
    assert told.status == R.NOTIFIED
    assert told.statement_due == _independent_due(datetime.date(2026, 9, 28),
                                                  STATEMENT_WORKING_DAYS)
    assert told.statement_due == datetime.date(2026, 10, 16)  # 国庆、中秋 not counted
    notice = Notification.objects.get(purpose="revocation_notified", recipient=member(center))
    assert "2026年10月16日" in notice.body


def test_the_statement_is_taken_to_the_last_second_of_the_due_day(center, commission_staff):
    proposal = _propose(center, commission_staff)
    told = revocations.revocation_notify(revocation=proposal, actor=commission_staff,
                                         now=_at(datetime.date(2026, 9, 28)))
    last = _at(told.statement_due, 23, 59, 59)
    with pytest.raises(EvaluationError, match="届满"):
        revocations.revocation_state(revocation=told, actor=member(center), statement="数据有误。",
                                     now=last + datetime.timedelta(seconds=1))
    with pytest.raises(PermissionDenied):
        revocations.revocation_state(revocation=told, actor=commission_staff, statement="x",
                                     now=last)
    stated = revocations.revocation_state(revocation=told, actor=member(center),
                                          statement="数据为统计口径差异，附说明。",
                                          uploads=[pdf("说明.pdf")], now=last)
    assert stated.status == R.STATED and stated.stated_at == last
    assert stated.files.filter(kind=RevocationFileKind.STATEMENT).count() == 1
    assert Notification.objects.filter(purpose="revocation_stated",
                                       recipient=commission_staff).exists()


def test_revoking_waits_for_the_window_and_needs_a_reason(center, commission_staff):
    proposal = _propose(center, commission_staff)
    with pytest.raises(EvaluationError):  # not told yet
        revocations.revocation_decide(revocation=proposal, actor=commission_staff,
                                      revoke=True, reason="查实。")
    told = revocations.revocation_notify(revocation=proposal, actor=commission_staff,
                                         now=_at(datetime.date(2026, 9, 28)))
    last = _at(told.statement_due, 23, 59, 59)
    with pytest.raises(EvaluationError, match="期满"):
        revocations.revocation_decide(revocation=told, actor=commission_staff, revoke=True,
                                      reason="查实。", now=last)
    with pytest.raises(EvaluationError, match="理由"):
        revocations.revocation_decide(revocation=told, actor=commission_staff, revoke=True,
                                      reason=" ", now=last + datetime.timedelta(seconds=1))
    with pytest.raises(PermissionDenied):
        revocations.revocation_decide(revocation=told, actor=member(center), revoke=True,
                                      reason="x", now=last + datetime.timedelta(seconds=1))
    revoked = revocations.revocation_decide(revocation=told, actor=commission_staff,
                                            revoke=True, reason="查实弄虚作假。",
                                            now=last + datetime.timedelta(seconds=1))
    assert revoked.status == R.REVOKED and revoked.effective_on == datetime.date(2026, 10, 17)
    center.refresh_from_db()
    assert center.status == CenterStatus.REVOKED
    assert center.revoked_on == datetime.date(2026, 10, 17)
    assert center.revocation_ground == G.FALSE_MATERIALS.label


def _revoke(center, commission_staff, ground=G.FALSE_MATERIALS):
    proposal = _propose(center, commission_staff, ground=ground)
    told = revocations.revocation_notify(revocation=proposal, actor=commission_staff)
    stated = revocations.revocation_state(revocation=told, actor=member(center),
                                          statement="无异议。")
    return revocations.revocation_decide(revocation=stated, actor=commission_staff,
                                         revoke=True, reason="事实清楚，证据确凿。")


def test_a_revocation_shows_on_the_verification_page_and_the_public_list(
        center, commission_staff, client):
    plaque = center.plaques.get()
    verify = reverse("centers:verify_token", args=[plaque.token])
    assert "有效" in client.get(verify).text
    public = client.get(reverse("centers:revoked_list")).text
    assert center.name not in public  # a proposal is never public before it is decided
    _revoke(center, commission_staff)
    page = client.get(verify).text
    today = timezone.localdate()
    assert "已撤销" in page and f"{today.year}年{today.month}月{today.day}日" in page
    assert G.FALSE_MATERIALS.label in page
    detail = client.get(reverse("centers:center_detail", args=[center.pk])).text
    assert "已撤销" in detail and G.FALSE_MATERIALS.label in detail
    listed = client.get(reverse("centers:revoked_list")).text
    assert center.name in listed and G.FALSE_MATERIALS.label in listed
    assert f"{today.year}年{today.month}月{today.day}日" in listed
    detail = reverse("centers:center_detail", args=[center.pk])
    assert f'href="{detail}"' not in client.get(reverse("centers:center_list")).text
    revocation = Revocation.objects.get()
    assert revocation.published_at is not None
    assert Notification.objects.filter(purpose="revocation_decided",
                                       recipient=member(center)).exists()


def test_a_drop_keeps_the_center_and_everything_stays(center, commission_staff):
    proposal = _propose(center, commission_staff)
    dropped = revocations.revocation_decide(revocation=proposal, actor=commission_staff,
                                            revoke=False, reason="证据不足。")
    assert dropped.status == R.DROPPED and dropped.decision_reason == "证据不足。"
    center.refresh_from_db()
    assert center.status == CenterStatus.ACTIVE
    # A new proposal on the same ground may follow; the dropped one stays.
    assert _propose(center, commission_staff).pk != dropped.pk
    assert Revocation.objects.count() == 2


def test_other_open_proposals_stay_after_a_revocation(center, commission_staff):
    other = _propose(center, commission_staff, ground=G.SERIOUS_VIOLATION)
    _revoke(center, commission_staff)
    other.refresh_from_db()
    assert other.status == R.PROPOSED
    with pytest.raises(EvaluationError, match="已被撤销"):
        _propose(center, commission_staff, ground=G.TERMINATED, files=[])


def test_no_proposal_for_a_revoked_center_from_two_fails(center, indicator_table,
                                                          commission_staff):
    graded(cycle_of(2025, indicator_table, commission_staff), center, Grade.FAIL)
    second = graded(cycle_of(2026, indicator_table, commission_staff), center, Grade.FAIL)
    Center.objects.filter(pk=center.pk).update(status=CenterStatus.REVOKED)
    assert revocations.after_grade_confirmed(second) is None
    assert EvaluationCycle.objects.count() == 2


def test_telling_refuses_a_window_reaching_a_year_without_a_holiday_schedule(center,
                                                                             commission_staff):
    proposal = _propose(center, commission_staff)
    with pytest.raises(EvaluationError, match="2027"):
        revocations.revocation_notify(revocation=proposal, actor=commission_staff,
                                      now=_at(datetime.date(2026, 12, 28)))
    proposal.refresh_from_db()
    assert proposal.status == R.PROPOSED and proposal.statement_due is None


def test_a_proposal_left_open_is_not_told_after_the_revocation(center, commission_staff):
    other = _propose(center, commission_staff, ground=G.SERIOUS_VIOLATION)
    _revoke(center, commission_staff)
    with pytest.raises(EvaluationError, match="已被撤销"):
        revocations.revocation_notify(revocation=other, actor=commission_staff)
    # It may still be closed for the record.
    dropped = revocations.revocation_decide(revocation=other, actor=commission_staff,
                                            revoke=False, reason="资格已撤销，本事项终结。")
    assert dropped.status == R.DROPPED


def test_accepting_a_cancellation_proposes_the_revocation_at_once(
        center, commission_staff, django_capture_on_commit_callbacks):
    from centers import changes
    from tests.centers.test_changes import entity
    from accounts.enums import Role
    from tests.factories import staff

    official = staff(Role.DISTRICT_OFFICIAL, center.department, username="official_of_center")
    report = entity(center, change=EntityChange.CANCELLATION)
    report = changes.change_report_forward(report=report, actor=official,
                                           opinion="已注销。")
    with django_capture_on_commit_callbacks(execute=True):
        changes.change_report_decide(report=report, actor=commission_staff, accepted=True,
                                     reason="依托法人实体已注销。")
    proposal = Revocation.objects.get()  # no sweep has run
    assert proposal.ground == G.TERMINATED and proposal.change_report_id == report.pk
    assert revocations.revocation_terminations(timezone.now()) == 0
