"""Demo data's hook for the assignments (`make run`): the demo round is built elsewhere; this
fills it through the same service as the page."""

from .assignment import AutoResult, assignment_auto
from .models import ReviewRound


def seed_assignments(round: ReviewRound, *, actor=None) -> AutoResult:
    """Runs the automatic assignment for `round` as `actor` (default: the round's creator,
    who must be commission staff). Returns the AutoResult; raises nothing for an infeasible
    round (its `shortfalls` say why) and adds nothing when the round is already full."""
    return assignment_auto(round=round, actor=actor or round.created_by)
