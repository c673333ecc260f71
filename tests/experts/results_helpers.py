"""Building sheets directly for the results tests (the sheet pages are another part's)."""

from decimal import Decimal

from django.utils import timezone

from experts.enums import AssignmentStatus, SheetStatus
from experts.models import Assignment, Score, ScoreSheet

from .conftest import make_expert


def sheet_for(round_, application, *, expert=None, total=None, values=None,
              status=SheetStatus.SUBMITTED, assignment_status=AssignmentStatus.COMMITTED,
              actor=None):
    """An assignment of `expert` (a new one by default) with a sheet in `status`: every
    criterion scored `total` / 100 of its maximum (so the weighted total is `total`), or the
    `values` given per criterion in order (None leaves a criterion unscored). Returns the
    sheet."""
    expert = expert or make_expert()
    assignment = Assignment.objects.create(
        round=round_, application=application, expert=expert, status=assignment_status,
        assigned_by=actor or round_.created_by, committed_at=timezone.now())
    sheet = ScoreSheet.objects.create(
        assignment=assignment, status=status,
        submitted_at=timezone.now() if status == SheetStatus.SUBMITTED else None)
    criteria = list(round_.criteria.order_by("order"))
    if values is None:
        values = [None if total is None else Decimal(total) / 100 * c.max_score
                  for c in criteria]
    Score.objects.bulk_create(Score(sheet=sheet, criterion=c, value=v)
                              for c, v in zip(criteria, values, strict=True))
    return sheet
