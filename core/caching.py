"""Reads kept across requests in Django's cache (Redis in service), for figures that are
costly to compute and change rarely: a round's leniency diagnostic, the filter forms' choices.

Two ways to know a kept value is still right:
- a fingerprint in the key (`cached(key, …)` with a key that holds it): the caller computes
  something cheap that changes whenever the value would (a count and the latest change);
- a named generation (`generation(name)`, moved on by `generation_bump(name)` on every save
  or delete of the rows behind it): the key holds the generation, so one bump retires every
  key built on it at once.

Redis down never fails a request: a failed read computes the value afresh, a failed write
is forgotten (the next request computes again). Nothing kept here depends on who asks: keys
never hold one user's data.
"""

from collections.abc import Callable
from typing import Any

from django.core.cache import cache

DEFAULT_TIMEOUT = 24 * 3600
_MISSING = object()


def _get(key: str):
    try:
        return cache.get(key, _MISSING)
    except Exception:  # noqa: BLE001 — Redis down must never fail the request
        return _MISSING


def _set(key: str, value, timeout: int) -> None:
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:  # noqa: BLE001 — Redis down must never fail the request
        pass


def cached(key: str, compute: Callable[[], Any], timeout: int = DEFAULT_TIMEOUT):
    """The value kept under `key`, or `compute()` kept there for `timeout` seconds. `key`
    must change whenever the value would (a fingerprint or a `generation`). None is kept
    too."""
    value = _get(key)
    if value is _MISSING:
        value = compute()
        _set(key, value, timeout)
    return value


def cached_recent(key: str, compute: Callable[[], Any], max_age: int):
    """(value, computed_at): the value kept under `key` with the moment it was computed, or
    `compute()` kept now when none is kept or the kept one was computed `max_age` seconds
    ago or earlier (read from `django.utils.timezone.now`). For figures that may be a few
    minutes old and that the page says are (it shows `computed_at`)."""
    import datetime

    from django.utils import timezone

    now = timezone.now()
    kept = _get(key)
    if (isinstance(kept, tuple) and len(kept) == 2
            and now - kept[1] < datetime.timedelta(seconds=max_age)):
        return kept
    kept = (compute(), now)
    _set(key, kept, max_age)
    return kept


def generation(name: str) -> str:
    """The current generation of `name` (an opaque text for a cache key). After a cache
    restart or when Redis is down the generation is new, so nothing stale is ever read."""
    key = f"generation:{name}"
    value = _get(key)
    if value is _MISSING or value is None:
        import secrets

        value = secrets.token_hex(6)
        try:
            # add, not set: two requests starting a generation at once agree on one.
            if not cache.add(key, value, timeout=None):
                value = cache.get(key) or value
        except Exception:  # noqa: BLE001 — Redis down must never fail the request
            pass
    return str(value)


def generation_bump(name: str) -> None:
    """Retires every value kept on `name`'s current generation (call on save and delete of
    the rows behind it; `transaction.on_commit` not needed: a read between the write and its
    commit may keep the old value, so it is bumped again after commit too)."""
    import secrets

    def bump():
        _set(f"generation:{name}", secrets.token_hex(6), None)

    bump()
    try:
        from django.db import transaction

        transaction.on_commit(bump)
    except Exception:  # noqa: BLE001 — outside a transaction on_commit runs at once
        pass


# --- the choices of filter forms ------------------------------------------------------------

CHOICES = "choices"


def choices_kept(name: str, compute: Callable[[], Any]) -> list:
    """`list(compute())` (the rows of a filter's choices: calls, 主管部门, industry fields,
    model instances or tuples) kept on the current generation of CHOICES, which every save
    or delete of a model registered with `choices_sources` moves on. Only for lists that are
    the same for everyone who may see the page."""
    return cached(f"{CHOICES}:{generation(CHOICES)}:{name}", lambda: list(compute()))


def _choices_changed(sender, **kwargs):
    generation_bump(CHOICES)


def choices_sources(*models) -> None:
    """Registers `models` as sources of kept choices (call from an AppConfig.ready)."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        label = model._meta.label
        post_save.connect(_choices_changed, sender=model, dispatch_uid=f"{CHOICES}:{label}")
        post_delete.connect(_choices_changed, sender=model,
                            dispatch_uid=f"{CHOICES}:{label}:delete")
