"""Only roles that can apply are offered 立即申报; a refused act says what to do, in Chinese."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CallFactory

pytestmark = pytest.mark.django_db

CANNOT_APPLY = [
    "district_official", "commission_staff", "industry_staff", "third_party_staff", "expert",
    "auditor", "superuser", "staff_no_role",
]


@pytest.mark.parametrize("role", CANNOT_APPLY)
def test_roles_that_cannot_apply_see_no_apply_button(role, open_call, role_client):
    client = role_client(role)

    call_page = client.get(reverse("applications:call_detail",
                                   args=[open_call.pk])).content.decode()
    home = client.get(reverse("home")).content.decode()
    dashboard = client.get(reverse("dashboard"), follow=True).content.decode()

    assert 'id="apply-now"' not in call_page
    assert "只有申报单位用户可以申报：请以申报单位账号登录，或注册本单位账号" in call_page
    for page in (call_page, home, dashboard):
        assert "立即申报" not in page


@pytest.mark.parametrize("role", CANNOT_APPLY)
def test_a_call_not_yet_open_does_not_promise_them_the_button(role, commission_staff,
                                                              role_client):
    now = timezone.now()
    upcoming = CallFactory(opens_at=now + datetime.timedelta(days=3),
                           closes_at=now + datetime.timedelta(days=20))
    page = role_client(role).get(
        reverse("applications:call_detail", args=[upcoming.pk])).content.decode()
    assert "即将开始" in page
    assert "立即申报" not in page  # 届时可在本页点击“立即申报” is for applicants only


def test_the_applicant_is_offered_the_button(open_call, role_client):
    page = role_client("applicant").get(
        reverse("applications:call_detail", args=[open_call.pk])).content.decode()
    assert 'id="apply-now"' in page and "立即申报" in page and 'id="cannot-apply"' not in page


@pytest.mark.parametrize("role", CANNOT_APPLY)
def test_applying_anyway_shows_the_chinese_refusal_with_what_to_do(role, open_call, role_client):
    response = role_client(role).post(reverse("applications:start", args=[open_call.pk]))

    assert response.status_code == 403
    body = response.content.decode()
    assert "您没有访问此页面的权限" in body  # the portal's page, not a bare 403
    assert "只有申报单位用户可以申报：请以申报单位账号登录，或注册本单位账号" in body


def test_a_refusal_without_chinese_words_shows_only_the_portal_s_text(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from core.views import error_403

    request = rf.get("/")
    request.user = AnonymousUser()
    body = error_403(request, PermissionDenied("Forbidden by backend")).content.decode()

    assert "Forbidden" not in body and "您没有访问此页面的权限" in body


def test_the_refusal_page_names_the_account_and_leads_back(open_call, role_client, role_user):
    response = role_client("expert").post(reverse("applications:start", args=[open_call.pk]))

    body = response.content.decode()
    assert f"当前登录账号：{role_user('expert').display_name}" in body
    assert reverse("dashboard") in body


@pytest.mark.parametrize("role", ["applicant", "district_official", "superuser"])
def test_the_commission_s_list_refuses_others_saying_whose_it_is(role, role_client):
    response = role_client(role).get(reverse("applications:staff_list"))

    assert response.status_code == 403
    assert "仅供市发展改革委工作人员使用" in response.content.decode()
