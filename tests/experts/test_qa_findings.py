"""Two rules found missing by hand: a closed round's sheet with a frozen proposed list is not
reopened, and platform maintenance cannot delete an expert from the roster."""

import pytest
from django.urls import reverse

from experts import results
from experts.enums import RoundStatus, SheetStatus
from experts.models import ReviewRound
from experts.scoring import round_results_compute

from .results_helpers import sheet_for

pytestmark = pytest.mark.django_db


def _close(round_):
    ReviewRound.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED)
    round_.refresh_from_db()
    round_results_compute(round=round_)


@pytest.fixture
def frozen(review_round, expert_review_apps, commission_staff):
    """A closed round whose proposed list is frozen, with one submitted sheet."""
    a = expert_review_apps[0]
    sheet = sheet_for(review_round, a, total=80)
    _close(review_round)
    saved = results.proposed_list_save(round=review_round, actor=commission_staff,
                                       chosen=[{"application_id": a.pk, "note": "得分居前"}])
    results.proposed_list_freeze(proposed_list=saved, actor=commission_staff)
    return sheet


def test_a_sheet_of_a_closed_round_with_a_frozen_list_cannot_be_reopened(frozen, role_client):
    # 第九条（三）: the proposed list is frozen with the round's results; reopening a counted
    # sheet afterwards leaves a stored aggregate that no submitted sheet supports, and the
    # expert is told to correct a sheet they can no longer open (the round is closed).
    client = role_client("commission_staff")
    url = reverse("experts:sheet_reopen", args=[frozen.pk])
    client.post(url, {"reason": "结束后重新开放"})
    frozen.refresh_from_db()
    assert frozen.status == SheetStatus.SUBMITTED


def test_platform_maintenance_cannot_delete_an_expert_from_the_roster(superuser_no_role, client):
    # 第四条: the committee is adjusted dynamically and kept as history (memberships end, they
    # are not erased); the commission's own admin has no delete action, but a superuser
    # without any role can bulk-delete experts with their memberships and declared ties.
    from .conftest import make_expert
    from experts.models import Expert

    kept = make_expert("历史专家")
    client.force_login(superuser_no_role)
    changelist = reverse("admin:experts_expert_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [kept.pk],
                             "post": "yes"})
    assert Expert.objects.filter(pk=kept.pk).exists()
