"""Sessions kept in the cache as well as the database (core.session_store): a page reads no
session row, and yet signing out, a deleted row and an expiry end the session at once; with
Redis down every request still answers from the database."""

import datetime

from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import session_store
from tests.factories import PASSWORD
from tests.utils import dead_redis

LOGIN = reverse("login")
LOGOUT = reverse("logout")
PAGE = reverse("dashboard_applicant")


def sign_in(client, user):
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def session_queries(client, url=PAGE) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]


def with_cookie(session_key) -> Client:
    """A second browser presenting the same session cookie."""
    other = Client()
    other.cookies["sessionid"] = session_key
    return other


def test_a_page_reads_no_session_row(client, applicant_a):
    sign_in(client, applicant_a)
    assert client.get(PAGE).status_code == 200

    assert session_queries(client) == []


def test_signing_out_ends_the_session_for_every_copy_of_the_cookie(client, applicant_a):
    sign_in(client, applicant_a)
    key = client.session.session_key
    assert with_cookie(key).get(PAGE).status_code == 200

    assert client.post(LOGOUT).status_code == 302

    response = with_cookie(key).get(PAGE)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_a_deleted_session_row_ends_the_session_at_once(client, applicant_a):
    sign_in(client, applicant_a)
    assert client.get(PAGE).status_code == 200

    Session.objects.all().delete()

    response = client.get(PAGE)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_the_cache_entry_expires_with_the_session(client, applicant_a):
    sign_in(client, applicant_a)
    key = client.session.session_key
    entry = caches["default"].get(session_store.KEY_PREFIX + key)
    stored = Session.objects.get(session_key=key).expire_date
    assert entry is not None and entry[2] == stored

    # The kept expiry has passed: the entry is not trusted, the row decides (also passed).
    generation, data, _ = entry
    caches["default"].set(session_store.KEY_PREFIX + key,
                          (generation, data, timezone.now() - datetime.timedelta(seconds=1)))
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = client.get(PAGE)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_a_write_that_failed_is_not_served_when_redis_comes_back(
        client, applicant_a, monkeypatch):
    sign_in(client, applicant_a)
    key = client.session.session_key
    assert client.get(PAGE).status_code == 200
    cache = caches["default"]

    def unreachable(*args, **kwargs):
        raise ConnectionError("Redis unreachable")

    # Signing out while the cache cannot be reached: the entry stays where it was.
    monkeypatch.setattr(cache, "delete_many", unreachable)
    assert client.post(LOGOUT).status_code == 302
    monkeypatch.undo()
    assert cache.get(session_store.KEY_PREFIX + key) is not None

    response = with_cookie(key).get(PAGE)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_with_redis_down_signing_in_pages_and_signing_out_work(settings, client, applicant_a):
    dead_redis(settings)

    sign_in(client, applicant_a)
    key = client.session.session_key
    assert client.get(PAGE).status_code == 200
    assert client.get(PAGE).status_code == 200
    assert session_queries(client)  # read from the database
    assert client.post(reverse("session_keepalive")).status_code == 200

    assert client.post(LOGOUT).status_code == 302
    response = with_cookie(key).get(PAGE)
    assert response.status_code == 302 and response.url.startswith(LOGIN)
