"""Reads of the assignment pages, with their visibility rule: the commission's staff manage
every round, a third-party agency's staff only the rounds entrusted to their agency."""

import datetime
from collections import defaultdict

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.enums import Role
from accounts.rules import is_commission_staff
from accounts.selectors import user_department_ids

from .assignment import active_expert_ids
from .conflicts import conflict_labels, hard_conflicts
from .enums import ACTIVE_ASSIGNMENT_STATUSES, AssignmentStatus
from .models import Assignment, Expert, ReviewRound, RoundEntry

PAGE_SIZE = 50
# An application's row holds up to n experts, each with a reason box and a button: 25 rows
# keep the page under 100 KB at five experts an application.
ASSIGNMENT_PAGE_SIZE = 25
LOAD_ROWS = 50


def rounds_managed_by(user) -> QuerySet[ReviewRound]:
    """Rounds whose assignments `user` manages: all for the commission's staff, the entrusted
    ones for a third-party agency's staff, none for anyone else."""
    rounds = ReviewRound.objects.all()
    if user is None or not user.is_authenticated:
        return rounds.none()
    if is_commission_staff(user):
        return rounds
    agencies = user_department_ids(user, Role.THIRD_PARTY_STAFF)
    return rounds.filter(agency_id__in=agencies) if agencies else rounds.none()


def _count(queryset, group: str):
    """A correlated COUNT subquery of `queryset` grouped by `group` (0 when none)."""
    counted = queryset.order_by().values(group).annotate(c=Count("id")).values("c")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def round_rows(user) -> QuerySet:
    """The managed rounds for a list, newest first (the `round_call_created`-like order of
    the model), with the columns a list shows and the number of applications entered."""
    entries = _count(RoundEntry.objects.filter(round=OuterRef("pk")), "round")
    return (rounds_managed_by(user).select_related("call", "agency")
            .only("title", "purpose", "kind", "status", "deadline", "experts_per_application",
                  "created_at", "call__title", "agency__name")
            .annotate(entry_count=entries)
            .order_by("-created_at", "-id"))


def _application_label(row: dict) -> str:
    return row["application__center_name"] or (
        f"{row['application__organisation__name']} · {row['application__call__year']}年申报")


def assignment_page(round_: ReviewRound, *, page_number=None, gaps_only: bool = False,
                    on: datetime.date) -> dict:
    """One page (ASSIGNMENT_PAGE_SIZE) of the round's applications, each with its live
    experts, the recused ones, its free slots, its conflicted experts (with the reasons,
    Chinese) and the experts who may still be added (active, no hard conflict, not yet
    assigned); plus the load of each expert in the round (at most LOAD_ROWS, heaviest
    first). Fixed query count.

    Returns {"page", "rows", "loads", "load_total", "n"}."""
    n = round_.experts_per_application
    entries = (RoundEntry.objects.filter(round=round_)
               .values("id", "application_id", "application__center_name",
                       "application__organisation__name", "application__call__year",
                       "application__receipt_number", "application__industry_field__name")
               .order_by("id"))
    if gaps_only:
        live_count = _count(Assignment.objects.filter(
            round=round_, application=OuterRef("application_id"),
            status__in=ACTIVE_ASSIGNMENT_STATUSES), "application")
        entries = entries.annotate(live=live_count).filter(live__lt=n)
    page = Paginator(entries, ASSIGNMENT_PAGE_SIZE).get_page(page_number)
    app_ids = [row["application_id"] for row in page.object_list]

    live, recused = defaultdict(list), defaultdict(list)
    if app_ids:
        for a in (Assignment.objects.filter(round=round_, application_id__in=app_ids)
                  .filter(status__in=[*ACTIVE_ASSIGNMENT_STATUSES, AssignmentStatus.RECUSED])
                  .values("id", "application_id", "expert_id", "expert__name", "status",
                          "method", "recusal_reason", "sheet__status").order_by("id")):
            (recused if a["status"] == AssignmentStatus.RECUSED else live)[
                a["application_id"]].append(a)

    active = active_expert_ids(on)
    names = dict(Expert.objects.filter(pk__in=active).values_list("pk", "name")) if app_ids \
        else {}
    conflicts = hard_conflicts(applications=app_ids, experts=active, on=on)
    rows = []
    for row in page.object_list:
        app_id = row["application_id"]
        taken = {a["expert_id"] for a in live[app_id]}
        conflicted = sorted(
            ((names[e], conflict_labels(sources)) for (e, a), sources in conflicts.items()
             if a == app_id and e in names), key=lambda pair: pair[0])
        addable = sorted(
            ((e, names[e]) for e in names if e not in taken and (e, app_id) not in conflicts),
            key=lambda pair: (pair[1], pair[0]))
        free = max(0, n - len(live[app_id]))
        rows.append({
            "application_id": app_id,
            "label": _application_label(row),
            "receipt_number": row["application__receipt_number"] or "",
            "field": row["application__industry_field__name"] or "",
            "live": live[app_id],
            "recused": recused[app_id],
            "free": free,
            "conflicted": conflicted,
            "addable": addable if free else [],
        })
    loads = list(Assignment.objects.filter(round=round_, status__in=ACTIVE_ASSIGNMENT_STATUSES)
                 .values("expert_id", "expert__name").annotate(load=Count("id"))
                 .order_by("-load", "expert__name", "expert_id")[:LOAD_ROWS])
    return {"page": page, "rows": rows, "loads": loads, "n": n,
            "load_experts": len(active)}


def third_party_rounds(user) -> dict:
    """A third-party agency's dashboard share: at most 10 entrusted rounds, and their total."""
    rows = list(round_rows(user)[:10])
    total = len(rows) if len(rows) < 10 else rounds_managed_by(user).count()
    return {"rows": rows, "total": total}
