"""Every audit row written while serving a request carries the client's address, taken from
the connection (a forged X-Forwarded-For is ignored), not only the login rows: the auditor
must see from where an application's content was changed."""

import pytest
from django.urls import reverse

from core.models import AuditEvent

pytestmark = pytest.mark.django_db

CLIENT = "203.0.113.7"
FORGED = "1.2.3.4"


def test_a_step_save_row_carries_the_connection_address(draft_a, role_client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client = role_client("applicant")
    client.post(reverse("applications:step", args=[draft_a.pk, "service"]),
                {"service_summary": "服务情况", "construction_content": "建设内容", "next": "1"},
                REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=FORGED)

    event = AuditEvent.objects.get(action="application.step_save")
    assert event.ip_address == CLIENT


def test_a_row_written_outside_a_request_has_no_address(draft_a, applicant_a):
    from core.audit import audit_record

    event = audit_record(action="application.step_save", actor=applicant_a, target=draft_a)
    assert event.ip_address is None
