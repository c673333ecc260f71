"""What the commission reads of a round's results (第九条（三）): the ranking with every
sheet and criterion, the industry authorities' opinions, the per-expert leniency diagnostic
and the dashboard panel. Each read takes a fixed number of queries, whatever the page size."""

import hashlib
from collections import defaultdict

from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Sum

from applications.models import IndustryField
from core.caching import cached

from .enums import ACTIVE_ASSIGNMENT_STATUSES, AssignmentStatus, SheetStatus
from .models import (
    Assignment,
    AuthorityOpinion,
    ProposedList,
    ReviewRound,
    RoundEntry,
    Score,
    ScoreSheet,
)
from .scoring import ScoringError, expert_leniency, round_counted_totals, sheet_total
from .subjects import subject_results

PAGE_SIZE = 25
DASHBOARD_ROWS = 10
LENIENCY_MIN_SHEETS = 5


def rounds_for_dashboard():
    """The latest rounds (≤ DASHBOARD_ROWS) with their call's title, for the commission's
    dashboard panel, and how many there are."""
    rounds = ReviewRound.objects.only("pk", "title", "purpose", "kind", "status", "deadline",
                                      "call__title").select_related("call")
    rows = list(rounds[:DASHBOARD_ROWS])
    total = ReviewRound.objects.count() if len(rows) == DASHBOARD_ROWS else len(rows)
    return {"rows": rows, "total": total}


def round_fields(round_: ReviewRound):
    """The industry fields of the round's applications, for the field filter."""
    return IndustryField.objects.filter(
        applications__round_entries__round=round_).distinct().order_by("sort_order", "pk")


def entries_ordered(round_: ReviewRound, field_id: int | None = None):
    """The round's entries by rank in the call (unranked last), or in `field_id` by rank in
    the field."""
    entries = RoundEntry.objects.filter(round=round_).select_related(
        "application__organisation", "application__industry_field").only(
        "id", "round_id", "aggregate", "method", "sheet_count", "computed_at", "flagged",
        "flag_reason", "resolution_note", "resolved_at", "rank_in_call", "rank_in_field",
        "application__id", "application__receipt_number", "application__center_name",
        "application__organisation__name", "application__industry_field__name")
    if field_id is not None:
        return entries.filter(application__industry_field_id=field_id).order_by(
            F("rank_in_field").asc(nulls_last=True), "pk")
    return entries.order_by(F("rank_in_call").asc(nulls_last=True), "pk")


def sheets_of(round_: ReviewRound, application_ids, criteria,
              with_scores: bool = True) -> dict[int, list[dict]]:
    """Per application id: its assignments' sheets as rows {expert, status label, counted,
    total, scores (per criterion, in order; empty without `with_scores`), comment}; two
    queries, read as tuples (a page holds a few hundred sheets: model objects for them cost
    more than the queries)."""
    assignments = list(Assignment.objects.filter(
        round=round_, application_id__in=application_ids).order_by(
        "application_id", "expert__name", "pk").values_list(
        "application_id", "status", "expert__name", "sheet__id", "sheet__status",
        "sheet__overall_comment"))
    sheet_ids = [sheet_id for *_, sheet_id, _, _ in assignments if sheet_id is not None]
    scores = defaultdict(dict)
    for sheet_id, criterion_id, value in Score.objects.filter(sheet_id__in=sheet_ids).values_list(
            "sheet_id", "criterion_id", "value"):
        scores[sheet_id][criterion_id] = value
    assignment_labels = dict(AssignmentStatus.choices)
    sheet_labels = dict(SheetStatus.choices)
    criterion_ids = [c.pk for c in criteria]
    # The same scores give the same total: sheet_total once per distinct set of scores.
    totals = {}
    rows = defaultdict(list)
    for application_id, status, expert_name, sheet_id, sheet_status, comment in assignments:
        has_sheet = sheet_id is not None
        by_criterion = scores.get(sheet_id, {}) if has_sheet else {}
        values = tuple(by_criterion.get(pk) for pk in criterion_ids)
        active = status in ACTIVE_ASSIGNMENT_STATUSES
        # A draft has no total yet: only what an expert handed in is weighed.
        submitted = has_sheet and sheet_status == SheetStatus.SUBMITTED
        counted = submitted and active
        total = None
        if submitted:
            if values not in totals:
                try:
                    totals[values] = sheet_total(by_criterion, criteria)
                except ScoringError:
                    totals[values] = None
            total = totals[values]
            counted = counted and total is not None
        if not active:
            state = assignment_labels.get(status, status)
        elif not has_sheet:
            state = "未打开"
        else:
            state = sheet_labels.get(sheet_status, sheet_status)
        rows[application_id].append({
            "expert": expert_name, "state": state, "counted": counted,
            "sheet_id": sheet_id, "submitted": submitted,
            "total": total, "scores": list(values) if with_scores else [],
            "comment": comment if has_sheet else ""})
    return rows


def opinions_of(round_: ReviewRound, application_ids) -> dict[int, list]:
    opinions = defaultdict(list)
    for opinion in AuthorityOpinion.objects.filter(
            round=round_, application_id__in=application_ids).select_related(
            "department").only("pk", "application_id", "opinion", "updated_at",
                               "department__name"):
        opinions[opinion.application_id].append(opinion)
    return opinions


