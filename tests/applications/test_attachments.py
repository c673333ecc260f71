"""Uploads: type by content, size caps, safe storage, permission-checked download."""

import pytest
from django.urls import reverse

from applications import services
from applications.enums import AttachmentKind
from applications.models import Application, Attachment

from .conftest import pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def _upload_url(application):
    return reverse("applications:step", args=[application.pk, "attachments"])


def test_type_is_decided_by_content_not_by_name(draft_a, applicant_a):
    attachment = services.attachment_add(application=draft_a, actor=applicant_a,
                                         kind=AttachmentKind.CASE,
                                         uploaded_file=upload("照片.pdf", png_bytes()))
    assert attachment.content_type == "image/png"
    assert attachment.file.name.endswith(".png")
    assert "照片" not in attachment.file.name  # the user's name is never used as a path
    with pytest.raises(services.ApplicationError, match="不是有效的"):
        services.attachment_add(application=draft_a, actor=applicant_a, kind=AttachmentKind.CASE,
                                uploaded_file=upload("病毒.pdf", b"MZ\x90\x00 not a pdf"))


def test_docx_and_xlsx_are_recognised_from_their_zip_content(draft_a, applicant_a, tmp_path):
    import openpyxl

    path = tmp_path / "t.xlsx"
    openpyxl.Workbook().save(path)
    attachment = services.attachment_add(application=draft_a, actor=applicant_a,
                                         kind=AttachmentKind.OTHER,
                                         uploaded_file=upload("表格", path.read_bytes()))
    assert attachment.file.name.endswith(".xlsx")


def test_failed_upload_shows_a_chinese_error_and_keeps_the_draft(draft_a, role_client):
    draft_a.center_name = "已填写的中心名称"
    draft_a.save()
    client = role_client("applicant")
    response = client.post(_upload_url(draft_a), {"kind": "case", "upload": "1",
                                                  "file": upload("a.pdf", b"plain text")},
                           follow=True)
    assert "不是有效的" in response.content.decode()
    assert Application.objects.get(pk=draft_a.pk).center_name == "已填写的中心名称"
    assert not Attachment.objects.exists()


def test_file_and_total_size_caps(draft_a, applicant_a, settings):
    settings.UPLOAD_MAX_FILE_BYTES = 2000
    settings.UPLOAD_MAX_TOTAL_BYTES = 1500
    big = upload("big.pdf", pdf_bytes() + b"0" * 3000)
    with pytest.raises(services.ApplicationError, match="单个文件"):
        services.attachment_add(application=draft_a, actor=applicant_a, kind="case",
                                uploaded_file=big)
    services.attachment_add(application=draft_a, actor=applicant_a, kind="case",
                            uploaded_file=upload("a.pdf", pdf_bytes()))
    with pytest.raises(services.ApplicationError, match="总大小"):
        services.attachment_add(application=draft_a, actor=applicant_a, kind="case",
                                uploaded_file=upload("b.pdf", pdf_bytes() + b"0" * 900))


def test_limits_are_stated_on_the_page(draft_a, role_client, settings):
    settings.UPLOAD_MAX_FILE_BYTES = 20 * 1024 * 1024
    body = role_client("applicant").get(_upload_url(draft_a)).content.decode()
    assert "单个文件不超过 20 MB" in body


def test_download_is_an_attachment_for_the_owner_and_404_for_others(draft_a, applicant_a,
                                                                    role_client):
    attachment = services.attachment_add(application=draft_a, actor=applicant_a, kind="case",
                                         uploaded_file=upload("案例.pdf", pdf_bytes()))
    url = reverse("applications:attachment_download", args=[draft_a.pk, attachment.pk])
    response = role_client("applicant").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    for other in ("applicant_b", "district_official", "district_official_b", "expert",
                  "auditor"):
        assert role_client(other).get(url).status_code == 404, other
    assert role_client("commission_staff").get(url).status_code == 200


def test_delete_attachment(draft_a, applicant_a, role_client):
    attachment = services.attachment_add(application=draft_a, actor=applicant_a, kind="case",
                                         uploaded_file=upload("案例.pdf", pdf_bytes()))
    url = reverse("applications:attachment_delete", args=[draft_a.pk, attachment.pk])
    assert role_client("applicant_b").post(url).status_code == 404
    role_client("applicant").post(url)
    assert not Attachment.objects.exists()
