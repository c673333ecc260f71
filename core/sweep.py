"""The deadline sweep: every timer of the portal registers a check here.

Each check must be idempotent (it records what it sent in `ReminderSent`), so the sweep can run
every 15 minutes, twice, or late after downtime without sending anything twice.
"""

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ReminderSent

_checks: list[Callable] = []


def deadline_check(func: Callable) -> Callable:
    """Register a check; it receives `now` and returns how many reminders it sent."""
    _checks.append(func)
    return func


def registered_checks() -> list[Callable]:
    return list(_checks)


def reminder_claim(key: str) -> bool:
    """True the first time `key` is claimed, False ever after."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def run_deadline_sweep(now=None) -> dict:
    from .queue import broker_backoff_reset

    # The sweep is where recorded work is queued again: try the broker afresh.
    broker_backoff_reset()
    now = now or timezone.now()
    return {f"{check.__module__}.{check.__name__}": check(now) for check in registered_checks()}
