"""Showing an application's attachments to the 主管部门 inside the review page (第八条、第九条（二）).

A file is shown inline only when its content, read now, is a PDF, PNG or JPEG
(`applications.filetypes.detect_file_type`) and holds nothing a browser could take for a page:
neither its name nor the content type stored at upload decides. Everything else is offered as a
download (`Content-Disposition: attachment`). Both answers carry a sandboxing
Content-Security-Policy and `X-Content-Type-Options: nosniff`, so even a file the browser
misreads runs no script with the portal's origin. The viewer's own address never serves a
file it will not show: it answers with a plain-text notice (`not_inline_response`).
"""

import re

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from applications.filetypes import PDF_HEADER_WINDOW, FileType, detect_file_type

INLINE_KEYS = frozenset({"pdf", "png", "jpeg"})

# The file's own policy: a unique origin with no scripts, forms or plugins of its own; the
# PDF viewer of the browser and images need nothing more. Framed only by the portal's pages.
INLINE_CSP = ("sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
              "object-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'")
DOWNLOAD_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'"
# The viewer's answer for a file it will not show: plain text, framed by the review page.
NOT_INLINE_CSP = "sandbox; default-src 'none'; frame-ancestors 'self'"
NOT_INLINE_TEXT = ("该附件的内容不是可在页面中安全显示的文件或图片，未在此显示。"
                   "如需查看，请使用附件名称链接下载。")

# Markup a browser would render as a page (an HTML or SVG document hidden inside a PDF or an
# image: a polyglot), and PDF actions that run code or start programs.
_MARKUP = re.compile(rb"<(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta|"
                     rb"form|xsl|\?xml-stylesheet)[\s>/]", re.IGNORECASE)
_PDF_ACTIONS = re.compile(rb"/(?:JavaScript|JS|Launch|SubmitForm|ImportData)(?![A-Za-z0-9])")
_SCAN_CHUNK = 1024 * 1024
_SCAN_OVERLAP = 64
# Larger files are offered as downloads: the scan reads the whole file.
INLINE_MAX_BYTES = 60 * 1024 * 1024


def _contains(stream, *patterns) -> bool:
    stream.seek(0)
    tail = b""
    while chunk := stream.read(_SCAN_CHUNK):
        window = tail + chunk
        if any(p.search(window) for p in patterns):
            return True
        tail = window[-_SCAN_OVERLAP:]
    stream.seek(0)
    return False


def inline_type(stream, size: int | None = None) -> FileType | None:
    """The detected type of the open binary `stream` when it may be shown inline (a PDF, PNG
    or JPEG by content), else None.

    A PDF must start with ``%PDF-`` at byte 0 (nothing in front a browser could sniff) and
    carry no JavaScript, launch or form-submitting action; no file may contain HTML or SVG
    markup anywhere. `size` in bytes, when known, spares a seek; files over
    `INLINE_MAX_BYTES` are never inline. The stream is left at position 0."""
    if size is None:
        stream.seek(0, 2)
        size = stream.tell()
    stream.seek(0)
    if not size or size > INLINE_MAX_BYTES:
        return None
    detected = detect_file_type(stream)
    if detected is None or detected.key not in INLINE_KEYS:
        return None
    stream.seek(0)
    if detected.key == "pdf":
        if not stream.read(PDF_HEADER_WINDOW).startswith(b"%PDF-"):
            return None
        if _contains(stream, _MARKUP, _PDF_ACTIONS):
            return None
    elif _contains(stream, _MARKUP):
        return None
    stream.seek(0)
    return detected


def attachment_inline_type(attachment) -> FileType | None:
    """`inline_type` of an `applications.models.Attachment`'s stored file; None when the
    file is missing from storage."""
    try:
        with attachment.file.open("rb") as stream:
            return inline_type(stream, attachment.size)
    except (FileNotFoundError, OSError):
        return None


def _safe_name(name: str) -> str:
    """`name` without control characters, separators or quotes: a header value the browser
    cannot split, for `content_disposition_header`'s RFC 5987 encoding."""
    cleaned = re.sub(r"[\x00-\x1f\x7f/\\\"';:]+", "_", name).strip(" ._")
    return cleaned[:150] or "附件"


def file_response(stream, *, name: str, detected: FileType | None):
    """The answer serving the open binary `stream` under `name`: inline with the detected
    PDF/image MIME type when `detected` is one of `INLINE_KEYS`, else as a download of
    `application/octet-stream`. Always sandboxed and `nosniff`. The caller adds the
    private-cache headers (`core.downloads.private_download`)."""
    inline = detected is not None and detected.key in INLINE_KEYS
    response = FileResponse(stream, content_type=detected.mime if inline else
                            "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(not inline, _safe_name(name))
    response["Content-Security-Policy"] = INLINE_CSP if inline else DOWNLOAD_CSP
    response["X-Content-Type-Options"] = "nosniff"
    # Framed by the review page (same origin) when inline; never framed otherwise.
    response["X-Frame-Options"] = "SAMEORIGIN" if inline else "DENY"
    return response


def not_inline_response() -> HttpResponse:
    """The review page's viewer answer for a file that may not be shown inline: a short
    plain-text notice in place of the file, so that 在页面中查看 never drops a file the
    official did not ask to download (the download link stays next to it). Sandboxed and
    `nosniff` like the file answers."""
    response = HttpResponse(NOT_INLINE_TEXT, content_type="text/plain; charset=utf-8")
    response["Content-Security-Policy"] = NOT_INLINE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response
