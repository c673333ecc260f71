"""The case issue 6 found: a commission account that is also a superuser saw 继续填写 and
撤回申报 on an enterprise's application and used them. Admin flags add nothing to a role."""

import pytest
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.models import Application
from core.models import AuditEvent
from core.transitions import status_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_commission(commission_staff):
    commission_staff.is_staff = commission_staff.is_superuser = True
    commission_staff.save(update_fields=["is_staff", "is_superuser"])
    return commission_staff


@pytest.mark.parametrize("fixture", ["draft_a", "submitted_a"])
def test_no_applicant_button_for_a_superuser_of_the_commission(fixture, request,
                                                               superuser_commission, client):
    application = request.getfixturevalue(fixture)
    client.force_login(superuser_commission)

    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()

    assert "继续填写" not in page and "撤回申报</button>" not in page
    assert 'id="resume"' not in page


def test_a_superuser_of_the_commission_cannot_edit_submit_or_withdraw(complete_a, applicant_a,
                                                                     superuser_commission,
                                                                     client):
    client.force_login(superuser_commission)
    before = Application.objects.get(pk=complete_a.pk).center_name

    edit = client.post(reverse("applications:step", args=[complete_a.pk, "center"]),
                       {"center_name": "代填的名称", "next": "1"})
    submit = client.post(reverse("applications:submit", args=[complete_a.pk]))

    assert edit.status_code == 403 and submit.status_code == 403
    complete_a.refresh_from_db()
    assert complete_a.center_name == before and complete_a.status == ApplicationStatus.DRAFT

    from applications import services

    services.application_submit(application=complete_a, actor=applicant_a)
    withdraw = client.post(reverse("applications:withdraw", args=[complete_a.pk]),
                           {"reason": "申报单位主动撤回"})

    assert withdraw.status_code == 403
    assert [c.transition for c in status_history(complete_a)] == ["submit"]
    assert not AuditEvent.objects.filter(actor=superuser_commission,
                                         action__startswith="application.").exists()
