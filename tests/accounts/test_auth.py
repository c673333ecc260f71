import datetime
import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
LOCKED_OUT = "账号已被临时锁定"


def post_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


# Lock-out (MLPS 2.0: five failures) ---------------------------------------------------------

def test_four_failures_still_allow_the_right_password(client, applicant_a):
    for _ in range(4):
        response = post_login(client, applicant_a.username, "Wrong#0000")
        assert response.status_code == 200
        assert LOCKED_OUT not in response.content.decode()

    response = post_login(client, applicant_a.username, PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_five_failures_lock_the_account_even_for_the_right_password(client, applicant_a):
    for _ in range(5):
        response = post_login(client, applicant_a.username, "Wrong#0000")
    assert LOCKED_OUT in response.content.decode()

    response = post_login(client, applicant_a.username, PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_OUT in page and "连续5次登录失败" in page and "30分钟" in page
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("dashboard")).status_code == 302  # still not signed in


def test_one_users_failures_do_not_lock_a_colleague_at_the_same_address(client, applicant_a,
                                                                      applicant_b):
    # District offices share one NAT address; one user's typos must not lock colleagues out.
    for _ in range(5):
        post_login(client, applicant_a.username, "Wrong#0000")

    response = post_login(client, applicant_b.username, PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_failed_login_shows_a_chinese_message(client, applicant_a):
    response = post_login(client, applicant_a.username, "Wrong#0000")

    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


# Audit of logins -------------------------------------------------------------------------

def test_login_logout_and_failure_are_audited_with_address(client, applicant_a):
    post_login(client, applicant_a.username, "Wrong#0000")
    post_login(client, applicant_a.username, PASSWORD)
    client.post(reverse("logout"))

    events = list(AuditEvent.objects.order_by("id").values_list(
        "action", "actor_id", "actor_label", "ip_address"))
    assert events == [
        ("auth.login_failed", None, applicant_a.username, "127.0.0.1"),
        ("auth.login", applicant_a.pk, applicant_a.username, "127.0.0.1"),
        ("auth.logout", applicant_a.pk, applicant_a.username, "127.0.0.1"),
    ]


def test_failed_login_of_an_unknown_name_is_audited_too(client, db):
    post_login(client, "nobody_here", "Wrong#0000")

    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.actor_label) == (
        "auth.login_failed", None, "nobody_here")


def test_logout_ends_the_session(client, applicant_a):
    post_login(client, applicant_a.username, PASSWORD)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("home")
    response = client.get(reverse("dashboard_applicant"))
    assert response.status_code == 302 and response.url.startswith(LOGIN)


# Idle session expiry (30 minutes) ------------------------------------------------------------

def session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def age_session(client, expire_date):
    """Time passes until the session's expiry is `expire_date`, as the database and the
    cache (core.session_store) both see it: the row's expiry moves, and the cache's copy,
    which holds the old expiry, is dropped (the next request reads the row)."""
    from core.session_store import forget_cached

    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=expire_date)
    forget_cached([key])


def test_sessions_end_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_each_request_moves_the_expiry_forward(client, applicant_a):
    post_login(client, applicant_a.username, PASSWORD)
    row = session_row(client)
    expected = timezone.now() + datetime.timedelta(seconds=1800)
    assert abs((row.expire_date - expected).total_seconds()) < 60
    assert client.session.get_expiry_age() == 1800

    # Twenty-nine minutes pass without a request: one minute is left.
    age_session(client, timezone.now() + datetime.timedelta(minutes=1))

    response = client.get(reverse("dashboard_applicant"))

    assert response.status_code == 200
    renewed = session_row(client).expire_date - timezone.now()
    assert datetime.timedelta(minutes=29) < renewed <= datetime.timedelta(minutes=30)


def test_a_request_within_the_slack_does_not_write_the_session(client, applicant_a):
    """The expiry moves on at most once a minute (core.session_store): a page read just after
    another writes nothing, and the session still ends no later than 30 idle minutes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    post_login(client, applicant_a.username, PASSWORD)
    before = session_row(client).expire_date
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard_applicant")).status_code == 200
    assert not any(q["sql"].startswith("UPDATE \"django_session\"")
                   for q in queries.captured_queries)
    assert session_row(client).expire_date == before
    # The keep-alive button always writes.
    assert client.post(reverse("session_keepalive")).status_code == 200
    assert session_row(client).expire_date > before


def test_an_expired_session_goes_back_to_login(client, applicant_a):
    post_login(client, applicant_a.username, PASSWORD)
    age_session(client, timezone.now() - datetime.timedelta(seconds=1))

    response = client.get(reverse("dashboard_applicant"))

    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={reverse('dashboard_applicant')}"


# Password change and reset, in Chinese -----------------------------------------------------

def test_password_change_page_is_chinese_and_enforces_the_rules(client, applicant_a):
    client.force_login(applicant_a)

    page = client.get(reverse("password_change")).content.decode()
    assert "修改密码" in page and "旧密码" in page and "新密码" in page

    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "laoshanportal",
        "new_password2": "laoshanportal"})
    assert "至少三类" in response.content.decode()

    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Laoshan#2027",
        "new_password2": "Laoshan#2027"})
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    applicant_a.refresh_from_db()
    assert applicant_a.check_password("Laoshan#2027")
    assert "密码" in client.get(reverse("password_change_done")).content.decode()


def test_password_reset_by_mail_in_chinese(client, applicant_a):
    page = client.get(reverse("password_reset")).content.decode()
    assert "找回密码" in page and "电子邮件" in page

    response = client.post(reverse("password_reset"), {"email": applicant_a.email})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "密码" in mail.outbox[0].subject + body
    link = re.search(r"https?://[^/\s]+(/accounts/reset/[^\s]+/)", body).group(1)

    response = client.get(link, follow=True)
    set_password_url = response.redirect_chain[-1][0]
    assert "新密码" in response.content.decode()
    response = client.post(set_password_url, {
        "new_password1": "Laoshan#2027", "new_password2": "Laoshan#2027"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_complete")
    applicant_a.refresh_from_db()
    assert applicant_a.check_password("Laoshan#2027")


def test_password_reset_of_an_unknown_address_sends_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.test"})

    assert response.status_code == 302  # the same answer, so addresses cannot be probed
    assert mail.outbox == []
