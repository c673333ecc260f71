"""Reminders of the yearly evaluation: centers 7, 3 and 1 days before the materials deadline
while not submitted (never a revoked center, still one under a 通报), the 主管部门 3 and 1 days
before its deadline while not forwarded; each once, however often the sweep runs."""

import datetime

import pytest

from centers.models import Center
from core.models import Notification
from core.sweep import run_deadline_sweep
from evaluations import district, materials
from evaluations.enums import EvaluationStatus, Grade
from evaluations.models import Bulletin, Evaluation, EvaluationCycle
from evaluations.reminders import evaluation_reminders

from .conftest import fill_materials

pytestmark = pytest.mark.usefixtures("celery_eager")
DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)


def _center_notices(user):
    return Notification.objects.filter(recipient=user, purpose="evaluation_materials_reminder")


def test_materials_reminders_7_3_1_once_each(open_cycle, designated_centers, unit_user_of):
    due = open_cycle.materials_due
    user = unit_user_of(designated_centers[0])
    assert evaluation_reminders(due - 8 * DAY) == 0
    for days, expected in ((7, 1), (3, 2), (1, 3)):
        at = due - days * DAY + SECOND
        evaluation_reminders(at)
        run_deadline_sweep(at)  # the whole sweep, a second time
        assert _center_notices(user).count() == expected, days
    evaluation_reminders(due + SECOND)
    assert _center_notices(user).count() == 3
    evaluation = Evaluation.objects.get(cycle=open_cycle, center=designated_centers[0])
    assert sorted(evaluation.reminders_sent) == [1, 3, 7]
    assert "3天" in _center_notices(user).order_by("pk")[1].title


def test_a_late_first_sweep_sends_the_nearest_reminder_only(open_cycle, designated_centers,
                                                            unit_user_of):
    user = unit_user_of(designated_centers[0])
    evaluation_reminders(open_cycle.materials_due - 2 * DAY)
    evaluation_reminders(open_cycle.materials_due - 2 * DAY)
    assert _center_notices(user).count() == 1
    assert "3天" in _center_notices(user).get().title


def test_no_reminder_once_submitted(open_cycle, designated_centers, unit_user_of):
    center = designated_centers[0]
    user = unit_user_of(center)
    evaluation = Evaluation.objects.get(cycle=open_cycle, center=center)
    fill_materials(evaluation, user)
    materials.materials_submit(evaluation=evaluation, actor=user)
    evaluation_reminders(open_cycle.materials_due - DAY)
    assert not _center_notices(user).exists()


def test_never_to_a_revoked_center_still_to_one_under_a_bulletin(
        open_cycle, designated_centers, unit_user_of, commission_staff):
    revoked, bulletined = designated_centers[:2]
    Center.objects.filter(pk=revoked.pk).update(status="revoked",
                                                revoked_on=datetime.date(2026, 1, 5))
    earlier = EvaluationCycle.objects.create(
        year=2025, title="2025年度", window_start=datetime.date(2024, 1, 1),
        window_end=datetime.date(2024, 12, 31), table=open_cycle.table,
        materials_due=open_cycle.materials_due - 365 * DAY,
        district_due=open_cycle.district_due - 365 * DAY, status="published",
        created_by=commission_staff)
    failed = Evaluation.objects.create(cycle=earlier, center=bulletined, grade=Grade.FAIL,
                                       status=EvaluationStatus.FORWARDED,
                                       department_id=bulletined.department_id)
    Bulletin.objects.create(evaluation=failed, number="青发改通〔2025〕1号", reasons="不合格",
                            issued_by=commission_staff)

    evaluation_reminders(open_cycle.materials_due - 7 * DAY)

    assert not _center_notices(unit_user_of(revoked)).exists()
    assert _center_notices(unit_user_of(bulletined)).count() == 1


def test_district_reminders_3_1_once_each_until_forwarded(
        open_cycle, designated_centers, unit_user_of, official_laoshan, official_jimo, laoshan):
    due = open_cycle.district_due

    def notices(user):
        return Notification.objects.filter(recipient=user,
                                           purpose="evaluation_district_reminder")

    assert evaluation_reminders(due - 4 * DAY) == 0
    for days, expected in ((3, 1), (1, 2)):
        evaluation_reminders(due - days * DAY)
        evaluation_reminders(due - days * DAY + SECOND)
        assert notices(official_laoshan).count() == expected
    assert not notices(official_jimo).exists()  # no center of 即墨区 in the cycle
    open_cycle.refresh_from_db()
    assert sorted(open_cycle.reminders_sent) == [f"district-{laoshan.pk}-1",
                                                 f"district-{laoshan.pk}-3"]


def test_no_district_reminder_once_forwarded(submitted_evaluation, official_laoshan, laoshan):
    district.opinion_save(evaluation=submitted_evaluation, actor=official_laoshan,
                          opinion="同意。")
    district.review_forward(cycle=submitted_evaluation.cycle, department=laoshan,
                            actor=official_laoshan,  # once the other center's materials are due
                            now=submitted_evaluation.cycle.materials_due + SECOND)
    evaluation_reminders(submitted_evaluation.cycle.district_due - DAY)
    assert not Notification.objects.filter(recipient=official_laoshan,
                                           purpose="evaluation_district_reminder").exists()
