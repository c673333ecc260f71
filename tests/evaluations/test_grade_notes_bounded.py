"""The commission's notes on an evaluation are bounded (第十七条): a 确认说明 or a 查实情况
longer than its limit is refused in Chinese by the service itself, so the admin actions and
the portal pages store nothing unbounded."""

import pytest

from evaluations import grades
from evaluations.errors import EvaluationError

pytestmark = pytest.mark.usefixtures("celery_eager")


def test_a_false_materials_note_over_the_limit_is_refused(designated_centers, evaluation_of,
                                                          commission_staff):
    evaluation = evaluation_of(designated_centers[0])
    with pytest.raises(EvaluationError, match="查实情况不超过"):
        grades.false_materials_record(evaluation, commission_staff,
                                      "查" * (grades.FALSE_NOTE_MAX_CHARS + 1))
    evaluation.refresh_from_db()
    assert not evaluation.false_materials_found
    grades.false_materials_record(evaluation, commission_staff,
                                  "查" * grades.FALSE_NOTE_MAX_CHARS)


def test_a_grade_note_over_the_limit_is_refused(scoring_cycle, commission_staff):
    evaluation = scoring_cycle.evaluations.order_by("pk").first()
    with pytest.raises(EvaluationError, match="确认说明不超过"):
        grades.grade_confirm(evaluation=evaluation, actor=commission_staff, grade="good",
                             note="说" * (grades.GRADE_NOTE_MAX_CHARS + 1))
    evaluation.refresh_from_db()
    assert evaluation.grade == ""
    confirmed = grades.grade_confirm(evaluation=evaluation, actor=commission_staff,
                                     grade="good", note="说" * grades.GRADE_NOTE_MAX_CHARS)
    assert confirmed.grade == "good"
