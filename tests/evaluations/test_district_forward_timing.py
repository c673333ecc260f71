"""The 主管部门's batch (第十八条) waits for its centers: while a center of the department may
still submit (materials not yet due), forwarding would leave that center's materials out of
the batch for good, so it is refused; at the due instant still refused, one second later
accepted."""

import datetime

import pytest

from evaluations import district, materials
from evaluations.enums import EvaluationStatus
from evaluations.errors import EvaluationError

pytestmark = pytest.mark.usefixtures("celery_eager")
SECOND = datetime.timedelta(seconds=1)


def test_forward_waits_for_a_center_that_may_still_submit(
        submitted_evaluation, designated_centers, evaluation_of, unit_user_of,
        official_laoshan, laoshan):
    cycle = submitted_evaluation.cycle
    other = evaluation_of(designated_centers[1])
    assert other.status == EvaluationStatus.PENDING and other.department_id == laoshan.pk
    district.opinion_save(evaluation=submitted_evaluation, actor=official_laoshan,
                          opinion="同意。")
    with pytest.raises(EvaluationError, match=designated_centers[1].name):
        district.review_forward(cycle=cycle, department=laoshan, actor=official_laoshan)
    with pytest.raises(EvaluationError, match="尚未报送评价材料"):
        district.review_forward(cycle=cycle, department=laoshan, actor=official_laoshan,
                                now=cycle.materials_due)
    # The center submits before its deadline: both are in the batch.
    from .conftest import fill_materials

    fill_materials(other, unit_user_of(designated_centers[1]))
    materials.materials_submit(evaluation=other, actor=unit_user_of(designated_centers[1]),
                               now=cycle.materials_due)
    district.opinion_save(evaluation=other, actor=official_laoshan, opinion="同意。")
    forwarding = district.review_forward(cycle=cycle, department=laoshan,
                                         actor=official_laoshan)
    assert set(forwarding.evaluations.values_list("pk", flat=True)) == {
        submitted_evaluation.pk, other.pk}


def test_forward_a_second_after_materials_due_leaves_the_silent_center_out(
        submitted_evaluation, designated_centers, evaluation_of, official_laoshan, laoshan):
    cycle = submitted_evaluation.cycle
    district.opinion_save(evaluation=submitted_evaluation, actor=official_laoshan,
                          opinion="同意。")
    forwarding = district.review_forward(cycle=cycle, department=laoshan,
                                         actor=official_laoshan,
                                         now=cycle.materials_due + SECOND)
    assert list(forwarding.evaluations.values_list("pk", flat=True)) == [
        submitted_evaluation.pk]
    assert evaluation_of(designated_centers[1]).status == EvaluationStatus.PENDING
