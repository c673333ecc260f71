"""Evaluation cycles and the indicator table (第十七条): a cycle is set up with its window,
deadlines, agency and table; opening it freezes the table (any change is refused, a new version
instead) and makes exactly one evaluation per center in scope."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from centers.enums import CenterStatus
from centers.models import Center
from core.models import AuditEvent, Notification
from evaluations import cycles, indicators
from evaluations.enums import CycleStatus, EvaluationStatus, HardRule
from evaluations.errors import EvaluationError
from evaluations.models import Evaluation, IndicatorTable

from .conftest import DISTRICT_DUE, MATERIALS_DUE

pytestmark = pytest.mark.django_db
BEFORE = MATERIALS_DUE - datetime.timedelta(days=60)


def test_a_cycle_defaults_to_the_previous_calendar_year(draft_cycle):
    assert (draft_cycle.window_start, draft_cycle.window_end) == (
        datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert draft_cycle.status == CycleStatus.DRAFT and draft_cycle.title
    assert draft_cycle.invited_authorities.count() == 1
    assert AuditEvent.objects.filter(action="evaluation_cycle.create").exists()


def test_a_cycle_is_set_up_by_the_commission_only_and_sensibly(
        indicator_table, commission_staff, official_laoshan, third_party_agency, laoshan):
    args = dict(year=2027, table=indicator_table, materials_due=MATERIALS_DUE,
                district_due=DISTRICT_DUE)
    with pytest.raises(PermissionDenied):
        cycles.cycle_create(actor=official_laoshan, **args)
    with pytest.raises(EvaluationError, match="须晚于"):
        cycles.cycle_create(actor=commission_staff, **args | {"district_due": MATERIALS_DUE})
    with pytest.raises(EvaluationError, match="数据期结束之后"):
        cycles.cycle_create(actor=commission_staff, **args | {
            "materials_due": datetime.datetime(2026, 12, 31, 12, 0, tzinfo=datetime.UTC)})
    with pytest.raises(EvaluationError, match="第三方机构"):
        cycles.cycle_create(actor=commission_staff, agency=laoshan, **args)
    cycles.cycle_create(actor=commission_staff, agency=third_party_agency, **args)
    with pytest.raises(EvaluationError, match="已设立"):
        cycles.cycle_create(actor=commission_staff, **args)


def test_open_creates_exactly_the_evaluations_in_scope(draft_cycle, designated_centers,
                                                       commission_staff):
    inside, revoked = designated_centers
    late = Center.objects.create(
        application=_another_application(inside), notice=inside.notice, name="后认定中心",
        lead_unit_name="某单位", designated_on=datetime.date(2027, 1, 1))
    Center.objects.filter(pk=inside.pk).update(designated_on=datetime.date(2026, 12, 31))
    Center.objects.filter(pk=revoked.pk).update(status=CenterStatus.REVOKED,
                                                revoked_on=datetime.date(2026, 10, 1))
    opened = cycles.cycle_open(cycle=draft_cycle, actor=commission_staff, now=BEFORE)
    assert opened.status == CycleStatus.OPEN and opened.opened_at == BEFORE
    evaluations = list(Evaluation.objects.filter(cycle=opened))
    assert [e.center_id for e in evaluations] == [inside.pk]
    assert evaluations[0].department_id == inside.department_id
    assert evaluations[0].status == EvaluationStatus.PENDING
    assert late.pk not in [e.center_id for e in evaluations]
    opened.table.refresh_from_db()
    assert opened.table.frozen_at == BEFORE
    told = Notification.objects.filter(purpose="evaluation_cycle_opened")
    assert told.exists() and inside.name in told.first().body
    with pytest.raises(EvaluationError):
        cycles.cycle_open(cycle=opened, actor=commission_staff, now=BEFORE)
    assert Evaluation.objects.filter(cycle=opened).count() == 1


def _another_application(center):
    from tests.experts.conftest import expert_review_application

    return expert_review_application(center.application.call)


def test_open_is_allowed_until_the_materials_deadline(draft_cycle, commission_staff):
    with pytest.raises(EvaluationError, match="截止时间已过"):
        cycles.cycle_open(cycle=draft_cycle, actor=commission_staff, now=MATERIALS_DUE)
    cycles.cycle_open(cycle=draft_cycle, actor=commission_staff,
                      now=MATERIALS_DUE - datetime.timedelta(seconds=1))


def test_scoring_starts_after_the_district_deadline(draft_cycle, commission_staff):
    opened = cycles.cycle_open(cycle=draft_cycle, actor=commission_staff, now=BEFORE)
    with pytest.raises(EvaluationError, match="初审截止时间未到"):
        cycles.cycle_start_scoring(cycle=opened, actor=commission_staff, now=DISTRICT_DUE)
    started = cycles.cycle_start_scoring(cycle=opened, actor=commission_staff,
                                         now=DISTRICT_DUE + datetime.timedelta(seconds=1))
    assert started.status == CycleStatus.SCORING


def test_scoring_may_start_early_once_everything_is_forwarded(draft_cycle, commission_staff):
    opened = cycles.cycle_open(cycle=draft_cycle, actor=commission_staff, now=BEFORE)
    opened.evaluations.update(status=EvaluationStatus.FORWARDED)
    assert cycles.cycle_start_scoring(cycle=opened, actor=commission_staff,
                                      now=BEFORE).status == CycleStatus.SCORING


# --- the indicator table --------------------------------------------------------------------------

def test_weights_must_sum_to_100_and_thresholds_be_ordered(indicator_table, commission_staff):
    rows = [{"name": "甲", "weight": Decimal("60")}, {"name": "乙", "weight": Decimal("30")}]
    with pytest.raises(EvaluationError, match="合计须为100分"):
        indicators.indicators_replace(table=indicator_table, actor=commission_staff, rows=rows)
    rows[1]["weight"] = Decimal("40")
    indicators.indicators_replace(table=indicator_table, actor=commission_staff, rows=rows)
    assert list(indicator_table.indicators.values_list("name", flat=True)) == ["甲", "乙"]
    with pytest.raises(EvaluationError, match="合格起点 < 良好起点"):
        indicators.table_settings_save(table=indicator_table, actor=commission_staff,
                                       excellent_from=Decimal("90"), good_from=Decimal("60"),
                                       pass_from=Decimal("75"), hard_rules=[])
    with pytest.raises(EvaluationError, match="选择"):
        indicators.table_settings_save(table=indicator_table, actor=commission_staff,
                                       excellent_from=Decimal("90"), good_from=Decimal("75"),
                                       pass_from=Decimal("60"), hard_rules=["late_lunch"])
    saved = indicators.table_settings_save(
        table=indicator_table, actor=commission_staff, excellent_from=Decimal("85"),
        good_from=Decimal("70"), pass_from=Decimal("55"),
        hard_rules=[HardRule.CHANGE_REPORT_OVERDUE])
    assert (saved.excellent_from, saved.hard_rules) == (Decimal("85"),
                                                        ["change_report_overdue"])


@pytest.mark.parametrize("change", ["indicators", "weights", "thresholds", "hard_rules"])
def test_changing_the_table_after_a_cycle_opened_is_refused(draft_cycle, commission_staff,
                                                            change):
    table = draft_cycle.table
    cycles.cycle_open(cycle=draft_cycle, actor=commission_staff, now=BEFORE)
    current = [{"name": i.name, "weight": i.weight} for i in table.indicators.all()]
    with pytest.raises(EvaluationError, match="新版本"):
        if change == "indicators":
            indicators.indicators_replace(table=table, actor=commission_staff,
                                          rows=[{"name": "唯一指标", "weight": Decimal("100")}])
        elif change == "weights":
            current[0]["weight"] += 5
            current[1]["weight"] -= 5
            indicators.indicators_replace(table=table, actor=commission_staff, rows=current)
        else:
            indicators.table_settings_save(
                table=table, actor=commission_staff, excellent_from=Decimal("95"),
                good_from=Decimal("75"), pass_from=Decimal("60"),
                hard_rules=[HardRule.MATERIALS_NOT_SUBMITTED] if change == "hard_rules"
                else table.hard_rules)
    table.refresh_from_db()
    assert table.excellent_from == Decimal("90") and table.indicators.count() == 6
    fresh = indicators.table_new_version(table=table, actor=commission_staff)
    assert fresh.version == table.version + 1 and not fresh.is_frozen
    assert fresh.indicators.count() == 6 and fresh.hard_rules == table.hard_rules
    indicators.table_settings_save(table=fresh, actor=commission_staff,
                                   excellent_from=Decimal("95"), good_from=Decimal("75"),
                                   pass_from=Decimal("60"), hard_rules=[])
    assert IndicatorTable.objects.get(pk=table.pk).excellent_from == Decimal("90")


def test_a_draft_cycle_changes_and_an_opened_one_does_not(draft_cycle, commission_staff):
    later = DISTRICT_DUE + datetime.timedelta(days=5)
    changed = cycles.cycle_update(cycle=draft_cycle, actor=commission_staff, district_due=later,
                                  title="", window_start=None)
    assert changed.district_due == later and changed.title == "2027年度赋能中心运行评估评价"
    assert changed.window_start == datetime.date(2026, 1, 1)
    with pytest.raises(EvaluationError, match="须晚于"):
        cycles.cycle_update(cycle=draft_cycle, actor=commission_staff,
                            district_due=MATERIALS_DUE)
    cycles.cycle_open(cycle=draft_cycle, actor=commission_staff, now=BEFORE)
    with pytest.raises(EvaluationError, match="不能再修改"):
        cycles.cycle_update(cycle=draft_cycle, actor=commission_staff, title="改名")
    assert AuditEvent.objects.filter(action="evaluation_cycle.change").count() == 1
