"""A center's unit reads its own grade on its list of yearly evaluations once the results are
published (第十七条), and not before."""

import pytest
from django.urls import reverse

from evaluations import grades

pytestmark = pytest.mark.usefixtures("celery_eager")


def test_the_grade_shows_on_the_centers_list_after_publication_only(
        client, scoring_cycle, commission_staff, unit_user_of):
    evaluations = list(scoring_cycle.evaluations.select_related("center").order_by("pk"))
    for evaluation, grade in zip(evaluations, ("excellent", "good"), strict=False):
        grades.grade_confirm(evaluation=evaluation, actor=commission_staff, grade=grade,
                             note="依材料确认。")
    first = evaluations[0]
    client.force_login(unit_user_of(first.center))
    url = reverse("evaluations:center_evaluations", args=[first.center_id])
    before = client.get(url).content.decode()
    assert "优秀" not in before and "未公布" in before
    grades.cycle_confirm(cycle=scoring_cycle, actor=commission_staff)
    assert "优秀" not in client.get(url).content.decode()
    scoring_cycle.refresh_from_db()
    grades.cycle_publish(cycle=scoring_cycle, actor=commission_staff)
    after = client.get(url).content.decode()
    assert "优秀" in after and "良好" not in after  # its own grade only
