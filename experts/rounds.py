"""A review round's lifecycle and its rubric (第九条（三）).

准备中 → 评审中 (`round_open`: every application of the call in 专家评审 enters the round) →
已结束 (`round_close`: results computed and stored, experts.scoring). The rubric is edited
only while `rubric_frozen_at` is empty (`rubric_save`); the first sheet opened freezes it.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application
from core.audit import audit_record
from core.transitions import Move, TransitionNotAllowed, Workflow, perform_transition

from .enums import ACTIVE_ASSIGNMENT_STATUSES, RoundStatus, SheetStatus
from .models import Assignment, Criterion, ReviewRound, RoundEntry
from .rubrics import RubricError, rubric_install_default, weights_problem
from .scoring import round_results_compute

R = RoundStatus

ROUND_WORKFLOW = Workflow(
    status_field="status",
    moves=(
        Move("open", (R.PREPARING,), R.OPEN, "experts.manage_round", "开始评审"),
        Move("close", (R.OPEN,), R.CLOSED, "experts.manage_round", "结束评审"),
    ),
    labels=dict(RoundStatus.choices),
)


class RoundError(Exception):
    """A round's move refused (Chinese message)."""


def round_create(*, actor, call, title: str, deadline, **fields) -> ReviewRound:
    """A new round of `call` (准备中) with the default rubric of 第七条 (rubrics.DEFAULT_RUBRIC).
    `fields`: kind, experts_per_application, aggregation, disagreement_threshold, agency.
    Audited (`review_round.create`). Raises PermissionDenied."""
    if not actor.has_perm("experts.manage_round"):
        raise PermissionDenied("只有市发展改革委工作人员可以创建评审轮次。")
    with transaction.atomic():
        round_ = ReviewRound.objects.create(call=call, title=title, deadline=deadline,
                                            created_by=actor, **fields)
        rubric_install_default(round_)
        audit_record(action="review_round.create", actor=actor, target=round_,
                     after={"call": call.pk, "title": title})
    return round_


def _decimal(value, label: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise RubricError(f"{label}须为数字。") from None
    if not number.is_finite() or number <= 0:
        raise RubricError(f"{label}须大于0。")
    return number


def rubric_problem(*, round: ReviewRound, rows) -> str:  # noqa: A002
    """Why `rows` cannot become the round's rubric (Chinese), or "": the rubric frozen, a row
    without a name, a non-positive maximum or weight, weights not summing to 100."""
    if ReviewRound.objects.filter(pk=round.pk, rubric_frozen_at__isnull=False).exists():
        return "已有专家打开评分表，评分标准已锁定，不能修改。"
    if not rows:
        return "评分标准至少需要一个评分项。"
    try:
        weights = []
        for row in rows:
            if not str(row.get("name", "")).strip():
                return "每个评分项都须填写名称。"
            _decimal(row.get("max_score"), f"评分项“{row['name']}”的满分")
            weights.append(_decimal(row.get("weight"), f"评分项“{row['name']}”的权重"))
    except RubricError as error:
        return str(error)
    return weights_problem(weights)


def rubric_save(*, round: ReviewRound, actor, rows: list[dict]) -> list[Criterion]:  # noqa: A002
    """Replaces the round's rubric by `rows` (each {name, description, max_score, weight},
    in order; weights in %, summing to 100). Refused once the rubric is frozen (the first
    sheet opened). Audited (`review_round.rubric_save`). Raises PermissionDenied, RubricError
    (Chinese)."""
    if not actor.has_perm("experts.manage_round", round):
        raise PermissionDenied("只有市发展改革委工作人员可以修改评分标准。")
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=round.pk)
        problem = rubric_problem(round=locked, rows=rows)
        if problem:
            raise RubricError(problem)
        before = list(locked.criteria.order_by("order").values_list("name", "weight"))
        locked.criteria.all().delete()
        criteria = Criterion.objects.bulk_create(
            Criterion(round=locked, order=i, name=str(row["name"]).strip(),
                      description=row.get("description", ""),
                      max_score=Decimal(str(row["max_score"])),
                      weight=Decimal(str(row["weight"])))
            for i, row in enumerate(rows, 1))
        audit_record(action="review_round.rubric_save", actor=actor, target=locked,
                     before={"criteria": [[n, str(w)] for n, w in before]},
                     after={"criteria": [[c.name, str(c.weight)] for c in criteria]})
    return criteria


def round_entries_enter(round_: ReviewRound) -> int:
    """Enters every application of the round's call that is in 专家评审 and not yet in the
    round; idempotent. Returns how many were added. A round without a call (运行评价) enters
    nothing here: its entries are made by the service that made the round."""
    if round_.call_id is None:
        return 0
    present = set(round_.entries.values_list("application_id", flat=True))
    new = [RoundEntry(round=round_, application_id=pk) for pk in Application.objects.filter(
        call_id=round_.call_id, status=ApplicationStatus.EXPERT_REVIEW).values_list(
        "pk", flat=True) if pk not in present]
    RoundEntry.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def round_open(*, round: ReviewRound, actor) -> ReviewRound:  # noqa: A002
    """开始评审: 准备中 → 评审中; every application of the call in 专家评审 enters the round
    (again on a repeated call, idempotently). Raises PermissionDenied, RoundError."""
    with transaction.atomic():
        try:
            opened = perform_transition(workflow=ROUND_WORKFLOW, obj=round, move_name="open",
                                        actor=actor, changes={"opened_at": timezone.now()})
        except TransitionNotAllowed as error:
            raise RoundError(str(error)) from None
        round_entries_enter(opened)
        if not opened.criteria.exists():
            rubric_install_default(opened)
    return opened


def round_close(*, round: ReviewRound, actor) -> ReviewRound:  # noqa: A002
    """结束评审: 评审中 → 已结束, then computes and stores every entry's result
    (scoring.round_results_compute). Before the deadline a round closes only once every live
    assignment's sheet is submitted: closing early would drop sheets the experts may still
    hand in. After it, unsubmitted sheets are left out (never counted as 0).
    Raises PermissionDenied, RoundError."""
    with transaction.atomic():
        if timezone.now() <= round.deadline:
            waiting = (Assignment.objects.filter(round=round,
                                                 status__in=ACTIVE_ASSIGNMENT_STATUSES)
                       .exclude(sheet__status=SheetStatus.SUBMITTED).count())
            if waiting:
                deadline = timezone.localtime(round.deadline)
                raise RoundError(f"评分截止时间（{deadline:%Y-%m-%d %H:%M}）前仍有{waiting}份评分表"
                                 "未提交，暂不能结束评审；截止后结束的，未提交的评分表不计入结果。")
        try:
            closed = perform_transition(workflow=ROUND_WORKFLOW, obj=round, move_name="close",
                                        actor=actor, changes={"closed_at": timezone.now()})
        except TransitionNotAllowed as error:
            raise RoundError(str(error)) from None
        round_results_compute(round=closed, actor=actor)
    return closed
