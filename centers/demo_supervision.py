"""Demo data of the supervision (第十一条) and the data duties (第十四条): two half-year
periods, one with the first center's 主管部门 report submitted and an earlier one whose
report is overdue (marked as the sweep marks it), and a data-security record for the first
center. Idempotent: a second run changes nothing."""

import datetime

from django.db import transaction
from django.utils import timezone

from .enums import OperationRating, OperationReportStatus
from .models import DataSecurityRecord, OperationAssessment, OperationReport, SupervisionPeriod
from .supervision import half_year_of


def _period(day: datetime.date, actor) -> SupervisionPeriod:
    starts_on, ends_on, name = half_year_of(day)
    period, _ = SupervisionPeriod.objects.get_or_create(
        starts_on=starts_on, ends_on=ends_on,
        defaults={"name": name, "due_on": ends_on + datetime.timedelta(days=15),
                  "created_by": actor})
    return period


def seed_supervision(centers: list, *, commission_user, district_user) -> dict:
    """For the designated demo `centers` (the first one with a 主管部门 is used) and the demo
    commission and district users: {"submitted": report, "overdue": report, "record": record},
    or {} when no center has a 主管部门. `district_user` signs the submitted report."""
    center = next((c for c in centers if c.department_id), None)
    if center is None:
        return {}
    today = timezone.localdate()
    last_half_end = half_year_of(today)[0] - datetime.timedelta(days=1)
    with transaction.atomic():
        recent = _period(last_half_end, commission_user)
        earlier = _period(half_year_of(last_half_end)[0] - datetime.timedelta(days=1),
                          commission_user)
        submitted, created = OperationReport.objects.get_or_create(
            period=recent, department_id=center.department_id,
            defaults={"summary": "本部门所属赋能中心运行总体平稳，按建设方案开展诊断和培训服务。",
                      "status": OperationReportStatus.SUBMITTED, "submitted_by": district_user,
                      "submitted_at": timezone.now()})
        if created:
            OperationAssessment.objects.bulk_create(
                OperationAssessment(report=submitted, center=c, rating=OperationRating.GOOD,
                                    opinion="服务企业数量和培训场次达到进度要求。")
                for c in centers if c.department_id == center.department_id)
        overdue, _ = OperationReport.objects.get_or_create(
            period=earlier, department_id=center.department_id,
            defaults={"overdue_at": timezone.now()})
        record, _ = DataSecurityRecord.objects.get_or_create(
            center=center, defaults={
                "responsible_person": "李强", "responsible_title": "信息安全主管",
                "responsible_phone": "13953200001",
                "shared_data": "服务企业名录（季度）、数字化诊断报告摘要（按需）"})
    return {"submitted": submitted, "overdue": overdue, "record": record}
