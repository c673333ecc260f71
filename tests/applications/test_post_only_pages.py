"""A button's address opened as a page (a bookmark, a reload, or the login page's `next` after
the session ended on 提交申报) shows the portal's Chinese page, never an empty 405."""

import pytest
from django.urls import reverse


pytestmark = pytest.mark.django_db


def test_opening_a_post_only_address_shows_a_chinese_page(draft_a, role_client):
    response = role_client("applicant").get(reverse("applications:submit", args=[draft_a.pk]))
    assert response.status_code == 405
    body = response.content.decode()
    assert "请返回" in body and "我的工作台" in body
    assert response["Allow"] == "POST"


def test_the_login_after_a_timed_out_submit_does_not_end_on_an_empty_page(
        draft_a, applicant_a, client):
    submit = reverse("applications:submit", args=[draft_a.pk])
    login = client.post(submit)
    assert login.status_code == 302 and "next=" in login["Location"]
    client.force_login(applicant_a)
    response = client.get(submit)
    assert response.content.strip()
    assert "青岛市赋能中心管理平台" in response.content.decode()
