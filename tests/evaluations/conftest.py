"""The evaluation's fixtures: the two `designated_centers` (tests/centers) in an open cycle
`open_cycle` with the default indicator table; `evaluation_of(center)`."""

import datetime

import pytest
from django.utils import timezone

from evaluations.enums import CycleStatus
from evaluations.indicators import table_install_default
from evaluations.models import Evaluation, EvaluationCycle
from tests.centers.conftest import (  # noqa: F401  (fixtures shared with these tests)
    designated_centers,
    frozen_list,
    make_notice,
)
from tests.experts.conftest import (  # noqa: F401
    expert_review_apps,
    review_call,
    review_round,
)


@pytest.fixture
def indicator_table(commission_staff):
    return table_install_default(actor=commission_staff)


@pytest.fixture
def open_cycle(designated_centers, indicator_table, commission_staff, third_party_agency,
               industry_authority):
    """The 2026 cycle, open, its materials due in ten days and the 主管部门's review in twenty,
    with one Evaluation per designated center (department = the center's 主管部门)."""
    now = timezone.now()
    cycle = EvaluationCycle.objects.create(
        year=2026, title="2026年度赋能中心运行评估评价",
        window_start=datetime.date(2025, 1, 1), window_end=datetime.date(2025, 12, 31),
        table=indicator_table, materials_due=now + datetime.timedelta(days=10),
        district_due=now + datetime.timedelta(days=20), agency=third_party_agency,
        status=CycleStatus.OPEN, opened_at=now, created_by=commission_staff)
    cycle.invited_authorities.add(industry_authority)
    indicator_table.frozen_at = now
    indicator_table.save(update_fields=["frozen_at"])
    Evaluation.objects.bulk_create(
        Evaluation(cycle=cycle, center=c, department_id=c.department_id)
        for c in designated_centers)
    return cycle


@pytest.fixture
def evaluation_of(open_cycle):
    def get(center):
        return Evaluation.objects.get(cycle=open_cycle, center=center)
    return get


# --- C: expert scoring and the invited authorities' opinions --------------------------------
from tests.experts.conftest import expert_record  # noqa: E402,F401

@pytest.fixture
def forwarded(open_cycle, designated_centers):
    """Both evaluations of `open_cycle` submitted and forwarded by their 主管部门 (set directly:
    the materials services are tested on their own), each with a report, a figure and a
    self-score of 80% of every indicator's points. Returns the evaluations by center order."""
    from tests.evaluations.scoring_helpers import forward

    return [forward(Evaluation.objects.get(cycle=open_cycle, center=c))
            for c in designated_centers]


@pytest.fixture
def scoring_round(forwarded, open_cycle, commission_staff):
    """The cycle's expert round made by the real service (准备中, both centers entered)."""
    from evaluations import scoring

    return scoring.round_for_cycle(cycle=open_cycle, actor=commission_staff)
