"""The expert review's share of the benchmark data: one 材料评审 round on the world's call
with every application of that call in 专家评审 entered, `EXPERTS` roster experts (the
benchmark `expert` user is the first), `PER_APPLICATION` assignments per application spread
round-robin, and a sheet for every other assignment (alternately draft and submitted).
Idempotent: a second run finds the round and the experts by name and adds what is missing."""

import datetime
from decimal import Decimal

from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application
from experts.enums import AssignmentStatus, MembershipStatus, RoundStatus, SheetStatus
from experts.models import (
    Assignment,
    CommitteeMembership,
    Expert,
    ReviewRound,
    RoundEntry,
    Score,
    ScoreSheet,
)
from experts.rubrics import rubric_install_default

ROUND_TITLE = "基准材料评审"
EXPERT_PREFIX = "基准专家"
EXPERTS = 30
PER_APPLICATION = 5
BATCH = 1000


def seed_expert_review(world, *, call_id: int) -> None:
    """Seeds the round (see the module docstring) and sets `world.review_round`."""
    commission = world.users["commission_staff"]
    round_, _ = ReviewRound.objects.get_or_create(
        call_id=call_id, title=ROUND_TITLE,
        defaults={"deadline": timezone.now() + datetime.timedelta(days=10),
                  "experts_per_application": PER_APPLICATION, "created_by": commission,
                  "status": RoundStatus.OPEN, "opened_at": timezone.now(),
                  "rubric_frozen_at": timezone.now()})
    criteria = rubric_install_default(round_)
    world.review_round = round_.pk
    # 第三条: the benchmark industry authority reads this round.
    round_.invited_authorities.add(*world.users["industry_staff"].role_assignments
                                   .filter(department__isnull=False)
                                   .values_list("department_id", flat=True))

    experts = list(Expert.objects.filter(name__startswith=EXPERT_PREFIX).order_by("name"))
    Expert.objects.bulk_create(
        Expert(name=f"{EXPERT_PREFIX}{k:03d}", employer_name=f"基准专家单位{k:03d}",
               employer_key=f"基准专家单位{k:03d}")
        for k in range(len(experts), EXPERTS))
    experts = list(Expert.objects.filter(name__startswith=EXPERT_PREFIX).order_by("name"))
    # Active members, as on a real roster: the assignments page lists them as eligible.
    members = set(CommitteeMembership.objects.filter(expert__in=experts)
                  .values_list("expert_id", flat=True))
    CommitteeMembership.objects.bulk_create(
        CommitteeMembership(expert=expert, term_start=datetime.date(2025, 1, 1),
                            status=MembershipStatus.ACTIVE)
        for expert in experts if expert.pk not in members)
    Expert.objects.filter(user=world.users["expert"]).exclude(pk=experts[0].pk).update(user=None)
    Expert.objects.filter(pk=experts[0].pk).update(user=world.users["expert"])

    entered = set(round_.entries.values_list("application_id", flat=True))
    applications = list(Application.objects.filter(call_id=call_id,
                                                   status=ApplicationStatus.EXPERT_REVIEW)
                        .order_by("pk").values_list("pk", flat=True))
    RoundEntry.objects.bulk_create(
        (RoundEntry(round=round_, application_id=pk) for pk in applications
         if pk not in entered), batch_size=BATCH)

    have = set(Assignment.objects.filter(round=round_).values_list("application_id", flat=True))
    rows = []
    for i, pk in enumerate(applications):
        if pk in have:
            continue
        for k in range(PER_APPLICATION):
            rows.append(Assignment(round=round_, application_id=pk,
                                   expert=experts[(i * PER_APPLICATION + k) % len(experts)],
                                   status=AssignmentStatus.COMMITTED, assigned_by=commission,
                                   committed_at=timezone.now()))
    Assignment.objects.bulk_create(rows, batch_size=BATCH)

    without_sheet = list(Assignment.objects.filter(round=round_, sheet__isnull=True)
                         .order_by("pk").values_list("pk", flat=True))
    sheets = [ScoreSheet(assignment_id=pk,
                         status=SheetStatus.SUBMITTED if n % 4 == 0 else SheetStatus.DRAFT,
                         submitted_at=timezone.now() if n % 4 == 0 else None,
                         total=Decimal("80.00") if n % 4 == 0 else None)
              for n, pk in enumerate(without_sheet) if n % 2 == 0]
    ScoreSheet.objects.bulk_create(sheets, batch_size=BATCH)
    new_sheets = ScoreSheet.objects.filter(assignment__round=round_, scores__isnull=True)
    Score.objects.bulk_create(
        (Score(sheet=sheet, criterion=c, value=c.max_score * Decimal("0.8"))
         for sheet in new_sheets.only("pk") for c in criteria), batch_size=BATCH)


AVOIDANCE_REQUESTS = 60


def seed_avoidance_requests(world, *, call_id: int) -> None:
    """回避申请 on the first `AVOIDANCE_REQUESTS` applications of the round's call, each naming
    one benchmark expert (so the 回避申请审核 list has more than a page and the 疑似利益冲突 page
    has name matches to show). Idempotent."""
    from applications.models import AvoidanceRequest

    applications = list(Application.objects.filter(call_id=call_id,
                                                   status=ApplicationStatus.EXPERT_REVIEW)
                        .order_by("pk").values_list("pk", flat=True)[:AVOIDANCE_REQUESTS])
    have = set(AvoidanceRequest.objects.filter(application_id__in=applications)
               .values_list("application_id", flat=True))
    AvoidanceRequest.objects.bulk_create(
        AvoidanceRequest(application_id=pk, expert_name=f"{EXPERT_PREFIX}{n % EXPERTS:03d}",
                         expert_employer=f"基准专家单位{n % EXPERTS:03d}",
                         reason="该专家曾参与本单位同类项目的竞争性评审。")
        for n, pk in enumerate(applications) if pk not in have)
