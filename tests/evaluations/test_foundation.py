"""The evaluation's foundation: the default table sums to 100 and the fixtures hold."""

from decimal import Decimal

from evaluations.enums import Grade, HardRule
from evaluations.grading import grade_for


def test_default_table_weights_sum_to_100(indicator_table):
    assert sum(i.weight for i in indicator_table.indicators.all()) == Decimal("100")


def test_open_cycle_has_one_evaluation_per_center(open_cycle, designated_centers):
    assert open_cycle.evaluations.count() == len(designated_centers)


def test_hard_rule_forces_fail(indicator_table):
    assert grade_for(Decimal("95"), indicator_table,
                     [HardRule.MATERIALS_NOT_SUBMITTED]) == Grade.FAIL
    assert grade_for(None, indicator_table) == ""
