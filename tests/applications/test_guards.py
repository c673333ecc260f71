"""Edge cases around the window, races, normalisation and staff access."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.enums import ApplicationStatus
from applications.models import Application, Attachment, Call
from core.transitions import status_history

from tests.factories import ApplicationFactory, CallFactory

from .conftest import pdf_bytes, upload

pytestmark = pytest.mark.django_db


def _close_window(call):
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(opens_at=now - datetime.timedelta(days=10),
                                          closes_at=now - datetime.timedelta(seconds=1))
    call.refresh_from_db()


def test_resubmit_is_refused_after_the_revision_deadline(submitted_a, applicant_a,
                                                         official_laoshan):
    returned = services.application_return(application=submitted_a, actor=official_laoshan,
                                           reason="请补充")
    Call.objects.filter(pk=returned.call_id).update(
        district_review_deadline=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(services.ApplicationError, match="退回修改的期限"):
        services.application_submit(application=Application.objects.get(pk=returned.pk),
                                    actor=applicant_a)
    assert Application.objects.get(pk=returned.pk).status == ApplicationStatus.RETURNED


def test_submitting_a_withdrawn_application_is_refused_with_a_message(submitted_a, role_client):
    client = role_client("applicant")
    client.post(reverse("applications:withdraw", args=[submitted_a.pk]))
    response = client.post(reverse("applications:submit", args=[submitted_a.pk]), follow=True)
    assert response.status_code == 200
    assert "已撤回" in response.content.decode()
    assert Application.objects.get(pk=submitted_a.pk).status == ApplicationStatus.WITHDRAWN


def test_joint_unit_code_typed_with_spaces_is_normalised(draft_a, role_client):
    response = role_client("applicant").post(
        reverse("applications:step", args=[draft_a.pk, "joint"]),
        {"choice-has_joint_unit": "1", "joint-name": "联合单位", "joint-kind": "enterprise",
         "joint-uscc": "9131 0115 5916 9385 6a", "next": "1"})
    assert response.status_code == 302
    assert Application.objects.get(pk=draft_a.pk).joint_unit.uscc == "91310115591693856A"


def test_the_same_file_twice_is_refused(draft_a, applicant_a):
    services.attachment_add(application=draft_a, actor=applicant_a, kind="case",
                            uploaded_file=upload("案例.pdf", pdf_bytes("x")))
    with pytest.raises(services.ApplicationError, match="已作为案例上传过"):
        services.attachment_add(application=draft_a, actor=applicant_a, kind="case",
                                uploaded_file=upload("案例副本.pdf", pdf_bytes("x")))
    assert Attachment.objects.count() == 1


def test_no_upload_or_delete_after_the_window_closes(draft_a, applicant_a):
    attachment = services.attachment_add(application=draft_a, actor=applicant_a, kind="case",
                                         uploaded_file=upload("案例.pdf", pdf_bytes()))
    _close_window(draft_a.call)
    draft = Application.objects.get(pk=draft_a.pk)
    with pytest.raises(services.ApplicationError, match="截止"):
        services.attachment_add(application=draft, actor=applicant_a, kind="patent",
                                uploaded_file=upload("专利.pdf", pdf_bytes("p")))
    with pytest.raises(services.ApplicationError, match="截止"):
        services.attachment_remove(attachment=Attachment.objects.get(pk=attachment.pk),
                                   actor=applicant_a)
    assert Attachment.objects.count() == 1


def test_an_edit_of_a_stale_copy_after_submission_is_refused(complete_a, applicant_a):
    stale = Application.objects.get(pk=complete_a.pk)  # loaded before the submission
    services.application_submit(application=complete_a, actor=applicant_a)
    with pytest.raises(services.ApplicationError, match="已提交"):
        services.application_record_commitments(application=stale, actor=applicant_a,
                                                lead=False, joint=False)
    assert Application.objects.get(pk=complete_a.pk).lead_commitment_at is not None


def test_commission_cannot_submit_for_an_applicant(draft_a, commission_staff):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.application_submit(application=draft_a, actor=commission_staff)


def test_upcoming_calls_are_listed_as_upcoming(commission_staff, client):
    now = timezone.now()
    call = CallFactory(title="下一批申报通知", opens_at=now + datetime.timedelta(days=3),
                       closes_at=now + datetime.timedelta(days=30))
    home = client.get(reverse("home")).content.decode()
    assert call.title in home and "即将开始" in home


def test_readers_get_no_links_to_edit_steps(submitted_a, role_client):
    body = role_client("district_official").get(
        reverse("applications:detail", args=[submitted_a.pk])).content.decode()
    assert reverse("applications:step", args=[submitted_a.pk, "lead"]) not in body


def test_admin_shows_applications_read_only_and_cannot_delete(submitted_a, client,
                                                              commission_admin):
    client.force_login(commission_admin)
    change = client.get(reverse("admin:applications_application_change",
                                args=[submitted_a.pk])).content.decode()
    assert 'name="center_name"' not in change  # shown, not editable
    delete = client.get(reverse("admin:applications_application_delete", args=[submitted_a.pk]))
    assert delete.status_code == 403
    client.post(reverse("admin:applications_application_change", args=[submitted_a.pk]),
                {"center_name": "改过的名称"})
    assert Application.objects.get(pk=submitted_a.pk).center_name != "改过的名称"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_confirmations_of_the_review_page_submit_once(commission_staff, org_a,
                                                                     applicant_a):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; CI runs this on PostgreSQL")
    application = ApplicationFactory(complete=True, organisation=org_a, created_by=applicant_a)
    url = reverse("applications:submit", args=[application.pk])
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(applicant_a)
    barrier = threading.Barrier(2)
    statuses = []

    def post(client):
        try:
            barrier.wait()
            response = client.post(url, {"confirm": "1"})
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED
    assert [c.transition for c in status_history(application)] == ["submit"]


@pytest.mark.parametrize("page", ["admin:applications_application_changelist",
                                  "admin:applications_applicationdocument_changelist",
                                  "admin:applications_applicationexport_changelist"])
def test_a_superuser_without_a_role_does_not_read_applications_in_admin(page, submitted_a,
                                                                       superuser_no_role,
                                                                       client):
    client.force_login(superuser_no_role)

    assert client.get(reverse(page)).status_code == 403
    assert client.get(reverse("admin:applications_application_change",
                              args=[submitted_a.pk])).status_code in (302, 403)
    index = client.get(reverse("admin:index")).context["app_list"]
    listed = {model["object_name"] for app in index for model in app["models"]}
    assert {"Application", "ApplicationDocument", "ApplicationExport"}.isdisjoint(listed)
    assert "Call" in listed  # the rest of admin stays open to platform maintenance
