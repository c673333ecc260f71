"""What an expert may see of their own work (第九条（三）): their live assignments in open
rounds, nothing else. No counts, averages, other experts' names or load figures are read here:
whatever a page of the expert shows comes from these selectors only."""

from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone

from .enums import ACTIVE_ASSIGNMENT_STATUSES, RoundStatus
from .models import Assignment, ScoreSheet, SiteVisit

EXPERT_PAGE_SIZE = 30

# The columns the expert's list shows.
EXPERT_LIST_COLUMNS = (
    "pk", "status", "committed_at", "round", "round__title", "round__kind", "round__deadline",
    "application", "application__center_name", "application__receipt_number",
    "sheet__status", "sheet__submitted_at", "sheet__updated_at",
)
# Deadline first (the most urgent on top); the expert/status index narrows the rows.
EXPERT_LIST_ORDERING = ("round__deadline", "round_id", "application_id", "pk")


def expert_live_assignments(user):
    """The user's own assignments that are live (assigned or committed) in open rounds; an
    empty queryset for a user without an expert record."""
    profile = getattr(user, "expert_profile", None) if user.is_authenticated else None
    if profile is None:
        return Assignment.objects.none()
    return Assignment.objects.filter(expert_id=profile.pk, status__in=ACTIVE_ASSIGNMENT_STATUSES,
                                     round__status=RoundStatus.OPEN)


def expert_assignment_rows(user):
    """The expert's list rows, only `EXPERT_LIST_COLUMNS`, deadline first, one query."""
    return (expert_live_assignments(user)
            .select_related("round", "application", "sheet")
            .only(*EXPERT_LIST_COLUMNS)
            .order_by(*EXPERT_LIST_ORDERING))


def expert_assignment_page(user, number, per_page=EXPERT_PAGE_SIZE):
    """Page `number` of the expert's list: the count and the rows, two queries."""
    return Paginator(expert_assignment_rows(user), per_page).get_page(number)


def expert_assignment_get(user, pk: int) -> Assignment:
    """The user's own live assignment `pk` with its round and application; Http404 for any
    other (someone else's, recused, withdrawn, a round not open), never a hint it exists."""
    try:
        return (expert_live_assignments(user)
                .select_related("round", "application", "application__organisation",
                                "expert").get(pk=pk))
    except Assignment.DoesNotExist:
        raise Http404("没有找到该评审任务。") from None


def assignment_conflicts(assignment: Assignment) -> list:
    """The hard conflicts (conflicts.ConflictSource) of the assignment's expert with its
    application as of today: a tie declared, a ruling or a change of employer after the
    assignment bars the materials and the sheet until the expert recuses (第四条: 回避)."""
    from .conflicts import conflicts_of

    return conflicts_of(expert=assignment.expert_id, application=assignment.application_id,
                        on=timezone.localdate())


def expert_assignment_gone(user, pk: int) -> Assignment | None:
    """The user's own assignment `pk` that is no longer theirs to score (withdrawn, recused, or
    its round no longer open), with its round; None for anyone else's or a missing one."""
    profile = getattr(user, "expert_profile", None)
    if profile is None:
        return None
    return (Assignment.objects.filter(pk=pk, expert=profile).select_related("round")
            .exclude(pk__in=expert_live_assignments(user).values("pk")).first())


def assignment_sheet(assignment: Assignment) -> ScoreSheet | None:
    return ScoreSheet.objects.filter(assignment=assignment).first()


def sheet_for_commission(pk: int) -> ScoreSheet:
    """A sheet with its assignment, expert, round and application, for the commission."""
    try:
        return (ScoreSheet.objects.select_related(
            "assignment", "assignment__expert", "assignment__round",
            "assignment__application").get(pk=pk))
    except ScoreSheet.DoesNotExist:
        raise Http404("没有找到该评分表。") from None


def site_visit_of(round_, application) -> SiteVisit | None:
    return (SiteVisit.objects.filter(round=round_, application=application)
            .prefetch_related("experts_present", "files").first())
