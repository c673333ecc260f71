"""Two experts submitting at once, and two saves of one sheet at once, lose nothing: each
sheet keeps exactly what its own expert sent, and of two saves based on the same version one
is stored and the other refused (StaleSheet), never silently overwritten."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from experts import sheets
from experts.enums import SheetStatus
from experts.models import ScoreSheet

from .conftest import make_expert
from .scoring import assign, entries_at, open_round


def _run_at_once(jobs):
    """Runs the callables in threads started together on PostgreSQL (row locks), one after
    the other on SQLite (one writer at a time); returns (results, errors)."""
    results, errors = [None] * len(jobs), []
    if connection.vendor != "postgresql":
        for i, job in enumerate(jobs):
            try:
                results[i] = job()
            except Exception as error:  # noqa: BLE001  (returned to the test)
                errors.append(error)
        return results, errors
    barrier = threading.Barrier(len(jobs))

    def run(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_experts_submitting_at_once_lose_nothing(review_round, expert_review_apps,
                                                     commission_staff):
    open_round(review_round)
    app = expert_review_apps[0]
    first, second = make_expert("甲专家", login=True), make_expert("乙专家", login=True)
    criteria = sheets.round_criteria(review_round)
    opened = []
    for expert, share in ((first, "0.7"), (second, "0.9")):
        item = assign(review_round, app, expert, commission_staff, committed=True)
        opened.append((expert, share, sheets.sheet_open(assignment=item, actor=expert.user)))

    def submit(expert, share, sheet):
        return lambda: sheets.sheet_save(
            sheet=sheet, actor=expert.user, entries=entries_at(criteria, share, expert.name),
            overall_comment=f"{expert.name}的意见", version=sheet.version, submit=True)

    results, errors = _run_at_once([submit(*o) for o in opened])
    assert errors == []
    stored = {s.assignment.expert.name: s for s in ScoreSheet.objects.select_related(
        "assignment__expert")}
    assert stored["甲专家"].total == Decimal("70.00") and stored["乙专家"].total == Decimal("90.00")
    for name, sheet in stored.items():
        assert sheet.status == SheetStatus.SUBMITTED and sheet.overall_comment == f"{name}的意见"
        assert set(sheet.scores.values_list("comment", flat=True)) == {name}


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_sheet_at_once_store_one_and_refuse_the_other(
        review_round, expert_review_apps, commission_staff):
    open_round(review_round)
    expert = make_expert("丙专家", login=True)
    item = assign(review_round, expert_review_apps[0], expert, commission_staff, committed=True)
    sheet = sheets.sheet_open(assignment=item, actor=expert.user)
    criteria = sheets.round_criteria(review_round)

    def save(tab):
        return lambda: sheets.sheet_save(sheet=sheet, actor=expert.user,
                                         entries=entries_at(criteria, "0.8", tab),
                                         overall_comment=tab, version=0)

    results, errors = _run_at_once([save("标签页一"), save("标签页二")])
    assert len(errors) == 1 and isinstance(errors[0], sheets.StaleSheet)
    saved = next(r for r in results if r is not None)
    stored = ScoreSheet.objects.get(pk=sheet.pk)
    assert stored.version == 1 and stored.overall_comment == saved.overall_comment
    assert set(stored.scores.values_list("comment", flat=True)) == {saved.overall_comment}
