"""The change-report demo: one entity change overdue, one content change forwarded; twice
gives the same."""

import pytest

from accounts.enums import Role
from centers.demo_changes import seed_changes
from centers.enums import ChangeKind, ChangeReportStatus
from centers.models import ChangeReport
from tests.factories import staff

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_overdue_and_a_forwarded_report(designated_centers):
    for center in designated_centers:
        staff(Role.DISTRICT_OFFICIAL, center.department)
    first = seed_changes(designated_centers)
    assert len(first) == 2
    overdue, forwarded = first
    assert overdue.kind == ChangeKind.ENTITY and overdue.overdue_at is not None
    assert overdue.status == ChangeReportStatus.SUBMITTED
    assert forwarded.status == ChangeReportStatus.FORWARDED
    assert seed_changes(designated_centers) == first
    assert ChangeReport.objects.count() == 2
