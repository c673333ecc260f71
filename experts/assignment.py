"""Assigning experts to the applications of a review round (第九条（三）).

Every path (the page, the admin, the demo) goes through these services; each checks
`experts.manage_assignments` on the round and the hard conflicts (experts.conflicts) itself,
whoever asks: a superuser or an is_staff account cannot assign around a conflict.

- `assignment_add`: one expert to one application, by hand.
- `assignment_withdraw`: the manager takes a live assignment back, with a reason.
- `assignment_auto`: fills every application of the round up to the round's experts per
  application, solved as a min-cost flow (`solve_assignment`, networkx network simplex). When
  an application cannot reach that number nothing at all is saved and the result names each
  application short of eligible experts and by how many.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.transitions import Move, Workflow, perform_transition

from .conflicts import conflict_labels, conflicts_of, hard_conflicts
from .enums import (
    ACTIVE_ASSIGNMENT_STATUSES,
    AssignmentMethod,
    AssignmentStatus,
    RoundStatus,
    SheetStatus,
)
from .models import Assignment, Expert, ReviewRound, RoundEntry
from .selectors import active_experts

MANAGE = "experts.manage_assignments"

# Every move of an assignment: the manager withdraws it; the expert confirms the commitment
# before opening the application, or recuses (experts.sheets).
ASSIGNMENT_WORKFLOW = Workflow(
    status_field="status",
    moves=(
        Move("withdraw", (AssignmentStatus.ASSIGNED, AssignmentStatus.COMMITTED),
             AssignmentStatus.WITHDRAWN, MANAGE, "撤回分配", reason_required=True),
        Move("commit", (AssignmentStatus.ASSIGNED,), AssignmentStatus.COMMITTED,
             "experts.score_assignment", label="确认回避与保密承诺"),
        Move("recuse", (AssignmentStatus.ASSIGNED, AssignmentStatus.COMMITTED),
             AssignmentStatus.RECUSED, "experts.score_assignment", label="主动回避",
             reason_required=True),
    ),
)


class AssignmentError(Exception):
    """An assignment the rules refuse; the message is Chinese and shown as is."""


class ConflictError(AssignmentError):
    """The expert has a hard conflict with the application (回避)."""


# --- who may be assigned ---------------------------------------------------------------------


def active_expert_ids(on: datetime.date, *, among: Iterable[int] | None = None) -> set[int]:
    """The ids of the experts who are committee members on `on` (第四条; the one rule is
    experts.selectors.active_experts), among `among` when given. One query."""
    experts = active_experts(on)
    if among is not None:
        experts = experts.filter(pk__in=list(among))
    return set(experts.values_list("pk", flat=True))


def _today() -> datetime.date:
    return timezone.localdate()


def _check_manager(round_: ReviewRound, actor) -> None:
    if actor is None or not actor.has_perm(MANAGE, round_):
        raise PermissionDenied("您没有管理该评审轮次专家分配的权限。")


def _lock_open_round(round_: ReviewRound) -> ReviewRound:
    locked = ReviewRound.objects.select_for_update().get(pk=round_.pk)
    if locked.status == RoundStatus.CLOSED:
        raise AssignmentError("该评审轮次已结束，不能再调整专家分配。")
    return locked


def _live(qs):
    return qs.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES)


# --- manual ----------------------------------------------------------------------------------


def assignment_add(*, round: ReviewRound, application, expert: Expert, actor,
                   on: datetime.date | None = None) -> Assignment:
    """Assigns `expert` to `application` in `round` by hand; returns the new Assignment.

    Raises PermissionDenied (not a manager of the round), ConflictError (a hard conflict,
    naming it), AssignmentError (round closed, application not in the round, expert not an
    active member on `on` (default today, Beijing), already assigned, or the application
    already has the round's experts per application). Writes an audit row `assignment.add`.
    """
    _check_manager(round, actor)
    on = on or _today()
    with transaction.atomic():
        locked = _lock_open_round(round)
        if not RoundEntry.objects.filter(round=locked, application=application).exists():
            raise AssignmentError("该申报不在本评审轮次中。")
        if expert.pk not in active_expert_ids(on, among=[expert.pk]):
            raise AssignmentError(f"{expert.name}不是在库的专家委员会成员，不能分配。")
        sources = conflicts_of(expert=expert, application=application, on=on)
        if sources:
            # 第九条（三）: a hard conflict is never assigned, whoever asks.
            raise ConflictError(f"不能分配：{expert.name}与该申报存在回避情形"
                                f"（{conflict_labels(sources)}）。")
        live = _live(Assignment.objects.filter(round=locked, application=application))
        if live.filter(expert=expert).exists():
            raise AssignmentError(f"{expert.name}已分配评审该申报。")
        if live.count() >= locked.experts_per_application:
            raise AssignmentError(
                f"该申报已分配{locked.experts_per_application}名专家，已满。")
        assignment = Assignment.objects.create(
            round=locked, application=application, expert=expert,
            method=AssignmentMethod.MANUAL, assigned_by=actor)
        audit_record(action="assignment.add", actor=actor, target=assignment,
                     after={"round": locked.pk, "application": application.pk,
                            "expert": expert.pk, "method": AssignmentMethod.MANUAL})
    return assignment


def assignment_withdraw(*, assignment: Assignment, actor, reason: str) -> Assignment:
    """Takes a live assignment back (status WITHDRAWN), with a reason; the slot is free again.

    Raises PermissionDenied, TransitionNotAllowed (not live, or no reason), AssignmentError
    (round closed, or the expert already submitted the sheet). StatusChange + audit row
    `assignment.withdraw` via core.transitions.
    """
    _check_manager(assignment.round, actor)
    with transaction.atomic():
        _lock_open_round(assignment.round)
        sheet = getattr(assignment, "sheet", None) if assignment.pk else None
        if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
            raise AssignmentError("该专家已提交评分表，不能撤回分配。")
        return perform_transition(workflow=ASSIGNMENT_WORKFLOW, obj=assignment,
                                  move_name="withdraw", actor=actor, reason=reason.strip())


# --- automatic -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Infeasible:
    """`short[application id]`: how many eligible experts are missing; `eligible[id]`: how
    many eligible experts it has beyond those already assigned; `need[id]`: free slots."""

    short: dict[int, int]
    eligible: dict[int, int]
    need: dict[int, int]


# Cost of an assignment without a field match; the load costs dominate it (see below).
NO_FIELD_MATCH_COST = 1


def solve_assignment(*, entries: Iterable[int], experts: Iterable[int],
                     eligible: set[tuple[int, int]], existing: set[tuple[int, int]], n: int,
                     affinity: set[tuple[int, int]] = frozenset()
                     ) -> dict[int, list[int]] | Infeasible:
    """The new assignments that bring every entry (application id) up to `n` experts.

    `eligible`: (expert id, application id) pairs that may be assigned (active, no hard
    conflict); `existing`: live pairs, kept as given (they count towards `n` and towards the
    expert's load); `affinity`: pairs whose expert's fields include the application's field.
    Returns `{application id: [expert id, …]}` (new pairs only), or `Infeasible` when some
    entry has fewer eligible experts than free slots (experts have no load cap, so that is
    exactly when no complete assignment exists).

    Min-cost flow: source → application (capacity = free slots) → expert (capacity 1, cost 0
    with a field match, NO_FIELD_MATCH_COST without) → sink through unit edges whose costs
    (L · B for the expert's L-th assignment of the round, B = total flow + 1) rise with the
    load. The load cost is convex and every load step outweighs all field costs together, so
    the solution minimises Σ load² first and field mismatches second: when every expert is
    eligible for every application, loads differ by at most one.
    """
    entries, experts = sorted(set(entries)), sorted(set(experts))
    existing_by_app = Counter(a for _, a in existing)
    load = Counter(e for e, _ in existing)
    need = {a: max(0, n - existing_by_app[a]) for a in entries}
    candidates = defaultdict(list)
    expert_set = set(experts)
    for e, a in sorted(eligible):
        if e in expert_set and a in need and (e, a) not in existing:
            candidates[a].append(e)
    short = {a: need[a] - len(candidates[a]) for a in entries if len(candidates[a]) < need[a]}
    if short:
        return Infeasible(short=short, eligible={a: len(candidates[a]) for a in short},
                          need={a: need[a] for a in short})
    total = sum(need.values())
    if total == 0:
        return {}

    degree = Counter(e for a in entries if need[a] for e in candidates[a])
    # The best load vector of a b-matching minimises the largest load too (a dec-min base of
    # an M-convex set), so a ceiling just above the mean load loses nothing when it is
    # feasible and keeps the graph small; it is lifted step by step when it is not.
    used = [e for e in experts if degree[e]]
    ceiling = -(-(total + sum(load[e] for e in used)) // len(used)) + 1
    highest = max(load[e] + degree[e] for e in used)
    while True:
        chosen = _min_cost_flow(entries, experts, candidates, need, load, affinity,
                                ceiling=None if ceiling >= highest else ceiling)
        if chosen is not None:
            return chosen
        ceiling *= 2


def _min_cost_flow(entries, experts, candidates, need, load, affinity, *, ceiling):
    """The flow of `solve_assignment` with every expert's total load capped at `ceiling`
    (None: no cap); None when that cap makes it infeasible."""
    total = sum(need.values())
    big = total + 1
    graph = nx.MultiDiGraph()
    graph.add_node("s", demand=-total)
    graph.add_node("t", demand=total)
    degree = Counter()
    for a in entries:
        if need[a]:
            graph.add_edge("s", ("a", a), capacity=need[a], weight=0)
            for e in candidates[a]:
                cost = 0 if (e, a) in affinity else NO_FIELD_MATCH_COST
                graph.add_edge(("a", a), ("e", e), capacity=1, weight=cost)
                degree[e] += 1
    for e in experts:
        top = min(degree[e], total)
        if ceiling is not None:
            top = min(top, max(0, ceiling - load[e]))
        for k in range(1, top + 1):
            graph.add_edge(("e", e), "t", capacity=1, weight=(load[e] + k) * big)
    try:
        _, flow = nx.network_simplex(graph)
    except nx.NetworkXUnfeasible:
        return None
    chosen = {}
    for a in entries:
        picked = [e for e in candidates[a]
                  if need[a] and sum(flow[("a", a)][("e", e)].values()) > 0]
        if picked:
            chosen[a] = picked
    return chosen


@dataclass(frozen=True)
class Shortfall:
    application_id: int
    application: str
    need: int
    eligible: int
    short: int

    @property
    def message(self) -> str:
        return (f"“{self.application}”尚缺{self.need}名专家，符合条件（在库、无回避情形）的专家"
                f"只有{self.eligible}名，还差{self.short}名。")


@dataclass
class AutoResult:
    """`created`: the assignments saved; `shortfalls`: when not empty, nothing was saved."""

    created: list[Assignment] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.shortfalls

    @property
    def message(self) -> str:
        if self.shortfalls:
            return (f"自动分配无法完成，未保存任何分配：{len(self.shortfalls)}份申报符合条件的"
                    "专家不足。")
        if not self.created:
            return "各申报的专家均已分配满，无需自动分配。"
        return f"自动分配完成，新增{len(self.created)}条分配。"


def assignment_auto(*, round: ReviewRound, actor, on: datetime.date | None = None) -> AutoResult:
    """Fills every application of `round` up to `round.experts_per_application` live
    assignments with active experts without a hard conflict (solve_assignment), keeping the
    live ones. All or nothing, in one transaction with the round locked: a second run finds
    every application full and adds nothing. Returns AutoResult; when some application is
    short of eligible experts nothing is saved and `shortfalls` names each (Chinese).
    Raises PermissionDenied, AssignmentError (round closed). Audit row `assignment.auto`."""
    _check_manager(round, actor)
    on = on or _today()
    with transaction.atomic():
        locked = _lock_open_round(round)
        entries = list(RoundEntry.objects.filter(round=locked).values_list(
            "application_id", "application__industry_field_id"))
        app_ids = [a for a, _ in entries]
        field_of = dict(entries)
        expert_ids = active_expert_ids(on)
        conflicts = hard_conflicts(applications=app_ids, experts=expert_ids, on=on)
        eligible = {(e, a) for e in expert_ids for a in app_ids if (e, a) not in conflicts}
        fields = defaultdict(set)
        for e, f in Expert.fields.through.objects.filter(expert_id__in=expert_ids).values_list(
                "expert_id", "industryfield_id"):
            fields[e].add(f)
        affinity = {(e, a) for e, a in eligible if field_of[a] in fields[e]}
        existing = set(_live(Assignment.objects.filter(round=locked)).values_list(
            "expert_id", "application_id"))
        solution = solve_assignment(entries=app_ids, experts=expert_ids, eligible=eligible,
                                    existing=existing, n=locked.experts_per_application,
                                    affinity=affinity)
        if isinstance(solution, Infeasible):
            names = _application_names(solution.short)
            return AutoResult(shortfalls=[
                Shortfall(application_id=a, application=names.get(a, str(a)),
                          need=solution.need[a], eligible=solution.eligible[a],
                          short=solution.short[a]) for a in sorted(solution.short)])
        created = Assignment.objects.bulk_create(
            Assignment(round=locked, application_id=a, expert_id=e,
                       method=AssignmentMethod.AUTOMATIC, assigned_by=actor)
            for a in sorted(solution) for e in solution[a])
        if created:
            audit_record(action="assignment.auto", actor=actor, target=locked,
                         after={"created": [[a.application_id, a.expert_id] for a in created]})
    return AutoResult(created=created)


def _application_names(app_ids) -> dict[int, str]:
    from applications.models import Application

    return {a.pk: str(a) for a in Application.objects.filter(pk__in=list(app_ids))
            .select_related("organisation", "call")}
