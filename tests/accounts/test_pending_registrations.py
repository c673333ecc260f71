"""Unconfirmed registrations: they lapse after REGISTRATION_CONFIRM_HOURS and then block
nobody; signing in before confirming says what is missing (not "wrong password"), is not a
failed login, and offers the confirmation mail again, rate-limited."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.enums import OrganisationKind
from accounts.models import Organisation, User
from accounts.services import CONFIRMATION_MAILS_PER_DAY, registrations_release_lapsed
from core.models import AuditEvent, OutgoingMail
from core.sweep import run_deadline_sweep

pytestmark = pytest.mark.django_db

REGISTER = reverse("register")
LOGIN = reverse("login")
USCC = "913702001234567886"
PASSWORD = "Haibin!8848"


def form_data(laoshan, **changes):
    return {
        "name": "青岛云帆智能制造有限公司", "uscc": USCC, "kind": OrganisationKind.ENTERPRISE,
        "registered_in_qingdao": "on", "located_in_qingdao": "on",
        "competent_department": str(laoshan.pk), "real_name": "王晓云", "mobile": "13912345678",
        "email": "wangxy@yunfan.example", "username": "yunfan_admin",
        "password1": PASSWORD, "password2": PASSWORD, **changes,
    }


@pytest.fixture
def registered(client, laoshan, django_capture_on_commit_callbacks):
    """A unit registered through the page, its e-mail not confirmed yet."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, form_data(laoshan))
    assert response.status_code == 302
    return Organisation.objects.get(uscc=USCC)


def confirmation_path(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/register/confirm/[^\s]+/)", body).group(1)


# Expiry --------------------------------------------------------------------------------------

def test_a_registration_gets_its_deadline_and_the_mail_states_it(registered, settings):
    expected = timezone.now() + datetime.timedelta(hours=settings.REGISTRATION_CONFIRM_HOURS)
    assert abs((registered.registration_expires_at - expected).total_seconds()) < 60
    assert settings.REGISTRATION_CONFIRM_HOURS == 48
    assert "前打开以下链接" in mail.outbox[0].body and "逾期未确认，注册将失效" in mail.outbox[0].body
    assert User.objects.get(username="yunfan_admin").awaiting_email_confirmation


def test_the_sweep_releases_a_registration_at_its_deadline_not_a_second_before(registered):
    deadline = registered.registration_expires_at

    run_deadline_sweep(deadline - datetime.timedelta(seconds=1))
    assert Organisation.objects.filter(uscc=USCC).exists()

    result = run_deadline_sweep(deadline)

    assert result["accounts.sweeps.release_lapsed_registrations"] == 1
    assert not Organisation.objects.filter(uscc=USCC).exists()
    assert not User.objects.filter(username="yunfan_admin").exists()
    event = AuditEvent.objects.get(action="organisation.registration_lapsed")
    assert event.before["uscc"] == USCC and event.before["usernames"] == ["yunfan_admin"]
    assert run_deadline_sweep(deadline)["accounts.sweeps.release_lapsed_registrations"] == 0


def test_a_lapsed_registration_does_not_block_the_real_company(client, registered, laoshan,
                                                               django_capture_on_commit_callbacks):
    Organisation.objects.filter(pk=registered.pk).update(
        registration_expires_at=timezone.now() - datetime.timedelta(seconds=1))

    # No sweep has run: registration itself frees the code (and the user name).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, form_data(laoshan, name="青岛云帆科技（真）有限公司",
                                                    email="real@yunfan.example"))

    assert response.status_code == 302, response.context["form"].errors
    organisation = Organisation.objects.get(uscc=USCC)
    assert organisation.name == "青岛云帆科技（真）有限公司"
    assert User.objects.get(username="yunfan_admin").email == "real@yunfan.example"


