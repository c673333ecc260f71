"""The supervision demo: a period with a 主管部门's report submitted, an earlier one overdue,
and a data-security record; a second run changes nothing."""

from centers.demo_supervision import seed_supervision
from centers.models import DataSecurityRecord, OperationReport, SupervisionPeriod


def test_the_supervision_demo_is_idempotent(designated_centers, laoshan, commission_staff,
                                            official_laoshan):
    for center in designated_centers:
        center.department = laoshan
        center.save(update_fields=["department"])
    first = seed_supervision(designated_centers, commission_user=commission_staff,
                             district_user=official_laoshan)
    again = seed_supervision(designated_centers, commission_user=commission_staff,
                             district_user=official_laoshan)
    assert first["submitted"].pk == again["submitted"].pk
    assert first["submitted"].status == "submitted"
    assert first["submitted"].assessments.count() == len(designated_centers)
    assert first["overdue"].overdue_at is not None and first["overdue"].status == "draft"
    assert first["submitted"].period.starts_on > first["overdue"].period.starts_on
    assert (SupervisionPeriod.objects.count(), OperationReport.objects.count(),
            DataSecurityRecord.objects.count()) == (2, 2, 1)


def test_without_a_department_the_demo_makes_nothing(designated_centers, commission_staff,
                                                     official_laoshan):
    for center in designated_centers:
        center.department = None
        center.save(update_fields=["department"])
    assert seed_supervision(designated_centers, commission_user=commission_staff,
                            district_user=official_laoshan) == {}
