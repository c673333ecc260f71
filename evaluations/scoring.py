"""Expert scoring of an evaluation cycle (第十七条: 委托第三方机构开展评估评价) through the
expert-review machinery of `experts`: one ReviewRound (purpose 运行评价, no call) per cycle, its
rubric the cycle's indicator table (each indicator a criterion whose maximum and weight are the
indicator's points, so a sheet's weighted total is the sum of the scores, 0–100), one RoundEntry
per forwarded evaluation entered by the application the center was designated from (so the
conflict checks of experts.conflicts apply to the center's unit), assignments, sheets,
aggregation and disagreement flags as in expert review.

The expert's sheet shows the center's materials and its self-score beside each indicator and
flags a gap above GAP_SHARE of the indicator's points (`subject_register`, called from
EvaluationsConfig.ready, fills experts.subjects).
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from experts.enums import ACTIVE_ASSIGNMENT_STATUSES, RoundPurpose, RoundStatus, SheetStatus
from experts.models import Criterion, ReviewRound, RoundEntry, Score
from experts.subjects import register_round_subject

from .enums import CycleStatus, EvaluationStatus, ProgressFigure
from .errors import EvaluationError
from .models import Evaluation, EvaluationCycle, EvaluationFile, EvaluationOpinion, SelfScore

# An expert's score of an indicator differing from the center's self-score by more than this
# share of the indicator's points is flagged (on the sheet and in the results).
GAP_SHARE = Decimal("0.20")
GAP_PERCENT = int(GAP_SHARE * 100)
GAP_RULE = (f"专家评分与赋能中心自评分相差超过该指标分值的{GAP_PERCENT}%时，标记“与自评差异较大”，"
            "请在评分说明中写明理由。")
# Default scoring deadline: this many days after the 主管部门's deadline (or now, if later).
SCORING_DAYS = 14
DEFAULT_EXPERTS_PER_ENTRY = 5
# A cycle whose expert round may be made or filled.
SCORING_CYCLE_STATUSES = (CycleStatus.OPEN, CycleStatus.SCORING)


def _round_title(cycle: EvaluationCycle) -> str:
    return f"{cycle.title} · 专家评分"[:100]


def _criterion_description(indicator) -> str:
    parts = [indicator.description.strip()]
    if indicator.evidence_required.strip():
        parts.append(f"佐证材料要求：{indicator.evidence_required.strip()}")
    return "\n".join(p for p in parts if p)


def default_deadline(cycle: EvaluationCycle, now=None) -> datetime.datetime:
    """SCORING_DAYS after the later of the 主管部门's deadline and `now`."""
    now = now or timezone.now()
    return max(cycle.district_due, now) + datetime.timedelta(days=SCORING_DAYS)


def round_for_cycle(*, cycle: EvaluationCycle, actor, deadline=None,
                    experts_per_entry: int | None = None) -> ReviewRound:
    """The cycle's expert round (experts.ReviewRound, purpose 运行评价, no call), made the first
    time (第十七条): status 准备中, title from the cycle, deadline `deadline` (default
    `default_deadline`), `experts_per_entry` experts per center (default 5), the cycle's agency
    and invited authorities, and a criterion per indicator of the cycle's table (order, name,
    description with the evidence required; max_score = weight = the indicator's points).

    Every call (idempotent) enters each FORWARDED evaluation not yet in the round, by
    `center.application`, while the round is not closed; a closed round is returned unchanged.
    Returns the round. Audited (`evaluation.scoring_round`) when it made or added anything.
    Raises PermissionDenied (not the commission nor the cycle's agency), EvaluationError (the
    cycle not open for scoring, its table empty)."""
    if actor is None or not actor.has_perm("evaluations.organise_scoring", cycle):
        raise PermissionDenied("只有市发展改革委或受托第三方机构工作人员可以组织专家评分。")
    with transaction.atomic():
        locked = EvaluationCycle.objects.select_for_update().select_related("table").get(
            pk=cycle.pk)
        round_ = (ReviewRound.objects.select_for_update().get(pk=locked.review_round_id)
                  if locked.review_round_id else None)
        created = False
        if round_ is None:
            if locked.status not in SCORING_CYCLE_STATUSES:
                raise EvaluationError("评价启动后、确认等级前才能组织专家评分。")
            indicators = list(locked.table.indicators.order_by("order", "pk"))
            if not indicators:
                raise EvaluationError("指标体系没有评价指标，不能组织专家评分。")
            round_ = ReviewRound.objects.create(
                purpose=RoundPurpose.EVALUATION, call=None, title=_round_title(locked),
                deadline=deadline or default_deadline(locked),
                experts_per_application=experts_per_entry or DEFAULT_EXPERTS_PER_ENTRY,
                agency_id=locked.agency_id, created_by=actor)
            round_.invited_authorities.set(locked.invited_authorities.all())
            Criterion.objects.bulk_create(
                Criterion(round=round_, order=i.order, name=i.name,
                          description=_criterion_description(i), max_score=i.weight,
                          weight=i.weight) for i in indicators)
            locked.review_round = round_
            locked.save(update_fields=["review_round"])
            created = True
        added = []
        if round_.status != RoundStatus.CLOSED:
            present = set(round_.entries.values_list("application_id", flat=True))
            added = [app_id for app_id in Evaluation.objects.filter(
                cycle=locked, status=EvaluationStatus.FORWARDED).order_by(
                "center__name", "pk").values_list("center__application_id", flat=True)
                if app_id not in present]
            RoundEntry.objects.bulk_create(
                (RoundEntry(round=round_, application_id=a) for a in added),
                ignore_conflicts=True)
        if created or added:
            audit_record(action="evaluation.scoring_round", actor=actor, target=locked,
                         after={"round": round_.pk, "created": created, "added": added})
    cycle.review_round = round_
    return round_


