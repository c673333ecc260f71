"""Two 通报 issued at the same moment (two commission users, or a double click): numbers stay
unique and gapless in the cycle's order, and one evaluation never gets two."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from accounts.enums import Role
from evaluations import bulletins
from evaluations.enums import CycleStatus, Grade
from evaluations.errors import EvaluationError
from evaluations.models import Bulletin, Evaluation, EvaluationCycle
from tests.factories import staff


def _run_at_once(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            outcomes.append(call().number)
        except EvaluationError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks (select_for_update) need PostgreSQL; CI runs this on it")
@pytest.mark.django_db(transaction=True)
def test_bulletins_issued_at_once_are_numbered_once_each(designated_centers, indicator_table,
                                                         commission_staff, commission,
                                                         celery_eager):
    colleague = staff(Role.COMMISSION_STAFF, commission, username="commission_2")
    now = timezone.now()
    cycle = EvaluationCycle.objects.create(
        year=2027, title="2027年度", window_start=datetime.date(2026, 1, 1),
        window_end=datetime.date(2026, 12, 31), table=indicator_table, materials_due=now,
        district_due=now, status=CycleStatus.CONFIRMED, created_by=commission_staff)
    first, second = [Evaluation.objects.create(cycle=cycle, center=c, grade=Grade.FAIL,
                                                computed_grade=Grade.FAIL)
                     for c in designated_centers]
    outcomes = _run_at_once([
        lambda: bulletins.bulletin_issue(evaluation=first, actor=commission_staff,
                                         reasons="不合格。"),
        lambda: bulletins.bulletin_issue(evaluation=second, actor=colleague,
                                         reasons="不合格。")])
    assert sorted(outcomes) == ["青赋能评通〔2027〕1号", "青赋能评通〔2027〕2号"], outcomes
    Bulletin.objects.all().delete()
    outcomes = _run_at_once([
        lambda: bulletins.bulletin_issue(evaluation=first, actor=commission_staff,
                                         reasons="不合格。"),
        lambda: bulletins.bulletin_issue(evaluation=first, actor=colleague,
                                         reasons="不合格。")])
    assert sorted(outcomes) == ["该赋能中心本年度的通报已发布。", "青赋能评通〔2027〕1号"], outcomes
    assert Bulletin.objects.filter(evaluation=first).count() == 1
