"""Grades of a cycle (第十七条: 优秀、良好、合格、不合格): computed from the expert aggregate
(`scoring.cycle_scores`) and the table's hard rules, confirmed by the commission (a departure
from the computed grade needs a note), then published: the centers and their 主管部门 are told,
the public results page lists them and 优秀 centers are listed for support.

Computing is deterministic: the score is the stored aggregate, and every hard rule reads stored
facts (the submission time, the commission's finding, the change reports' overdue marks), so
computing again reproduces every stored grade (`grades_verify`)."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.selectors import role_users
from applications.services import organisation_members
from centers.models import ChangeReport
from core.audit import audit_record
from core.notifications import notify
from core.transitions import TransitionNotAllowed, perform_transition

from .enums import CycleStatus, EvaluationStatus, Grade, HardRule
from .errors import EvaluationError
from .grading import grade_for
from .models import Evaluation, EvaluationCycle
from .workflows import CYCLE_WORKFLOW

CONFIRM_REFUSAL = "只有市发展改革委工作人员可以确认评价等级。"
CENT = Decimal("0.01")
# The longest 确认说明 and 查实情况 (the portal forms and the admin actions alike).
GRADE_NOTE_MAX_CHARS = 2000
FALSE_NOTE_MAX_CHARS = 5000


def _check(actor, perm, refusal):
    if not actor.has_perm(perm):
        raise PermissionDenied(refusal)


def hard_rules_hit(evaluation: Evaluation, cycle: EvaluationCycle | None = None,
                   now=None) -> list[str]:
    """The hard rules (enums.HardRule values, in enum order) of the cycle's table that
    `evaluation` meets, each forcing 不合格:
    - MATERIALS_NOT_SUBMITTED: the materials were never submitted and `materials_due` has
      passed (at `now`, or the cycle has moved on to scoring: its materials are closed, so a
      grade computed again later is the same); or they were returned for correction and not
      sent again once the 主管部门's deadline passed (the same test on `district_due`);
    - FALSE_MATERIALS: the commission found false materials (`false_materials_record`);
    - CHANGE_REPORT_OVERDUE: a change report of the center was marked overdue (第十三条) on a
      day inside the cycle's data window."""
    cycle = cycle or evaluation.cycle
    now = now or timezone.now()
    applicable = set(cycle.table.hard_rules or [])
    hit = []
    scoring_begun = cycle.status not in (CycleStatus.DRAFT, CycleStatus.OPEN)
    materials_closed = now > cycle.materials_due or scoring_begun
    # Returned and never sent again: what was returned is no submission (第十八条).
    returned_for_good = (evaluation.status == EvaluationStatus.RETURNED
                         and (now > cycle.district_due or scoring_begun))
    if HardRule.MATERIALS_NOT_SUBMITTED in applicable and (
            (evaluation.submitted_at is None and materials_closed) or returned_for_good):
        hit.append(HardRule.MATERIALS_NOT_SUBMITTED.value)
    if HardRule.FALSE_MATERIALS in applicable and evaluation.false_materials_found:
        hit.append(HardRule.FALSE_MATERIALS.value)
    if HardRule.CHANGE_REPORT_OVERDUE in applicable and _change_report_overdue(evaluation,
                                                                               cycle):
        hit.append(HardRule.CHANGE_REPORT_OVERDUE.value)
    return hit


def _change_report_overdue(evaluation, cycle) -> bool:
    marks = ChangeReport.objects.filter(center_id=evaluation.center_id,
                                        overdue_at__isnull=False).values_list("overdue_at",
                                                                              flat=True)
    return any(cycle.window_start <= timezone.localdate(at) <= cycle.window_end for at in marks)


def _quantized(score):
    return None if score is None else Decimal(score).quantize(CENT, rounding=ROUND_HALF_UP)


def grade_of(evaluation: Evaluation, score, cycle=None, now=None) -> tuple[str, list[str]]:
    """(computed grade value or "", hard rules hit) of `evaluation` with `score` (weighted
    total 0–100 or None) under its cycle's table (grading.grade_for)."""
    cycle = cycle or evaluation.cycle
    hit = hard_rules_hit(evaluation, cycle, now)
    return grade_for(_quantized(score), cycle.table, hit), hit


