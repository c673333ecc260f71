"""Timers of the accounts app, run by the deadline sweep (`core.sweep`)."""

from core.sweep import deadline_check

from .services import registrations_release_lapsed


@deadline_check
def release_lapsed_registrations(now) -> int:
    """Self-registrations not confirmed within `REGISTRATION_CONFIRM_HOURS` stop holding their
    统一社会信用代码 and user names: removed, audited. Returns how many."""
    return registrations_release_lapsed(now=now)
