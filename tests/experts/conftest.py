"""The expert review's fixtures.

- `expert_record`: the `expert` fixture user's roster record (employer 青岛海川咨询有限公司,
  field 智能家电, an active member).
- `review_call`: a closed call with three applications in 专家评审 (`expert_review_apps`).
- `review_round`: a 材料评审 round of that call with the default rubric and the three
  applications entered, three experts per application, trimmed mean, threshold 15.
- `make_expert(name, **fields)`: another roster expert (optionally with a login: `login=True`).
"""

import datetime
import itertools

import pytest
from django.utils import timezone

from accounts.enums import Role
from applications.enums import ApplicationStatus
from applications.models import IndustryField
from experts.enums import MembershipStatus
from experts.models import CommitteeMembership, Expert, ReviewRound, RoundEntry
from experts.rubrics import rubric_install_default
from tests.factories import ApplicationFactory, CallFactory, make_uscc, staff

_serial = itertools.count(1)


def make_expert(name: str = "", *, employer_name: str = "", employer_uscc: str = "",
                fields=("智能家电",), login: bool = False, user=None, **extra) -> Expert:
    """A roster expert, an active committee member since 2025-01-01."""
    n = next(_serial)
    if login and user is None:
        user = staff(Role.EXPERT, username=f"expert_{n}", real_name=name or f"专家{n}")
    expert = Expert.objects.create(
        name=name or f"专家{n}", employer_name=employer_name or f"青岛第{n}研究所",
        employer_uscc=employer_uscc, user=user, **extra)
    expert.fields.set(IndustryField.objects.filter(name__in=fields))
    CommitteeMembership.objects.create(expert=expert, term_start=datetime.date(2025, 1, 1),
                                       term_end=datetime.date(2027, 12, 31),
                                       status=MembershipStatus.ACTIVE)
    return expert


def expert_review_application(call, **kwargs):
    """A complete, submitted application moved on to 专家评审."""
    return ApplicationFactory(call=call, submitted=True, status=ApplicationStatus.EXPERT_REVIEW,
                              **kwargs)


@pytest.fixture
def expert_record(expert):
    return make_expert("赵敏", employer_name="青岛海川咨询有限公司",
                       employer_uscc=make_uscc(900_001), user=expert)


@pytest.fixture
def review_call(db):
    return CallFactory(closed=True)


@pytest.fixture
def expert_review_apps(review_call):
    return [expert_review_application(review_call) for _ in range(3)]


@pytest.fixture
def review_round(review_call, expert_review_apps, commission_staff):
    round_ = ReviewRound.objects.create(
        call=review_call, title="2026年度材料评审", deadline=timezone.now()
        + datetime.timedelta(days=7), experts_per_application=3, created_by=commission_staff)
    rubric_install_default(round_)
    RoundEntry.objects.bulk_create(RoundEntry(round=round_, application=a)
                                   for a in expert_review_apps)
    return round_
