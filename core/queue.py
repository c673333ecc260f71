"""Handing work to Celery without ever failing or stalling the request that asks for it.

Every piece of background work (a mail, a PDF, an export) is a row in the database before it is
queued, so queueing is only a nudge: when the broker is down the nudge is logged and dropped,
the request answers at once, and the deadline sweep queues the recorded work again once the
broker is back (`core.sweep`). Tasks are idempotent, so a nudge given twice does no harm.
"""

import logging
import time

from django.db import transaction

logger = logging.getLogger(__name__)

# After a failed publish, this process does not try the broker again for a while: a request
# that queues three things then waits for one connection timeout, not three.
BROKER_BACKOFF_SECONDS = 30.0
_broker_down_until = 0.0


def enqueue(task, *args) -> bool:
    """Publish `task(*args)` now, once, without retrying; True when the broker took it.

    Without a broker (development, most tests) the task runs in-process here and its errors
    propagate as Celery's eager mode makes them; with a broker, any failure to publish is
    logged and swallowed."""
    global _broker_down_until
    if task.app.conf.task_always_eager:
        task.apply_async(args=args)
        return True
    if time.monotonic() < _broker_down_until:
        logger.warning("broker unavailable, not queueing %s%r now", task.name, args)
        return False
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # noqa: BLE001 - a broken broker must never reach the user
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        logger.warning("could not queue %s%r; the sweep will queue it again", task.name, args,
                       exc_info=True)
        return False
    _broker_down_until = 0.0
    return True


def broker_backoff_reset() -> None:
    """Forget an earlier failure: the next publish tries the broker again (the sweep, tests)."""
    global _broker_down_until
    _broker_down_until = 0.0


def enqueue_on_commit(task, *args) -> None:
    """Queue `task(*args)` once the current transaction commits.

    Each callback is independent (`robust`): one that fails does not keep the next from
    running, so a mail that cannot be queued never costs the PDF queued after it."""
    transaction.on_commit(lambda: enqueue(task, *args), robust=True)
