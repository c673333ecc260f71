"""The one place where scores become results (第九条（三）: 综合评审).

Every figure is a `Decimal` on the 0–100 scale of the weighted total, rounded to two places,
half up (`ROUND_HALF_UP`), and only at the end of each step:

- a sheet's weighted total: Σ score / max × weight over the rubric's criteria (`sheet_total`);
- an application's aggregate of its counted sheets' totals by the round's method
  (`aggregate`): the mean; the trimmed mean (one highest and one lowest dropped, only with at
  least five sheets, else the plain mean); the median (mean of the two middle totals when
  the count is even);
- the disagreement flag (`disagreement`) and the ranks.

Which sheets count: a SUBMITTED sheet of a live assignment (assigned or committed). A draft, a
sheet never opened, a recused or withdrawn assignment is left out, never counted as 0: two
experts at 80 and 90 and a third who recused give 85.00.

`round_results_compute` stores each entry's result with the method used, so that computing
again from the same sheets reproduces every stored figure (`round_results_differences`).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record

from .enums import ACTIVE_ASSIGNMENT_STATUSES, Aggregation, RoundStatus, SheetStatus
from .models import ReviewRound, RoundEntry, Score

TWO_PLACES = Decimal("0.01")
TRIMMED_MEAN_MIN_SHEETS = 5
# The outlier rule needs this many other sheets to speak of their spread.
OUTLIER_MIN_OTHERS = 3
OUTLIER_STDEVS = Decimal("2")


class ScoringError(Exception):
    """Results refused (Chinese message): a round not closed, an incomplete sheet."""


def quantize(value: Decimal) -> Decimal:
    """Two places, half up: the rounding of every stored figure."""
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def sheet_total(scores, criteria) -> Decimal:
    """The weighted total of one sheet on 0–100: Σ value / max_score × weight, rounded once at
    the end to two places, half up.

    `scores`: a mapping criterion id → Decimal value, or Score-like objects with
    `criterion_id` and `value`. `criteria`: Criterion-like objects with `pk`, `max_score`,
    `weight` (weights in %, summing to 100). Raises ScoringError when a criterion has no
    value (an unscored sheet has no total; it is left out, never counted as 0)."""
    if not isinstance(scores, Mapping):
        scores = {s.criterion_id: s.value for s in scores}
    total = Decimal("0")
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None:
            raise ScoringError(f"评分项“{criterion.name}”尚未评分。")
        total += Decimal(value) / Decimal(criterion.max_score) * Decimal(criterion.weight)
    return quantize(total)


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal("0")) / len(values)


def aggregate(totals: list[Decimal], method) -> Decimal | None:
    """The aggregate of sheet totals by `method` (Aggregation), two places half up; None
    without any total.

    - MEAN: the arithmetic mean.
    - TRIMMED_MEAN: with at least five totals, drop one highest and one lowest and take the
      mean of the rest; with fewer, the plain mean.
    - MEDIAN: the middle total; with an even count, the mean of the two middle totals.
    Rounding happens once, on the result."""
    values = sorted(Decimal(t) for t in totals)
    if not values:
        return None
    if method == Aggregation.TRIMMED_MEAN and len(values) >= TRIMMED_MEAN_MIN_SHEETS:
        return quantize(_mean(values[1:-1]))
    if method == Aggregation.MEDIAN:
        middle = len(values) // 2
        if len(values) % 2:
            return quantize(values[middle])
        return quantize((values[middle - 1] + values[middle]) / 2)
    if method in (Aggregation.MEAN, Aggregation.TRIMMED_MEAN):
        return quantize(_mean(values))
    raise ValueError(f"unknown aggregation method {method!r}")


def _sample_stdev(values: list[Decimal]) -> Decimal:
    mean = _mean(values)
    return (sum(((v - mean) ** 2 for v in values), Decimal("0")) / (len(values) - 1)).sqrt()


def disagreement(totals: list[Decimal], threshold: Decimal) -> str:
    """Why the totals of one application disagree (Chinese), or "" when they do not.

    Two rules, either flags:
    - the spread: max − min ≥ `threshold` (points of the weighted total);
    - an outlier, leave-one-out: a sheet whose distance from the mean of the OTHER sheets
      exceeds twice the sample standard deviation (n − 1) of those other sheets. It needs at
      least three other sheets; when the others agree exactly (deviation 0) the spread rule
      alone decides."""
    values = [Decimal(t) for t in totals]
    if len(values) < 2:
        return ""
    reasons = []
    spread = max(values) - min(values)
    if spread >= Decimal(threshold):
        reasons.append(f"最高分与最低分相差{quantize(spread)}分，达到分歧阈值"
                       f"{quantize(threshold)}分")
    if len(values) - 1 >= OUTLIER_MIN_OTHERS:
        for i, value in enumerate(values):
            others = values[:i] + values[i + 1:]
            stdev = _sample_stdev(others)
            if stdev > 0 and abs(value - _mean(others)) > OUTLIER_STDEVS * stdev:
                reasons.append(f"有一份评分（{quantize(value)}分）偏离其余专家均分超过两倍标准差")
                break
    return "；".join(reasons)


def competition_ranks(values: Mapping) -> dict:
    """Ranks by value, highest first; equal values share a rank and the next rank skips
    (1, 2, 2, 4). Keys whose value is None get no rank (None)."""
    ranked = sorted((v, k) for k, v in values.items() if v is not None)
    ranked.reverse()
    ranks, previous, rank = {}, None, 0
    for position, (value, key) in enumerate(ranked, 1):
        if value != previous:
            rank, previous = position, value
        ranks[key] = rank
    return {k: ranks.get(k) for k in values}


# --- reading a round's sheets ----------------------------------------------------------------


def round_counted_totals(round_: ReviewRound, criteria=None) -> dict[int, dict[int, Decimal]]:
    """{application id: {sheet id: weighted total}} of the sheets that count (submitted, live
    assignment) in the round; two queries. A submitted sheet missing a score is left out."""
    criteria = list(criteria if criteria is not None else round_.criteria.order_by("order"))
    scores = defaultdict(dict)
    sheet_app = {}
    rows = (Score.objects.filter(sheet__assignment__round=round_,
                                 sheet__status=SheetStatus.SUBMITTED,
                                 sheet__assignment__status__in=ACTIVE_ASSIGNMENT_STATUSES)
            .values_list("sheet_id", "sheet__assignment__application_id", "criterion_id",
                         "value"))
    for sheet_id, application_id, criterion_id, value in rows:
        scores[sheet_id][criterion_id] = value
        sheet_app[sheet_id] = application_id
    result = defaultdict(dict)
    for sheet_id, by_criterion in scores.items():
        try:
            result[sheet_app[sheet_id]][sheet_id] = sheet_total(by_criterion, criteria)
        except ScoringError:
            continue
    return result


def method_used(method, sheets: int) -> str:
    """The method `aggregate` applies to `sheets` totals under the round's `method`: a trimmed
    mean of fewer than TRIMMED_MEAN_MIN_SHEETS sheets is the plain mean, and is stored so."""
    if method == Aggregation.TRIMMED_MEAN and sheets < TRIMMED_MEAN_MIN_SHEETS:
        return Aggregation.MEAN
    return method


def _results(round_: ReviewRound) -> dict[int, dict]:
    """Each entry's result computed afresh: {entry id: {field: value}} (no timestamps)."""
    criteria = list(round_.criteria.order_by("order"))
    totals = round_counted_totals(round_, criteria)
    entries = list(round_.entries.values_list("pk", "application_id",
                                              "application__industry_field_id"))
    results = {}
    for pk, application_id, _field in entries:
        values = list(totals.get(application_id, {}).values())
        reason = disagreement(values, round_.disagreement_threshold)
        results[pk] = {"aggregate": aggregate(values, round_.aggregation),
                       "method": method_used(round_.aggregation, len(values)),
                       "sheet_count": len(values),
                       "flagged": bool(reason), "flag_reason": reason[:300]}
    in_call = competition_ranks({pk: r["aggregate"] for pk, r in results.items()})
    by_field = defaultdict(dict)
    for pk, _application_id, field_id in entries:
        by_field[field_id][pk] = results[pk]["aggregate"]
    in_field = {}
    for values in by_field.values():
        in_field.update(competition_ranks(values))
    for pk, result in results.items():
        result["rank_in_call"], result["rank_in_field"] = in_call[pk], in_field[pk]
    return results


