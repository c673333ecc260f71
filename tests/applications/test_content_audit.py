"""Every change to an application's content is in the audit log (who, when, which fields,
before and after), and so is every read of its files by someone outside the applicant unit."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from applications import services
from applications.content_audit import SHORT_TEXT, shown_value
from applications.enums import AttachmentKind, DocumentStatus
from applications.models import ApplicationDocument
from core.models import AuditEvent

from .conftest import pdf_bytes, upload

pytestmark = pytest.mark.django_db


def step_url(application, step):
    return reverse("applications:step", args=[application.pk, step])


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_a_step_save_records_the_changed_fields_before_and_after(draft_a, applicant_a,
                                                                 role_client):
    client = role_client("applicant")
    client.post(step_url(draft_a, "service"), {"service_summary": "旧的服务情况",
                                               "construction_content": "建设内容", "next": "1"})
    long_text = "建设诊断咨询平台。" * 20  # longer than what a row keeps verbatim

    client.post(step_url(draft_a, "service"), {"service_summary": "新的服务情况",
                                               "construction_content": long_text, "next": "1"})

    first, second = events("application.step_save")
    assert second.actor == applicant_a and second.object_id == str(draft_a.pk)
    assert second.occurred_at >= first.occurred_at
    assert second.before == {"service_summary": "旧的服务情况",
                             "construction_content": "建设内容"}
    assert second.after["service_summary"] == "新的服务情况"
    assert second.after["construction_content"] == {
        "length": len(long_text),
        "sha256": hashlib.sha256(long_text.encode()).hexdigest()[:16]}
    # The auditor's page shows the note: the fields by their Chinese names.
    assert second.note == ("修改：四、赋能中心建设内容（三年内）、"
                           "三、赋能中心行业服务情况（产业数字化诊断服务、应用场景及解决方案）")


def test_a_save_that_changes_nothing_leaves_no_row(draft_a, role_client):
    client = role_client("applicant")
    data = {"service_summary": "服务情况", "construction_content": "建设内容", "next": "1"}
    client.post(step_url(draft_a, "service"), data)
    client.post(step_url(draft_a, "service"), data)

    assert len(events("application.step_save")) == 1


def test_a_partly_wrong_save_records_what_was_saved(draft_a, role_client):
    role_client("applicant").post(step_url(draft_a, "center"), {
        "center_name": "青岛市赋能中心", "director_phone": "12345", "next": "1"})

    [event] = events("application.step_save")
    assert event.after["center_name"] == "青岛市赋能中心"
    assert "director_phone" not in event.after  # refused, so not changed


def test_the_lead_unit_s_fields_are_named_as_such(draft_a, role_client):
    role_client("applicant").post(step_url(draft_a, "lead"), {
        "lead-registered_capital": "5000", "lead-legal_representative": "王海", "next": "1"})

    [event] = events("application.step_save")
    assert event.after["lead_unit.registered_capital"] == "5000.00"
    assert event.after["lead_unit.legal_representative"] == "王海"
    assert "承建主体·法人代表" in event.note


def test_commitment_given_and_withdrawn_are_recorded(draft_a, applicant_a):
    services.application_record_commitments(application=draft_a, actor=applicant_a, lead=True,
                                            joint=False)
    services.application_record_commitments(application=draft_a, actor=applicant_a, lead=True,
                                            joint=False)
    services.application_record_commitments(application=draft_a, actor=applicant_a, lead=False,
                                            joint=False)

    given, withdrawn = events("application.commitment")
    assert given.before == {"lead_commitment": False} and given.after == {"lead_commitment": True}
    assert withdrawn.after == {"lead_commitment": False} and withdrawn.actor == applicant_a
    assert withdrawn.note == "修改：承建单位意见（承诺）"


def test_choosing_a_joint_unit_is_recorded(draft_a, applicant_a):
    services.application_set_joint_unit(application=draft_a, actor=applicant_a,
                                        has_joint_unit=True)

    [event] = events("application.step_save")
    assert event.before == {"has_joint_unit": None} and event.after == {"has_joint_unit": True}


def test_attachments_added_and_removed_are_recorded(draft_a, applicant_a):
    attachment = services.attachment_add(application=draft_a, actor=applicant_a,
                                         kind=AttachmentKind.CASE,
                                         uploaded_file=upload("案例.pdf", pdf_bytes()))
    services.attachment_remove(attachment=attachment, actor=applicant_a)

    [added] = events("application.attachment_add")
    [removed] = events("application.attachment_remove")
    assert added.actor == removed.actor == applicant_a
    assert added.after["name"] == removed.before["name"] == "案例.pdf"


@pytest.mark.parametrize(("value", "kept"), [
    (None, None), (True, True), (3, 3), ("短文本", "短文本"),
    ("字" * SHORT_TEXT, "字" * SHORT_TEXT),
])
def test_short_values_are_kept_as_they_are(value, kept):
    assert shown_value(value) == kept


def test_long_text_is_kept_as_length_and_hash():
    assert shown_value("字" * (SHORT_TEXT + 1))["length"] == SHORT_TEXT + 1


# Reads of the application's files --------------------------------------------------------------

@pytest.fixture
def attachment_of_a(submitted_a):
    return submitted_a.attachments.first()


@pytest.fixture
def document_of_a(submitted_a):
    return ApplicationDocument.objects.create(
        application=submitted_a, variant="form", content_hash="1" * 64,
        status=DocumentStatus.READY, file=ContentFile(pdf_bytes(), name="form.pdf"))


@pytest.mark.parametrize("reader", ["commission_staff", "district_official"])
def test_others_downloading_an_attachment_are_recorded(reader, attachment_of_a, role_client,
                                                       role_user):
    url = reverse("applications:attachment_download",
                  args=[attachment_of_a.application_id, attachment_of_a.pk])

    assert role_client(reader).get(url).status_code == 200

    [event] = events("application.attachment_download")
    assert event.actor == role_user(reader)
    assert event.object_id == str(attachment_of_a.application_id)
    assert event.after["attachment"] == attachment_of_a.pk
    assert event.after["name"] == attachment_of_a.original_name


@pytest.mark.parametrize("reader", ["commission_staff", "district_official"])
def test_others_downloading_a_pdf_are_recorded(reader, document_of_a, role_client, role_user):
    url = reverse("applications:document_download",
                  args=[document_of_a.application_id, "form", document_of_a.pk])

    assert role_client(reader).get(url).status_code == 200

    [event] = events("application.document_download")
    assert event.actor == role_user(reader)
    assert event.after == {"document": document_of_a.pk, "variant": "form"}


def test_the_applicant_s_own_downloads_are_not_recorded(attachment_of_a, document_of_a,
                                                        role_client):
    client = role_client("applicant")
    client.get(reverse("applications:attachment_download",
                       args=[attachment_of_a.application_id, attachment_of_a.pk]))
    client.get(reverse("applications:document_download",
                       args=[document_of_a.application_id, "form", document_of_a.pk]))

    assert not AuditEvent.objects.filter(action__endswith="_download").exists()


def test_downloading_an_export_of_applications_is_recorded(draft_a, commission_staff,
                                                           role_client):
    export = services.application_export_request(actor=commission_staff, params={})
    services.application_export_build(export_id=export.pk)

    response = role_client("commission_staff").get(
        reverse("applications:export_download", args=[export.pk]))

    assert response.status_code == 200
    [event] = events("application.export_download")
    assert event.actor == commission_staff and event.object_id == str(export.pk)
