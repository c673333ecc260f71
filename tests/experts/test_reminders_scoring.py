"""Reminders 2 and 1 days before a round's scoring deadline to experts with unsubmitted live
assignments, once each (core.sweep.reminder_claim), at their boundary seconds."""

import datetime

import pytest
from django.utils import timezone

from core.models import Notification
from experts import sheets
from experts.reminders import remind_experts_of_round_deadline

from .conftest import make_expert
from .scoring import assign, entries_at, open_round

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def deadline():
    return timezone.now().replace(microsecond=0) + datetime.timedelta(days=10)


@pytest.fixture
def setup(review_round, expert_review_apps, expert_record, commission_staff, deadline):
    open_round(review_round, deadline=deadline)
    for app in expert_review_apps[:2]:
        assign(review_round, app, expert_record, commission_staff)
    done = make_expert("已交专家", login=True)
    item = assign(review_round, expert_review_apps[0], done, commission_staff, committed=True)
    sheet = sheets.sheet_open(assignment=item, actor=done.user)
    sheets.sheet_save(sheet=sheet, actor=done.user, version=0, overall_comment="总体",
                      entries=entries_at(sheets.round_criteria(review_round)), submit=True)
    recused = make_expert("回避专家", login=True)
    item = assign(review_round, expert_review_apps[1], recused, commission_staff)
    sheets.assignment_recuse(assignment=item, actor=recused.user, reason="回避")
    return {"done": done.user, "recused": recused.user}


def _notices(user):
    return list(Notification.objects.filter(recipient=user,
                                            purpose="expert_round_deadline_reminder"))


def test_two_days_ahead_at_the_boundary_second_then_once(setup, expert, deadline):
    assert remind_experts_of_round_deadline(deadline - 2 * DAY - SECOND) == 0
    assert remind_experts_of_round_deadline(deadline - 2 * DAY) == 1
    assert remind_experts_of_round_deadline(deadline - 2 * DAY + SECOND) == 0
    notices = _notices(expert)
    assert len(notices) == 1 and "2天" in notices[0].title and "2份" in notices[0].title
    assert _notices(setup["done"]) == [] and _notices(setup["recused"]) == []


def test_one_day_ahead_once_and_nothing_after_the_deadline(setup, expert, deadline):
    remind_experts_of_round_deadline(deadline - 2 * DAY)
    assert remind_experts_of_round_deadline(deadline - DAY - SECOND) == 0
    assert remind_experts_of_round_deadline(deadline - DAY) == 1
    assert remind_experts_of_round_deadline(deadline - DAY) == 0
    assert remind_experts_of_round_deadline(deadline) == 0
    assert [("1天" in n.title) for n in _notices(expert)].count(True) == 1
    assert len(_notices(expert)) == 2


def test_a_late_sweep_sends_only_the_nearest_reminder(setup, expert, deadline):
    assert remind_experts_of_round_deadline(deadline - DAY + SECOND) == 1
    assert remind_experts_of_round_deadline(deadline - 2 * DAY) == 0
    assert len(_notices(expert)) == 1 and "1天" in _notices(expert)[0].title


def test_a_moved_deadline_arms_the_reminders_again(setup, expert, deadline, review_round):
    remind_experts_of_round_deadline(deadline - DAY)
    later = deadline + 3 * DAY
    open_round(review_round, deadline=later)
    assert remind_experts_of_round_deadline(later - DAY) == 1
    assert len(_notices(expert)) == 2


def test_the_sweep_is_registered():
    from core.sweep import registered_checks

    assert remind_experts_of_round_deadline in registered_checks()