RESULT_FIELDS = ("aggregate", "method", "sheet_count", "flagged", "flag_reason", "rank_in_call",
                 "rank_in_field")


def round_results_compute(*, round: ReviewRound, actor=None) -> list[RoundEntry]:  # noqa: A002
    """Computes and stores every entry's result of a closed round: aggregate (two places, half
    up) with the method used, the number of counted sheets, the disagreement flag and its
    reason, and the ranks in the call and in the application's field (equal aggregates share
    a rank, the next rank skips; an entry without counted sheets has no aggregate and no
    rank). A resolution note already recorded stays. Audited (`review_round.results_compute`).
    Raises ScoringError when the round is not closed. Returns the entries."""
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=round.pk)
        if locked.status != RoundStatus.CLOSED:
            raise ScoringError("评审结束后才能计算评审结果。")
        results = _results(locked)
        now = timezone.now()
        entries = list(locked.entries.all())
        for entry in entries:
            for name, value in results[entry.pk].items():
                setattr(entry, name, value)
            entry.computed_at = now
        RoundEntry.objects.bulk_update(entries, [*RESULT_FIELDS, "computed_at"])
        audit_record(action="review_round.results_compute", actor=actor, target=locked,
                     after={"entries": len(entries),
                            "flagged": sum(1 for e in entries if e.flagged),
                            "method": locked.aggregation})
    return entries


