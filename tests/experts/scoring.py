"""Helpers of the scoring tests: an open round, assignments made directly (the assignment
part builds them through its own service), a sheet's entries."""

from decimal import Decimal

from django.utils import timezone

from experts.enums import AssignmentStatus, RoundStatus
from experts.models import Assignment, ReviewRound


def open_round(round_: ReviewRound, **fields) -> ReviewRound:
    fields = {"status": RoundStatus.OPEN, "opened_at": timezone.now(), **fields}
    ReviewRound.objects.filter(pk=round_.pk).update(**fields)
    round_.refresh_from_db()
    return round_


def assign(round_, application, expert, by, *, committed=False, status=None) -> Assignment:
    return Assignment.objects.create(
        round=round_, application=application, expert=expert, assigned_by=by,
        status=status or (AssignmentStatus.COMMITTED if committed else AssignmentStatus.ASSIGNED),
        committed_at=timezone.now() if committed else None)


def entries_at(criteria, share="0.8", comment="说明") -> dict:
    """Every criterion scored at `share` of its maximum, with a comment."""
    return {c.pk: {"value": str((c.max_score * Decimal(share)).quantize(Decimal("0.01"))),
                   "comment": comment} for c in criteria}


def post_data(criteria, entries, *, version, overall="总体评价。", intent="draft") -> dict:
    data = {"version": str(version), "overall_comment": overall, "intent": intent}
    for c in criteria:
        entry = entries.get(c.pk, {})
        data[f"score_{c.pk}"] = entry.get("value", "")
        data[f"comment_{c.pk}"] = entry.get("comment", "")
    return data
