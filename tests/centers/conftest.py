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


def second_notice(commission_staff, starts_on=datetime.date(2026, 6, 1)):
    """A notice of another call's frozen list with two applications (for concurrent
    finalising); built without fixtures so a transactional test can call it."""
    from django.utils import timezone

    from experts.models import RoundEntry
    from experts.rubrics import rubric_install_default
    from tests.experts.conftest import expert_review_application
    from tests.factories import CallFactory

    call = CallFactory(closed=True)
    round_ = ReviewRound.objects.create(call=call, title="第二批", created_by=commission_staff,
                                        deadline=timezone.now() + datetime.timedelta(days=1))
    rubric_install_default(round_)
    apps = [expert_review_application(call) for _ in range(2)]
    RoundEntry.objects.bulk_create(RoundEntry(round=round_, application=a) for a in apps)
    for total, application in zip((85, 75), apps, strict=True):
        sheet_for(round_, application, total=total)
    ReviewRound.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED)
    round_.refresh_from_db()
    round_results_compute(round=round_)
    saved = results.proposed_list_save(
        round=round_, actor=commission_staff,
        chosen=[{"application_id": a.pk, "note": ""} for a in apps])
    frozen = results.proposed_list_freeze(proposed_list=saved, actor=commission_staff)
    return notices.notice_create(proposed_list=frozen, actor=commission_staff,
                                 starts_on=starts_on, contact="张科长 0532-85911234")


@pytest.fixture
def designated_centers(make_notice, commission_staff):
    """The two centers of `make_notice()` finalised by the real service (each with its plaque
    and first TargetSet); their unit's users are the applicants of `expert_review_apps`."""
    from django.utils import timezone

    from centers import designation
    from centers.enums import NoticeStatus
    from centers.models import PublicNotice

    notice = make_notice()
    PublicNotice.objects.filter(pk=notice.pk).update(
        status=NoticeStatus.CLOSED, published_at=timezone.now(), closed_at=timezone.now())
    notice.refresh_from_db()
    return designation.notice_finalise(notice=notice, actor=commission_staff)