def cycle_scores(cycle: EvaluationCycle) -> dict:
    """{Evaluation id: the expert aggregate (weighted total 0–100, Decimal, two places) or None}
    for every evaluation of the cycle, read from the round's stored results (RoundEntry.
    aggregate, as computed by experts.scoring.round_results_compute when the round closed).
    None for an evaluation not in the round, without counted sheets, or before any round.
    Two queries."""
    evaluations = dict(Evaluation.objects.filter(cycle=cycle).values_list(
        "center__application_id", "pk"))
    scores = dict.fromkeys(evaluations.values())
    if cycle.review_round_id is None:
        return scores
    for app_id, aggregate in RoundEntry.objects.filter(
            round_id=cycle.review_round_id, application_id__in=list(evaluations)).values_list(
            "application_id", "aggregate"):
        scores[evaluations[app_id]] = aggregate
    return scores


def gap_exceeds(expert_value, self_value, points) -> bool:
    """True when both scores are given and differ by more than GAP_SHARE × points."""
    if expert_value is None or self_value is None or points is None:
        return False
    return abs(Decimal(expert_value) - Decimal(self_value)) > GAP_SHARE * Decimal(points)


def _points(value) -> str:
    return "—" if value is None else f"{Decimal(value).normalize():f}"


# --- what the expert and the commission see of a center (experts.subjects) -------------------


def evaluation_in_round(round_: ReviewRound, application_id: int) -> Evaluation | None:
    """The evaluation `round_` scores under `application_id` (the center's application), with
    its cycle and center; None when there is none."""
    return (Evaluation.objects.select_related("cycle", "center")
            .filter(cycle__review_round=round_, center__application_id=application_id).first())


def figure_rows(figures: dict) -> list[tuple[str, object]]:
    """The year's figures stored on submission (Evaluation.figures, the shape of
    `materials.materials_prefill`: {"window_start", "window_end", "services": {figure: value},
    "targets": [{"label", "promised", "achieved", "percent", …}]}; a flat {figure: value} is
    read too) as (Chinese label, value) rows: the data window, the service figures in
    ProgressFigure order, then one row per 建设目标. Keys it does not know are left out: a
    reader never sees a code name."""
    figures = figures or {}
    labels = dict(ProgressFigure.choices)
    services = {key: value for key, value in figures.items()
                if key in labels and key != ProgressFigure.TARGETS}
    if isinstance(figures.get("services"), dict):
        services.update(figures["services"])
    rows = []
    if figures.get("window_start") and figures.get("window_end"):
        rows.append(("服务数据统计期", f"{figures['window_start']}至{figures['window_end']}"))
    rows += [(labels[key], services[key]) for key in labels if key in services]
    targets = figures.get("targets")
    for target in targets if isinstance(targets, list) else []:
        if not isinstance(target, dict):
            continue
        promised = target.get("promised")
        percent = target.get("percent")
        rows.append((f"{labels[ProgressFigure.TARGETS]}：{target.get('label') or '—'}",
                     f"承诺{promised if promised is not None else '—'}，"
                     f"已完成{target.get('achieved', '—')}"
                     + (f"（{percent}%）" if percent not in (None, "") else "")))
    return rows