def round_results_differences(*, round: ReviewRound) -> list[str]:  # noqa: A002
    """Computing again from the sheets as they stand: the stored figures that would change
    (Chinese lines, empty when every stored result is reproduced)."""
    fresh = _results(round)
    lines = []
    for entry in round.entries.select_related("application"):
        for name in RESULT_FIELDS:
            stored, now = getattr(entry, name), fresh[entry.pk][name]
            if stored != now:
                label = RoundEntry._meta.get_field(name).verbose_name
                lines.append(f"{entry.application}：{label} 存储为 {stored}，重新计算为 {now}")
    return lines


def criterion_means(scores: Iterable, criteria) -> dict[int, Decimal | None]:
    """The mean score per criterion over the given Score-like objects (two places, half up);
    for the summary export."""
    by_criterion = defaultdict(list)
    for score in scores:
        if score.value is not None:
            by_criterion[score.criterion_id].append(Decimal(score.value))
    return {c.pk: (quantize(_mean(by_criterion[c.pk])) if by_criterion[c.pk] else None)
            for c in criteria}


def expert_leniency(round_: ReviewRound, totals=None, min_sheets: int = 5,
                    sheet_expert: Mapping | None = None) -> dict:
    """Per expert id: {"sheets": n, "deviation": mean of (own total − mean of the other
    counted totals of the same application)} over the expert's counted sheets of the round
    that have at least one other counted sheet; `deviation` is None below `min_sheets`
    sheets. `sheet_expert` ({sheet id: expert id}) is read when not given. A diagnostic for
    the commission only (仅供参考): it changes no score."""
    from .models import ScoreSheet

    totals = totals if totals is not None else round_counted_totals(round_)
    if sheet_expert is None:
        sheet_expert = dict(ScoreSheet.objects.filter(
            pk__in=[sid for per_app in totals.values() for sid in per_app]).values_list(
            "pk", "assignment__expert_id"))
    deviations, counts = defaultdict(list), defaultdict(int)
    for per_app in totals.values():
        for sheet_id, value in per_app.items():
            expert_id = sheet_expert[sheet_id]
            counts[expert_id] += 1
            others = [v for sid, v in per_app.items() if sid != sheet_id]
            if others:
                deviations[expert_id].append(value - _mean(others))
    return {expert_id: {"sheets": n,
                        "deviation": (quantize(_mean(deviations[expert_id]))
                                      if n >= min_sheets and deviations[expert_id] else None)}
            for expert_id, n in counts.items()}

