"""The commission's evaluation pages and the public results (第十七条): each list reads a fixed
number of queries with 1 and 30 rows; the cycle's next step and a grade are acted on from the
pages, with the same rules as the services."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from centers.models import Center
from evaluations import grades
from evaluations.enums import CycleStatus, Grade
from evaluations.indicators import table_install_default
from evaluations.models import Bulletin, Evaluation, EvaluationCycle
from tests.factories import ApplicationFactory

from .conftest import DISTRICT_DUE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]
AFTER = DISTRICT_DUE + datetime.timedelta(days=1)


def _centers(notice, n, department):
    made = []
    for _ in range(n):
        application = ApplicationFactory(call=notice.call, complete=True, status="proposed")
        made.append(Center.objects.create(
            application=application, notice=notice, name=f"测试赋能中心{Center.objects.count()}",
            lead_unit_name="测试单位", designated_on=datetime.date(2025, 6, 1),
            department=department))
    return made


def _cycle(year, table, actor, status=CycleStatus.PUBLISHED):
    now = timezone.now()
    return EvaluationCycle.objects.create(
        year=year, title=f"{year}年度赋能中心运行评估评价",
        window_start=datetime.date(year - 1, 1, 1), window_end=datetime.date(year - 1, 12, 31),
        table=table, materials_due=now, district_due=now + datetime.timedelta(days=1),
        status=status, opened_at=now, published_at=now, created_by=actor)


def _grade_all(cycle, centers, actor):
    for i, center in enumerate(centers):
        grade = Grade.values[i % 4]
        evaluation = Evaluation.objects.create(cycle=cycle, center=center,
                                               department_id=center.department_id,
                                               status="forwarded", score=Decimal("70"),
                                               computed_grade=grade, grade=grade)
        if grade == Grade.FAIL:
            Bulletin.objects.create(evaluation=evaluation, reasons="不合格。", issued_by=actor,
                                    number=f"青赋能评通〔{cycle.year}〕{evaluation.pk}号")


@pytest.mark.parametrize("page", ["cycle_list", "cycle_detail", "results_list",
                                  "results_cycle"])
def test_the_lists_read_a_fixed_number_of_queries(designated_centers, commission_staff, laoshan,
                                                  client, django_assert_max_num_queries, page):
    notice = designated_centers[0].notice
    table = table_install_default(actor=commission_staff)
    client.force_login(commission_staff)
    first = _cycle(2020, table, commission_staff)
    _grade_all(first, _centers(notice, 1, laoshan), commission_staff)

    def url():
        return {"cycle_list": reverse("evaluations:cycle_list"),
                "cycle_detail": reverse("evaluations:cycle_detail", args=[first.pk]),
                "results_list": reverse("evaluations:results_list"),
                "results_cycle": reverse("evaluations:results_cycle", args=[2020])}[page]

    client.get(url())
    with django_assert_max_num_queries(20) as one:
        assert client.get(url()).status_code == 200
    if page in ("cycle_list", "results_list"):
        for year in range(2021, 2050):
            _cycle(year, table, commission_staff)
    else:
        _grade_all(first, _centers(notice, 29, laoshan), commission_staff)
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get(url()).content.decode()
    if page in ("cycle_detail", "results_cycle"):
        rows = body.split('id="' + ("evaluation-rows" if page == "cycle_detail"
                                    else "result-rows") + '"')[1]
        assert rows.count("<tr") == 31 and "已通报" in rows
    else:
        assert body.count("年度赋能中心运行评估评价") >= 30


def test_the_overview_runs_the_cycle_step_by_step(draft_cycle, commission_staff, client,
                                                  monkeypatch):
    from evaluations import cycles, scoring

    client.force_login(commission_staff)
    url = reverse("evaluations:cycle_detail", args=[draft_cycle.pk])
    page = client.get(url).content.decode()
    assert "启动评价" in page
    token = re.search(r'id="cycle-next-form".*?name="form_token" value="([^"]+)"', page,
                      re.S).group(1)
    opened = client.post(url, {"intent": "open", "form_token": token}, follow=True)
    assert "评价已启动" in opened.content.decode()
    again = client.post(url, {"intent": "open", "form_token": token}, follow=True)
    assert "未重复处理" in again.content.decode()
    draft_cycle.refresh_from_db()
    assert draft_cycle.status == CycleStatus.OPEN
    refused = client.post(url, {"intent": "start_scoring"}, follow=True).content.decode()
    assert "初审截止时间未到" in refused
    # Every center's materials forwarded: scoring may start before the 主管部门's deadline.
    draft_cycle.evaluations.update(status="forwarded", submitted_at=AFTER)
    client.post(url, {"intent": "start_scoring"})
    draft_cycle.refresh_from_db()
    assert draft_cycle.status == CycleStatus.SCORING
    first, second = draft_cycle.evaluations.order_by("pk")
    monkeypatch.setattr(scoring, "cycle_scores",
                        lambda c: {first.pk: Decimal("80"), second.pk: Decimal("59.99")})
    client.post(url, {"intent": "compute"})
    body = client.get(url, {"grade": "none"}).content.decode()
    assert "良好" in body and "不合格" in body
    grade_url = reverse("evaluations:evaluation_grade", args=[first.pk])
    kept = client.post(grade_url, {"intent": "confirm", "grade": Grade.EXCELLENT,
                                   "note": ""}).content.decode()
    assert "请填写确认说明" in kept
    assert re.search(r'<input[^>]*value="excellent"[^>]*checked', kept)
    client.post(grade_url, {"intent": "confirm", "grade": Grade.EXCELLENT,
                            "note": "复核后认为成效突出。"})
    first.refresh_from_db()
    assert (first.grade, first.grade_note) == (Grade.EXCELLENT, "复核后认为成效突出。")
    grades.grade_confirm(evaluation=second, actor=commission_staff)
    client.post(url, {"intent": "confirm"})
    client.post(reverse("evaluations:evaluation_grade", args=[second.pk]),
                {"intent": "bulletin", "reasons": "得分低于合格线。"})
    assert Bulletin.objects.filter(evaluation=second).exists()
    client.post(url, {"intent": "publish"})
    draft_cycle.refresh_from_db()
    assert draft_cycle.status == CycleStatus.PUBLISHED
    assert cycles  # the services behind the buttons
