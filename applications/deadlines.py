"""Reminders before a call closes: 7, 3 and 1 days ahead, once per organisation, threshold and
deadline: when the commission moves the deadline (services.call_change_window) the reminders
are armed again for the new date, and a date already reminded is never reminded twice."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import RoleAssignment
from core.notifications import notify
from core.sweep import deadline_check, reminder_claim

from .enums import ApplicationStatus, CallStatus
from .models import Application, Call

CALL_CLOSING_THRESHOLDS_DAYS = (7, 3, 1)


def _due_threshold(closes_at, now) -> int | None:
    """The smallest threshold already reached; larger ones are skipped, never sent late."""
    remaining = closes_at - now
    reached = [d for d in CALL_CLOSING_THRESHOLDS_DAYS if remaining <= datetime.timedelta(days=d)]
    return min(reached) if reached else None


@deadline_check
def remind_unsubmitted_drafts(now) -> int:
    drafts = (
        Application.objects.filter(
            status=ApplicationStatus.DRAFT,
            call__status=CallStatus.PUBLISHED,
            call__closes_at__gt=now,
            call__closes_at__lte=now + datetime.timedelta(days=max(CALL_CLOSING_THRESHOLDS_DAYS)),
        )
        .select_related("call", "organisation")
        .order_by("pk")
    )
    sent = 0
    for application in drafts:
        threshold = _due_threshold(application.call.closes_at, now)
        key_base = reminder_key_base(application.call, application.organisation_id)
        with transaction.atomic():
            # Claim every larger threshold too, so a late sweep does not send stale ones.
            for days in CALL_CLOSING_THRESHOLDS_DAYS:
                if days > threshold:
                    reminder_claim(f"{key_base}:{days}")
            if not reminder_claim(f"{key_base}:{threshold}"):
                continue
            for recipient in organisation_contacts(application.organisation_id):
                notify(
                    recipient=recipient,
                    purpose="call_closing_reminder",
                    context={"application": application, "call": application.call,
                             "days": threshold,
                             "closes_at": timezone.localtime(application.call.closes_at)},
                    link=reverse("applications:detail", args=[application.pk]),
                )
            sent += 1
    return sent


def reminder_key_base(call, organisation_id) -> str:
    """The reminder key of one organisation for the call's current deadline (to the second,
    UTC); the threshold in days is appended."""
    deadline = call.closes_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"call-closing:{call.pk}:{organisation_id}:{deadline}"


def organisation_contacts(organisation_id):
    """The organisation's administrators; every member when it has none."""
    members = list(
        RoleAssignment.objects.filter(role=Role.APPLICANT, organisation_id=organisation_id,
                                      user__is_active=True).select_related("user")
    )
    admins = [m.user for m in members if m.is_administrator]
    return admins or [m.user for m in members]


@deadline_check
def close_calls_past_deadline(now) -> int:
    """A call whose window has ended is closed by the system, recorded like any other move."""
    from .services import call_close_at_deadline

    closed = 0
    for call in Call.objects.filter(status=CallStatus.PUBLISHED, closes_at__lte=now):
        call_close_at_deadline(call=call)
        closed += 1
    return closed
