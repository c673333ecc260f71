"""The commission extends a closed call from admin's 变更受理时间 form as the page offers it: the
form shows the opening time to the minute, so sending it back unchanged must not count as moving
an opening that has passed (第五条)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import CallStatus
from applications.models import Call

from tests.factories import CallFactory

pytestmark = pytest.mark.django_db


def test_extending_a_closed_call_whose_opening_has_seconds_through_the_admin_form(
        commission_admin, client):
    now = timezone.now()
    call = CallFactory()
    Call.objects.filter(pk=call.pk).update(
        opens_at=(now - datetime.timedelta(days=10)).replace(second=44, microsecond=728357),
        closes_at=now - datetime.timedelta(hours=1), status=CallStatus.CLOSED,
        district_review_deadline=timezone.localdate() + datetime.timedelta(days=60))
    client.force_login(commission_admin)
    url = reverse("admin:applications_call_change_window", args=[call.pk])

    page = client.get(url).content.decode()
    shown = dict(re.findall(r'name="(opens_at_[01])"[^>]*value="([^"]*)"', page))
    new_close = timezone.localtime(now + datetime.timedelta(days=5))
    response = client.post(url, {**shown, "closes_at_0": f"{new_close:%Y-%m-%d}",
                                 "closes_at_1": "17:00:00", "reason": "多家单位请求延期"})

    assert response.status_code == 302, re.findall(r"errorlist[^>]*>(.*?)</ul>",
                                                   response.content.decode(), re.S)
    call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED
    assert timezone.localtime(call.closes_at).date() == new_close.date()
