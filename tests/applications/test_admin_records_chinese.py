"""The commission reads the records themselves in admin, not only their lists' headings: a
document's row and page, an audit row's title. No English or code name there, and times in
Beijing time as everywhere else in the portal (issue 6 §5)."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from applications.enums import DocumentVariant
from applications.models import ApplicationDocument
from core.audit import audit_record

from tests.test_english import ADMIN_ALLOWED, english_words

pytestmark = pytest.mark.django_db


def test_a_documents_row_and_page_in_admin_read_in_chinese(commission_admin, client, draft_a):
    document = ApplicationDocument.objects.create(
        application=draft_a, variant=DocumentVariant.values[0], content_hash="0" * 64)
    client.force_login(commission_admin)
    found = {}
    for url in (reverse("admin:applications_applicationdocument_changelist"),
                reverse("admin:applications_applicationdocument_change", args=[document.pk])):
        response = client.get(url)
        assert response.status_code == 200
        words = english_words(response.content.decode(), usernames=[commission_admin.username],
                              allowed=ADMIN_ALLOWED)
        if words:
            found[url] = words
    assert found == {}


def test_an_audit_rows_title_shows_beijing_time(commission_admin, settings):
    event = audit_record(action="auth.login", actor=commission_admin)
    event.occurred_at = datetime.datetime(2026, 11, 29, 2, 5, tzinfo=datetime.UTC)
    assert str(event).startswith("2026-11-29 10:05 ")
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert zoneinfo.ZoneInfo(settings.TIME_ZONE)


def test_an_applications_attachments_in_admin_show_their_format_not_a_mime_type(
        commission_admin, client, submitted_a):
    assert submitted_a.attachments.exists()
    client.force_login(commission_admin)
    page = client.get(reverse("admin:applications_application_change",
                              args=[submitted_a.pk])).content.decode()

    words = english_words(page, usernames=[commission_admin.username,
                                           submitted_a.created_by.username],
                          allowed=ADMIN_ALLOWED)
    assert words == []
