"""No bare error page (issue 6 §5): opening a POST-only link (a bookmark, a link pasted into the
address bar, the page a login sent back to) and a form sent with an outdated security token
(another tab logged in again) both answer with the portal's Chinese page saying what to do."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_english import english_words

pytestmark = pytest.mark.django_db


def test_opening_a_post_only_address_shows_the_portals_page(role_client):
    client = role_client("applicant")
    response = client.get(reverse("notification_read", args=[1]))

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "请返回" in page and "按钮" in page
    assert english_words(page) == []


def test_a_form_with_an_outdated_security_token_shows_the_portals_page(applicant_a):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": applicant_a.username,
                                              "password": "x"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期" in page
    assert english_words(page) == []
