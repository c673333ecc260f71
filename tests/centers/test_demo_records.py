"""The demo's service records: a year of records for each designated center, idempotent."""

from centers.demo_records import seed_service_records
from centers.models import ServiceRecord
from centers.progress import progress_figures
from tests.factories import applicant


def test_the_demo_records_a_year_for_each_center_once(designated_centers):
    for center in designated_centers:
        applicant(center.application.organisation, username=f"demo{center.pk}",
                  real_name="演示填报人")
    made = seed_service_records(designated_centers)
    assert made == ServiceRecord.objects.count() > 0
    for center in designated_centers:
        kinds = set(center.service_records.values_list("kind", flat=True))
        assert {"training", "diagnosis", "industry_report", "project", "patent"} <= kinds
        figures = progress_figures(center)
        assert figures.services.trainings == 3 and figures.services.enterprises > 0
    assert seed_service_records(designated_centers) == 0
