"""The designated centers' share of the benchmark data: one center of the benchmark
applicant's unit (designated on a finalised notice of the closed call) with `RECORDS` service
records of every kind, each serving two enterprises. Idempotent: a second run finds the
center by its application and adds only the records that are missing."""

import datetime
from decimal import Decimal

from django.utils import timezone

from applications.models import Application
from centers.enums import NoticeStatus, ProjectStatus, ServiceKind
from centers.models import Center, PublicNotice, ServedEnterprise, ServiceRecord
from centers.targets import targets_initial
from experts.enums import ProposedListStatus
from experts.models import ProposedList, ReviewRound

RECORDS = 600
BATCH = 1000
KINDS = list(ServiceKind.values)


def seed_center_records(world, *, call_id: int, uscc) -> None:
    """Seeds the center (see the module docstring) and sets `world.center`; `uscc(serial)`
    gives a valid 统一社会信用代码 for the served enterprises."""
    commission = world.users["commission_staff"]
    applicant = world.users["applicant"]
    application = Application.objects.filter(created_by=applicant).order_by("pk").first()
    center = Center.objects.filter(application=application).first()
    if center is None:
        round_, _ = ReviewRound.objects.get_or_create(
            call_id=call_id, title="基准认定评审",
            defaults={"deadline": timezone.now(), "created_by": commission})
        proposed, _ = ProposedList.objects.get_or_create(
            call_id=call_id, defaults={"round": round_, "status": ProposedListStatus.FROZEN})
        notice, _ = PublicNotice.objects.get_or_create(
            proposed_list=proposed, defaults=dict(
                call_id=call_id, title="基准拟认定名单公示", basis="依据", steps_completed="程序",
                starts_on=datetime.date(2025, 6, 2), ends_on=datetime.date(2025, 6, 6),
                objection_channel="书面", contact="联系人", issuer="市发展改革委",
                issued_on=datetime.date(2025, 6, 2), status=NoticeStatus.FINALISED,
                created_by=commission))
        center = Center.objects.create(
            application=application, notice=notice, name=application.center_name,
            lead_unit_name=application.organisation.name,
            lead_unit_uscc=application.organisation.uscc,
            department_id=application.organisation.competent_department_id,
            designated_on=datetime.date(2025, 7, 1), goal_key_technologies=5,
            goal_scenarios=10, goal_solutions=6, goal_patents=8)
        targets_initial(center)
    world.center = center.pk
    have = ServiceRecord.objects.filter(center=center).count()
    start = datetime.date(2025, 7, 1)
    records = []
    for k in range(have, RECORDS):
        kind = KINDS[k % len(KINDS)]
        occurred_on = start + datetime.timedelta(days=k % 300)
        records.append(ServiceRecord(
            center=center, kind=kind, occurred_on=occurred_on, year=occurred_on.year,
            title=f"基准服务记录{k}", created_by=applicant,
            hours=Decimal("4") if kind == ServiceKind.TRAINING else None,
            participants=50 if kind == ServiceKind.TRAINING else None,
            provided_to="市发展改革委" if kind == ServiceKind.INDUSTRY_REPORT else "",
            amount=Decimal("35.5") if kind == ServiceKind.PROJECT else None,
            project_status=ProjectStatus.UNDER_WAY if kind == ServiceKind.PROJECT else ""))
    ServiceRecord.objects.bulk_create(records, batch_size=BATCH)
    ServedEnterprise.objects.bulk_create(
        [ServedEnterprise(record=record, name=f"基准服务企业{(record.pk + j) % 200}",
                          uscc=uscc(830_000_000 + (record.pk + j) % 200))
         for record in records for j in range(2)], batch_size=BATCH)
