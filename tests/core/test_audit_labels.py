"""Audit actions read in Chinese wherever staff see them; the code never shows."""

import pathlib
import re

import pytest
from django.conf import settings
from django.urls import reverse

from applications.models import Application, Call
from applications.services import APPLICATION_WORKFLOW, CALL_WORKFLOW
from core.audit import UNKNOWN_ACTION_LABEL, action_label, action_labels, register_action_labels
from core.models import AuditEvent
from reviews.models import DistrictReview
from reviews.services import REVIEW_WORKFLOW
from tests.factories import AuditEventFactory, UserFactory

pytestmark = pytest.mark.django_db

SOURCE_DIRS = ("accounts", "applications", "centers", "core", "evaluations", "experts",
               "reviews")
AUDIT_CALL = re.compile(r"audit_record\(\s*action=\"([^\"]+)\"")


def _audited_actions():
    root = pathlib.Path(settings.BASE_DIR)
    found = set()
    for folder in SOURCE_DIRS:
        for path in (root / folder).rglob("*.py"):
            found.update(AUDIT_CALL.findall(path.read_text(encoding="utf-8")))
    for model, workflow in ((Application, APPLICATION_WORKFLOW), (Call, CALL_WORKFLOW),
                            (DistrictReview, REVIEW_WORKFLOW)):
        found.update(f"{model._meta.model_name}.{move.name}" for move in workflow.moves)
    return found


def test_every_action_the_code_writes_has_a_chinese_label():
    actions = _audited_actions()
    assert {"call.publish", "application.start", "auth.login"} <= actions
    missing = sorted(code for code in actions if code not in action_labels())
    assert missing == [], f"register Chinese labels (core.audit.register_action_labels): {missing}"


def test_labels_named_in_the_issue():
    assert action_label("call.publish") == "发布申报通知"
    assert action_label("application.start") == "创建申报"


def test_an_unknown_action_reads_as_a_generic_chinese_label():
    assert action_label("mystery.thing") == UNKNOWN_ACTION_LABEL == "其他操作"


def test_a_label_must_be_chinese_and_must_not_change():
    with pytest.raises(ValueError):
        register_action_labels({"x.y": "Publish"})
    with pytest.raises(ValueError):
        register_action_labels({"call.publish": "发布"})


@pytest.fixture
def events(db):
    AuditEventFactory(action="call.publish", object_repr="2026年度申报通知")
    AuditEventFactory(action="application.start", object_repr="海智公司申报")
    AuditEventFactory(action="mystery.thing", object_repr="某对象")


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_auditor_page_shows_labels_not_codes(role_client, events):
    page = role_client("auditor").get(reverse("dashboard_auditor")).content.decode()
    text = _visible(page)

    assert "发布申报通知" in text and "创建申报" in text and "其他操作" in text
    for code in ("call.publish", "application.start", "mystery.thing"):
        assert code not in text


def test_auditor_searches_by_the_chinese_label(role_client, events):
    page = role_client("auditor").get(reverse("dashboard_auditor"), {"q": "发布申报"}).content
    text = _visible(page.decode())
    assert "2026年度申报通知" in text and "海智公司申报" not in text


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="platform_admin", is_staff=True, is_superuser=True))
    return client


def test_admin_audit_list_and_filter_show_labels(admin_client, events):
    response = admin_client.get(reverse("admin:core_auditevent_changelist"))
    text = _visible(response.content.decode())

    assert text.count("发布申报通知") == 2  # the row and the filter
    assert text.count("创建申报") == 2
    for code in ("call.publish", "application.start", "mystery.thing"):
        assert code not in text

    filtered = admin_client.get(reverse("admin:core_auditevent_changelist"),
                                {"action": "call.publish"})
    assert "海智公司申报" not in _visible(filtered.content.decode())
    searched = admin_client.get(reverse("admin:core_auditevent_changelist"), {"q": "创建申报"})
    assert "海智公司申报" in _visible(searched.content.decode())


def test_admin_audit_detail_shows_the_label(admin_client, events):
    event = AuditEvent.objects.get(action="call.publish")
    text = _visible(admin_client.get(
        reverse("admin:core_auditevent_change", args=[event.pk])).content.decode())
    assert "发布申报通知" in text and "call.publish" not in text
