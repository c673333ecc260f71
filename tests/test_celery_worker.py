"""The e-mail path through Celery, for real: a queued mail is sent by a worker over Redis.

With REDIS_URL set (always under CI) a worker runs in a thread of this process against the
real broker, so the locmem outbox of the test run receives what it sends. Without REDIS_URL the
portal runs tasks in-process after commit; that path is tested here as well.
"""

import os
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_prerun
from django.conf import settings
from django.core import mail

from config.celery import app
from core.models import OutgoingMail
from core.notifications import mail_queue

ROOT = Path(__file__).resolve().parent.parent
WORKER_TIMEOUT = 30  # seconds


@contextmanager
def celery_conf(**values):
    """Set Celery options for the duration of a test, restoring what was there before."""
    app.finalize()
    changes = app.conf.changes
    saved = {key: changes[key] for key in values if key in changes}
    app.conf.update(values)
    try:
        yield
    finally:
        for key in values:
            if key in saved:
                changes[key] = saved[key]
            else:
                changes.pop(key, None)


@contextmanager
def task_runs():
    """Records, for every task that starts, where it ran: its name, worker and thread."""
    runs = []

    def record(sender=None, task=None, **kwargs):
        runs.append({
            "name": task.name,
            "queue": (task.request.delivery_info or {}).get("routing_key"),
            "is_eager": bool(task.request.is_eager),
            "thread": threading.get_ident(),
        })

    task_prerun.connect(record, weak=False)
    try:
        yield runs
    finally:
        task_prerun.disconnect(record)


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("REDIS_URL is required under CI")
        pytest.skip("REDIS_URL is not set: no broker to run a Celery worker against "
                    "(set REDIS_URL=redis://127.0.0.1:6379/0 to run this test)")
    assert settings.CELERY_BROKER_URL == url
    return url


@pytest.fixture
def celery_worker(redis_url):
    """A real worker on a queue of its own, so that neither another worker on the same Redis
    nor messages left over from earlier runs interfere."""
    queue = f"portal-test-{uuid.uuid4().hex}"
    # The worker must not take over the root logger: pytest's log capture lives there.
    with celery_conf(task_always_eager=False, task_default_queue=queue,
                     worker_hijack_root_logger=False):
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False,
                          queues=[queue], shutdown_timeout=WORKER_TIMEOUT) as worker:
            yield SimpleNamespace(worker=worker, queue=queue)
        # Declaring on this channel first lets the delete find the queue's binding too.
        with app.connection_for_write() as connection:
            declared = app.amqp.queues[queue].bind(connection.default_channel)
            declared.declare()
            declared.delete()


def wait_for_status(outgoing: OutgoingMail, status: str) -> OutgoingMail:
    deadline = time.monotonic() + WORKER_TIMEOUT
    while time.monotonic() < deadline:
        outgoing.refresh_from_db()
        if outgoing.status == status:
            return outgoing
        time.sleep(0.1)
    pytest.fail(f"mail {outgoing.pk} still {outgoing.status!r} after {WORKER_TIMEOUT}s")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_queued_mail_is_sent_by_a_worker_over_redis(celery_worker):
    mail.outbox.clear()
    with task_runs() as runs:
        # Committed at once (transaction=True): the worker's own connection sees the row.
        outgoing = mail_queue(
            to_address="applicant@demo.qingdao.example",
            purpose="worker_check",
            subject="申报材料已收到",
            body="您单位的申报材料已收到。",
        )
        outgoing = wait_for_status(outgoing, OutgoingMail.Status.SENT)

    assert outgoing.attempts == 1
    assert outgoing.sent_at is not None
    assert [m.subject for m in mail.outbox] == ["申报材料已收到"]
    assert mail.outbox[0].to == ["applicant@demo.qingdao.example"]
    assert mail.outbox[0].from_email == settings.DEFAULT_FROM_EMAIL
    [run] = [r for r in runs if r["name"] == "core.tasks.send_outgoing_mail"]
    assert run["is_eager"] is False
    assert run["queue"] == celery_worker.queue
    assert run["thread"] != threading.get_ident()


@pytest.mark.django_db
def test_without_a_broker_mail_is_sent_in_process_after_commit(django_capture_on_commit_callbacks):
    # Exactly what config/settings.py sets when REDIS_URL is empty, so this path is tested on
    # machines with a broker too.
    with celery_conf(task_always_eager=True, task_eager_propagates=True):
        mail.outbox.clear()
        with task_runs() as runs:
            with django_capture_on_commit_callbacks(execute=False) as callbacks:
                outgoing = mail_queue(
                    to_address="official@demo.qingdao.example",
                    purpose="eager_check",
                    subject="待审核申报",
                    body="有一份申报待您审核。",
                )
            # Nothing leaves before the transaction commits: a rolled-back action sends nothing.
            assert mail.outbox == []
            assert len(callbacks) == 1
            outgoing.refresh_from_db()
            assert outgoing.status == OutgoingMail.Status.QUEUED

            with django_capture_on_commit_callbacks(execute=True):
                outgoing = mail_queue(
                    to_address="official@demo.qingdao.example",
                    purpose="eager_check",
                    subject="待审核申报",
                    body="有一份申报待您审核。",
                )

    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.SENT
    assert [m.subject for m in mail.outbox] == ["待审核申报"]
    [run] = runs
    assert run["is_eager"] is True
    assert run["thread"] == threading.get_ident()


@pytest.mark.parametrize("redis_url", ["", "redis://127.0.0.1:6379/3"])
def test_settings_choose_broker_or_in_process_from_redis_url(redis_url):
    """REDIS_URL alone decides: a broker when set, in-process when empty. Never a result
    backend: nothing reads task results, and an unreachable one fails the request."""
    env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    code = (
        "from config.celery import app; c = app.conf; "
        "print(c.task_always_eager, c.broker_url or '', c.result_backend or '')"
    )
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    eager, broker, backend = (result.stdout.split() + ["", ""])[:3]
    if redis_url:
        assert (eager, broker, backend) == ("False", redis_url, "")
    else:
        assert eager == "True"
        assert not broker.startswith("redis") and not backend.startswith("redis")
