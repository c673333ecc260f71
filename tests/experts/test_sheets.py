"""The expert's services (第九条（三）): commitment, recusal, declarations, the score sheet,
its weighted total, drafts, submission, versions, the deadline and the commission's reopening."""

import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, Notification, StatusChange
from core.transitions import TransitionNotAllowed
from experts import sheets
from experts.enums import AssignmentStatus, SheetStatus
from experts.models import Criterion, ExpertDeclaration, Score, ScoreSheet
from experts.scoring import ScoringError

from .conftest import make_expert
from .scoring import assign, entries_at, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(review_round, expert_review_apps, expert_record, commission_staff):
    """The `expert` user's committed assignment on the first application of an open round."""
    open_round(review_round)
    return assign(review_round, expert_review_apps[0], expert_record, commission_staff,
                  committed=True)


@pytest.fixture
def criteria(review_round):
    return sheets.round_criteria(review_round)


# --- the weighted total ---------------------------------------------------------------------

def test_sheet_total_is_the_weighted_sum_on_100_rounded_half_up():
    a = Criterion(pk=1, max_score=Decimal("10"), weight=Decimal("60"))
    b = Criterion(pk=2, max_score=Decimal("20"), weight=Decimal("40"))
    assert sheets.sheet_total({1: Decimal("8"), 2: Decimal("15")}, [a, b]) == Decimal("78.00")
    assert sheets.sheet_total({1: Decimal("10"), 2: Decimal("20")}, [a, b]) == Decimal("100.00")
    # 7.77/10×60 = 46.62, 13.33/20×40 = 26.66 → 73.28
    assert sheets.sheet_total({1: Decimal("7.77"), 2: Decimal("13.33")}, [a, b]) == Decimal(
        "73.28")
    # 1/3 of 30 → 10.000…; 0.005 rounds up: 0.0125/10×... build a half case directly
    c = Criterion(pk=3, max_score=Decimal("8"), weight=Decimal("100"))
    assert sheets.sheet_total({3: Decimal("0.01")}, [c]) == Decimal("0.13")  # 0.125 → 0.13
    # An unscored sheet has no total (experts.scoring): never counted as 0.
    with pytest.raises(ScoringError):
        sheets.sheet_total({}, [a, b])


def test_sheet_total_accepts_score_rows(live, criteria, expert):
    sheet = sheets.sheet_open(assignment=live, actor=expert)
    rows = [Score(criterion=c, value=c.max_score) for c in criteria]
    assert sheets.sheet_total(rows, criteria) == Decimal("100.00")
    assert sheet.scores.count() == len(criteria)


# --- commitment, recusal, declarations ------------------------------------------------------

def test_commitment_moves_assigned_to_committed_with_a_status_change(
        review_round, expert_review_apps, expert_record, expert, commission_staff):
    open_round(review_round)
    item = assign(review_round, expert_review_apps[0], expert_record, commission_staff)
    with pytest.raises(sheets.SheetError, match="勾选"):
        sheets.assignment_commit(assignment=item, actor=expert, accepted=False)
    done = sheets.assignment_commit(assignment=item, actor=expert, accepted=True)
    assert done.status == AssignmentStatus.COMMITTED and done.committed_at is not None
    change = StatusChange.objects.get(transition="commit")
    assert (change.from_status, change.to_status, change.actor) == ("assigned", "committed",
                                                                    expert)
    with pytest.raises(TransitionNotAllowed):
        sheets.assignment_commit(assignment=done, actor=expert, accepted=True)


def test_someone_elses_assignment_cannot_be_committed(review_round, expert_review_apps,
                                                      commission_staff, expert, expert_record):
    open_round(review_round)
    other = make_expert("钱伟", login=True)
    item = assign(review_round, expert_review_apps[0], other, commission_staff)
    with pytest.raises(PermissionDenied):
        sheets.assignment_commit(assignment=item, actor=expert, accepted=True)
    with pytest.raises(PermissionDenied):
        sheets.assignment_commit(assignment=item, actor=commission_staff, accepted=True)


