"""Helpers of the expert-scoring tests: a forwarded evaluation with its materials, a roster
expert in conflict with a center's unit, a submitted sheet, and a cycle with n centers for the
query-count tests."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from applications.enums import UnitRole
from applications.models import ApplicationUnit
from evaluations.enums import CycleStatus, EvaluationStatus
from evaluations.models import Evaluation, EvaluationCycle, EvaluationFile, SelfScore


def forward(evaluation: Evaluation, share="0.8", *, with_file=True) -> Evaluation:
    """Marks `evaluation` submitted and forwarded, with a report, the year's figures, a
    self-score of `share` × points per indicator and (optionally) one evidence file."""
    indicators = list(evaluation.cycle.table.indicators.order_by("order"))
    SelfScore.objects.bulk_create(
        SelfScore(evaluation=evaluation, indicator=i,
                  value=(i.weight * Decimal(share)).quantize(Decimal("0.01")),
                  note=f"{i.name}自评说明") for i in indicators)
    if with_file:
        evidence = EvaluationFile(evaluation=evaluation, indicator=indicators[0],
                                  original_name="服务合同汇总.pdf", size=20,
                                  uploaded_by_id=evaluation.cycle.created_by_id)
        evidence.file.save("e.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status=EvaluationStatus.FORWARDED, report=f"{evaluation.center.name}年度运行自评估报告正文。",
        figures={"enterprises": 36, "trainings": 5}, submitted_at=timezone.now())
    evaluation.refresh_from_db()
    return evaluation


def lead_uscc(center) -> str:
    """The USCC of the lead unit of the application the center was designated from."""
    unit = ApplicationUnit.objects.filter(application_id=center.application_id,
                                          role=UnitRole.LEAD).first()
    return unit.uscc if unit is not None else ""


def make_cycle(actor, *, year, agency=None, authorities=(), status=CycleStatus.OPEN,
               table=None, agency_id=None) -> EvaluationCycle:
    from evaluations.indicators import table_install_default

    now = timezone.now()
    cycle = EvaluationCycle.objects.create(
        year=year, title=f"{year}年度赋能中心运行评估评价",
        window_start=datetime.date(year - 1, 1, 1), window_end=datetime.date(year - 1, 12, 31),
        table=table or table_install_default(actor=actor),
        materials_due=now + datetime.timedelta(days=10),
        district_due=now + datetime.timedelta(days=20), agency=agency, status=status,
        **({"agency_id": agency_id} if agency_id else {}),
        opened_at=now, created_by=actor)
    cycle.invited_authorities.add(*authorities)
    return cycle


def centers_in(cycle, n: int, notice):
    """`n` new centers of `notice`'s call, each with an evaluation in `cycle`."""
    from centers.models import Center
    from tests.factories import ApplicationFactory

    made = []
    start = Center.objects.count()
    for i in range(n):
        application = ApplicationFactory(call=notice.call, complete=True, status="proposed")
        center = Center.objects.create(
            application=application, notice=notice, name=f"测试赋能中心{start + i + 1:03d}",
            lead_unit_name="测试单位", designated_on=datetime.date(2024, 3, 1))
        made.append(Evaluation.objects.create(cycle=cycle, center=center))
    return made
