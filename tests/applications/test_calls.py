"""Calls: published in admin through the checked transition, closed by the sweep, shown publicly."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.deadlines import close_calls_past_deadline
from applications.enums import CallStatus
from applications.models import Call, PolicyDocument
from core.transitions import status_history

from tests.factories import CallFactory

pytestmark = pytest.mark.django_db


def test_commission_publishes_a_call_from_admin(commission_admin, client):
    commission_staff = commission_admin
    assert not commission_staff.is_superuser
    call = CallFactory(unpublished=True, policy=PolicyDocument.objects.create(
        title="现行管理办法", effective_from=datetime.date(2024, 1, 1)))
    client.force_login(commission_staff)
    response = client.post(reverse("admin:applications_call_changelist"),
                           {"action": "publish_calls", "_selected_action": [call.pk]},
                           follow=True)
    assert "已发布" in response.content.decode()
    call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED and call.published_at is not None
    [change] = status_history(call)
    assert change.actor == commission_staff and change.transition == "publish"


def test_publishing_twice_is_refused_with_a_message(open_call, commission_admin, client):
    client.force_login(commission_admin)
    response = client.post(reverse("admin:applications_call_changelist"),
                           {"action": "publish_calls", "_selected_action": [open_call.pk]},
                           follow=True)
    assert "不能执行" in response.content.decode()


def test_the_sweep_closes_calls_whose_window_ended(open_call):
    assert close_calls_past_deadline(timezone.now()) == 0
    Call.objects.filter(pk=open_call.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1))
    assert close_calls_past_deadline(timezone.now()) == 1
    open_call.refresh_from_db()
    assert open_call.status == CallStatus.CLOSED
    assert [c.transition for c in status_history(open_call)] == ["publish", "close"]


def test_public_call_page_and_home(open_call, client):
    home = client.get(reverse("home")).content.decode()
    assert open_call.title in home
    page = client.get(reverse("applications:call_detail", args=[open_call.pk])).content.decode()
    for text in ("智能家电", "人工智能", "资质证明", "签字盖章的申报表扫描件", "countdown",
                 "登录后立即申报"):
        assert text in page


def test_draft_calls_are_not_public(commission_staff, client):
    call = CallFactory(unpublished=True)
    assert client.get(reverse("applications:call_detail", args=[call.pk])).status_code == 404
    assert call.title not in client.get(reverse("home")).content.decode()
