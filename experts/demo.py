"""Demo data of the expert review's results (`make run`, 第九条（三））: on the demo call a
closed 材料评审 round whose sheets are in every state (submitted, draft, never opened, recused),
one application flagged for disagreement and resolved, results computed and a frozen
拟评定名单; and a round still open on last year's call whose six demo experts stand in every
state of a sheet (unopened, committed, draft, submitted, reopened, recused). On the earlier
call (reviews.demo.PAST_CALL_TITLE) a round long closed and its frozen list of seven, which the
past notice of centers.demo makes public (`seed_past_proposed_list`).

Called by `seed_demo` after the intake and the roster; idempotent.
"""

import datetime
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from accounts.models import Department, User
from applications import services as application_services
from applications.demo import DEMO_CALL_TITLE
from applications.enums import ApplicationStatus
from applications.models import Application, Call
from reviews.demo import PAST_CALL_TITLE, SENT_CALL_TITLE

from . import results, rounds
from .assignment import assignment_add
from .conflicts import hard_conflicts
from .demo_sheets import seed_sheets
from .enums import AssignmentStatus, ProposedListStatus, RoundStatus, SheetStatus
from .models import (
    Assignment,
    Expert,
    ProposedList,
    ReviewRound,
    Score,
    ScoreSheet,
)
from .rubrics import rubric_freeze
from .scoring import sheet_total

CLOSED_ROUND_TITLE = "2026年度赋能中心材料评审（演示）"
PAST_ROUND_TITLE = "2024年度赋能中心材料评审（演示，已结束）"
# The earlier call's round: every expert submitted; all seven applications are proposed, in
# the order of reviews.demo.PAST_UNITS (the last, lowest, is the one the upheld objection removes).
PAST_PLAN = [[92, 90, 91], [89, 88, 90], [87, 86, 88], [85, 84, 86], [83, 82, 84], [81, 80, 82],
             [76, 75, 77]]
OPEN_ROUND_TITLE = "2025年度赋能中心材料评审（演示，评审中）"

# Per application of the closed round, each expert's sheet: a total (submitted), "draft",
# "unopened" (assigned, never opened) or "recused". The second application's 66 and 90 are
# 24 points apart: flagged (threshold 15), then resolved.
CLOSED_PLAN = [
    [88, 86, 84, "draft", "unopened"],
    [66, 90, 78, "recused", 80],
]
# The open round's experts: the demo accounts, one per state of experts.demo_sheets.STATES.
OPEN_ROUND_EXPERTS = ("expert_zhao", "expert_qian", "expert_sun", "expert_zhou", "expert_wu",
                      "expert_chen")


def demo_experts() -> list[Expert]:
    """The demo roster's active members (experts.demo_roster), those with a login first."""
    from .selectors import active_experts

    return list(active_experts().order_by(F("user").asc(nulls_last=True), "pk"))


def demo_assign(round_: ReviewRound, application: Application, expert: Expert,
                actor) -> Assignment:
    """One committed assignment (the expert confirmed the commitment) of a round already
    past (the closed demo round: the assignment service takes no new work into it)."""
    assignment, _ = Assignment.objects.get_or_create(
        round=round_, application=application, expert=expert,
        defaults={"assigned_by": actor, "status": AssignmentStatus.COMMITTED,
                  "committed_at": timezone.now()})
    return assignment


