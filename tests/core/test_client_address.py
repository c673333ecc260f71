"""The client's address comes from the connection unless trusted proxies stand in front: a
forged X-Forwarded-For changes neither the audit trail nor whose failures the lock-out counts."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from core.audit import audit_record
from core.client_address import client_ip
from core.models import AuditEvent

FORGED = "6.6.6.6"


@pytest.mark.parametrize(("proxies", "forwarded", "remote", "expected"), [
    (0, "", "203.0.113.7", "203.0.113.7"),
    (0, FORGED, "203.0.113.7", "203.0.113.7"),  # no proxy: the header is the client's word
    (0, f"{FORGED}, 10.0.0.2", "203.0.113.7", "203.0.113.7"),
    (1, "203.0.113.7", "172.18.0.1", "203.0.113.7"),  # one proxy: the entry it appended
    (1, f"{FORGED}, 203.0.113.7", "172.18.0.1", "203.0.113.7"),  # forged prefix ignored
    (2, f"{FORGED}, 203.0.113.7, 10.0.0.5", "172.18.0.1", "203.0.113.7"),
    (2, "203.0.113.7", "172.18.0.1", "203.0.113.7"),  # fewer entries than proxies
    (1, "", "172.18.0.1", "172.18.0.1"),  # header missing: the connection
    (1, "not-an-address", "172.18.0.1", "172.18.0.1"),
    (0, "", "", None),
], ids=["direct", "direct+forged", "direct+forged chain", "one proxy", "one proxy+forged",
        "two proxies+forged", "two proxies, short header", "proxy, no header",
        "proxy, garbage header", "nothing"])
def test_client_ip(settings, proxies, forwarded, remote, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(RequestFactory().get("/", **meta)) == expected


def test_client_ip_without_a_request_is_none():
    assert client_ip(None) is None


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_reach_the_audit_log(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=FORGED, REMOTE_ADDR="203.0.113.7")
    event = audit_record(action="auth.login_failed", actor_label="x", request=request)
    event.refresh_from_db()
    assert event.ip_address == "203.0.113.7"


@pytest.mark.django_db
def test_the_lock_out_and_the_audit_log_see_the_same_address(client, applicant_a, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client.post(reverse("login"), {"username": applicant_a.username, "password": "Wrong#0000"},
                HTTP_X_FORWARDED_FOR=FORGED, REMOTE_ADDR="203.0.113.7")

    attempt = AccessAttempt.objects.get(username=applicant_a.username)
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert attempt.ip_address == event.ip_address == "203.0.113.7"


@pytest.mark.django_db
def test_behind_one_trusted_proxy_both_take_the_address_it_appended(client, applicant_a,
                                                                    settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(reverse("login"), {"username": applicant_a.username, "password": "Wrong#0000"},
                HTTP_X_FORWARDED_FOR=f"{FORGED}, 198.51.100.9", REMOTE_ADDR="172.18.0.1")

    attempt = AccessAttempt.objects.get(username=applicant_a.username)
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert attempt.ip_address == event.ip_address == "198.51.100.9"
