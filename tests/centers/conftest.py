"""The public notice's fixtures: `frozen_list`, a frozen 拟评定名单 of a closed round with two
applications on it (tests/experts' fixtures), and `make_notice(**fields)`."""

import datetime

import pytest

from centers import notices
from experts import results
from experts.enums import RoundStatus
from experts.models import ReviewRound
from experts.scoring import round_results_compute
from tests.experts.conftest import (  # noqa: F401  (fixtures shared with these tests)
    expert_review_apps,
    review_call,
    review_round,
)
from tests.experts.results_helpers import sheet_for


@pytest.fixture
def frozen_list(review_round, expert_review_apps, commission_staff):
    for total, application in zip((88, 80, 70), expert_review_apps, strict=True):
        sheet_for(review_round, application, total=total)
    ReviewRound.objects.filter(pk=review_round.pk).update(status=RoundStatus.CLOSED)
    review_round.refresh_from_db()
    round_results_compute(round=review_round)
    saved = results.proposed_list_save(
        round=review_round, actor=commission_staff,
        chosen=[{"application_id": a.pk, "note": "得分居前"} for a in expert_review_apps[:2]])
    return results.proposed_list_freeze(proposed_list=saved, actor=commission_staff)


@pytest.fixture
def make_notice(frozen_list, commission_staff):
    def make(**fields):
        fields = {"starts_on": datetime.date(2026, 6, 1), "contact": "张科长 0532-85911234",
                  **fields}
        return notices.notice_create(proposed_list=frozen_list, actor=commission_staff,
                                     **fields)
    return make
