"""The demo (`make run`) shows a closed round with sheets in every state, a resolved flag,
computed results and a frozen proposed list, and a round still open."""

import io

from django.core.management import call_command
from django.test import override_settings

from applications.enums import ApplicationStatus
from experts.demo import CLOSED_ROUND_TITLE, OPEN_ROUND_TITLE
from experts.enums import AssignmentStatus, ProposedListStatus, RoundStatus, SheetStatus
from experts.models import Assignment, ReviewRound
from experts.scoring import round_results_differences


def test_demo_round(db, django_capture_on_commit_callbacks):
    with override_settings(DEBUG=True), django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())  # idempotent
    closed = ReviewRound.objects.get(title=CLOSED_ROUND_TITLE)
    assert closed.status == RoundStatus.CLOSED and closed.rubric_frozen_at
    assignments = Assignment.objects.filter(round=closed)
    assert assignments.filter(status=AssignmentStatus.RECUSED).exists()
    assert assignments.filter(sheet__status=SheetStatus.SUBMITTED).exists()
    assert assignments.filter(sheet__status=SheetStatus.DRAFT).exists()
    assert assignments.filter(sheet__isnull=True, status=AssignmentStatus.COMMITTED).exists()
    flagged = closed.entries.filter(flagged=True)
    assert flagged.exists() and not any(e.flag_open for e in flagged)
    assert round_results_differences(round=closed) == []
    proposed = closed.proposed_lists.get()
    assert proposed.status == ProposedListStatus.FROZEN and proposed.results_snapshot
    assert proposed.entries.count() == 1
    statuses = set(closed.entries.values_list("application__status", flat=True))
    assert statuses == {ApplicationStatus.PROPOSED, ApplicationStatus.NOT_PROPOSED}


def test_demo_open_round_has_a_sheet_in_every_state(db, django_capture_on_commit_callbacks):
    """The six demo experts of the open round: one per state of experts.demo_sheets, each
    able to sign in and find their assignment; the intake keeps ready applications."""
    with override_settings(DEBUG=True), django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())  # idempotent
    open_round = ReviewRound.objects.get(title=OPEN_ROUND_TITLE)
    assert open_round.status == RoundStatus.OPEN and open_round.entries.count() == 1
    assignments = Assignment.objects.filter(round=open_round)
    assert assignments.count() == 6 and all(a.expert.user_id for a in assignments)
    assert {a.status for a in assignments} == {
        AssignmentStatus.ASSIGNED, AssignmentStatus.COMMITTED, AssignmentStatus.RECUSED}
    sheets = {a.sheet.status for a in assignments if hasattr(a, "sheet")}
    assert sheets == {SheetStatus.DRAFT, SheetStatus.SUBMITTED}
    from core.models import StatusChange
    assert StatusChange.objects.filter(transition="reopen").exists()
    assert open_round.invited_authorities.filter(short_name="市工业和信息化局").exists()
