"""Demo data of the change reports (第十三条): on the first demo center, an equity change whose
licence changed long ago, left unforwarded by the 主管部门 and marked overdue by the sweep; on
the second (or the first when alone), a content change forwarded to the commission and
waiting for its decision. Idempotent: a center that has the demo report keeps it."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.enums import Role
from accounts.selectors import role_users
from applications.services import organisation_members

from . import changes
from .enums import ChangeKind, EntityChange
from .models import Center, ChangeReport

OVERDUE_SUMMARY = "依托法人实体股东变更：原股东青岛某科技集团将所持40%股权转让给青岛市某产业投资基金。"
FORWARDED_SUMMARY = "赋能中心服务方向由装备制造调整为智能家电，服务内容和建设目标相应调整。"
# A licence change this long ago is past its 30 working days whatever today is.
OVERDUE_LICENCE_DAYS_AGO = 90
EVIDENCE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _actors(center: Center):
    members = organisation_members(center.application.organisation_id)
    officials = role_users((Role.DISTRICT_OFFICIAL, center.department_id)) \
        if center.department_id else []
    return (members[0] if members else None), (officials[0] if officials else None)


def seed_changes(centers: list[Center], users=None) -> list[ChangeReport]:
    """The two demo change reports on `centers` (the designated demo centers); `users` is not
    needed (each center's unit member and 主管部门 official act) and is accepted for the common
    demo signature. Returns the reports made or found; a center without a member or official
    gets none."""
    centers = [c for c in centers if c is not None]
    if not centers:
        return []
    made = []
    first, second = centers[0], centers[-1]
    member, official = _actors(first)
    report = ChangeReport.objects.filter(center=first, summary=OVERDUE_SUMMARY).first()
    if report is None and member is not None:
        licence = timezone.localdate() - datetime.timedelta(days=OVERDUE_LICENCE_DAYS_AGO)
        report = changes.change_report_create(
            center=first, actor=member, kind=ChangeKind.ENTITY,
            entity_change=EntityChange.EQUITY, licence_changed_on=licence,
            summary=OVERDUE_SUMMARY, submit=True,
            files=[SimpleUploadedFile("股权变更登记通知书.pdf", EVIDENCE,
                                      content_type="application/pdf")])
        changes.change_report_deadlines(timezone.now())
        report.refresh_from_db()
    if report is not None:
        made.append(report)

    member, official = _actors(second)
    report = ChangeReport.objects.filter(center=second, summary=FORWARDED_SUMMARY).first()
    if report is None and member is not None and official is not None:
        report = changes.change_report_create(
            center=second, actor=member, kind=ChangeKind.CONTENT, summary=FORWARDED_SUMMARY,
            new_content="面向智能家电企业开展数字化诊断、解决方案和转型培训。",
            new_scenarios=8, new_solutions=4,
            new_targets_from=timezone.localdate() + datetime.timedelta(days=30), submit=True)
        report = changes.change_report_forward(
            report=report, actor=official, opinion="经核实，调整后的服务内容符合本区产业方向，同意报送。")
    if report is not None:
        made.append(report)
    return made
