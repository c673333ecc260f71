"""Re-routing a submission to where it already is changes nothing: no "已改派" message, no audit
row claiming a re-route, no notice to the district and the unit (第八条)."""

import pytest

from applications import services
from applications.routing import application_reroute
from core.models import AuditEvent, Notification

from ..factories import department

pytestmark = pytest.mark.django_db


def test_rerouting_to_the_current_department_is_refused(complete_a, applicant_a,
                                                        commission_staff):
    application = services.application_submit(application=complete_a, actor=applicant_a)
    application.refresh_from_db()
    assert application.routed_department == department("崂山区")
    notices = Notification.objects.count()

    with pytest.raises(services.ApplicationError, match="已报送至"):
        application_reroute(application=application, department=department("崂山区"),
                            actor=commission_staff, reason="核对后仍由崂山区初审")

    assert not AuditEvent.objects.filter(action="application.reroute").exists()
    assert Notification.objects.count() == notices
