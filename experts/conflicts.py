"""Hard conflicts of interest (回避, 第九条（三）), computed from structured data only.

Never fuzzy: a unit is matched by its 统一社会信用代码 (normalised: full width to half width,
spaces removed, upper case) when both sides have one, otherwise by its exact normalised name
(`normalize_unit_name`). Every source is a hard conflict: nothing, not even a dismissal
(ConflictRuling kind DISMISSED), lifts it.

Sources (ConflictSource):
- EMPLOYER: the expert's employer is the lead or joint unit of the application.
- TIE: a tie the expert declared with the lead or joint unit. Employment and consulting count
  while ongoing (`ended_on` empty) or when they ended on or after the day TIE_LOOKBACK_MONTHS
  (36) calendar months before `on` (relativedelta: on 2026-06-15 a tie ended 2023-06-15
  counts, one ended 2023-06-14 does not). A relative or another interest counts until it has
  ended (`ended_on` empty or on/after `on`).
- DECLARED / PREPARED: the expert's own declaration about the application.
- AVOIDANCE: the applicant's 回避申请 accepted by the commission (AvoidanceRuling accepted).
- PINNED: the commission pinned the conflict (ConflictRuling kind PINNED).
- RECUSED: the expert recused themselves from the application in a round (an Assignment of
  the pair in status RECUSED; rounds are of the application's call).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta
from django.db.models import Q

from accounts.validators import normalize_uscc
from applications.enums import UnitRole
from applications.models import ApplicationUnit

from .enums import (
    DATED_TIE_KINDS,
    TIE_LOOKBACK_MONTHS,
    AssignmentStatus,
    AvoidanceStatus,
    ConflictRulingKind,
    ConflictSource,
)
from .models import (
    Assignment,
    AvoidanceRuling,
    ConflictRuling,
    Expert,
    ExpertDeclaration,
    ExpertTie,
    normalize_unit_name,
)

Pair = tuple[int, int]  # (expert id, application id)

_ORDER = {source: i for i, source in enumerate(ConflictSource.values)}


def tie_lookback_start(on: datetime.date) -> datetime.date:
    """The first end date of an employment or consulting tie that still counts on `on`."""
    return on - relativedelta(months=TIE_LOOKBACK_MONTHS)


def _ids(objects) -> list[int]:
    return sorted({getattr(o, "pk", o) for o in objects})


def _same_unit(uscc_a: str, key_a: str, uscc_b: str, key_b: str) -> bool:
    """USCC against USCC when both are known, else exact normalised name (never empty)."""
    if uscc_a and uscc_b:
        return uscc_a == uscc_b
    return bool(key_a) and key_a == key_b


def hard_conflicts(*, applications: Iterable, experts: Iterable,
                   on: datetime.date) -> dict[Pair, list[ConflictSource]]:
    """Every hard conflict among `experts` × `applications` (objects or primary keys) on the
    day `on`: `{(expert_id, application_id): [ConflictSource, …]}`, sources in the order of
    ConflictSource, pairs without a conflict absent. Seven queries whatever the sizes (none
    when either side is empty)."""
    app_ids, expert_ids = _ids(applications), _ids(experts)
    if not app_ids or not expert_ids:
        return {}
    found: dict[Pair, set] = defaultdict(set)

    units = defaultdict(list)  # application id -> [(uscc, name key)]
    for row in ApplicationUnit.objects.filter(
            application_id__in=app_ids, role__in=(UnitRole.LEAD, UnitRole.JOINT)).values(
            "application_id", "uscc", "name"):
        uscc, key = normalize_uscc(row["uscc"]), normalize_unit_name(row["name"])
        if uscc or key:
            units[row["application_id"]].append((uscc, key))
    usccs = {u for rows in units.values() for u, _ in rows if u}
    keys = {k for rows in units.values() for _, k in rows if k}

    for row in Expert.objects.filter(pk__in=expert_ids).values("pk", "employer_uscc",
                                                              "employer_name"):
        uscc = normalize_uscc(row["employer_uscc"])
        key = normalize_unit_name(row["employer_name"])
        for app_id, rows in units.items():
            if any(_same_unit(uscc, key, u, k) for u, k in rows):
                found[(row["pk"], app_id)].add(ConflictSource.EMPLOYER)

    if usccs or keys:
        lookback = tie_lookback_start(on)
        ties = ExpertTie.objects.filter(expert_id__in=expert_ids).filter(
            Q(unit_uscc__in=usccs) | Q(unit_key__in=keys)).values(
            "expert_id", "kind", "unit_uscc", "unit_name", "ended_on")
        for tie in ties:
            ended = tie["ended_on"]
            if tie["kind"] in DATED_TIE_KINDS:
                counts = ended is None or ended >= lookback
            else:
                counts = ended is None or ended >= on
            if not counts:
                continue
            uscc = normalize_uscc(tie["unit_uscc"])
            key = normalize_unit_name(tie["unit_name"])
            for app_id, rows in units.items():
                if any(_same_unit(uscc, key, u, k) for u, k in rows):
                    found[(tie["expert_id"], app_id)].add(ConflictSource.TIE)

    declared = {ExpertDeclaration.Kind.CONFLICT: ConflictSource.DECLARED,
                ExpertDeclaration.Kind.PREPARED: ConflictSource.PREPARED}
    for expert_id, app_id, kind in ExpertDeclaration.objects.filter(
            expert_id__in=expert_ids, application_id__in=app_ids).values_list(
            "expert_id", "application_id", "kind"):
        if kind in declared:
            found[(expert_id, app_id)].add(declared[kind])

    for expert_id, app_id in AvoidanceRuling.objects.filter(
            status=AvoidanceStatus.ACCEPTED, expert_id__in=expert_ids,
            request__application_id__in=app_ids).values_list("expert_id",
                                                             "request__application_id"):
        found[(expert_id, app_id)].add(ConflictSource.AVOIDANCE)

    # A DISMISSED ruling is deliberately not read: it never lifts a hard conflict.
    for expert_id, app_id in ConflictRuling.objects.filter(
            kind=ConflictRulingKind.PINNED, expert_id__in=expert_ids,
            application_id__in=app_ids).values_list("expert_id", "application_id"):
        found[(expert_id, app_id)].add(ConflictSource.PINNED)

    for expert_id, app_id in Assignment.objects.filter(
            status=AssignmentStatus.RECUSED, expert_id__in=expert_ids,
            application_id__in=app_ids).values_list("expert_id", "application_id"):
        found[(expert_id, app_id)].add(ConflictSource.RECUSED)

    return {pair: sorted(sources, key=_ORDER.__getitem__) for pair, sources in found.items()}


def conflicts_of(*, expert, application, on: datetime.date) -> list[ConflictSource]:
    """The hard conflicts of one expert with one application on `on` (empty: none)."""
    pair = (getattr(expert, "pk", expert), getattr(application, "pk", application))
    return hard_conflicts(applications=[pair[1]], experts=[pair[0]], on=on).get(pair, [])


def conflict_labels(sources: Iterable[ConflictSource]) -> str:
    """The sources in Chinese, joined with 、."""
    return "、".join(ConflictSource(s).label for s in sources)