def demo_sheet(assignment: Assignment, plan) -> None:
    """The assignment's sheet as `plan` says: a total (every criterion scored alike, then
    submitted), "draft" (half scored), "unopened" (no sheet) or "recused"."""
    if plan == "unopened":
        return
    if plan == "recused":
        Assignment.objects.filter(pk=assignment.pk).update(
            status=AssignmentStatus.RECUSED, recused_at=timezone.now(),
            recusal_reason="曾为该申报单位提供咨询服务，申请回避。")
        return
    criteria = list(assignment.round.criteria.order_by("order"))
    rubric_freeze(assignment.round)
    sheet, created = ScoreSheet.objects.get_or_create(assignment=assignment)
    if not created:
        return
    if plan == "draft":
        Score.objects.bulk_create(Score(sheet=sheet, criterion=c, value=c.max_score * 8 / 10)
                                  for c in criteria[:len(criteria) // 2])
        return
    values = {c.pk: Decimal(plan) / 100 * c.max_score for c in criteria}
    Score.objects.bulk_create(
        Score(sheet=sheet, criterion=c, value=values[c.pk],
              comment="该项达到满分标准。" if values[c.pk] >= c.max_score else "")
        for c in criteria)
    ScoreSheet.objects.filter(pk=sheet.pk).update(
        status=SheetStatus.SUBMITTED, submitted_at=timezone.now(),
        total=sheet_total(values, criteria),
        overall_comment="建设方案较完整，服务能力与产业带动作用突出。")


def _into_expert_review(call, commission, *, district_only=False) -> list[Application]:
    ready = Application.objects.filter(call=call, status__in=(ApplicationStatus.RECOMMENDED,
                                                             ApplicationStatus.FORMAL_PASSED))
    if district_only:
        ready = ready.filter(routed_to_commission=False)
    for application in ready.order_by("pk"):
        application_services.application_start_expert_review(application=application,
                                                             actor=commission)
    return list(Application.objects.filter(call=call, status=ApplicationStatus.EXPERT_REVIEW)
                .order_by("pk"))


def _round(call, title, commission, deadline) -> ReviewRound:
    round_ = ReviewRound.objects.filter(call=call, title=title).first()
    return round_ or rounds.round_create(actor=commission, call=call, title=title,
                                         deadline=deadline, experts_per_application=4,
                                         disagreement_threshold=Decimal("15"))


def seed_closed_round(commission, experts) -> ReviewRound | None:
    """The closed round of the demo call with its results and frozen proposed list."""
    call = Call.objects.filter(title=DEMO_CALL_TITLE).first()
    if call is None:
        return None
    existing = ReviewRound.objects.filter(call=call, title=CLOSED_ROUND_TITLE).first()
    if existing is not None and existing.status == RoundStatus.CLOSED:
        return existing
    # 崂山区's recommended ones only: the commission's own 形式审查 demo keeps the direct one
    # waiting (reviews.demo.seed_intake).
    applications = _into_expert_review(call, commission, district_only=True)[:len(CLOSED_PLAN)]
    if not applications:
        return None
    round_ = _round(call, CLOSED_ROUND_TITLE, commission,
                    timezone.now() - datetime.timedelta(days=2))
    if round_.status == RoundStatus.PREPARING:
        round_ = rounds.round_open(round=round_, actor=commission)
    conflicts = hard_conflicts(applications=applications, experts=experts,
                               on=timezone.localdate())
    for application, plan in zip(applications, CLOSED_PLAN, strict=False):
        free = [e for e in experts if (e.pk, application.pk) not in conflicts]
        for expert, sheet_plan in zip(free, plan, strict=False):
            demo_sheet(demo_assign(round_, application, expert, commission), sheet_plan)
    round_ = rounds.round_close(round=round_, actor=commission)
    for entry in round_.entries.filter(flagged=True):
        results.entry_resolve(entry=entry, actor=commission,
                              note="经专家组复议，分歧源于对产业带动能力的不同理解，"
                                   "维持各专家原评分，按本轮汇总方法计算汇总得分。")
    ranked = [e.application_id for e in round_.entries.exclude(rank_in_call=None)
              .order_by("rank_in_call", "pk")][:1]
    proposed = results.proposed_list_save(
        round=round_, actor=commission,
        chosen=[{"application_id": pk, "note": "综合评审得分居前。"} for pk in ranked],
        note="依据专家材料评审结果，经主任办公会研究确定。")
    results.proposed_list_freeze(proposed_list=proposed, actor=commission)
    return round_


def seed_past_proposed_list(commission, experts) -> ProposedList | None:
    """The earlier call's (reviews.demo.PAST_CALL_TITLE) closed round, every sheet submitted,
    and its frozen 拟评定名单 of all seven applications in rank order; for the past notice
    (centers.demo). Idempotent: an existing frozen list is returned; None without the call."""
    call = Call.objects.filter(title=PAST_CALL_TITLE).first()
    if call is None:
        return None
    existing = ProposedList.objects.filter(call=call,
                                           status=ProposedListStatus.FROZEN).first()
    if existing is not None:
        return existing
    applications = _into_expert_review(call, commission)[:len(PAST_PLAN)]
    if not applications:
        return None
    round_ = _round(call, PAST_ROUND_TITLE, commission,
                    timezone.now() - datetime.timedelta(days=40))
    if round_.status == RoundStatus.PREPARING:
        round_ = rounds.round_open(round=round_, actor=commission)
    conflicts = hard_conflicts(applications=applications, experts=experts,
                               on=timezone.localdate())
    for application, plan in zip(applications, PAST_PLAN, strict=False):
        free = [e for e in experts if (e.pk, application.pk) not in conflicts]
        for expert, sheet_plan in zip(free, plan, strict=False):
            demo_sheet(demo_assign(round_, application, expert, commission), sheet_plan)
    if round_.status == RoundStatus.OPEN:
        round_ = rounds.round_close(round=round_, actor=commission)
    ranked = [e.application_id for e in round_.entries.exclude(rank_in_call=None)
              .order_by("rank_in_call", "pk")]
    proposed = results.proposed_list_save(
        round=round_, actor=commission,
        chosen=[{"application_id": pk, "note": "综合评审得分居前。"} for pk in ranked],
        note="依据专家材料评审结果，经主任办公会研究确定。")
    return results.proposed_list_freeze(proposed_list=proposed, actor=commission)


def seed_open_round(commission) -> ReviewRound | None:
    """A round still open on last year's call, on one of its recommended applications (the
    other stays waiting in the intake), assigned by hand to the six demo expert accounts
    through the assignment service and moved into every state by experts.demo_sheets."""
    call = Call.objects.filter(title=SENT_CALL_TITLE).first()
    if call is None or ReviewRound.objects.filter(call=call, title=OPEN_ROUND_TITLE).exists():
        return None
    ready = (Application.objects.filter(call=call, status=ApplicationStatus.RECOMMENDED)
             .order_by("pk").first())
    if ready is None:
        return None
    application_services.application_start_expert_review(application=ready, actor=commission)
    round_ = _round(call, OPEN_ROUND_TITLE, commission,
                    timezone.now() + datetime.timedelta(days=5))
    ReviewRound.objects.filter(pk=round_.pk).update(
        experts_per_application=len(OPEN_ROUND_EXPERTS))
    round_ = rounds.round_open(round=round_, actor=commission)
    experts = Expert.objects.filter(user__username__in=OPEN_ROUND_EXPERTS).order_by("pk")
    for expert in experts:
        assignment_add(round=round_, application=ready, expert=expert, actor=commission)
    seed_sheets(round_, reopened_by=commission)
    return round_


def seed_expert_review_demo() -> None:
    """Seeds the closed round with its proposed list, and the open round (see the module
    docstring). Runs after the roster demo (experts.demo_roster)."""
    commission = User.objects.get(username="commission")
    seed_closed_round(commission, demo_experts())
    seed_open_round(commission)
    # 第三条: the demo industry authority reads both rounds and gives its opinions.
    authority = Department.objects.filter(short_name="市工业和信息化局").first()
    if authority is not None:
        for round_ in ReviewRound.objects.filter(title__in=(CLOSED_ROUND_TITLE,
                                                            OPEN_ROUND_TITLE)):
            round_.invited_authorities.add(authority)
