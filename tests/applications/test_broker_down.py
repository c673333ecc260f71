"""Redis down: submitting still answers at once, and what it sets off is delivered later.

The broker is pointed at a closed port (the production settings with the server stopped); the
application is submitted through the view; then, with the real Redis back (a worker in a thread
when REDIS_URL is set, as under CI; in-process otherwise), one sweep run delivers the district's
notice e-mail and renders the PDF.
"""

import datetime
import os
import socket
import time
from contextlib import contextmanager

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.enums import ApplicationStatus, DocumentStatus
from applications.models import Application, ApplicationDocument, ApplicationExport
from config.celery import app
from core.models import Notification, OutgoingMail
from core.queue import broker_backoff_reset, enqueue
from core.sweep import run_deadline_sweep
from core.tasks import deadline_sweep
from tests.test_celery_worker import WORKER_TIMEOUT, celery_conf

pytestmark = pytest.mark.django_db(transaction=True)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


@contextmanager
def fresh_broker(**conf):
    """The app's broker settings replaced, with its connection pools dropped so the next
    publish connects anew (as a freshly started server would)."""

    def reset():
        broker_backoff_reset()
        app._pool = None
        app.__dict__.get("amqp") and setattr(app.amqp, "_producer_pool", None)

    with celery_conf(**conf):
        reset()
        try:
            yield
        finally:
            reset()
    reset()


@contextmanager
def broker_down():
    with fresh_broker(broker_url=f"redis://127.0.0.1:{closed_port()}/0",
                      task_always_eager=False, result_backend=None, task_ignore_result=True):
        # The first publish of a process imports the Redis transport (a one-time cost, paid by
        # a server's first request, not by each): pay it before anything is timed.
        assert enqueue(deadline_sweep) is False
        broker_backoff_reset()
        yield


@contextmanager
def broker_back():
    """The real Redis with a worker when REDIS_URL is set; otherwise tasks run in-process."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("REDIS_URL is required under CI")
        with celery_conf(task_always_eager=True, task_eager_propagates=True):
            yield
        return
    import uuid

    from celery.contrib.testing.worker import start_worker

    queue = f"portal-test-{uuid.uuid4().hex}"
    with fresh_broker(broker_url=url, task_always_eager=False, task_default_queue=queue,
                      worker_hijack_root_logger=False):
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False,
                          queues=[queue], shutdown_timeout=WORKER_TIMEOUT):
            yield
        with app.connection_for_write() as connection:
            declared = app.amqp.queues[queue].bind(connection.default_channel)
            declared.declare()
            declared.delete()


def wait_until(check, what):
    deadline = time.monotonic() + WORKER_TIMEOUT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} not done after {WORKER_TIMEOUT}s")


def test_submit_answers_at_once_with_the_broker_down_and_the_sweep_delivers_later(
        client, complete_a, applicant_a, official_laoshan):
    client.force_login(applicant_a)
    with broker_down():
        started = time.monotonic()
        response = client.post(reverse("applications:submit", args=[complete_a.pk]),
                               {"confirm": "1"})
        elapsed = time.monotonic() - started

        assert elapsed < 2, f"submitting took {elapsed:.1f}s with the broker down"
        assert response.status_code == 302
        assert response.url == reverse("applications:receipt", args=[complete_a.pk])
        page = client.get(response.url)
        assert page.status_code == 200
        assert "申报已提交" in page.content.decode()
        # The documents page queues nothing it cannot: it answers too.
        assert client.get(reverse("applications:document",
                                  args=[complete_a.pk, "package"])).status_code == 200

    complete_a.refresh_from_db()
    assert complete_a.status == ApplicationStatus.SUBMITTED
    notice = Notification.objects.get(recipient=official_laoshan,
                                      purpose="application_received")
    queued = OutgoingMail.objects.get(recipient=official_laoshan, purpose="application_received")
    assert queued.status == OutgoingMail.Status.QUEUED
    form_pdf = ApplicationDocument.objects.get(application=complete_a, variant="form")
    assert form_pdf.status == DocumentStatus.PENDING

    mail.outbox.clear()
    with broker_back():
        # A sweep right away leaves work that may still be in flight alone ...
        run_deadline_sweep()
        queued.refresh_from_db()
        assert queued.requeued_at is None
        # ... the one after the age threshold queues it again.
        result = run_deadline_sweep(now=timezone.now() + datetime.timedelta(minutes=15))
        # The district's notice and the applicant's receipt.
        assert result["core.mail.requeue_unsent_mail"] == 2
        assert result["applications.backlog.requeue_pending_documents"] == 2

        def delivered():
            queued.refresh_from_db()
            form_pdf.refresh_from_db()
            return (queued.status == OutgoingMail.Status.SENT
                    and not OutgoingMail.objects.exclude(status=OutgoingMail.Status.SENT).exists()
                    and form_pdf.status == DocumentStatus.READY)

        wait_until(delivered, "the notice mail and the PDF")

    assert notice.link == reverse("applications:detail", args=[complete_a.pk])
    assert sorted(m.to for m in mail.outbox) == sorted([[official_laoshan.email],
                                                        [applicant_a.email]])
    assert form_pdf.file and not form_pdf.is_draft
    # Delivered once: a later sweep finds nothing left to do.
    with broker_back():
        later = run_deadline_sweep(now=timezone.now() + datetime.timedelta(hours=1))
    assert later["core.mail.requeue_unsent_mail"] == 0


def test_each_queueing_is_independent_of_the_others(complete_a, applicant_a, official_laoshan,
                                                     commission_staff):
    """One failing publish (the first mail) does not keep the rest from being recorded and
    the request from finishing: the export row is there, pending, for the sweep."""
    with broker_down():
        started = time.monotonic()
        export = services.application_export_request(actor=commission_staff, params={})
        services.application_submit(application=complete_a, actor=applicant_a)
        assert time.monotonic() - started < 2
    assert ApplicationExport.objects.get(pk=export.pk).status == DocumentStatus.PENDING
    assert Application.objects.get(pk=complete_a.pk).status == ApplicationStatus.SUBMITTED
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).exists()

    with broker_back():
        result = run_deadline_sweep(now=timezone.now() + datetime.timedelta(minutes=15))
        assert result["applications.backlog.requeue_pending_exports"] == 1
        wait_until(lambda: ApplicationExport.objects.get(pk=export.pk).status
                   == DocumentStatus.READY, "the export")