def test_recusal_needs_a_reason_frees_the_slot_and_tells_the_commission(
        live, expert, commission_staff, django_capture_on_commit_callbacks):
    with pytest.raises(sheets.SheetError, match="回避理由"):
        sheets.assignment_recuse(assignment=live, actor=expert, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        recused = sheets.assignment_recuse(assignment=live, actor=expert,
                                           reason="曾为该单位提供咨询。")
    assert recused.status == AssignmentStatus.RECUSED
    assert recused.recusal_reason == "曾为该单位提供咨询。" and recused.recused_at
    assert StatusChange.objects.get(transition="recuse").reason == "曾为该单位提供咨询。"
    notice = Notification.objects.get(recipient=commission_staff, purpose="expert_recused")
    assert "赵敏" in notice.body and "曾为该单位提供咨询。" in notice.body
    # The slot is free: the same pair may be assigned again (one live row per pair).
    assign(live.round, live.application, live.expert, commission_staff)
    with pytest.raises(PermissionDenied):
        sheets.assignment_recuse(assignment=recused, actor=expert, reason="再次")


@pytest.mark.parametrize("kind", [ExpertDeclaration.Kind.PREPARED,
                                  ExpertDeclaration.Kind.CONFLICT])
def test_a_declaration_is_kept_and_recuses(live, expert, kind):
    recused = sheets.assignment_declare(assignment=live, actor=expert, kind=kind,
                                        note="2025年参与")
    assert recused.status == AssignmentStatus.RECUSED
    declaration = ExpertDeclaration.objects.get(expert=live.expert, application=live.application)
    assert declaration.kind == kind
    assert recused.recusal_reason.startswith(ExpertDeclaration.Kind(kind).label)
    assert AuditEvent.objects.filter(action="expert.declare").exists()


# --- opening and saving the sheet -----------------------------------------------------------

def test_opening_needs_the_commitment_and_freezes_the_rubric(
        review_round, expert_review_apps, expert_record, expert, commission_staff):
    open_round(review_round)
    item = assign(review_round, expert_review_apps[0], expert_record, commission_staff)
    with pytest.raises(sheets.SheetError, match="承诺"):
        sheets.sheet_open(assignment=item, actor=expert)
    item = sheets.assignment_commit(assignment=item, actor=expert, accepted=True)
    assert review_round.rubric_frozen_at is None
    sheet = sheets.sheet_open(assignment=item, actor=expert)
    review_round.refresh_from_db()
    assert review_round.rubric_frozen_at is not None
    assert sheets.sheet_open(assignment=item, actor=expert) == sheet
    assert ScoreSheet.objects.count() == 1 and sheet.scores.count() == 8


def test_a_draft_may_be_incomplete_and_bumps_the_version(live, expert, criteria):
    sheet = sheets.sheet_open(assignment=live, actor=expert)
    first = criteria[0]
    saved = sheets.sheet_save(sheet=sheet, actor=expert, version=sheet.version,
                              entries={first.pk: {"value": "7.5", "comment": ""}},
                              overall_comment="")
    assert saved.status == SheetStatus.DRAFT and saved.version == sheet.version + 1
    assert saved.scores.get(criterion=first).value == Decimal("7.50")
    assert saved.total is None


@pytest.mark.parametrize(("value", "message"), [
    ("10.01", "得分须在 0 至 10 分之间"), ("-1", "得分须在 0 至 10 分之间"),
    ("八", "请填写数字"), ("7.555", "两位小数"), ("NaN", "请填写数字")])
def test_a_score_outside_its_bounds_is_refused_even_in_a_draft(live, expert, criteria, value,
                                                               message):
    sheet = sheets.sheet_open(assignment=live, actor=expert)
    with pytest.raises(sheets.SheetError) as caught:
        sheets.sheet_save(sheet=sheet, actor=expert, version=sheet.version,
                          entries={criteria[0].pk: {"value": value, "comment": ""}},
                          overall_comment="")
    assert message in caught.value.errors[criteria[0].pk][0]
    sheet.refresh_from_db()
    assert sheet.version == 0  # nothing written


@pytest.mark.parametrize(("share", "needs_comment"), [
    ("0.59", True), ("0.6", False), ("0.99", False), ("1", True), ("0", True)])
def test_submitting_needs_a_comment_under_60_percent_or_at_the_maximum(
        live, expert, criteria, share, needs_comment):
    sheet = sheets.sheet_open(assignment=live, actor=expert)
    entries = entries_at(criteria)
    entries[criteria[0].pk] = {"value": str(criteria[0].max_score * Decimal(share)),
                               "comment": ""}
    if needs_comment:
        with pytest.raises(sheets.SheetError) as caught:
            sheets.sheet_save(sheet=sheet, actor=expert, version=sheet.version, entries=entries,
                              overall_comment="总体", submit=True)
        assert "须填写评分说明" in caught.value.errors[criteria[0].pk][0]
    else:
        saved = sheets.sheet_save(sheet=sheet, actor=expert, version=sheet.version,
                                  entries=entries, overall_comment="总体", submit=True)
        assert saved.status == SheetStatus.SUBMITTED


def test_submitting_needs_every_score_and_the_overall_comment(live, expert, criteria):
    sheet = sheets.sheet_open(assignment=live, actor=expert)
    entries = entries_at(criteria)
    entries[criteria[3].pk] = {"value": "", "comment": ""}
    with pytest.raises(sheets.SheetError) as caught:
        sheets.sheet_save(sheet=sheet, actor=expert, version=sheet.version, entries=entries,
                          overall_comment="", submit=True)
    assert caught.value.errors[criteria[3].pk] == ["请填写得分。"]
    assert caught.value.errors["overall_comment"] == ["请填写总体评价意见。"]


def test_submitting_locks_the_sheet_and_stores_the_total(live, expert, criteria):
    sheet = sheets.sheet_open(assignment=live, actor=expert)
    saved = sheets.sheet_save(sheet=sheet, actor=expert, version=sheet.version,
                              entries=entries_at(criteria), overall_comment="总体", submit=True)
    assert saved.status == SheetStatus.SUBMITTED and saved.submitted_at
    assert saved.total == Decimal("80.00")
    assert StatusChange.objects.filter(transition="submit", to_status="submitted").exists()
    with pytest.raises(sheets.SheetError, match="已提交并锁定"):
        sheets.sheet_save(sheet=saved, actor=expert, version=saved.version,
                          entries=entries_at(criteria, "0.5"), overall_comment="改")
    saved.refresh_from_db()
    assert saved.total == Decimal("80.00")


def test_a_save_based_on_an_older_version_is_refused(live, expert, criteria):
    sheet = sheets.sheet_open(assignment=live, actor=expert)
    sheets.sheet_save(sheet=sheet, actor=expert, version=0, entries=entries_at(criteria, "0.7"),
                      overall_comment="第一个标签页")
    with pytest.raises(sheets.StaleSheet, match="本次未保存"):
        sheets.sheet_save(sheet=sheet, actor=expert, version=0,
                          entries=entries_at(criteria, "0.9"), overall_comment="第二个标签页")
    sheet.refresh_from_db()
    assert sheet.overall_comment == "第一个标签页" and sheet.version == 1


def test_the_deadline_second_is_in_time_and_the_next_is_not(live, expert, criteria):
    deadline = timezone.now() + datetime.timedelta(hours=1)
    open_round(live.round, deadline=deadline)
    sheet = sheets.sheet_open(assignment=live, actor=expert)
    sheets.sheet_save(sheet=sheet, actor=expert, version=0, entries=entries_at(criteria),
                      overall_comment="", now=deadline)
    with pytest.raises(sheets.SheetError, match="截止"):
        sheets.sheet_save(sheet=sheet, actor=expert, version=1, entries=entries_at(criteria),
                          overall_comment="总体", submit=True,
                          now=deadline + datetime.timedelta(seconds=1))
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT and sheet.version == 1


def test_a_closed_round_refuses_saves(live, expert, criteria):
    sheet = sheets.sheet_open(assignment=live, actor=expert)
    open_round(live.round, status="closed")
    with pytest.raises(sheets.SheetError, match="未在进行中"):
        sheets.sheet_save(sheet=sheet, actor=expert, version=0, entries={}, overall_comment="")


# --- reopening ------------------------------------------------------------------------------

def _submitted(live, expert, criteria):
    sheet = sheets.sheet_open(assignment=live, actor=expert)
    return sheets.sheet_save(sheet=sheet, actor=expert, version=sheet.version,
                             entries=entries_at(criteria), overall_comment="总体", submit=True)


def test_the_commission_reopens_with_a_logged_reason_and_the_expert_is_told(
        live, expert, criteria, commission_staff, django_capture_on_commit_callbacks):
    sheet = _submitted(live, expert, criteria)
    with pytest.raises(TransitionNotAllowed, match="理由"):
        sheets.sheet_reopen(sheet=sheet, actor=commission_staff, reason=" ")
    with pytest.raises(PermissionDenied):
        sheets.sheet_reopen(sheet=sheet, actor=expert, reason="自己重开")
    with django_capture_on_commit_callbacks(execute=True):
        reopened = sheets.sheet_reopen(sheet=sheet, actor=commission_staff, reason="请核对第3项。")
    assert reopened.status == SheetStatus.DRAFT and reopened.total is None
    assert reopened.version == sheet.version + 1
    assert StatusChange.objects.get(transition="reopen").reason == "请核对第3项。"
    assert Notification.objects.get(recipient=expert, purpose="score_sheet_reopened")
    # The expert's scores are still there, to correct.
    assert reopened.scores.filter(value__isnull=False).count() == len(criteria)


def test_a_sheet_reopened_while_being_edited_loses_nothing(live, expert, criteria,
                                                           commission_staff):
    """A page opened before the reopening (its version is older) is refused, never applied
    over the reopened sheet; what it carried is returned to the page by the view."""
    sheet = sheets.sheet_open(assignment=live, actor=expert)
    sheets.sheet_save(sheet=sheet, actor=expert, version=0, entries=entries_at(criteria),
                      overall_comment="初稿", page="tab")
    page_version = 1  # the same page goes on being edited after its save
    submitted = sheets.sheet_save(sheet=sheet, actor=expert, version=1,
                                  entries=entries_at(criteria), overall_comment="提交稿",
                                  submit=True, page="tab")
    sheets.sheet_reopen(sheet=submitted, actor=commission_staff, reason="请复核。")
    with pytest.raises(sheets.StaleSheet):
        sheets.sheet_save(sheet=sheet, actor=expert, version=page_version, page="tab",
                          entries=entries_at(criteria, "0.5"), overall_comment="旧标签页")
    sheet.refresh_from_db()
    assert sheet.overall_comment == "提交稿" and sheet.status == SheetStatus.DRAFT


def test_a_pages_own_earlier_save_does_not_make_it_stale(live, expert, criteria):
    """保存草稿 pressed while the page's autosave is in flight: the page's version is the one
    before its autosave, but nothing else came in between, so the save stands. Another page
    (tab) based on that version is still refused."""
    sheet = sheets.sheet_open(assignment=live, actor=expert)
    sheets.sheet_save(sheet=sheet, actor=expert, version=0, page="page-a",
                      entries=entries_at(criteria, "0.7"), overall_comment="自动保存")
    saved = sheets.sheet_save(sheet=sheet, actor=expert, version=0, page="page-a",
                              entries=entries_at(criteria, "0.8"), overall_comment="保存草稿")
    assert saved.version == 2 and saved.overall_comment == "保存草稿"
    with pytest.raises(sheets.StaleSheet):
        sheets.sheet_save(sheet=sheet, actor=expert, version=1, page="page-b",
                          entries=entries_at(criteria, "0.9"), overall_comment="另一标签页")
    with pytest.raises(sheets.StaleSheet):
        sheets.sheet_save(sheet=sheet, actor=expert, version=0, page="",
                          entries=entries_at(criteria, "0.9"), overall_comment="无页面标识")


def test_a_sheet_posted_after_its_withdrawal_gives_back_what_was_typed(
        live, criteria, expert, commission_staff, client):
    """Nothing typed is lost: the commission withdrew the assignment while the expert was
    typing; the save is refused (409) and the page lists every score and comment typed. Another
    expert posting to it still gets 404."""
    from experts.assignment import assignment_withdraw

    from .scoring import post_data

    client.force_login(expert)
    sheets.sheet_open(assignment=live, actor=expert)
    assignment_withdraw(assignment=live, actor=commission_staff, reason="调整分配")
    typed = entries_at(criteria, comment="技术路线清晰")
    response = client.post(reverse("experts:sheet", args=[live.pk]),
                           post_data(criteria, typed, version=0, overall="总体良好，建议通过"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "已撤回该评审任务" in page and "总体良好，建议通过" in page
    assert "技术路线清晰" in page and typed[criteria[0].pk]["value"] in page
    other = make_expert(login=True)
    client.force_login(other.user)
    assert client.post(reverse("experts:sheet", args=[live.pk]),
                       post_data(criteria, typed, version=0)).status_code == 404


def test_a_conflict_found_after_the_assignment_bars_the_materials_and_the_sheet(
        client, review_round, expert_review_apps, expert, expert_record, commission_staff):
    application = expert_review_apps[0]
    open_round(review_round)
    pending = assign(review_round, application, expert_record, commission_staff)
    client.force_login(expert)
    assert client.get(reverse("experts:assignment", args=[pending.pk])).status_code == 200
    # The expert moves to the applicant unit after being assigned: a hard conflict now.
    type(expert_record).objects.filter(pk=expert_record.pk).update(
        employer_name=application.organisation.name, employer_uscc=application.organisation.uscc)
    page = client.get(reverse("experts:assignment", args=[pending.pk]))
    assert page.status_code == 403 and "利益冲突" in page.content.decode()
    assert client.post(reverse("experts:commit", args=[pending.pk]),
                       {"accept": "on"}).status_code == 403
    type(pending).objects.filter(pk=pending.pk).update(status=AssignmentStatus.COMMITTED)
    for name in ("experts:application", "experts:sheet"):
        answer = client.get(reverse(name, args=[pending.pk]))
        assert answer.status_code == 403 and "申请回避" in answer.content.decode()
    # Recusing stays open to the expert.
    assert client.get(reverse("experts:recuse", args=[pending.pk])).status_code == 200
