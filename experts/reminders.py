"""Reminders before a round's scoring deadline: 2 days and 1 day ahead, each expert with
unsubmitted live assignments in the round is told once per threshold and deadline (a moved
deadline arms them again). A late sweep sends only the nearest threshold, never a stale one."""

import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse

from core.notifications import notify
from core.sweep import deadline_check, reminder_claim

from .enums import ACTIVE_ASSIGNMENT_STATUSES, RoundStatus, SheetStatus
from .models import Assignment, Expert, ReviewRound

ROUND_REMINDER_THRESHOLDS_DAYS = (2, 1)


def _threshold(deadline, now) -> int | None:
    remaining = deadline - now
    if remaining <= datetime.timedelta(0):
        return None
    reached = [d for d in ROUND_REMINDER_THRESHOLDS_DAYS
               if remaining <= datetime.timedelta(days=d)]
    return min(reached) if reached else None


def unsubmitted_by_expert(round_: ReviewRound) -> dict[int, int]:
    """{expert pk: number of their live assignments in the round without a submitted sheet}."""
    rows = (Assignment.objects.filter(round=round_, status__in=ACTIVE_ASSIGNMENT_STATUSES)
            .exclude(Q(sheet__status=SheetStatus.SUBMITTED))
            .order_by().values("expert_id").annotate(n=Count("pk")))
    return {row["expert_id"]: row["n"] for row in rows}


@deadline_check
def remind_experts_of_round_deadline(now) -> int:
    """Sends the 2- and 1-day reminders that are due (see the module docstring); returns how
    many experts were reminded."""
    sent = 0
    horizon = now + datetime.timedelta(days=max(ROUND_REMINDER_THRESHOLDS_DAYS))
    rounds = ReviewRound.objects.filter(status=RoundStatus.OPEN, deadline__gt=now,
                                        deadline__lte=horizon).order_by("pk")
    for round_ in rounds:
        threshold = _threshold(round_.deadline, now)
        if threshold is None:
            continue
        pending = unsubmitted_by_expert(round_)
        experts = Expert.objects.filter(pk__in=pending, user__isnull=False,
                                        user__is_active=True).select_related("user")
        for expert in experts.order_by("pk"):
            key = (f"expert-round-deadline:{round_.pk}:{expert.pk}:"
                   f"{round_.deadline:%Y%m%d%H%M%S}")
            with transaction.atomic():
                for days in ROUND_REMINDER_THRESHOLDS_DAYS:
                    if days > threshold:
                        reminder_claim(f"{key}:{days}")  # passed already: never sent late
                if not reminder_claim(f"{key}:{threshold}"):
                    continue
                notify(recipient=expert.user, purpose="expert_round_deadline_reminder",
                       link=reverse("experts:my_assignments"),
                       context={"round": round_, "days": threshold,
                                "unsubmitted": pending[expert.pk]})
                sent += 1
    return sent
