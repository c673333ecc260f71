"""Demo data of the statistics page (第十五条): the other demo seeds leave the chart of the
change reports' timeliness (第十三条) with one overdue report only, so two more 依托法人实体重大
调整 (股权变更) of active 即墨区 centers are reported and forwarded by 即墨区: one within its 30
working days, one after them. Idempotent: a center that has the demo report keeps it."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from centers import changes
from centers.demo_changes import EVIDENCE, _actors
from centers.enums import CenterStatus, ChangeKind, EntityChange
from centers.models import Center, ChangeReport

ON_TIME_SUMMARY = "依托法人实体股权结构调整：引入青岛市某数字经济产业基金，持股15%。"
LATE_SUMMARY = "依托法人实体股东变更：创始股东将所持20%股权转让给本公司员工持股平台。"
# Licence changes this many calendar days before seeding, both with a due date in a year whose
# holiday schedule is known: the on-time one was forwarded ON_TIME_FORWARDED_AFTER days after
# its licence change (its forwarding time set back to then: the demo's history), the late one
# is forwarded at seeding, long past its 30 working days.
ON_TIME_DAYS_AGO = 75
ON_TIME_FORWARDED_AFTER = 12
LATE_DAYS_AGO = 120


def _report(center: Center, summary: str, days_ago: int, opinion: str, *,
            forwarded_after: int | None = None) -> ChangeReport | None:
    report = ChangeReport.objects.filter(center=center, summary=summary).first()
    if report is not None:
        return report
    member, official = _actors(center)
    if member is None or official is None:
        return None
    report = changes.change_report_create(
        center=center, actor=member, kind=ChangeKind.ENTITY, entity_change=EntityChange.EQUITY,
        licence_changed_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        summary=summary, submit=True,
        files=[SimpleUploadedFile("股权变更登记通知书.pdf", EVIDENCE,
                                  content_type="application/pdf")])
    if report.due_on is None:  # a year's holiday schedule missing: nothing to compare with
        return report
    report = changes.change_report_forward(report=report, actor=official, opinion=opinion)
    if forwarded_after is not None:
        day = report.licence_changed_on + datetime.timedelta(days=forwarded_after)
        ChangeReport.objects.filter(pk=report.pk).update(forwarded_at=timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(10, 0))))
        report.refresh_from_db()
    return report


def seed_statistics(centers: list[Center]) -> list[ChangeReport]:
    """Two forwarded equity changes on the active centers of `centers` outside 崂山区 (whose
    two first centers carry seed_changes' reports): on time on the first, late on the second
    (or both on the first when alone). Returns the reports made or found."""
    candidates = [c for c in centers if c is not None and c.status == CenterStatus.ACTIVE
                  and c.department_id is not None and c.department.short_name != "崂山区"]
    if not candidates:
        return []
    made = [_report(candidates[0], ON_TIME_SUMMARY, ON_TIME_DAYS_AGO,
                    "经核实，股权调整不影响赋能中心运营，按期报送。",
                    forwarded_after=ON_TIME_FORWARDED_AFTER),
            _report(candidates[-1], LATE_SUMMARY, LATE_DAYS_AGO,
                    "该股权变更因单位报告迟延，现补充报送。")]
    return [report for report in made if report is not None]