def grades_compute(*, cycle: EvaluationCycle, actor=None, scores: dict | None = None,
                   now=None) -> int:
    """Computes and stores each evaluation's score (the expert aggregate, two places),
    hard rules hit and computed grade while the cycle is 评估评分中. `scores` default
    `scoring.cycle_scores(cycle)` ({evaluation id: Decimal or None}). A confirmed grade that
    now departs from the computed one without a note is unconfirmed (to be confirmed again).
    Idempotent. Returns how many evaluations changed. Raises PermissionDenied (an actor who
    is not commission staff), EvaluationError (wrong status). Audited
    (`evaluation_cycle.grades_compute`)."""
    from . import scoring

    if actor is not None:
        _check(actor, "evaluations.confirm_grade", CONFIRM_REFUSAL)
    if cycle.status != CycleStatus.SCORING:
        raise EvaluationError("只有评估评分中的评价年度可以计算等级。")
    scores = scoring.cycle_scores(cycle) if scores is None else scores
    now = now or timezone.now()
    changed = 0
    with transaction.atomic():
        cycle = EvaluationCycle.objects.select_for_update(of=("self",)).select_related("table").get(
            pk=cycle.pk)
        if cycle.status != CycleStatus.SCORING:
            raise EvaluationError("只有评估评分中的评价年度可以计算等级。")
        for evaluation in cycle.evaluations.select_for_update().order_by("pk"):
            score = _quantized(scores.get(evaluation.pk))
            grade, hit = grade_of(evaluation, score, cycle, now)
            if (evaluation.score, evaluation.hard_rules_hit, evaluation.computed_grade) == (
                    score, hit, grade) and evaluation.computed_at is not None:
                continue
            changed += 1
            evaluation.score, evaluation.hard_rules_hit = score, hit
            evaluation.computed_grade, evaluation.computed_at = grade, now
            fields = ["score", "hard_rules_hit", "computed_grade", "computed_at"]
            if evaluation.grade and evaluation.grade != grade and not evaluation.grade_note:
                evaluation.grade, evaluation.confirmed_at, evaluation.confirmed_by = "", None, None
                fields += ["grade", "confirmed_at", "confirmed_by"]
            evaluation.save(update_fields=fields)
        audit_record(action="evaluation_cycle.grades_compute", actor=actor, target=cycle,
                     after={"changed": changed, "scored": sum(
                         1 for v in scores.values() if v is not None)})
    return changed


def grades_verify(cycle: EvaluationCycle, scores: dict | None = None, now=None) -> list[int]:
    """The ids of the cycle's evaluations whose stored computed grade (or score, or hard
    rules) differs from computing it again now; [] when every stored grade is reproduced.
    Writes nothing."""
    from . import scoring

    scores = scoring.cycle_scores(cycle) if scores is None else scores
    cycle = EvaluationCycle.objects.select_related("table").get(pk=cycle.pk)
    differing = []
    for evaluation in cycle.evaluations.order_by("pk"):
        score = _quantized(scores.get(evaluation.pk))
        grade, hit = grade_of(evaluation, score, cycle, now)
        if (evaluation.score, evaluation.hard_rules_hit, evaluation.computed_grade) != (
                score, hit, grade):
            differing.append(evaluation.pk)
    return differing


def false_materials_record(evaluation: Evaluation, actor, note: str) -> Evaluation:
    """查实弄虚作假: the commission records that `evaluation`'s materials were false (hard rule
    FALSE_MATERIALS: 不合格 whatever the score), with what it found (`note`, required); a
    grade already computed is computed again. Before the cycle's grades are confirmed. Raises
    PermissionDenied, EvaluationError (no note, a note over FALSE_NOTE_MAX_CHARS, cycle
    confirmed already). Audited
    (`evaluation.false_materials`). Proposing a revocation on this ground is a separate act."""
    _check(actor, "evaluations.confirm_grade", "只有市发展改革委工作人员可以认定提供虚假材料。")
    note = (note or "").strip()
    if not note:
        raise EvaluationError("请填写查实情况。")
    if len(note) > FALSE_NOTE_MAX_CHARS:
        raise EvaluationError(f"查实情况不超过{FALSE_NOTE_MAX_CHARS}字。")
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update(of=("self",)).select_related(
            "cycle__table").get(pk=evaluation.pk)
        if locked.cycle.status not in (CycleStatus.OPEN, CycleStatus.SCORING):
            raise EvaluationError("评价等级已确认，不能再认定提供虚假材料。")
        locked.false_materials_found, locked.false_materials_note = True, note
        fields = ["false_materials_found", "false_materials_note"]
        if locked.computed_at is not None:
            grade, hit = grade_of(locked, locked.score, locked.cycle)
            locked.computed_grade, locked.hard_rules_hit = grade, hit
            fields += ["computed_grade", "hard_rules_hit"]
            if locked.grade and locked.grade != grade and not locked.grade_note:
                locked.grade, locked.confirmed_at, locked.confirmed_by = "", None, None
                fields += ["grade", "confirmed_at", "confirmed_by"]
        locked.save(update_fields=fields)
        audit_record(action="evaluation.false_materials", actor=actor, target=locked,
                     after={"false_materials_found": True}, note=note)
    return locked


