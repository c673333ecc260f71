"""Extending or shortening a call's window: the commission's act with a reason, which reopens a
call the sweep closed and arms the 7/3/1-day reminders again for the new deadline."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.deadlines import close_calls_past_deadline, remind_unsubmitted_drafts
from applications.enums import CallStatus
from applications.models import Application, Call
from core.models import AuditEvent, Notification
from core.transitions import status_history

from tests.factories import CallFactory

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)
DAY = datetime.timedelta(days=1)
OPENS = datetime.datetime(2026, 3, 2, 9, 0, 0, tzinfo=datetime.UTC)
CLOSES = datetime.datetime(2026, 3, 20, 9, 0, 0, tzinfo=datetime.UTC)
NEW_CLOSES = datetime.datetime(2026, 3, 30, 9, 0, 0, tzinfo=datetime.UTC)



@pytest.fixture
def call(commission_staff):
    return CallFactory(opens_at=OPENS, closes_at=CLOSES,
                       district_review_deadline=datetime.date(2026, 4, 30))


def _reminders(user):
    return sorted(n.title for n in Notification.objects.filter(recipient=user,
                                                              purpose="call_closing_reminder"))


def test_extension_after_auto_close_reopens_and_rearms_reminders(call, org_a, applicant_a,
                                                                 commission_staff, clock):
    clock(OPENS + DAY)
    draft = services.application_start(call=call, organisation=org_a, actor=applicant_a)
    # The old deadline: each threshold once, at its boundary second.
    for days in (7, 3, 1):
        clock(CLOSES - days * DAY - SECOND)
        if days == 7:  # nothing is due a second before the first threshold
            assert remind_unsubmitted_drafts(timezone.now()) == 0
        clock(CLOSES - days * DAY)
        assert remind_unsubmitted_drafts(timezone.now()) == 1
        assert remind_unsubmitted_drafts(timezone.now()) == 0
    assert len(_reminders(applicant_a)) == 3

    # One second before the deadline the call is open; at the deadline the sweep closes it.
    clock(CLOSES - SECOND)
    assert close_calls_past_deadline(timezone.now()) == 0
    clock(CLOSES)
    assert close_calls_past_deadline(timezone.now()) == 1
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED
    assert services.application_edit_refusal(draft) is not None

    clock(CLOSES + datetime.timedelta(hours=2))
    extended = services.call_change_window(call=call, actor=commission_staff,
                                           closes_at=NEW_CLOSES, reason="应多家单位申请延期")
    assert extended.status == CallStatus.PUBLISHED and extended.closes_at == NEW_CLOSES
    moves = [c for c in status_history(extended) if c.transition != "publish"]
    assert [(c.transition, c.reason) for c in moves] == [
        ("close", "受理期限届满，系统自动截止。"), ("reopen", "应多家单位申请延期")]
    assert services.application_edit_refusal(Application.objects.get(pk=draft.pk)) is None
    audit = AuditEvent.objects.get(action="call.change_window")
    assert audit.note == "应多家单位申请延期" and audit.actor == commission_staff
    assert Notification.objects.filter(recipient=applicant_a,
                                       purpose="call_window_changed").count() == 1

    # The new deadline: 7, 3 and 1 days again, each once, at the boundary seconds.
    for days in (7, 3, 1):
        clock(NEW_CLOSES - days * DAY - SECOND)
        before = len(_reminders(applicant_a))
        remind_unsubmitted_drafts(timezone.now())
        clock(NEW_CLOSES - days * DAY)
        assert remind_unsubmitted_drafts(timezone.now()) == 1
        assert remind_unsubmitted_drafts(timezone.now()) == 0
        assert len(_reminders(applicant_a)) == before + 1
    assert len(_reminders(applicant_a)) == 6

    # The new window holds to the second.
    call.refresh_from_db()
    clock(NEW_CLOSES - SECOND)
    assert services.call_window_refusal(call, timezone.now()) is None
    assert close_calls_past_deadline(timezone.now()) == 0
    clock(NEW_CLOSES)
    assert services.call_window_refusal(call, timezone.now()) is not None


def test_the_same_deadline_is_never_reminded_twice(call, org_a, applicant_a, commission_staff,
                                                   clock):
    clock(OPENS + DAY)
    services.application_start(call=call, organisation=org_a, actor=applicant_a)
    clock(CLOSES - 2 * DAY)
    assert remind_unsubmitted_drafts(timezone.now()) == 1
    # Extended, then moved back to the original deadline: that deadline was reminded already.
    services.call_change_window(call=call, actor=commission_staff, closes_at=NEW_CLOSES,
                                reason="延期")
    services.call_change_window(call=call, actor=commission_staff, closes_at=CLOSES,
                                reason="恢复原截止时间")
    assert remind_unsubmitted_drafts(timezone.now()) == 0


def test_refusals(call, commission_staff, applicant_a, clock):
    clock(OPENS + DAY)
    with pytest.raises(PermissionDenied):
        services.call_change_window(call=call, actor=applicant_a, closes_at=NEW_CLOSES,
                                    reason="x")
    with pytest.raises(services.ApplicationError, match="理由"):
        services.call_change_window(call=call, actor=commission_staff, closes_at=NEW_CLOSES,
                                    reason=" ")
    with pytest.raises(services.ApplicationError, match="晚于当前时间"):
        services.call_change_window(call=call, actor=commission_staff,
                                    closes_at=OPENS + DAY, reason="提前截止")
    with pytest.raises(services.ApplicationError, match="开始时间"):
        services.call_change_window(call=call, actor=commission_staff, closes_at=NEW_CLOSES,
                                    opens_at=OPENS + 2 * DAY, reason="推迟开始")
    with pytest.raises(services.ApplicationError, match="初审报送截止"):
        services.call_change_window(call=call, actor=commission_staff,
                                    closes_at=datetime.datetime(2026, 5, 5, tzinfo=datetime.UTC),
                                    reason="延期")
    shortened = services.call_change_window(call=call, actor=commission_staff,
                                            closes_at=CLOSES - 5 * DAY, reason="提前截止")
    assert shortened.closes_at == CLOSES - 5 * DAY


@pytest.fixture
def admin_client(client, commission_staff):
    commission_staff.is_staff = commission_staff.is_superuser = True
    commission_staff.save()
    client.force_login(commission_staff)
    return client


def test_admin_changes_the_window_with_a_reason(call, admin_client, commission_staff):
    Call.objects.filter(pk=call.pk).update(
        status=CallStatus.CLOSED, opens_at=timezone.now() - 10 * DAY,
        closes_at=timezone.now() - DAY, district_review_deadline=timezone.localdate() + 30 * DAY)
    call.refresh_from_db()
    url = reverse("admin:applications_call_change_window", args=[call.pk])
    new_close = timezone.localtime(timezone.now() + 5 * DAY)
    opens = timezone.localtime(call.opens_at)
    response = admin_client.post(url, {
        "opens_at_0": f"{opens:%Y-%m-%d}", "opens_at_1": f"{opens:%H:%M:%S}",
        "closes_at_0": f"{new_close:%Y-%m-%d}", "closes_at_1": "18:00:00", "reason": ""})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    response = admin_client.post(url, {
        "opens_at_0": f"{opens:%Y-%m-%d}", "opens_at_1": f"{opens:%H:%M:%S}",
        "closes_at_0": f"{new_close:%Y-%m-%d}", "closes_at_1": "18:00:00",
        "reason": "系统故障，顺延受理"})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED
    assert timezone.localtime(call.closes_at).strftime("%H:%M") == "18:00"


def test_admin_form_page_and_read_only_dates_once_published(call, admin_client):
    page = admin_client.get(reverse("admin:applications_call_change_window", args=[call.pk]))
    assert page.status_code == 200 and "变更理由" in page.content.decode()
    change = admin_client.get(reverse("admin:applications_call_change", args=[call.pk]))
    body = change.content.decode()
    assert 'name="closes_at_0"' not in body and 'name="opens_at_0"' not in body
    assert "延期或提前截止" in body
    draft = CallFactory(unpublished=True)
    body = admin_client.get(reverse("admin:applications_call_change",
                                    args=[draft.pk])).content.decode()
    assert 'name="closes_at_0"' in body


def test_the_admin_action_leads_to_the_form(call, admin_client):
    response = admin_client.post(reverse("admin:applications_call_changelist"),
                                 {"action": "change_call_window", "_selected_action": [call.pk]})
    assert response["Location"] == reverse("admin:applications_call_change_window",
                                           args=[call.pk])
