"""The lock-out records in admin read in Chinese: django-axes names each row "Attempted Access:
<UTC time>", which admin reads out to screen readers on every row (issue 6 §5)."""

import datetime
import zoneinfo

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from tests.test_english import ADMIN_ALLOWED, english_words

pytestmark = pytest.mark.django_db


def test_the_lockout_admin_names_each_row_in_chinese_and_beijing_time(commission_admin, client):
    attempt = AccessAttempt.objects.create(
        username="applicant_a", ip_address="203.0.113.7", user_agent="", get_data="",
        post_data="", http_accept="", path_info="/accounts/login/", failures_since_start=5)
    when = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=1)
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=when)
    client.force_login(commission_admin)

    page = client.get(reverse("admin:accounts_lockedaccount_changelist")).content.decode()

    assert english_words(page, usernames=[commission_admin.username, "applicant_a"],
                         allowed=ADMIN_ALLOWED) == []
    beijing = timezone.localtime(when, zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert f"applicant_a · 203.0.113.7 · {beijing:%Y-%m-%d %H:%M}" in page