def materials_of(evaluation: Evaluation) -> dict:
    """The center's submitted materials for a reader: report, figures, self-scores (with their
    indicator) and evidence files. Three queries."""
    self_scores = list(SelfScore.objects.filter(evaluation=evaluation)
                       .select_related("indicator").order_by("indicator__order", "pk"))
    files = list(EvaluationFile.objects.filter(evaluation=evaluation)
                 .select_related("indicator").order_by("indicator__order", "pk"))
    return {"evaluation": evaluation, "report": evaluation.report,
            "figures": figure_rows(evaluation.figures), "self_scores": self_scores,
            "files": files,
            "self_total": sum((s.value for s in self_scores if s.value is not None),
                              Decimal("0")) if self_scores else None}


def _panel(round_, application_id, values):
    evaluation = evaluation_in_round(round_, application_id)
    if evaluation is None:
        return None
    materials = materials_of(evaluation)
    criteria = dict(Criterion.objects.filter(round=round_).values_list("order", "pk"))
    beside = {}
    for s in materials["self_scores"]:
        criterion_pk = criteria.get(s.indicator.order)
        if criterion_pk is None:
            continue
        flag = ""
        if gap_exceeds(values.get(criterion_pk), s.value, s.indicator.weight):
            gap = abs(Decimal(values[criterion_pk]) - s.value)
            flag = f"与自评差异较大（相差{_points(gap)}分）"
        beside[criterion_pk] = {"text": f"{_points(s.value)}分", "flag": flag}
    return {"template": "evaluations/scoring_panel.html",
            "summary": "赋能中心评价材料（运行自评估报告、年度数据、自评分、佐证材料）",
            "beside_label": "自评分", "beside": beside, "note": GAP_RULE, **materials}


def _results(round_, application_ids):
    evaluations = dict(Evaluation.objects.filter(
        cycle__review_round=round_, center__application_id__in=application_ids).values_list(
        "pk", "center__application_id"))
    if not evaluations:
        return {}
    own = defaultdict(dict)  # application id -> {order: (name, points, self value)}
    for ev_id, order, name, points, value in SelfScore.objects.filter(
            evaluation_id__in=list(evaluations)).values_list(
            "evaluation_id", "indicator__order", "indicator__name", "indicator__weight", "value"):
        own[evaluations[ev_id]][order] = (name, points, value)
    experts = defaultdict(lambda: defaultdict(list))  # application id -> order -> [values]
    for app_id, order, value in Score.objects.filter(
            sheet__assignment__round=round_, sheet__assignment__application_id__in=list(
                evaluations.values()), sheet__status=SheetStatus.SUBMITTED,
            sheet__assignment__status__in=ACTIVE_ASSIGNMENT_STATUSES,
            value__isnull=False).values_list(
            "sheet__assignment__application_id", "criterion__order", "value"):
        experts[app_id][order].append(value)
    opinions = defaultdict(list)
    for ev_id, name, text in EvaluationOpinion.objects.filter(
            evaluation_id__in=list(evaluations)).order_by(
            "department__sort_order", "department_id").values_list(
            "evaluation_id", "department__name", "text"):
        opinions[evaluations[ev_id]].append((name, text))
    out = {}
    for app_id in evaluations.values():
        gaps = []
        for order, (name, points, value) in sorted(own[app_id].items()):
            scored = experts[app_id].get(order, [])
            if any(gap_exceeds(v, value, points) for v in scored):
                gaps.append(f"{name}（自评{_points(value)}分，专家"
                            f"{'、'.join(_points(v) for v in scored)}分）")
        out[app_id] = {
            "note": (f"{len(gaps)}项指标的专家评分与自评分相差超过该指标分值的{GAP_PERCENT}%"
                     if gaps else ""),
            "detail": "；".join(gaps), "opinions": opinions[app_id]}
    return out


def subject_register() -> None:
    """Tells experts what an evaluation round's expert and results pages show (called from
    EvaluationsConfig.ready)."""
    register_round_subject(RoundPurpose.EVALUATION, panel=_panel, results=_results,
                           rule=f"自评差异：{GAP_RULE}")