def grade_confirm(*, evaluation: Evaluation, actor, grade: str | None = None,
                  note: str = "") -> Evaluation:
    """The commission confirms `evaluation`'s grade (enums.Grade value; default its computed
    grade) while the cycle is 评估评分中; a grade other than the computed one (or one where
    nothing was computed) needs `note`, kept as `grade_note`. May be confirmed again until the
    cycle's grades are confirmed. Raises PermissionDenied, EvaluationError (wrong status, not
    a grade, departure without a note, a note over GRADE_NOTE_MAX_CHARS). Audited
    (`evaluation.grade_confirm`)."""
    _check(actor, "evaluations.confirm_grade", CONFIRM_REFUSAL)
    note = (note or "").strip()
    if len(note) > GRADE_NOTE_MAX_CHARS:
        raise EvaluationError(f"确认说明不超过{GRADE_NOTE_MAX_CHARS}字。")
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update(of=("self",)).select_related("cycle").get(
            pk=evaluation.pk)
        if locked.cycle.status != CycleStatus.SCORING:
            raise EvaluationError("只有评估评分中的评价年度可以确认等级。")
        grade = grade or locked.computed_grade
        if grade not in Grade.values:
            raise EvaluationError("请选择确认等级（尚无计算等级）。")
        if grade != locked.computed_grade and not note:
            raise EvaluationError("确认等级与计算等级不一致的，请填写确认说明。")
        before = {"grade": locked.grade, "grade_note": locked.grade_note}
        locked.grade, locked.grade_note = grade, note
        locked.confirmed_at, locked.confirmed_by = timezone.now(), actor
        locked.save(update_fields=["grade", "grade_note", "confirmed_at", "confirmed_by"])
        audit_record(action="evaluation.grade_confirm", actor=actor, target=locked,
                     before=before,
                     after={"grade": grade, "computed_grade": locked.computed_grade},
                     note=note)
    return locked


def cycle_confirm(*, cycle: EvaluationCycle, actor) -> EvaluationCycle:
    """确认等级: 评估评分中 → 等级已确认, once every evaluation of the cycle has a confirmed
    grade; then, after commit, `revocations.after_grade_confirmed(evaluation)` for each (a
    second consecutive 不合格 proposes a revocation). Raises PermissionDenied, EvaluationError
    (wrong status, grades missing). Audited (`evaluationcycle.confirm`)."""
    from . import revocations

    _check(actor, "evaluations.confirm_grade", CONFIRM_REFUSAL)
    missing = cycle.evaluations.filter(grade="").count()
    if missing:
        raise EvaluationError(f"尚有{missing}个赋能中心的等级未确认。")
    ids = list(cycle.evaluations.order_by("pk").values_list("pk", flat=True))

    def after():
        for evaluation in Evaluation.objects.filter(pk__in=ids).select_related(
                "cycle", "center").order_by("pk"):
            revocations.after_grade_confirmed(evaluation)

    try:
        return perform_transition(workflow=CYCLE_WORKFLOW, obj=cycle, move_name="confirm",
                                  actor=actor, changes={"confirmed_at": timezone.now()},
                                  on_commit=[after])
    except TransitionNotAllowed as error:
        raise EvaluationError(str(error)) from None


def _results_link(cycle) -> str:
    return reverse("evaluations:results_cycle", args=[cycle.year])


def cycle_publish(*, cycle: EvaluationCycle, actor) -> EvaluationCycle:
    """公布结果: 等级已确认 → 结果已公布. From then on each center's unit sees its grade, the
    public results page lists the cycle's grades (优秀 centers listed for support); each
    center's users and its 主管部门's officials are told its grade. Raises PermissionDenied,
    EvaluationError (wrong status). Audited (`evaluationcycle.publish`)."""
    _check(actor, "evaluations.publish_results", "只有市发展改革委工作人员可以公布评价结果。")
    with transaction.atomic():
        try:
            published = perform_transition(workflow=CYCLE_WORKFLOW, obj=cycle,
                                           move_name="publish", actor=actor,
                                           changes={"published_at": timezone.now()})
        except TransitionNotAllowed as error:
            raise EvaluationError(str(error)) from None
        evaluations = list(published.evaluations.select_related("center__application")
                           .order_by("pk"))
        officials = {}
        for evaluation in evaluations:
            if evaluation.department_id and evaluation.department_id not in officials:
                officials[evaluation.department_id] = role_users(
                    (Role.DISTRICT_OFFICIAL, evaluation.department_id))
        for evaluation in evaluations:
            center = evaluation.center
            recipients = {u.pk: u for u in [
                *organisation_members(center.application.organisation_id),
                *officials.get(evaluation.department_id, [])]}
            for user in recipients.values():
                notify(recipient=user, purpose="evaluation_results_published",
                       link=_results_link(published),
                       context={"cycle": published, "center": center,
                                "grade": evaluation.get_grade_display()})
    return published
