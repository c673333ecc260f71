import datetime

from django.db.models import Q
from django.utils import timezone

from .audit import action_codes_matching
from .models import AuditEvent, WorkdayYear


def audit_events_search(q: str = ""):
    """Audit rows, newest first, whose actor, action (code or Chinese label) or object match."""
    events = AuditEvent.objects.all()
    if q:
        events = events.filter(
            Q(actor_label__icontains=q) | Q(action__icontains=q) | Q(object_repr__icontains=q)
            | Q(action__in=action_codes_matching(q))
        )
    return events.order_by("-occurred_at", "-id")


def next_year_schedule_missing(now: datetime.datetime | None = None) -> int | None:
    """From 1 November 00:00 Beijing time on: next year, when its holiday schedule is neither
    bundled with `chinese-calendar` nor confirmed by the commission; otherwise None.

    The commission's dashboard warns with it: a deadline of 30 working days set in November
    reaches into next year (第十三条).
    """
    from .workdays import bundled_calendar_knows

    today = timezone.localtime(now or timezone.now()).date()
    if today.month < 11:
        return None
    year = today.year + 1
    if bundled_calendar_knows(year):
        return None
    if WorkdayYear.objects.filter(year=year, is_complete=True).exists():
        return None
    return year
