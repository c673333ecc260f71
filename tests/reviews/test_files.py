"""Attachments shown inside the review page: inline only for what their content proves to be a
PDF, PNG or JPEG, sandboxed; everything else (whatever its name or stored type) only through its
download link, the viewer showing a notice in its place."""

import io

import pytest
from django.urls import reverse

from applications.demo import sample_pdf
from core.models import AuditEvent
from reviews.files import INLINE_CSP, NOT_INLINE_TEXT, inline_type
from tests.factories import AttachmentFactory

from ..applications.conftest import png_bytes

pytestmark = pytest.mark.usefixtures("celery_eager")


def jpeg_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="JPEG")
    return buffer.getvalue()


HTML_AS_PDF = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_WITH_SCRIPT = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
                   b"<script>alert(1)</script></svg>")
# Starts as a PDF and ends as one (upload detection accepts it), with an HTML page inside.
PDF_HTML_POLYGLOT = (b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n"
                     + sample_pdf("x")[9:])
# Something in front of %PDF- that a browser could sniff as a page.
HTML_THEN_PDF = b"<html><script>alert(1)</script></html>\n" + sample_pdf("x")
PDF_WITH_JAVASCRIPT = sample_pdf("x").replace(
    b"%%EOF", b"<< /S /JavaScript /JS (app.alert(1)) >>\n%%EOF")
PNG_WITH_HTML = png_bytes() + b"<html><script>alert(1)</script></html>"


def _stored(application, content, name, content_type="application/pdf"):
    """An attachment as stored, bypassing upload checks: an older upload, a restored backup,
    a file changed in storage. The inline decision must not trust its name or stored type."""
    return AttachmentFactory(application=application, content=content, original_name=name,
                             content_type=content_type)


def _view(client, attachment):
    return client.get(reverse("reviews:attachment_inline",
                              args=[attachment.application_id, attachment.pk]))


@pytest.mark.parametrize("content, name, mime", [
    (sample_pdf("申报表"), "申报表.pdf", "application/pdf"),
    (png_bytes(), "营业执照.png", "image/png"),
    (jpeg_bytes(), "现场照片.jpg", "image/jpeg"),
])
def test_pdf_and_images_are_shown_inline_in_a_sandbox(submitted_a, role_client, content, name,
                                                      mime):
    attachment = _stored(submitted_a, content, name, content_type="application/octet-stream")
    response = _view(role_client("district_official"), attachment)
    assert response.status_code == 200
    assert response["Content-Type"] == mime
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == INLINE_CSP
    assert response["Content-Security-Policy"].startswith("sandbox; default-src 'none'")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == content


@pytest.mark.parametrize("content, name", [
    (HTML_AS_PDF, "申报表.pdf"),
    (SVG_WITH_SCRIPT, "图片.png"),
    (PDF_HTML_POLYGLOT, "证明.pdf"),
    (HTML_THEN_PDF, "证明.pdf"),
    (PDF_WITH_JAVASCRIPT, "证明.pdf"),
    (PNG_WITH_HTML, "照片.png"),
])
def test_hostile_files_are_never_inline(submitted_a, role_client, content, name):
    attachment = _stored(submitted_a, content, name)
    response = _view(role_client("district_official"), attachment)
    assert response.status_code == 200
    # 在页面中查看 shows a notice in place of the file: neither the file nor a download.
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Content-Disposition" not in response
    assert response.content.decode() == NOT_INLINE_TEXT
    assert content not in response.content
    assert response["Content-Security-Policy"].startswith("sandbox; default-src 'none'")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    # Its own link still downloads it, as a download.
    download = role_client("district_official").get(reverse(
        "reviews:attachment_download", args=[submitted_a.pk, attachment.pk]))
    assert download["Content-Disposition"].startswith("attachment;")


def test_the_detection_reads_the_content_not_the_name():
    assert inline_type(io.BytesIO(sample_pdf("x"))).key == "pdf"
    assert inline_type(io.BytesIO(HTML_AS_PDF)) is None
    assert inline_type(io.BytesIO(b"")) is None


def test_a_header_cannot_be_split_by_the_file_name(submitted_a, role_client):
    attachment = _stored(submitted_a, sample_pdf("x"), 'a"\r\nSet-Cookie: x=1;.pdf')
    response = _view(role_client("district_official"), attachment)
    assert "\n" not in response["Content-Disposition"]
    assert not response.cookies.get("x")


def test_each_view_is_audited(submitted_a, role_client, official_laoshan):
    attachment = submitted_a.attachments.first()
    _view(role_client("district_official"), attachment)
    event = AuditEvent.objects.get(action="district_review.attachment_view")
    assert event.actor == official_laoshan
    assert event.after["attachment"] == attachment.pk and event.after["inline"] is True


def test_another_district_gets_404(submitted_a, role_client):
    attachment = submitted_a.attachments.first()
    assert _view(role_client("district_official_b"), attachment).status_code == 404
    assert not AuditEvent.objects.filter(action="district_review.attachment_view").exists()


def test_the_review_page_embeds_pdfs_and_images_and_offers_the_rest(submitted_a, role_client):
    pdf = submitted_a.attachments.first()
    image = _stored(submitted_a, png_bytes(), "照片.png", content_type="image/png")
    docx = _stored(submitted_a, b"PK\x03\x04", "方案.docx", content_type=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    page = role_client("district_official").get(
        reverse("reviews:review", args=[submitted_a.pk])).content.decode()

    def inline(attachment):
        return reverse("reviews:attachment_inline", args=[submitted_a.pk, attachment.pk])

    assert f'<iframe class="attachment-viewer mt-2" src="{inline(pdf)}"' in page
    assert f'<img class="attachment-image mt-2" src="{inline(image)}"' in page
    assert inline(docx) not in page
    assert reverse("reviews:attachment_download", args=[submitted_a.pk, docx.pk]) in page


def test_the_portal_policy_lets_the_page_frame_its_own_files(submitted_a, role_client):
    response = role_client("district_official").get(reverse("reviews:review",
                                                            args=[submitted_a.pk]))
    policy = response["Content-Security-Policy"]
    assert "frame-src 'self'" in policy and "img-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
