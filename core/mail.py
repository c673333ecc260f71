from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend
from django.db import transaction
from django.utils import timezone

from .models import OutgoingMail


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
