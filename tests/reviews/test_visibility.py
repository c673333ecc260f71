"""第八条: an official reviews only what was routed to their own department; the district's
internal notes never reach the applicant."""

import pytest
from django.urls import reverse

from core.models import Notification, OutgoingMail
from reviews import services
from reviews.enums import ReviewOutcome
from reviews.models import DistrictReview
from tests.factories import ApplicationFactory

from .conftest import decide, draft

pytestmark = pytest.mark.usefixtures("celery_eager")

INTERNAL = "内部备注：法人代表与我局某干部系亲属，回避审查。"


def test_another_districts_official_finds_neither_page_nor_file(submitted_a, role_client):
    attachment = submitted_a.attachments.first()
    client = role_client("district_official_b")
    for url in (reverse("reviews:review", args=[submitted_a.pk]),
                reverse("reviews:attachment_download", args=[submitted_a.pk, attachment.pk])):
        assert client.get(url).status_code == 404
    response = client.post(reverse("reviews:review", args=[submitted_a.pk]),
                           {"intent": "draft", "opinion": "越权"})
    assert response.status_code == 404
    assert not DistrictReview.objects.exists()


def test_another_districts_official_cannot_act_through_the_services(submitted_a, official_jimo):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        draft(submitted_a, official_jimo)


def test_a_file_of_another_application_is_not_served_under_this_one(submitted_a, open_call,
                                                                    role_client):
    other = ApplicationFactory(submitted=True, call=open_call)
    response = role_client("district_official").get(reverse(
        "reviews:attachment_download", args=[submitted_a.pk, other.attachments.first().pk]))
    assert response.status_code == 404


def test_the_official_downloads_a_file_privately_and_on_the_record(submitted_a, role_client,
                                                                   official_laoshan):
    from core.models import AuditEvent

    attachment = submitted_a.attachments.first()
    response = role_client("district_official").get(
        reverse("reviews:attachment_download", args=[submitted_a.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(action="district_review.attachment_download",
                                     actor=official_laoshan).exists()


@pytest.mark.parametrize("outcome", [ReviewOutcome.RETURNED, ReviewOutcome.NOT_RECOMMENDED,
                                     ReviewOutcome.RECOMMENDED])
def test_the_applicant_never_reads_the_internal_note(outcome, submitted_a, official_laoshan,
                                                     applicant_a, role_client):
    decide(submitted_a, official_laoshan, outcome, internal_note=INTERNAL)
    client = role_client("applicant")
    pages = [client.get(reverse(name, args=[submitted_a.pk])).content.decode()
             for name in ("applications:detail", "applications:receipt")]
    notices = list(Notification.objects.filter(recipient=applicant_a)
                   .values_list("title", "body"))
    mails = list(OutgoingMail.objects.filter(recipient=applicant_a).values_list("subject",
                                                                                 "body"))
    everything = " ".join(pages + [" ".join(pair) for pair in notices + mails])
    assert "回避审查" not in everything
    # The official's own page does show it.
    page = role_client("district_official").get(
        reverse("reviews:review", args=[submitted_a.pk])).content.decode()
    assert "回避审查" in page


def test_the_applicant_cannot_open_the_review_pages(submitted_a, role_client):
    client = role_client("applicant")
    assert client.get(reverse("reviews:review", args=[submitted_a.pk])).status_code == 403
    assert client.get(reverse("reviews:inbox")).status_code == 403


def test_a_draft_is_kept_between_visits(submitted_a, role_client):
    client = role_client("district_official")
    client.post(reverse("reviews:review", args=[submitted_a.pk]),
                {"intent": "draft", "accuracy": "failed", "accuracy_note": "营收数据前后不一致。"})
    page = client.get(reverse("reviews:review", args=[submitted_a.pk])).content.decode()
    assert "营收数据前后不一致。" in page
    assert services.decision_problems(DistrictReview.objects.get(), ReviewOutcome.RECOMMENDED)
