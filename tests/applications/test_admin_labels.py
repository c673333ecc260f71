"""Commission staff read steps, moves and statuses in admin by their Chinese names."""

import re

import pytest
from django.urls import reverse

from core.models import StatusChange
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="platform_admin", is_staff=True, is_superuser=True))
    return client


def test_application_admin_shows_the_current_step_by_its_title(client, commission_admin,
                                                               draft_a):
    """Applications are read in admin by the commission's role, not by an admin flag."""
    draft_a.current_step = "goals"
    draft_a.save(update_fields=["current_step"])
    client.force_login(commission_admin)

    text = _visible(client.get(
        reverse("admin:applications_application_change", args=[draft_a.pk])).content.decode())

    assert "当前步骤" in text and "五、建设目标（三年内）" in text
    assert re.search(r"\bgoals\b", text) is None
    assert draft_a.current_step_title == "五、建设目标（三年内）"


def test_status_change_admin_shows_move_and_statuses_in_chinese(admin_client, submitted_a):
    change = StatusChange.objects.get(transition="submit")

    for url in (reverse("admin:core_statuschange_changelist"),
                reverse("admin:core_statuschange_change", args=[change.pk])):
        text = _visible(admin_client.get(url).content.decode())
        assert "提交申报" in text and "填报中" in text and "已提交" in text
        assert re.search(r"\b(submit|draft|submitted)\b", text) is None, url
