"""Upload types: libmagic names the family, the file must open as what it claims, and the file
is stored and served under the extension and content type of what it really is."""

import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from PIL import Image

from applications import samples, services
from applications.enums import AttachmentKind
from applications.filetypes import detect_file_type

from .conftest import pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="JPEG")
    return buffer.getvalue()


HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def _docx_with(members: dict) -> bytes:
    return samples.sample_docx(extra=members)


ACCEPTED = [
    # (uploaded name, content, stored extension, content type)
    ("方案.pdf", pdf_bytes(), "pdf", "application/pdf"),
    ("带BOM.pdf", b"\xef\xbb\xbf" + pdf_bytes(), "pdf", "application/pdf"),
    ("带回车换行.pdf", b"\r\n" + pdf_bytes(), "pdf", "application/pdf"),
    ("邮件头.pdf", b"X-Scanner: 1\r\n" * 20 + pdf_bytes(), "pdf", "application/pdf"),
    ("方案.docx", samples.sample_docx(), "docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("预算.xlsx", samples.sample_xlsx(), "xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("方案.doc", samples.sample_doc(), "doc", "application/msword"),
    ("方案.wps", samples.sample_doc(), "wps", "application/msword"),
    ("电子公文.ofd", samples.sample_ofd(), "ofd", "application/ofd"),
    ("照片.jpg", jpeg_bytes(), "jpg", "image/jpeg"),
    ("截图.png", png_bytes(), "png", "image/png"),
    # named wrongly: the content decides the stored and served extension
    ("z.html", jpeg_bytes() + HTML, "jpg", "image/jpeg"),
    ("扫描件", pdf_bytes(), "pdf", "application/pdf"),
    ("方案.pdf", samples.sample_docx(), "docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
]

REFUSED = [
    ("DOCX-shaped ZIP with an .exe", "方案.docx", _docx_with({"word/setup.exe": b"MZ\x90\x00"})),
    ("DOCX holding a PE under an innocent name", "方案.docx",
     _docx_with({"word/media/image1.png": b"MZ\x90\x00" + b"\0" * 60})),
    ("DOCX with a macro project", "方案.docx", _docx_with({"word/vbaProject.bin": b"\0" * 8})),
    ("DOCX with a member outside the package", "方案.docx",
     _docx_with({"payload/readme.txt": b"hello"})),
    ("ZIP with word/document.xml only", "方案.docx",
     samples._zip({"word/document.xml": "<w/>"})),
    ("renamed exe", "营业执照.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 500),
    ("renamed ELF", "方案.docx", b"\x7fELF\x02\x01\x01" + b"\0" * 500),
    ("JPEG header followed by HTML", "z.html", b"\xff\xd8\xff\xe0" + HTML),
    ("HTML", "z.pdf", HTML),
    ("PDF header too late", "late.pdf", b" " * 1100 + pdf_bytes()),
    ("truncated PDF", "cut.pdf", pdf_bytes()[:-30]),
    ("OLE2 that is no Word document (as an .msi)", "setup.doc", samples.sample_ole_without_word()),
    ("ZIP that is neither OOXML nor OFD", "a.ofd", samples._zip({"a.txt": "x"})),
    ("OFD.xml that is no OFD", "a.ofd", samples._zip({"OFD.xml": "<html/>"})),
    ("empty file", "a.pdf", b""),
]


@pytest.mark.parametrize("name, content, extension, mime", ACCEPTED,
                         ids=[f"{a[0]}->{a[2]}" for a in ACCEPTED])
def test_accepted_types_are_stored_and_served_as_detected(draft_a, applicant_a, role_client,
                                                          name, content, extension, mime):
    attachment = services.attachment_add(application=draft_a, actor=applicant_a,
                                         kind=AttachmentKind.OTHER,
                                         uploaded_file=upload(name, content, "text/html"))
    assert attachment.file.name.endswith(f".{extension}")
    assert attachment.content_type == mime
    assert attachment.original_name == name  # kept as data
    assert attachment.served_name.endswith(f".{extension}")

    url = reverse("applications:attachment_download", args=[draft_a.pk, attachment.pk])
    response = role_client("applicant").get(url)
    disposition = unquote(response["Content-Disposition"])
    assert disposition.startswith("attachment")
    assert f".{extension}" in disposition and ".html" not in disposition
    assert response["Content-Type"] == mime


def test_jpeg_followed_by_html_named_z_html_is_served_as_z_jpg(draft_a, applicant_a, role_client):
    attachment = services.attachment_add(application=draft_a, actor=applicant_a,
                                         kind=AttachmentKind.CASE,
                                         uploaded_file=upload("z.html", jpeg_bytes() + HTML))
    url = reverse("applications:attachment_download", args=[draft_a.pk, attachment.pk])
    response = role_client("applicant").get(url)
    assert 'filename="z.jpg"' in response["Content-Disposition"]
    assert response["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize("case, name, content", REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_uploads(draft_a, applicant_a, case, name, content):
    if content:
        assert detect_file_type(upload(name, content), name) is None
    with pytest.raises(services.ApplicationError):
        services.attachment_add(application=draft_a, actor=applicant_a, kind=AttachmentKind.OTHER,
                                uploaded_file=upload(name, content))
    assert not draft_a.attachments.exists()


def test_the_refusal_is_chinese_and_names_the_accepted_types(draft_a, role_client):
    response = role_client("applicant").post(
        reverse("applications:step", args=[draft_a.pk, "attachments"]),
        {"kind": "case", "upload": "1",
         "file": upload("方案.docx", _docx_with({"word/setup.exe": b"MZ\x90\x00"}))},
        follow=True)
    body = response.content.decode()
    for label in ("PDF", "OFD", "DOCX", "DOC", "WPS", "XLSX", "JPG", "PNG"):
        assert label in body
    assert "不得含有可执行程序" in body
