"""第九条（二）: the review saves as a draft until the official decides, and nothing typed is
lost, not even when the session ends while the official writes (the 30 idle minutes)."""

import re

import pytest
from django.urls import reverse

from accounts.enums import Role
from reviews.models import DistrictReview
from tests.factories import department, staff

from .conftest import CHECKLIST

OPINION = "该单位服务案例翔实，建议推荐。"


def _draft_token(client, application):
    page = client.get(reverse("reviews:review", args=[application.pk])).content.decode()
    return re.search(r'name="draft_token" value="([^"]+)"', page).group(1)


def test_a_review_posted_after_the_session_ended_comes_back_after_login(
        client, submitted_a, official_laoshan):
    url = reverse("reviews:review", args=[submitted_a.pk])
    client.force_login(official_laoshan)
    token = _draft_token(client, submitted_a)
    client.logout()  # the session ends while the page stays open

    answer = client.post(url, {**CHECKLIST, "opinion": OPINION, "intent": "recommended",
                               "draft_token": token}, follow=True)
    assert answer.redirect_chain[-1][0].startswith(reverse("login"))
    assert "已为您保留" in answer.content.decode()
    assert not DistrictReview.objects.filter(application=submitted_a).exists()

    client.force_login(official_laoshan)
    page = client.get(url).content.decode()
    assert "已恢复您在登录超时前填写" in page
    assert OPINION in page
    # Put back once, as unsaved typing: nothing was decided or written.
    assert not DistrictReview.objects.filter(application=submitted_a).exists()
    assert OPINION not in client.get(url).content.decode()


def test_another_official_never_gets_the_held_text(client, submitted_a, official_laoshan):
    colleague = staff(Role.DISTRICT_OFFICIAL, department("崂山区"), username="official_laoshan2")
    url = reverse("reviews:review", args=[submitted_a.pk])
    client.force_login(official_laoshan)
    token = _draft_token(client, submitted_a)
    client.logout()
    client.post(url, {**CHECKLIST, "opinion": OPINION, "draft_token": token})

    client.force_login(colleague)
    assert OPINION not in client.get(url).content.decode()


def test_a_post_without_a_token_only_goes_to_the_login_page(client, submitted_a):
    answer = client.post(reverse("reviews:review", args=[submitted_a.pk]),
                         {**CHECKLIST, "opinion": OPINION}, follow=True)
    assert answer.redirect_chain[-1][0].startswith(reverse("login"))
    assert "已为您保留" not in answer.content.decode()


def test_the_commissions_formal_review_keeps_its_text_too(client, open_call, commission_staff):
    from applications import services as application_services
    from tests.factories import ApplicationFactory

    direct = ApplicationFactory(complete=True, direct=True, call=open_call)
    direct = application_services.application_submit(application=direct,
                                                     actor=direct.created_by)
    url = reverse("reviews:formal_review", args=[direct.pk])
    client.force_login(commission_staff)
    page = client.get(url).content.decode()
    token = re.search(r'name="draft_token" value="([^"]+)"', page).group(1)
    client.logout()
    answer = client.post(url, {**CHECKLIST, "opinion": OPINION, "draft_token": token},
                         follow=True)
    assert "已为您保留" in answer.content.decode()
    client.force_login(commission_staff)
    assert OPINION in client.get(url).content.decode()
