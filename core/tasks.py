from celery import shared_task

from .mail import outgoing_mail_send
from .models import OutgoingMail
from .sweep import run_deadline_sweep


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
def send_outgoing_mail(self, mail_id: int):
    mail = outgoing_mail_send(mail_id=mail_id)
    if mail.status == OutgoingMail.Status.FAILED and not self.request.is_eager:
        raise self.retry()
    return mail.status


@shared_task
def deadline_sweep():
    return run_deadline_sweep()