def results_page(round_: ReviewRound, *, field_id=None, page_number=None) -> dict:
    """The results page's data: a page of entries (≤ PAGE_SIZE), each with `sheets` and
    `opinions` attached, the criteria, the field filter's choices and the leniency rows."""
    criteria = list(round_.criteria.order_by("order"))
    page = Paginator(entries_ordered(round_, field_id), PAGE_SIZE).get_page(page_number)
    application_ids = [e.application_id for e in page.object_list]
    # The ranking shows each sheet's total; the scores per criterion are on the entry's page.
    sheets = sheets_of(round_, application_ids, criteria, with_scores=False)
    opinions = opinions_of(round_, application_ids)
    # What a round of another purpose (运行评价) adds of its subject: gaps, opinions.
    subject = subject_results(round_, application_ids)
    for entry in page.object_list:
        entry.sheets = sheets.get(entry.application_id, [])
        entry.opinions = opinions.get(entry.application_id, [])
        entry.subject = subject.get(entry.application_id)
    return {"page": page, "criteria": criteria, "fields": list(round_fields(round_)),
            "leniency": leniency_rows(round_, criteria)}


def entry_detail(round_: ReviewRound, entry_pk: int) -> dict | None:
    """One entry of the round with every sheet's per-criterion scores and overall comment and
    the authorities' opinions (the ranking page shows each sheet's total only), or None when
    the round has no such entry."""
    entry = entries_ordered(round_).filter(pk=entry_pk).first()
    if entry is None:
        return None
    criteria = list(round_.criteria.order_by("order"))
    entry.sheets = sheets_of(round_, [entry.application_id], criteria).get(
        entry.application_id, [])
    entry.opinions = opinions_of(round_, [entry.application_id]).get(entry.application_id, [])
    entry.subject = subject_results(round_, [entry.application_id]).get(entry.application_id)
    return {"entry": entry, "criteria": criteria}


def counted_sheets_fingerprint(round_: ReviewRound, criteria) -> str:
    """A text that changes whenever the round's counted sheets (submitted, live assignment),
    their scores or their experts' names could have: how many, which (sum of ids), their
    versions (every save, submit and reopening moves a sheet's version on), the latest save
    of a sheet and of an expert; and the rubric's maxima and weights. One aggregate query."""
    figures = ScoreSheet.objects.filter(
        assignment__round=round_, status=SheetStatus.SUBMITTED,
        assignment__status__in=ACTIVE_ASSIGNMENT_STATUSES).aggregate(
        n=Count("pk"), ids=Sum("pk"), versions=Sum("version"), last=Max("updated_at"),
        experts=Max("assignment__expert__updated_at"))
    stamps = [figures[name].timestamp() if figures[name] else 0 for name in ("last", "experts")]
    rubric = ",".join(f"{c.pk}:{c.max_score}:{c.weight}" for c in criteria)
    return f"{figures['n']}:{figures['ids']}:{figures['versions']}:{stamps}:{rubric}"


def _leniency_computed(round_: ReviewRound, criteria) -> list[dict]:
    totals = round_counted_totals(round_, criteria)
    sheet_expert, names = {}, {}
    for sheet_id, expert_id, name in ScoreSheet.objects.filter(
            pk__in=[sid for per_app in totals.values() for sid in per_app]).values_list(
            "pk", "assignment__expert_id", "assignment__expert__name"):
        sheet_expert[sheet_id], names[expert_id] = expert_id, name
    figures = expert_leniency(round_, totals, min_sheets=LENIENCY_MIN_SHEETS,
                              sheet_expert=sheet_expert)
    return sorted(({"expert": names[pk], **figure} for pk, figure in figures.items()),
                  key=lambda row: row["expert"])


def leniency_rows(round_: ReviewRound, criteria=None) -> list[dict]:
    """Per expert with counted sheets in the round: name, sheet count and the mean deviation
    from the other experts of the same applications — None (not shown) below
    LENIENCY_MIN_SHEETS sheets; sorted by name. 仅供参考: a diagnostic that never changes a
    score.

    Computing it reads every score of the round (three queries); the rows are kept in the
    cache under the counted sheets' fingerprint (`counted_sheets_fingerprint`, one query), so
    they are computed afresh only after a sheet was submitted, reopened or left out, an
    expert renamed or the rubric changed."""
    criteria = list(criteria if criteria is not None else round_.criteria.order_by("order"))
    fingerprint = hashlib.sha256(counted_sheets_fingerprint(round_, criteria).encode())
    key = f"experts:leniency:{round_.pk}:{fingerprint.hexdigest()[:32]}"
    return cached(key, lambda: _leniency_computed(round_, criteria))


def proposed_list_of(round_: ReviewRound):
    """The call's proposed list (拟评定名单) if one exists, with its entries; None for a round
    without a call (运行评价), whose results lead to no list."""
    if round_.call_id is None:
        return None
    return (ProposedList.objects.filter(call_id=round_.call_id)
            .prefetch_related("entries").first())
