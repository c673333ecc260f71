"""The acceptance window, one application per organisation, submission and routing."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.enums import ApplicationStatus
from applications.models import Application, Call
from core.models import Notification
from core.transitions import status_history

from tests.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db


def _move_window(call, *, opens_delta, closes_delta):
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(opens_at=now + opens_delta,
                                          closes_at=now + closes_delta)
    call.refresh_from_db()


# The window ----------------------------------------------------------------------------------

def test_no_application_before_the_window_opens(commission_staff, org_a, applicant_a):
    now = timezone.now()
    call = CallFactory(opens_at=now + datetime.timedelta(days=2),
                       closes_at=now + datetime.timedelta(days=12))
    with pytest.raises(services.ApplicationError, match="尚未开始"):
        services.application_start(call=call, organisation=org_a, actor=applicant_a)


def test_no_application_after_the_window_closes(open_call, org_a, applicant_a, role_client):
    _move_window(open_call, opens_delta=datetime.timedelta(days=-10),
                 closes_delta=datetime.timedelta(minutes=-1))
    response = role_client("applicant").post(reverse("applications:start", args=[open_call.pk]))
    assert response.status_code == 302
    assert not Application.objects.exists()
    follow = role_client("applicant").get(reverse("applications:call_detail",
                                                  args=[open_call.pk]))
    assert "已于" in follow.content.decode() and "截止" in follow.content.decode()


def test_drafts_become_read_only_after_closing(draft_a, role_client):
    _move_window(draft_a.call, opens_delta=datetime.timedelta(days=-10),
                 closes_delta=datetime.timedelta(seconds=-1))
    client = role_client("applicant")
    url = reverse("applications:step", args=[draft_a.pk, "center"])
    page = client.get(url)
    assert page.status_code == 200 and "截止" in page.content.decode()
    assert "保存并下一步" not in page.content.decode()
    response = client.post(url, {"center_name": "改名", "next": "1"})
    assert response.status_code == 302
    draft_a.refresh_from_db()
    assert draft_a.center_name == ""


def test_no_submission_after_closing(complete_a, applicant_a):
    _move_window(complete_a.call, opens_delta=datetime.timedelta(days=-10),
                 closes_delta=datetime.timedelta(seconds=-1))
    with pytest.raises(services.ApplicationError, match="截止"):
        services.application_submit(application=complete_a, actor=applicant_a)


def test_unpublished_call_accepts_nothing(commission_staff, org_a, applicant_a):
    call = CallFactory(unpublished=True)
    with pytest.raises(services.ApplicationError, match="不在受理状态"):
        services.application_start(call=call, organisation=org_a, actor=applicant_a)


# One application per organisation per call --------------------------------------------------

def test_second_application_is_refused_pointing_to_the_first(draft_a, org_a, applicant_a,
                                                             role_client):
    with pytest.raises(services.ApplicationExists) as refused:
        services.application_start(call=draft_a.call, organisation=org_a, actor=applicant_a)
    assert refused.value.application == draft_a
    response = role_client("applicant").post(reverse("applications:start",
                                                     args=[draft_a.call.pk]))
    assert response["Location"] == reverse("applications:detail", args=[draft_a.pk])
    assert Application.objects.count() == 1


# Submission -----------------------------------------------------------------------------------

def test_incomplete_application_cannot_be_submitted(draft_a, applicant_a):
    with pytest.raises(services.ApplicationError) as refused:
        services.application_submit(application=draft_a, actor=applicant_a)
    message = str(refused.value)
    assert "赋能中心名称" in message and "承诺" in message and "盖章" in message


def test_submission_goes_to_the_district_and_is_shown(complete_a, applicant_a, official_laoshan,
                                                       role_client,
                                                       django_capture_on_commit_callbacks,
                                                       celery_eager):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=complete_a, actor=applicant_a)
    complete_a.refresh_from_db()
    assert complete_a.status == ApplicationStatus.SUBMITTED
    assert complete_a.routed_department.short_name == "崂山区"
    assert not complete_a.routed_to_commission
    assert Notification.objects.filter(recipient=official_laoshan,
                                       purpose="application_received").exists()
    page = role_client("applicant").get(reverse("applications:detail", args=[complete_a.pk]))
    body = page.content.decode()
    assert "崂山区发展和改革局" in body and "提交申报" in body  # routing and the timeline


def test_second_submit_is_refused_and_records_one_submission(submitted_a, applicant_a,
                                                            role_client):
    response = role_client("applicant").post(reverse("applications:submit",
                                                     args=[submitted_a.pk]))
    assert response.status_code == 302
    assert [c.transition for c in status_history(submitted_a)] == ["submit"]


def test_submit_through_the_commitment_page_and_the_review(complete_a, role_client):
    client = role_client("applicant")
    response = client.post(reverse("applications:step", args=[complete_a.pk, "commitment"]),
                           {"lead_commitment": "on", "submit_application": "1"})
    # The commitment page saves and leads to the review; only the review's confirm submits.
    assert response["Location"] == reverse("applications:review", args=[complete_a.pk])
    complete_a.refresh_from_db()
    assert complete_a.status == ApplicationStatus.DRAFT
    response = client.post(reverse("applications:submit", args=[complete_a.pk]),
                           {"confirm": "1"})
    assert response["Location"] == reverse("applications:receipt", args=[complete_a.pk])
    complete_a.refresh_from_db()
    assert complete_a.status == ApplicationStatus.SUBMITTED


def test_commitment_must_be_accepted(complete_a, applicant_a):
    services.application_record_commitments(application=complete_a, actor=applicant_a,
                                            lead=False, joint=False)
    with pytest.raises(services.ApplicationError, match="承建单位意见"):
        services.application_submit(application=complete_a, actor=applicant_a)


def test_withdraw_before_review_and_timeline(submitted_a, role_client):
    client = role_client("applicant")
    client.post(reverse("applications:withdraw", args=[submitted_a.pk]), {"reason": "不再申报"})
    submitted_a.refresh_from_db()
    assert submitted_a.status == ApplicationStatus.WITHDRAWN
    body = client.get(reverse("applications:detail", args=[submitted_a.pk])).content.decode()
    assert "撤回申报" in body and "不再申报" in body


def test_returned_application_can_be_revised_and_resubmitted(submitted_a, applicant_a,
                                                            official_laoshan):
    services.application_return(application=submitted_a, actor=official_laoshan,
                                reason="请补充案例材料")
    returned = Application.objects.get(pk=submitted_a.pk)
    assert returned.status == ApplicationStatus.RETURNED
    assert services.application_edit_refusal(returned) is None
    resubmitted = services.application_submit(application=returned, actor=applicant_a)
    assert resubmitted.status == ApplicationStatus.SUBMITTED
    moves = [change.transition for change in status_history(submitted_a)]
    assert moves == ["submit", "return", "resubmit"]


def test_other_district_cannot_return_an_application(submitted_a, official_jimo):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.application_return(application=submitted_a, actor=official_jimo, reason="x")


@pytest.mark.django_db(transaction=True)
def test_two_racing_submits_make_exactly_one_submission(commission_staff, org_a, applicant_a):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; CI runs this on PostgreSQL")
    application = ApplicationFactory(complete=True, organisation=org_a, created_by=applicant_a)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            services.application_submit(application=Application.objects.get(pk=application.pk),
                                        actor=applicant_a)
            outcomes.append("submitted")
        except services.ApplicationError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("submitted") == 1
    assert any("无需重复提交" in o for o in outcomes)
    assert [c.transition for c in status_history(application)] == ["submit"]
