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


# --- cycles, grades and 通报 (第十七条) ---

MATERIALS_DUE = datetime.datetime(2027, 3, 31, 17, 0, tzinfo=datetime.timezone(
    datetime.timedelta(hours=8)))
DISTRICT_DUE = datetime.datetime(2027, 4, 30, 17, 0, tzinfo=datetime.timezone(
    datetime.timedelta(hours=8)))


@pytest.fixture
def draft_cycle(designated_centers, indicator_table, commission_staff, third_party_agency,
                industry_authority):
    """The 2027 cycle (data window 2026) set up by `cycles.cycle_create`, not yet opened:
    materials due 2027-03-31 17:00, the 主管部门's review 2027-04-30 17:00 (Beijing)."""
    from evaluations import cycles

    return cycles.cycle_create(actor=commission_staff, year=2027, table=indicator_table,
                               materials_due=MATERIALS_DUE, district_due=DISTRICT_DUE,
                               agency=third_party_agency,
                               invited_authorities=[industry_authority])


@pytest.fixture
def scoring_cycle(draft_cycle, commission_staff):
    """`draft_cycle` opened, every center's materials submitted and forwarded, and handed to
    scoring after the 主管部门's deadline: grades may be computed and confirmed."""
    from evaluations import cycles
    from evaluations.enums import EvaluationStatus

    cycle = cycles.cycle_open(cycle=draft_cycle, actor=commission_staff,
                              now=MATERIALS_DUE - datetime.timedelta(days=60))
    cycle.evaluations.update(status=EvaluationStatus.FORWARDED,
                             submitted_at=MATERIALS_DUE - datetime.timedelta(days=1))
    return cycles.cycle_start_scoring(cycle=cycle, actor=commission_staff,
                                      now=DISTRICT_DUE + datetime.timedelta(seconds=1))


# --- B: the center's materials and the 主管部门's 初审 ---

@pytest.fixture
def unit_user_of():
    """`unit_user_of(center)`: the first active user of the center's unit."""
    from applications.services import organisation_members

    def get(center):
        return organisation_members(center.application.organisation_id)[0]
    return get


def fill_materials(evaluation, actor, *, value=None, report="本年度运行情况良好，完成各项目标。"):
    """Saves a complete self-evaluation (each indicator scored at `value` or 80% of its points)
    through the service; returns the evaluation."""
    from decimal import Decimal

    from evaluations import materials
    from evaluations.models import Indicator

    scores = {i.pk: {"value": value if value is not None else i.weight * Decimal("0.8"),
                     "note": f"{i.name}自评说明"}
              for i in Indicator.objects.filter(table_id=evaluation.cycle.table_id)}
    return materials.materials_save(evaluation=evaluation, actor=actor, report=report,
                                    scores=scores)


@pytest.fixture
def submitted_evaluation(designated_centers, evaluation_of, unit_user_of, official_laoshan):
    """The first designated center's materials filled and submitted to its 主管部门 (崂山区,
    `official_laoshan`)."""
    from evaluations import materials

    center = designated_centers[0]
    evaluation = evaluation_of(center)
    user = unit_user_of(center)
    fill_materials(evaluation, user)
    return materials.materials_submit(evaluation=evaluation, actor=user)
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
