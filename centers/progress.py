"""Progress of a center against its 建设目标 (五、建设目标（三年内）; 第十二条): each target
promised vs achieved, against the share of the three years elapsed, and the totals of its
services. `progress_figures` is the one selector the progress page and the yearly evaluation
read, so both show the same figures."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from .enums import TARGET_FIELD_OF_KIND, ProjectStatus, ServiceKind
from .models import Center, ServedEnterprise, ServiceRecord
from .targets import targets_in_force

# 五、建设目标: the targets are promised for three years from designation.
TARGET_YEARS = 3


def period_end(designated_on: datetime.date) -> datetime.date:
    """The day three years after designation (29 February → 28 February)."""
    try:
        return designated_on.replace(year=designated_on.year + TARGET_YEARS)
    except ValueError:
        return designated_on.replace(year=designated_on.year + TARGET_YEARS, day=28)


def _percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class TargetFigure:
    """One target: `promised` (None when the application promised nothing), `achieved` (the
    records of `kind` from designation to `until`), `percent` achieved, `expected` (the
    promise × the share of time elapsed) and whether `behind` it."""

    kind: str
    label: str
    field: str
    promised: int | None
    achieved: int
    percent: Decimal | None
    expected: Decimal | None
    behind: bool


@dataclass
class ServiceTotals:
    """The services from designation to `until`: enterprises served (distinct 统一社会信用代码),
    trainings with their participants and hours, 诊断书, 解决方案, industry reports, projects
    (accepted ones) and their amount in 万元."""

    enterprises: int = 0
    trainings: int = 0
    participants: int = 0
    training_hours: Decimal = Decimal("0")
    diagnoses: int = 0
    solutions: int = 0
    reports: int = 0
    projects: int = 0
    projects_accepted: int = 0
    project_amount: Decimal = Decimal("0")


@dataclass
class ProgressFigures:
    center: Center
    since: datetime.date
    until: datetime.date
    ends_on: datetime.date
    elapsed_percent: Decimal
    targets: list[TargetFigure] = field(default_factory=list)
    services: ServiceTotals = field(default_factory=ServiceTotals)


def progress_figures(center: Center, until: datetime.date | None = None, *,
                     services_since: datetime.date | None = None) -> ProgressFigures:
    """The figures of `center` from its designation date to `until` (default today, never
    past the three years): for each target of `targets_in_force(center, until)` promised vs
    achieved against the share of the three years elapsed, and the service totals. Three
    queries whatever the number of records (the targets, the records grouped by kind, the
    distinct enterprises); one more when `services_since` (a yearly evaluation's data window,
    第十七条) counts the service totals from that date instead of designation, the targets
    still counted from designation (they are promised for the three years)."""
    since = center.designated_on
    ends_on = period_end(since)
    until = min(until or datetime.date.today(), ends_on)
    total_days = (ends_on - since).days
    elapsed_days = min(max((until - since).days, 0), total_days)
    share = Decimal(elapsed_days) / Decimal(total_days) if total_days else Decimal(1)
    targets = targets_in_force(center, until if until >= since else since)
    records = ServiceRecord.objects.filter(center=center, occurred_on__gte=since,
                                           occurred_on__lte=until)
    by_kind = {row["kind"]: row for row in records.order_by().values("kind").annotate(
        n=Count("pk"), participants=Sum("participants"), hours=Sum("hours"),
        amount=Sum("amount"),
        accepted=Count("pk", filter=Q(project_status=ProjectStatus.ACCEPTED)))}
    figures = ProgressFigures(center=center, since=since, until=until, ends_on=ends_on,
                              elapsed_percent=_percent(elapsed_days, total_days) or Decimal(0))
    for kind, target_field in TARGET_FIELD_OF_KIND.items():
        promised = getattr(targets, target_field) if targets is not None else None
        achieved = by_kind.get(kind, {}).get("n", 0)
        expected = (Decimal(promised) * share).quantize(Decimal("0.1"), ROUND_HALF_UP) \
            if promised else None
        figures.targets.append(TargetFigure(
            kind=kind, label=ServiceKind(kind).label, field=target_field, promised=promised,
            achieved=achieved, percent=_percent(achieved, promised), expected=expected,
            behind=expected is not None and achieved < expected))

    if services_since is not None and services_since > since:
        records = records.filter(occurred_on__gte=services_since)
        by_kind = {row["kind"]: row for row in records.order_by().values("kind").annotate(
            n=Count("pk"), participants=Sum("participants"), hours=Sum("hours"),
            amount=Sum("amount"),
            accepted=Count("pk", filter=Q(project_status=ProjectStatus.ACCEPTED)))}

    def n(kind):
        return by_kind.get(kind, {}).get("n", 0)

    training = by_kind.get(ServiceKind.TRAINING, {})
    project = by_kind.get(ServiceKind.PROJECT, {})
    figures.services = ServiceTotals(
        enterprises=ServedEnterprise.objects.filter(record__in=records).order_by()
        .values("uscc").distinct().count(),
        trainings=n(ServiceKind.TRAINING), participants=training.get("participants") or 0,
        training_hours=training.get("hours") or Decimal("0"),
        diagnoses=n(ServiceKind.DIAGNOSIS), solutions=n(ServiceKind.SOLUTION),
        reports=n(ServiceKind.INDUSTRY_REPORT), projects=n(ServiceKind.PROJECT),
        projects_accepted=project.get("accepted") or 0,
        project_amount=project.get("amount") or Decimal("0"))
    return figures
