"""The lock-out is fair: failures count per user name AND address, a completed password reset
lifts the lock, the commission unlocks on a Chinese page (and in admin), and registration does
not reveal which (staff) user names exist."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import NoReverseMatch, reverse

from accounts.forms import RegistrationForm
from accounts.validators import USERNAME_UNAVAILABLE
from core.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
LOCKED_OUT = "账号已被临时锁定"
STRANGER = "198.51.100.66"
OWNER = "203.0.113.10"


def post_login(client, username, password, address):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def lock(client, username, address=STRANGER):
    for _ in range(5):
        response = post_login(client, username, "Wrong#0000", address)
    assert LOCKED_OUT in response.content.decode()


def test_a_stranger_who_knows_the_name_cannot_lock_the_owner_out(client, applicant_a):
    lock(client, applicant_a.username, STRANGER)

    response = post_login(client, applicant_a.username, PASSWORD, OWNER)

    assert response.status_code == 302 and response.url == reverse("dashboard")


def test_the_locked_address_stays_locked_even_with_the_right_password(client, applicant_a):
    lock(client, applicant_a.username, STRANGER)

    response = post_login(client, applicant_a.username, PASSWORD, STRANGER)

    assert response.status_code == 429


def test_the_lock_page_tells_what_lifts_the_lock(client, applicant_a):
    lock(client, applicant_a.username)
    page = post_login(client, applicant_a.username, PASSWORD, STRANGER).content.decode()
    assert "重置密码后锁定立即解除" in page and reverse("password_reset") in page


def test_a_completed_password_reset_lifts_the_lock(client, applicant_a):
    lock(client, applicant_a.username, OWNER)

    client.post(reverse("password_reset"), {"email": applicant_a.email}, REMOTE_ADDR=OWNER)
    link = re.search(r"https?://[^/\s]+(/accounts/reset/[^\s]+/)", mail.outbox[0].body).group(1)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": "Laoshan#2027",
                                   "new_password2": "Laoshan#2027"}, REMOTE_ADDR=OWNER)

    response = post_login(client, applicant_a.username, "Laoshan#2027", OWNER)

    assert response.status_code == 302 and response.url == reverse("dashboard")
    event = AuditEvent.objects.get(action="auth.unlock")
    assert event.actor is None and event.object_id == str(applicant_a.pk)


# The commission's page ---------------------------------------------------------------------

def test_the_commission_sees_locked_accounts_and_unlocks_one(client, role_client, applicant_a,
                                                              applicant_b, commission_staff):
    lock(client, applicant_a.username, STRANGER)
    post_login(client, applicant_b.username, "Wrong#0000", STRANGER)  # one failure: not locked
    staff_client = role_client("commission_staff")

    page = staff_client.get(reverse("lockout_list")).content.decode()

    assert "账号锁定管理" in page and "解除锁定" in page
    assert applicant_a.username in page and STRANGER in page
    assert applicant_b.username not in page

    response = staff_client.post(reverse("lockout_unlock"), {"username": applicant_a.username})

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=applicant_a.username).exists()
    assert post_login(client, applicant_a.username, PASSWORD, STRANGER).status_code == 302
    event = AuditEvent.objects.get(action="auth.unlock")
    assert event.actor == commission_staff and event.after["username"] == applicant_a.username


def test_the_lockout_page_shows_when_nothing_is_locked(role_client):
    page = role_client("commission_staff").get(reverse("lockout_list")).content.decode()
    assert "目前没有被锁定的账号" in page


def test_django_axes_english_admin_is_hidden():
    for name in ("admin:axes_accessattempt_changelist", "admin:axes_accesslog_changelist",
                 "admin:axes_accessfailurelog_changelist"):
        with pytest.raises(NoReverseMatch):
            reverse(name)


def test_the_lockout_admin_is_chinese_and_unlocks(client, applicant_a, commission_staff):
    lock(client, applicant_a.username)
    commission_staff.is_staff = True
    commission_staff.save(update_fields=["is_staff"])
    staff_client = type(client)()
    staff_client.force_login(commission_staff)
    url = reverse("admin:accounts_lockedaccount_changelist")

    page = staff_client.get(url).content.decode()

    assert "用户名" in page and "网络地址" in page and "失败次数" in page
    for english in ("Username", "IP Address", "Attempt Time", "Failed Logins", "User Agent"):
        assert english not in page, english
    attempt = AccessAttempt.objects.get(username=applicant_a.username)
    staff_client.post(url, {"action": "unlock", "_selected_action": [attempt.pk]})
    assert not AccessAttempt.objects.filter(username=applicant_a.username).exists()
    assert AuditEvent.objects.filter(action="auth.unlock", actor=commission_staff).exists()


# Registration does not reveal who works in the portal ----------------------------------------

def _username_errors(username, laoshan):
    form = RegistrationForm({"username": username})
    form.is_valid()
    return form.errors.get("username")


@pytest.mark.parametrize("role_key", ["commission_staff", "district_official", "auditor",
                                      "expert", "applicant"])
def test_a_taken_name_gets_one_neutral_answer_whatever_the_role(role_user, role_key, laoshan):
    user = role_user(role_key)
    assert _username_errors(user.username, laoshan) == [USERNAME_UNAVAILABLE]
    assert _username_errors(user.username.upper(), laoshan) == [USERNAME_UNAVAILABLE]


def test_a_reserved_name_gets_the_same_answer_as_a_taken_one(laoshan):
    assert _username_errors("admin", laoshan) == [USERNAME_UNAVAILABLE]
    assert _username_errors("commission", laoshan) == [USERNAME_UNAVAILABLE]
    assert _username_errors("yunfan_new_admin", laoshan) is None
    assert "该用户名不可用" in USERNAME_UNAVAILABLE and "已被使用" not in USERNAME_UNAVAILABLE


@pytest.mark.parametrize("username", ["official_nowhere", "expert_nobody", "commission2",
                                      "auditor.b", "admin-ops"])
def test_a_staff_style_name_nobody_holds_gets_the_same_answer_as_a_held_one(username, laoshan):
    # Staff accounts are named by a role stem (official_laoshan, expert_zhao): if only the held
    # ones were refused, trying official_<district> would list who works in the portal.
    assert _username_errors(username, laoshan) == [USERNAME_UNAVAILABLE]


@pytest.mark.parametrize("rows", [1, 30])
def test_the_lockout_list_reads_a_fixed_number_of_queries(rows, role_client,
                                                          django_assert_max_num_queries):
    """账号锁定管理 is a list: one grouped query and its count, whatever the locked rows."""
    AccessAttempt.objects.bulk_create(
        AccessAttempt(username=f"locked{n}", ip_address=f"10.0.0.{n + 1}", user_agent="x",
                      http_accept="*/*", path_info="/accounts/login/", get_data="",
                      post_data="", failures_since_start=5)
        for n in range(rows))
    client = role_client("commission_staff")
    with django_assert_max_num_queries(9):
        page = client.get(reverse("lockout_list")).content.decode()
    assert all(f"locked{n}" in page for n in range(rows))
