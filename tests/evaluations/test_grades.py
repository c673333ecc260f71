"""Grades (第十七条): computed from the expert aggregate under the table's thresholds and hard
rules, confirmed by the commission (a departure needs a note), published; the center's unit
sees its grade only once published."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from centers.models import ChangeReport
from core.models import AuditEvent, Notification
from evaluations import cycles, grades, indicators, selectors
from evaluations.enums import CycleStatus, Grade, HardRule
from evaluations.errors import EvaluationError
from evaluations.models import Evaluation

from .conftest import DISTRICT_DUE, MATERIALS_DUE

pytestmark = pytest.mark.django_db
AFTER = DISTRICT_DUE + datetime.timedelta(days=1)


def _first(cycle):
    return cycle.evaluations.order_by("center__name", "pk").first()


@pytest.mark.parametrize(("score", "grade"), [
    ("59.99", Grade.FAIL), ("60", Grade.PASS), ("74.99", Grade.PASS), ("75", Grade.GOOD),
    ("89.99", Grade.GOOD), ("90", Grade.EXCELLENT), ("100", Grade.EXCELLENT),
    ("0", Grade.FAIL)])
def test_a_grade_at_every_boundary_of_the_default_table(scoring_cycle, commission_staff,
                                                        score, grade):
    evaluation = _first(scoring_cycle)
    grades.grades_compute(cycle=scoring_cycle, actor=commission_staff,
                          scores={evaluation.pk: Decimal(score)}, now=AFTER)
    evaluation.refresh_from_db()
    assert evaluation.score == Decimal(score) and evaluation.computed_grade == grade
    assert evaluation.hard_rules_hit == []


def test_no_score_and_no_hard_rule_gives_no_grade_yet(scoring_cycle, commission_staff):
    grades.grades_compute(cycle=scoring_cycle, actor=commission_staff, scores={}, now=AFTER)
    assert set(scoring_cycle.evaluations.values_list("computed_grade", flat=True)) == {""}


def test_materials_never_submitted_forces_fail_once_the_deadline_passed(draft_cycle,
                                                                        commission_staff):
    cycle = cycles.cycle_open(cycle=draft_cycle, actor=commission_staff,
                              now=MATERIALS_DUE - datetime.timedelta(days=60))
    evaluation, submitted = cycle.evaluations.order_by("pk")
    Evaluation.objects.filter(pk=submitted.pk).update(submitted_at=MATERIALS_DUE)
    submitted.refresh_from_db()
    # Allowed at the due instant, not submitted one second later.
    assert grades.hard_rules_hit(evaluation, cycle, now=MATERIALS_DUE) == []
    late = MATERIALS_DUE + datetime.timedelta(seconds=1)
    assert grades.hard_rules_hit(evaluation, cycle, now=late) == [
        HardRule.MATERIALS_NOT_SUBMITTED]
    assert grades.hard_rules_hit(submitted, cycle, now=late) == []
    cycle = cycles.cycle_start_scoring(cycle=cycle, actor=commission_staff, now=AFTER)
    grades.grades_compute(cycle=cycle, scores={evaluation.pk: Decimal("95"),
                                               submitted.pk: Decimal("95")}, now=AFTER)
    evaluation.refresh_from_db()
    submitted.refresh_from_db()
    assert evaluation.computed_grade == Grade.FAIL
    assert evaluation.hard_rules_hit == [HardRule.MATERIALS_NOT_SUBMITTED]
    assert submitted.computed_grade == Grade.EXCELLENT
    # Once scoring has started the materials are closed, whatever the clock says.
    assert grades.hard_rules_hit(evaluation, cycle, now=MATERIALS_DUE) == [
        HardRule.MATERIALS_NOT_SUBMITTED]


def test_false_materials_force_fail(scoring_cycle, commission_staff, official_laoshan):
    evaluation = _first(scoring_cycle)
    grades.grades_compute(cycle=scoring_cycle, scores={evaluation.pk: Decimal("95")}, now=AFTER)
    with pytest.raises(PermissionDenied):
        grades.false_materials_record(evaluation, official_laoshan, "查实数据造假。")
    with pytest.raises(EvaluationError, match="查实情况"):
        grades.false_materials_record(evaluation, commission_staff, " ")
    recorded = grades.false_materials_record(evaluation, commission_staff,
                                             "服务企业数量经核查虚报。")
    assert recorded.computed_grade == Grade.FAIL
    assert recorded.hard_rules_hit == [HardRule.FALSE_MATERIALS]
    assert AuditEvent.objects.filter(action="evaluation.false_materials").exists()
    assert grades.grades_verify(scoring_cycle, scores={evaluation.pk: Decimal("95")}) == []


def test_an_overdue_change_report_inside_the_window_forces_fail(
        draft_cycle, commission_staff, applicant_a):
    table = draft_cycle.table
    indicators.table_settings_save(
        table=table, actor=commission_staff, excellent_from=table.excellent_from,
        good_from=table.good_from, pass_from=table.pass_from,
        hard_rules=[*table.hard_rules, HardRule.CHANGE_REPORT_OVERDUE])
    cycle = cycles.cycle_open(cycle=draft_cycle, actor=commission_staff,
                              now=MATERIALS_DUE - datetime.timedelta(days=60))
    cycle.evaluations.update(submitted_at=MATERIALS_DUE - datetime.timedelta(days=1),
                             status="forwarded")
    cycle = cycles.cycle_start_scoring(cycle=cycle, actor=commission_staff, now=AFTER)
    inside, outside = cycle.evaluations.order_by("pk")
    beijing = datetime.timezone(datetime.timedelta(hours=8))
    for evaluation, overdue_at in (
            (inside, datetime.datetime(2026, 12, 31, 23, 30, tzinfo=beijing)),
            (outside, datetime.datetime(2027, 1, 1, 0, 30, tzinfo=beijing))):
        ChangeReport.objects.create(
            center_id=evaluation.center_id, department_id=evaluation.department_id,
            kind="entity", entity_change="equity", licence_changed_on=datetime.date(2026, 9, 1),
            summary="股权变更。", status="submitted", created_by=applicant_a,
            overdue_at=overdue_at)
    grades.grades_compute(cycle=cycle, scores={inside.pk: Decimal("95"),
                                               outside.pk: Decimal("95")}, now=AFTER)
    inside.refresh_from_db()
    outside.refresh_from_db()
    assert (inside.computed_grade, inside.hard_rules_hit) == (
        Grade.FAIL, [HardRule.CHANGE_REPORT_OVERDUE])
    assert (outside.computed_grade, outside.hard_rules_hit) == (Grade.EXCELLENT, [])


def test_a_hard_rule_the_table_does_not_list_does_not_count(scoring_cycle):
    # The default table lists materials and false materials, not overdue change reports.
    evaluation = _first(scoring_cycle)
    assert HardRule.CHANGE_REPORT_OVERDUE not in scoring_cycle.table.hard_rules
    assert grades.hard_rules_hit(evaluation, now=AFTER) == []


def test_recomputing_a_cycle_reproduces_every_stored_grade(scoring_cycle, commission_staff):
    first, second = scoring_cycle.evaluations.order_by("pk")
    Evaluation.objects.filter(pk=second.pk).update(submitted_at=None)
    scores = {first.pk: Decimal("74.994"), second.pk: Decimal("88")}
    assert grades.grades_compute(cycle=scoring_cycle, scores=scores, now=AFTER) == 2
    stored = list(scoring_cycle.evaluations.order_by("pk").values_list(
        "score", "computed_grade", "hard_rules_hit"))
    assert stored[0] == (Decimal("74.99"), Grade.PASS, [])
    assert stored[1] == (Decimal("88.00"), Grade.FAIL, [HardRule.MATERIALS_NOT_SUBMITTED])
    assert grades.grades_compute(cycle=scoring_cycle, scores=scores, now=AFTER) == 0
    assert grades.grades_verify(scoring_cycle, scores=scores, now=AFTER) == []
    assert list(scoring_cycle.evaluations.order_by("pk").values_list(
        "score", "computed_grade", "hard_rules_hit")) == stored
    # Confirmed and published, the stored grades are still what computing gives.
    for evaluation in scoring_cycle.evaluations.all():
        grades.grade_confirm(evaluation=evaluation, actor=commission_staff)
    grades.cycle_confirm(cycle=scoring_cycle, actor=commission_staff)
    grades.cycle_publish(cycle=scoring_cycle, actor=commission_staff)
    assert grades.grades_verify(scoring_cycle, scores=scores) == []
    assert grades.grades_verify(scoring_cycle, scores={**scores, first.pk: Decimal("75")}) == [
        first.pk]


def test_a_departure_from_the_computed_grade_needs_a_note(scoring_cycle, commission_staff,
                                                         official_laoshan):
    evaluation = _first(scoring_cycle)
    grades.grades_compute(cycle=scoring_cycle, scores={evaluation.pk: Decimal("80")}, now=AFTER)
    with pytest.raises(PermissionDenied):
        grades.grade_confirm(evaluation=evaluation, actor=official_laoshan)
    with pytest.raises(EvaluationError, match="确认说明"):
        grades.grade_confirm(evaluation=evaluation, actor=commission_staff,
                             grade=Grade.EXCELLENT)
    same = grades.grade_confirm(evaluation=evaluation, actor=commission_staff)
    assert (same.grade, same.grade_note) == (Grade.GOOD, "")
    departed = grades.grade_confirm(evaluation=evaluation, actor=commission_staff,
                                    grade=Grade.EXCELLENT, note="专家组复核后认为服务成效突出。")
    assert departed.grade == Grade.EXCELLENT and departed.confirmed_by == commission_staff
    assert AuditEvent.objects.filter(action="evaluation.grade_confirm").count() == 2


def test_the_cycle_is_confirmed_only_when_every_grade_is(scoring_cycle, commission_staff,
                                                        monkeypatch,
                                                        django_capture_on_commit_callbacks):
    from evaluations import revocations

    seen = []
    monkeypatch.setattr(revocations, "after_grade_confirmed", lambda e: seen.append(e.pk))
    first, second = scoring_cycle.evaluations.order_by("pk")
    grades.grades_compute(cycle=scoring_cycle, scores={first.pk: Decimal("50"),
                                                       second.pk: Decimal("91")}, now=AFTER)
    grades.grade_confirm(evaluation=first, actor=commission_staff)
    with pytest.raises(EvaluationError, match="1个赋能中心的等级未确认"):
        grades.cycle_confirm(cycle=scoring_cycle, actor=commission_staff)
    grades.grade_confirm(evaluation=second, actor=commission_staff)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = grades.cycle_confirm(cycle=scoring_cycle, actor=commission_staff)
    assert confirmed.status == CycleStatus.CONFIRMED and confirmed.confirmed_at
    assert sorted(seen) == sorted([first.pk, second.pk])
    with pytest.raises(EvaluationError):
        grades.grade_confirm(evaluation=first, actor=commission_staff, grade=Grade.PASS,
                             note="改")


def test_the_unit_sees_its_grade_only_once_published(scoring_cycle, commission_staff):
    from accounts.enums import Role
    from tests.factories import staff

    evaluation = _first(scoring_cycle)
    assert evaluation.department_id
    official = staff(Role.DISTRICT_OFFICIAL, evaluation.department, username="official_x")
    grades.grades_compute(cycle=scoring_cycle, scores={
        e.pk: Decimal("92") for e in scoring_cycle.evaluations.all()}, now=AFTER)
    for each in scoring_cycle.evaluations.all():
        grades.grade_confirm(evaluation=each, actor=commission_staff)
    evaluation.refresh_from_db()
    seen = selectors.evaluation_for_unit(evaluation)
    assert seen["grade"] == "" and seen["grade_label"] == "" and not seen["published"]
    assert seen["status_label"] == "初审意见已报送"
    grades.cycle_confirm(cycle=scoring_cycle, actor=commission_staff)
    evaluation.refresh_from_db()
    assert selectors.evaluation_for_unit(evaluation)["grade"] == ""
    assert list(selectors.published_results(evaluation.cycle)) == []
    grades.cycle_publish(cycle=scoring_cycle, actor=commission_staff)
    evaluation = Evaluation.objects.select_related("cycle").get(pk=evaluation.pk)
    seen = selectors.evaluation_for_unit(evaluation)
    assert seen["published"] and seen["grade"] == Grade.EXCELLENT and seen["grade_label"] == "优秀"
    assert [e.pk for e in selectors.supported_centers(evaluation.cycle)] == list(
        scoring_cycle.evaluations.order_by("center__name", "pk").values_list("pk", flat=True))
    told = Notification.objects.filter(purpose="evaluation_results_published")
    assert told.filter(recipient=official).exists()
    assert told.filter(recipient__role_assignments__role="applicant").exists()
    assert "优秀" in told.first().title


def test_grades_are_computed_only_while_scoring(draft_cycle, commission_staff):
    with pytest.raises(EvaluationError, match="评估评分中"):
        grades.grades_compute(cycle=draft_cycle, actor=commission_staff, scores={})
    assert timezone.now()  # the clock is not needed for the refusal


def test_materials_returned_and_never_sent_again_count_as_not_submitted(
        draft_cycle, commission_staff):
    cycle = cycles.cycle_open(cycle=draft_cycle, actor=commission_staff,
                              now=MATERIALS_DUE - datetime.timedelta(days=60))
    returned, forwarded = cycle.evaluations.order_by("pk")
    cycle.evaluations.update(submitted_at=MATERIALS_DUE - datetime.timedelta(days=1))
    type(returned).objects.filter(pk=returned.pk).update(status="returned")
    type(forwarded).objects.filter(pk=forwarded.pk).update(status="forwarded")
    returned.refresh_from_db()
    # Until the 主管部门's deadline the unit may still send it again ...
    assert grades.hard_rules_hit(returned, cycle, now=DISTRICT_DUE) == []
    # ... one second later what was returned is no submission.
    assert grades.hard_rules_hit(returned, cycle,
                                 now=DISTRICT_DUE + datetime.timedelta(seconds=1)) == [
        HardRule.MATERIALS_NOT_SUBMITTED]
    cycle = cycles.cycle_start_scoring(cycle=cycle, actor=commission_staff, now=AFTER)
    grades.grades_compute(cycle=cycle, scores={forwarded.pk: Decimal("80")}, now=AFTER)
    returned.refresh_from_db()
    assert returned.computed_grade == Grade.FAIL
    assert grades.grades_verify(cycle, scores={forwarded.pk: Decimal("80")}) == []
