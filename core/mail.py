"""Recorded e-mail: every mail is a row first (`notifications.mail_queue`), sent by a worker."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import OutgoingMail
from .sweep import deadline_check


def outgoing_mail_send(*, mail_id: int) -> OutgoingMail:
    """Send one recorded mail once and record the outcome; a mail already sent is left alone."""
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().get(pk=mail_id)
        if mail.status == OutgoingMail.Status.SENT:
            return mail
        mail.attempts += 1
        try:
            EmailMessage(
                subject=mail.subject, body=mail.body,
                from_email=settings.DEFAULT_FROM_EMAIL, to=[mail.to_address],
            ).send()
        except Exception as exc:  # every kind of SMTP failure is recorded; the task retries
            mail.status = OutgoingMail.Status.FAILED
            mail.error = f"{type(exc).__name__}: {exc}"[:2000]
        else:
            mail.status = OutgoingMail.Status.SENT
            mail.sent_at = timezone.now()
            mail.error = ""
        mail.save(update_fields=["status", "sent_at", "error", "attempts"])
    return mail


class ReadableConsoleBackend(ConsoleEmailBackend):
    """Development mail to the console as people read it, not base64: the registration link
    and reminders must be usable from the terminal of `make run`."""

    def write_message(self, message):
        self.stream.write(
            f"To: {', '.join(message.recipients())}\nSubject: {message.subject}\n\n"
            f"{message.body}\n{'-' * 79}\n"
        )


# Older than this and still queued, a mail's message was lost (the broker was down when it was
# queued, or a worker died holding it); younger, it may still be on its way.
REQUEUE_AFTER = datetime.timedelta(minutes=10)
REQUEUE_BATCH = 500


@deadline_check
def requeue_unsent_mail(now) -> int:
    """Queues again every recorded mail that is still unsent after `REQUEUE_AFTER` (since it
    was recorded or last queued again). Returns how many were handed to the broker."""
    from .queue import enqueue
    from .tasks import send_outgoing_mail

    cutoff = now - REQUEUE_AFTER
    stale = (OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED, created_at__lt=cutoff)
             .filter(Q(requeued_at__isnull=True) | Q(requeued_at__lt=cutoff))
             .order_by("pk").values_list("pk", "requeued_at")[:REQUEUE_BATCH])
    queued = 0
    for pk, requeued_at in stale:
        # Conditional: of two sweeps running at once, only one queues the mail again.
        if OutgoingMail.objects.filter(pk=pk, requeued_at=requeued_at).update(requeued_at=now):
            queued += enqueue(send_outgoing_mail, pk)
    return queued
