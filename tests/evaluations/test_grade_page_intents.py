"""One evaluation's page for the commission (第十七条) acts only on the forms it shows: a post
with any other `intent` (a crafted request, an old page) is refused in Chinese, acts on nothing
and never fails with a server error."""

import pytest
from django.urls import reverse

from core.models import FormSubmission
from evaluations.models import Bulletin

pytestmark = pytest.mark.usefixtures("celery_eager")


@pytest.mark.parametrize("intent", ["xyz", "confirm" + "x" * 100, ""])
def test_an_unknown_intent_acts_on_nothing(client, commission_staff, designated_centers,
                                           evaluation_of, intent):
    evaluation = evaluation_of(designated_centers[0])
    client.force_login(commission_staff)
    url = reverse("evaluations:evaluation_grade", args=[evaluation.pk])
    response = client.post(url, {"intent": intent, "grade": "good", "note": "任意",
                                 "reasons": "任意", "form_token": "a" * 32}, follow=True)
    assert response.status_code == 200
    assert "未知的操作" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.grade == "" and not evaluation.false_materials_found
    assert not Bulletin.objects.exists() and not FormSubmission.objects.exists()
