"""建设目标 in force (五、建设目标, 第十三条): designation copies the promised targets as the
first set; a later set replaces it from its date and the old one stays as history."""

import datetime

import pytest

from centers.models import TargetSet
from centers.targets import target_history, targets_in_force, targets_initial

pytestmark = pytest.mark.django_db


def test_designation_copies_the_promised_targets(designated_centers):
    center = designated_centers[0]
    first = targets_in_force(center)
    assert first.effective_from == center.designated_on
    assert (first.key_technologies, first.scenarios, first.solutions, first.patents) == (
        center.goal_key_technologies, center.goal_scenarios, center.goal_solutions,
        center.goal_patents)
    assert targets_initial(center) == first
    assert center.target_sets.count() == 1


def test_a_later_set_replaces_the_old_from_its_date(designated_centers):
    center = designated_centers[0]
    first = targets_in_force(center)
    later_day = center.designated_on + datetime.timedelta(days=100)
    later = TargetSet.objects.create(center=center, effective_from=later_day,
                                     key_technologies=9, scenarios=9, solutions=9, patents=9)
    assert targets_in_force(center) == later
    assert targets_in_force(center, on=later_day - datetime.timedelta(days=1)) == first
    assert target_history(center) == [later, first]
