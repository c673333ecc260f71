"""The commission's dashboard panel of expert review rounds: at most ten, each linking its
results."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import ReviewRound

pytestmark = pytest.mark.django_db


def test_panel_lists_at_most_ten_rounds_with_results_links(review_call, commission_staff,
                                                           role_client,
                                                           django_assert_max_num_queries):
    for i in range(12):
        ReviewRound.objects.create(call=review_call, title=f"第{i}轮",
                                   deadline=timezone.now() + datetime.timedelta(days=i),
                                   created_by=commission_staff)
    client = role_client("commission_staff")
    body = client.get(reverse("dashboard_commission")).content.decode()
    panel = body[body.index('id="expert-rounds"'):]
    panel = panel[:panel.index("直接报送")]
    assert panel.count("/results/") == 10
    assert "共 12 个" in panel


def test_panel_without_rounds(role_client, db):
    body = role_client("commission_staff").get(reverse("dashboard_commission")).content.decode()
    assert "尚未创建专家评审轮次" in body
