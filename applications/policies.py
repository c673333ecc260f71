"""政策文件 and their validity (第二十条): the public page groups the policy documents into
现行有效, 即将施行 and 已失效 by the day, each with the published calls that run under it.

Two queries at any number of documents or calls (the documents, then their calls)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch

from .enums import CallStatus
from .models import Call, PolicyDocument

# A public page: the list is bounded (policy versions are few; a long history is cut here).
MAX_POLICIES = 200
CALL_FIELDS = ("pk", "title", "year", "opens_at", "closes_at", "status", "policy_id")


@dataclass
class PolicyGroups:
    """The documents of the policy page, each with `.listed_calls` (published calls, newest
    first): `current` (in force on the day), `upcoming` (施行日期 after it), `expired`
    (有效期至 before it)."""

    current: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)
    expired: list = field(default_factory=list)


def policy_validity(policy: PolicyDocument, day: datetime.date) -> str:
    """"current", "upcoming" or "expired" of `policy` on `day` (第二十条: from 施行日期 to 有效期至
    inclusive; no 有效期至 means in force until replaced)."""
    if day < policy.effective_from:
        return "upcoming"
    if policy.effective_until is not None and policy.effective_until < day:
        return "expired"
    return "current"


def policies_by_validity(day: datetime.date) -> PolicyGroups:
    """Every policy document (at most MAX_POLICIES) grouped by its validity on `day` (a local
    date): current ones newest first, upcoming ones soonest first, expired ones most recently
    expired first. Each carries `listed_calls`: its published or closed calls (never a draft).
    Two queries."""
    calls = Prefetch("calls", to_attr="listed_calls", queryset=(
        Call.objects.filter(status__in=[CallStatus.PUBLISHED, CallStatus.CLOSED])
        .only(*CALL_FIELDS).order_by("-opens_at", "-pk")))
    documents = (PolicyDocument.objects.prefetch_related(calls)
                 .order_by("-effective_from", "-pk")[:MAX_POLICIES])
    groups = PolicyGroups()
    for policy in documents:
        getattr(groups, policy_validity(policy, day)).append(policy)
    groups.upcoming.sort(key=lambda p: (p.effective_from, p.pk))
    groups.expired.sort(key=lambda p: (p.effective_until, p.effective_from), reverse=True)
    return groups
