"""The 主管部门's review page tells why an act was refused even when the act is no longer
offered: a return or an opinion sent from a page opened before the materials were returned
comes back with the reason in Chinese and the typed text kept."""

import pytest
from django.urls import reverse

from evaluations import district
from evaluations.enums import EvaluationStatus

pytestmark = pytest.mark.usefixtures("celery_eager")


def test_a_second_return_from_an_old_page_says_why_and_keeps_the_text(
        client, submitted_evaluation, official_laoshan):
    district.materials_return(evaluation=submitted_evaluation, actor=official_laoshan,
                              reason="请补充佐证材料。")
    client.force_login(official_laoshan)
    url = reverse("evaluations:district_review", args=[submitted_evaluation.pk])
    response = client.post(url, {"intent": "return", "reason": "第二次退回的理由",
                                 "form_token": "r" * 32})
    assert response.status_code == 200
    page = response.content.decode()
    assert "不能再次退回" in page
    assert "第二次退回的理由" in page
    submitted_evaluation.refresh_from_db()
    assert submitted_evaluation.status == EvaluationStatus.RETURNED


def test_an_opinion_on_returned_materials_says_why_and_keeps_the_text(
        client, submitted_evaluation, official_laoshan):
    district.materials_return(evaluation=submitted_evaluation, actor=official_laoshan,
                              reason="请补充佐证材料。")
    client.force_login(official_laoshan)
    url = reverse("evaluations:district_review", args=[submitted_evaluation.pk])
    response = client.post(url, {"intent": "opinion", "opinion": "迟到的初审意见"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "只能对已报送待初审的评价材料填写初审意见" in page
    assert "迟到的初审意见" in page
