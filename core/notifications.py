"""In-app notices and e-mail, from templates keyed by purpose.

`notify` writes the notice and a queued mail row in the caller's transaction; the mail is
handed to Celery only after commit, so a rolled-back action never sends anything. The row is
the record: if the broker cannot take the mail, the sweep queues it again later.
"""

from django.template import Context, TemplateDoesNotExist, engines

from .models import Notification, OutgoingMail

UNKNOWN_PURPOSE_LABEL = "其他通知"


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template (mail subject and body, in-app notice) rendered without HTML
    escaping: a name like 青岛"智造"<研究院> is written as typed. The HTML pages that show a
    notice escape it there, once."""
    template = engines["django"].engine.get_template(template_name)
    return template.render(Context(context, autoescape=False))


def purpose_label(purpose: str) -> str:
    """The Chinese name of a purpose as staff read it in admin lists and filters, from
    `notifications/<purpose>/label.txt` next to the purpose's subject and body;
    `UNKNOWN_PURPOSE_LABEL` when a purpose has none, never the code."""
    try:
        label = render_text(f"notifications/{purpose}/label.txt", {}).strip()
    except TemplateDoesNotExist:
        return UNKNOWN_PURPOSE_LABEL
    return label or UNKNOWN_PURPOSE_LABEL


def _render(purpose: str, context: dict) -> tuple[str, str]:
    subject = render_text(f"notifications/{purpose}/subject.txt", context).strip()
    body = render_text(f"notifications/{purpose}/body.txt", context).strip()
    return " ".join(subject.split()), body


def notify(*, recipient, purpose: str, context: dict | None = None, link: str = "",
           in_app: bool = True, email: bool = True) -> Notification | None:
    context = {"recipient": recipient, "link": link, **(context or {})}
    subject, body = _render(purpose, context)
    notice = None
    if in_app:
        notice = Notification.objects.create(
            recipient=recipient, purpose=purpose, title=subject, body=body, link=link
        )
    if email and recipient.email:
        mail_queue(recipient=recipient, to_address=recipient.email, purpose=purpose,
                   subject=subject, body=body)
    return notice


def mail_queue(*, to_address: str, purpose: str, subject: str, body: str, recipient=None):
    mail = OutgoingMail.objects.create(
        recipient=recipient, to_address=to_address, purpose=purpose, subject=subject, body=body
    )
    from .queue import enqueue_on_commit
    from .tasks import send_outgoing_mail

    enqueue_on_commit(send_outgoing_mail, mail.pk)
    return mail


def notification_mark_read(*, notification: Notification) -> None:
    from django.utils import timezone

    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