def test_an_unexpired_registration_still_blocks_and_offers_the_claim(client, registered, laoshan):
    response = client.post(REGISTER, form_data(laoshan, username="another_admin",
                                               email="x@yunfan.example"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "申请认领" in page
    assert f'{reverse("organisation_claim")}?uscc={USCC}' in page


def test_registration_and_unconfirmed_code_blocks_only_until_its_deadline(registered, settings):
    deadline = registered.registration_expires_at
    assert registrations_release_lapsed(now=deadline - datetime.timedelta(seconds=1)) == 0
    assert registrations_release_lapsed(now=deadline) == 1


def test_the_confirmation_link_of_a_lapsed_registration_is_refused(client, registered):
    path = confirmation_path(mail.outbox[0].body)
    Organisation.objects.filter(pk=registered.pk).update(
        registration_expires_at=timezone.now() - datetime.timedelta(seconds=1))

    response = client.get(path)

    assert response.status_code == 400
    assert "48小时内确认邮箱" in response.content.decode()
    assert not User.objects.get(username="yunfan_admin").is_active


def test_confirming_ends_the_deadline(client, registered):
    client.get(confirmation_path(mail.outbox[0].body))

    registered.refresh_from_db()
    user = User.objects.get(username="yunfan_admin")
    assert user.is_active and not user.awaiting_email_confirmation
    assert registered.registration_expires_at is None
    assert registrations_release_lapsed(now=timezone.now() + datetime.timedelta(days=30)) == 0


# Signing in before confirming ----------------------------------------------------------------

def test_signing_in_before_confirming_says_so_and_is_not_a_failed_login(client, registered):
    for _ in range(6):  # more than the lock-out allows
        response = client.post(LOGIN, {"username": "yunfan_admin", "password": PASSWORD})

    page = response.content.decode()
    assert response.status_code == 200
    assert "尚未确认邮箱" in page and "w***@yunfan.example" in page
    assert "请输入一个正确的" not in page
    assert 'id="resend-confirmation"' in page
    assert not AccessAttempt.objects.exists()
    assert not AuditEvent.objects.filter(action="auth.login_failed").exists()


def test_a_wrong_password_of_an_unconfirmed_account_is_a_failed_login(client, registered):
    response = client.post(LOGIN, {"username": "yunfan_admin", "password": "Wrong#0000"})

    page = response.content.decode()
    assert "请输入一个正确的" in page and "尚未确认邮箱" not in page
    assert 'id="resend-confirmation"' not in page
    assert AccessAttempt.objects.get(username="yunfan_admin").failures_since_start == 1


def test_a_locked_out_address_learns_nothing_about_confirmation(client, registered):
    for _ in range(5):
        client.post(LOGIN, {"username": "yunfan_admin", "password": "Wrong#0000"})

    response = client.post(LOGIN, {"username": "yunfan_admin", "password": PASSWORD})

    assert response.status_code == 429
    assert "尚未确认邮箱" not in response.content.decode()


def test_a_lapsed_registration_says_register_again(client, registered):
    Organisation.objects.filter(pk=registered.pk).update(
        registration_expires_at=timezone.now() - datetime.timedelta(seconds=1))

    page = client.post(LOGIN, {"username": "yunfan_admin", "password": PASSWORD}) \
        .content.decode()

    assert "注册已失效，请重新注册" in page and 'id="resend-confirmation"' not in page


# Sending the confirmation mail again ---------------------------------------------------------

def _ask_again(client):
    return client.post(reverse("register_confirmation_resend"), follow=True).content.decode()


def _age_mails(minutes):
    OutgoingMail.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=minutes))


def test_resend_once_a_minute_and_five_times_a_day(client, registered):
    client.post(LOGIN, {"username": "yunfan_admin", "password": PASSWORD})

    assert "请1分钟后再试" in _ask_again(client)  # the registration mail just went out
    assert OutgoingMail.objects.filter(purpose="account_confirm").count() == 1

    _age_mails(2)
    page = _ask_again(client)
    assert "确认邮件已重新发送至 w***@yunfan.example" in page
    resent = OutgoingMail.objects.filter(purpose="account_confirm").order_by("-id").first()
    assert OutgoingMail.objects.filter(purpose="account_confirm").count() == 2
    assert resent.to_address == "wangxy@yunfan.example" and confirmation_path(resent.body)
    assert AuditEvent.objects.filter(action="user.confirmation_resend").count() == 1

    for _ in range(CONFIRMATION_MAILS_PER_DAY - 2):
        _age_mails(2)
        _ask_again(client)
    assert OutgoingMail.objects.filter(purpose="account_confirm").count() == 5
    _age_mails(2)
    assert "最多发送5次" in _ask_again(client)
    assert OutgoingMail.objects.filter(purpose="account_confirm").count() == 5

    _age_mails(24 * 60 + 1)  # a day later
    assert "已重新发送" in _ask_again(client)


def test_resend_without_the_right_password_first_sends_nothing(client, registered):
    _age_mails(2)
    page = _ask_again(client)
    assert "请先输入账号和密码登录" in page
    assert OutgoingMail.objects.filter(purpose="account_confirm").count() == 1
