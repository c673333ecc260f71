"""即将开始 vs 正在受理 on the call page and the dashboard; publishing under a policy document out
of force needs an explicit confirmation in admin (第二十条)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import CallStatus
from applications.models import Call, PolicyDocument
from core.transitions import status_history

from tests.factories import CallFactory

pytestmark = pytest.mark.django_db


def test_a_call_not_yet_open_is_marked_upcoming(commission_staff, role_client):
    now = timezone.now()
    upcoming = CallFactory(title="下一批申报通知", opens_at=now + datetime.timedelta(days=3),
                           closes_at=now + datetime.timedelta(days=20))
    current = CallFactory(title="本批申报通知")
    client = role_client("applicant")
    page = client.get(reverse("applications:call_detail", args=[upcoming.pk])).content.decode()
    assert 'data-phase="upcoming">即将开始' in page and "正在受理" not in page
    assert "apply-now" not in page
    page = client.get(reverse("applications:call_detail", args=[current.pk])).content.decode()
    assert 'data-phase="open">正在受理' in page and "即将开始" not in page
    dashboard = client.get(reverse("dashboard_applicant")).content.decode()
    upcoming_row = dashboard[dashboard.index("下一批申报通知") - 200:dashboard.index("下一批申报通知")]
    current_row = dashboard[dashboard.index("本批申报通知") - 200:dashboard.index("本批申报通知")]
    assert "即将开始" in upcoming_row and "正在受理" not in upcoming_row
    assert "正在受理" in current_row and "即将开始" not in current_row
    assert "开始受理" in dashboard


@pytest.fixture
def admin_client(client, commission_staff):
    commission_staff.is_staff = commission_staff.is_superuser = True
    commission_staff.save()
    client.force_login(commission_staff)
    return client


def test_publishing_under_an_expired_policy_asks_first(commission_staff, admin_client):
    call = CallFactory(unpublished=True, policy=PolicyDocument.objects.order_by("pk").first())
    assert not call.policy.is_valid_on(datetime.date.today())
    changelist = reverse("admin:applications_call_changelist")
    response = admin_client.post(changelist, {"action": "publish_calls",
                                              "_selected_action": [call.pk]})
    body = response.content.decode()
    assert response.status_code == 200 and "不在有效期内" in body and "仍然发布" in body
    assert Call.objects.get(pk=call.pk).status == CallStatus.DRAFT

    response = admin_client.post(changelist, {"action": "publish_calls",
                                              "_selected_action": [call.pk],
                                              "confirm_policy": "1"}, follow=True)
    assert "已发布" in response.content.decode()
    call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED
    [publish] = status_history(call)
    assert "已确认" in publish.reason and "不在其有效期内" in publish.reason


def test_a_policy_in_force_publishes_without_a_question(commission_staff, admin_client):
    call = CallFactory(unpublished=True)
    call.policy = PolicyDocument.objects.create(title="现行办法",
                                                effective_from=datetime.date(2024, 1, 1))
    call.save()
    response = admin_client.post(reverse("admin:applications_call_changelist"),
                                 {"action": "publish_calls", "_selected_action": [call.pk]},
                                 follow=True)
    assert "仍然发布" not in response.content.decode()
    assert Call.objects.get(pk=call.pk).status == CallStatus.PUBLISHED


def test_a_policy_ending_before_the_close_is_flagged(commission_staff):
    from applications import services

    call = CallFactory(unpublished=True)
    call.policy = PolicyDocument.objects.create(
        title="即将到期的办法", effective_from=datetime.date(2024, 1, 1),
        effective_until=datetime.date.today() + datetime.timedelta(days=2))
    call.save()
    with pytest.raises(services.PolicyNotValid, match="受理截止日"):
        services.call_publish(call=call, actor=commission_staff)
