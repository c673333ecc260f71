import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from core.models import Notification, OutgoingMail
from core.notifications import notify
from core.tasks import send_outgoing_mail
from tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db


class RefusingSMTPBackend(BaseEmailBackend):
    """The mail server is outside the system: this stands in for one that refuses the message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("550 mailbox unavailable")


def notify_confirm(recipient, organisation, **kwargs):
    return notify(recipient=recipient, purpose="account_confirm", link="/dashboard/",
                  context={"organisation": organisation,
                           "confirm_url": "https://portal.example/confirm/abc/"}, **kwargs)


def test_notify_writes_the_notice_and_queues_mail_from_the_purpose_templates(
    applicant_a, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        notice = notify_confirm(applicant_a, org_a)

    notice.refresh_from_db()
    assert notice.recipient == applicant_a and notice.purpose == "account_confirm"
    assert notice.title == "请确认您在青岛市赋能中心管理平台的注册邮箱"
    assert org_a.name in notice.body and "https://portal.example/confirm/abc/" in notice.body
    assert notice.link == "/dashboard/" and notice.read_at is None
    queued = OutgoingMail.objects.get()
    assert (queued.recipient, queued.to_address, queued.purpose, queued.status) == (
        applicant_a, applicant_a.email, "account_confirm", OutgoingMail.Status.QUEUED)
    assert (queued.subject, queued.body) == (notice.title, notice.body)
    assert mail.outbox == [] and len(callbacks) == 1  # nothing leaves before commit


def test_mail_is_sent_after_commit_and_recorded_as_sent(
    applicant_a, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify_confirm(applicant_a, org_a)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [applicant_a.email]
    assert message.subject == "请确认您在青岛市赋能中心管理平台的注册邮箱"
    assert org_a.name in message.body
    record = OutgoingMail.objects.get()
    assert record.status == OutgoingMail.Status.SENT
    assert record.attempts == 1 and record.error == ""
    assert record.sent_at is not None and record.sent_at <= timezone.now()


def test_a_sent_mail_is_never_sent_twice(applicant_a, org_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_confirm(applicant_a, org_a)

    send_outgoing_mail.delay(OutgoingMail.objects.get().pk)  # a retried or duplicated task

    assert len(mail.outbox) == 1
    assert OutgoingMail.objects.get().attempts == 1


def test_a_refused_mail_is_recorded_as_failed(
    applicant_a, org_a, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingSMTPBackend"

    with django_capture_on_commit_callbacks(execute=True):
        notice = notify_confirm(applicant_a, org_a)

    record = OutgoingMail.objects.get()
    assert record.status == OutgoingMail.Status.FAILED
    assert record.attempts == 1 and record.sent_at is None
    assert record.error == "SMTPException: 550 mailbox unavailable"
    assert Notification.objects.filter(pk=notice.pk).exists()  # the in-app notice stays

    # The server is back: the next attempt sends it and clears the error.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_outgoing_mail.delay(record.pk)
    record.refresh_from_db()
    assert (record.status, record.attempts, record.error) == (OutgoingMail.Status.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_mail_only_or_notice_only(applicant_a, org_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_confirm(applicant_a, org_a, in_app=False) is None
    assert not Notification.objects.exists() and len(mail.outbox) == 1

    notify_confirm(applicant_a, org_a, email=False)
    assert Notification.objects.count() == 1 and OutgoingMail.objects.count() == 1


def test_a_user_without_an_address_gets_the_notice_only(org_a):
    user = UserFactory(email="")

    notify_confirm(user, org_a)

    assert Notification.objects.filter(recipient=user).count() == 1
    assert not OutgoingMail.objects.exists()


# The bell and the list ---------------------------------------------------------------------

def unread_badge(page: str) -> str | None:
    match = re.search(r'data-testid="unread-count">(\d+)<', page)
    return match.group(1) if match else None


def test_the_bell_shows_the_unread_count(role_client, applicant_a, applicant_b):
    NotificationFactory.create_batch(3, recipient=applicant_a)
    NotificationFactory(recipient=applicant_a, read_at=timezone.now())
    NotificationFactory.create_batch(2, recipient=applicant_b)

    page = role_client("applicant").get(reverse("home")).content.decode()

    assert unread_badge(page) == "3"


def test_no_badge_when_everything_is_read(role_client, applicant_a):
    NotificationFactory(recipient=applicant_a, read_at=timezone.now())

    page = role_client("applicant").get(reverse("home")).content.decode()

    assert 'id="notification-bell"' in page
    assert unread_badge(page) is None


def test_the_list_shows_only_the_users_own_notices(role_client, applicant_a, applicant_b):
    NotificationFactory(recipient=applicant_a, title="您的申报材料已受理")
    NotificationFactory(recipient=applicant_b, title="另一单位的退回通知")

    page = role_client("applicant").get(reverse("notification_list")).content.decode()

    assert "您的申报材料已受理" in page
    assert "另一单位的退回通知" not in page


def test_marking_read_lowers_the_count_and_follows_the_link(role_client, applicant_a):
    client = role_client("applicant")
    first, _ = NotificationFactory.create_batch(2, recipient=applicant_a,
                                                link=reverse("dashboard_applicant"))

    response = client.post(reverse("notification_read", args=[first.pk]))

    assert response.status_code == 302
    assert response.url == reverse("dashboard_applicant")
    first.refresh_from_db()
    assert first.read_at is not None
    assert unread_badge(client.get(reverse("home")).content.decode()) == "1"


def test_marking_read_twice_keeps_the_first_time(role_client, applicant_a):
    client = role_client("applicant")
    notice = NotificationFactory(recipient=applicant_a)
    client.post(reverse("notification_read", args=[notice.pk]))
    notice.refresh_from_db()
    first_read = notice.read_at

    response = client.post(reverse("notification_read", args=[notice.pk]))

    assert response.url == reverse("notification_list")
    notice.refresh_from_db()
    assert notice.read_at == first_read


def test_an_outside_link_is_not_followed(role_client, applicant_a):
    notice = NotificationFactory(recipient=applicant_a, link="https://phishing.example/login")

    response = role_client("applicant").post(reverse("notification_read", args=[notice.pk]))

    assert response.url == reverse("notification_list")


def test_another_users_notification_is_404(role_client, applicant_b):
    notice = NotificationFactory(recipient=applicant_b)

    response = role_client("applicant").post(reverse("notification_read", args=[notice.pk]))

    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_marking_read_needs_post(role_client, applicant_a):
    notice = NotificationFactory(recipient=applicant_a)

    response = role_client("applicant").get(reverse("notification_read", args=[notice.pk]))

    assert response.status_code == 405
    notice.refresh_from_db()
    assert notice.read_at is None


# Query count: the list costs the same with one notice or a full page of them ----------------

# Session, user, roles, page count, unread count (bell), page rows, session save (3 with savepoint).
NOTIFICATION_LIST_QUERIES = 9


@pytest.mark.parametrize("rows", [1, 30])
def test_notification_list_query_count_does_not_grow_with_rows(
    role_client, applicant_a, rows, django_assert_max_num_queries
):
    NotificationFactory.create_batch(rows, recipient=applicant_a)
    client = role_client("applicant")

    with django_assert_max_num_queries(NOTIFICATION_LIST_QUERIES):
        response = client.get(reverse("notification_list"))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(rows, 20)


def test_plain_text_mail_and_notice_show_names_as_typed_and_the_page_escapes_once(
    client, applicant_a, org_a, django_capture_on_commit_callbacks
):
    org_a.name = '青岛"智造"<研究院>&合伙'
    applicant_a.real_name = '王"五"<b>'
    applicant_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        notice = notify_confirm(applicant_a, org_a)

    notice.refresh_from_db()
    assert '王"五"<b>，您好' in notice.body
    assert '“青岛"智造"<研究院>&合伙”' in notice.body
    assert "&quot;" not in notice.body and "&lt;" not in notice.body and "&amp;" not in notice.body
    sent = OutgoingMail.objects.get(recipient=applicant_a)
    assert '青岛"智造"<研究院>&合伙' in sent.body and "&quot;" not in sent.subject + sent.body
    assert '青岛"智造"<研究院>&合伙' in mail.outbox[-1].body

    client.force_login(applicant_a)
    page = client.get(reverse("notification_list")).content.decode()
    assert "青岛&quot;智造&quot;&lt;研究院&gt;&amp;合伙" in page  # escaped once
    assert "&amp;quot;" not in page and "&amp;lt;" not in page
