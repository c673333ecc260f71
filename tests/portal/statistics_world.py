"""Known data for the statistics tests (第十五条): `build_world(n, commission)` makes one closed
call with `n` submitted applications over 崂山区 and 即墨区 and two fields, each a quarter
stopped at one stage of the designation path, the designated ones made centers with targets,
service records and served enterprises, and returns the plan it followed so the tests compute
the expected figures from it, not from the code under test."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from applications.models import IndustryField
from centers.models import Center, PublicNotice, ServedEnterprise, ServiceRecord
from centers.targets import targets_initial
from experts.models import ProposedList, ProposedListEntry, ReviewRound
from tests.factories import ApplicationFactory, CallFactory, department, make_uscc

# Each application's stage, in turn: only submitted, recommended, left off the proposed list,
# designated.
STAGES = ("submitted", "recommended", "not_proposed", "designated")
STATUS_OF_STAGE = {"submitted": "submitted", "recommended": "recommended",
                   "not_proposed": "not_proposed", "designated": "proposed"}


@dataclass
class Planned:
    district: str
    field: str
    stage: str
    designated_on: datetime.date | None = None
    revoked: bool = False


@dataclass
class World:
    call: object
    planned: list[Planned] = field(default_factory=list)
    centers: list = field(default_factory=list)
    enterprises: set = field(default_factory=set)


def build_world(n: int, commission, *, records: bool = True) -> World:
    """`n` applications (and about n/4 centers); `records`: service records on each center."""
    districts = [department("崂山区"), department("即墨区")]
    fields = [IndustryField.objects.get(name="人工智能"), IndustryField.objects.get(name="智能家电")]
    call = CallFactory(closed=True, materials=False, industry_fields=["人工智能", "智能家电"])
    round_ = ReviewRound.objects.create(
        call=call, title="材料评审", created_by=commission,
        deadline=timezone.now() - datetime.timedelta(days=60))
    proposed = ProposedList.objects.create(call=call, round=round_, status="frozen")
    notice = PublicNotice.objects.create(
        call=call, proposed_list=proposed, title="拟评定名单公示", basis="依据", steps_completed="程序",
        starts_on=datetime.date(2025, 3, 1), ends_on=datetime.date(2025, 3, 7),
        objection_channel="渠道", contact="联系人", issuer="发布单位",
        issued_on=datetime.date(2025, 3, 1), status="finalised", created_by=commission)
    world = World(call=call)
    position = 0
    for i in range(n):
        district, field_ = districts[i % 2], fields[(i // 2) % 2]
        stage = STAGES[i % 4] if n > 1 else "designated"
        application = ApplicationFactory(
            call=call, submitted=True, attachments=False, status=STATUS_OF_STAGE[stage],
            routed_department=district, industry_field=field_)
        plan = Planned(district=district.short_name, field=field_.name, stage=stage)
        world.planned.append(plan)
        if stage != "designated":
            continue
        position += 1
        ProposedListEntry.objects.create(proposed_list=proposed, application=application,
                                         position=position)
        plan.designated_on = datetime.date(2025 + position % 2, 3, 10)
        plan.revoked = position % 3 == 0
        center = Center.objects.create(
            application=application, notice=notice, name=f"测试赋能中心{position:03d}",
            lead_unit_name="测试单位", designated_on=plan.designated_on, department=district,
            industry_field=field_, status="revoked" if plan.revoked else "active",
            goal_key_technologies=4, goal_scenarios=6, goal_solutions=None, goal_patents=2)
        targets_initial(center)
        world.centers.append(center)
        if records:
            _records(world, center, position, application.created_by)
    # Never submitted: no stage counts it.
    ApplicationFactory(call=call, attachments=False, industry_field=fields[0])
    return world


def _records(world, center, position, user):
    on = center.designated_on + datetime.timedelta(days=30)
    diagnosis = ServiceRecord.objects.create(
        center=center, kind="diagnosis", occurred_on=on, title="诊断", created_by=user)
    # One enterprise every center served (counted once), one of its own.
    for n in (1, 1000 + position):
        uscc = make_uscc(n)
        ServedEnterprise.objects.create(record=diagnosis, name=f"企业{n}", uscc=uscc)
        world.enterprises.add((on.year, uscc))
    ServiceRecord.objects.create(center=center, kind="training", occurred_on=on, title="培训",
                                 participants=10 * position, created_by=user)
    ServiceRecord.objects.create(center=center, kind="project", occurred_on=on, title="项目",
                                 created_by=user)
    for _ in range(position % 3 + 1):
        ServiceRecord.objects.create(center=center, kind="key_technology", occurred_on=on,
                                     title="关键技术", created_by=user)
    ServiceRecord.objects.create(center=center, kind="patent", occurred_on=on, title="专利",
                                 patent_number="", created_by=user)
