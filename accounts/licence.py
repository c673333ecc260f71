"""The business licence a claimant uploads: PDF, JPG or PNG, recognised by content."""

from django.core.exceptions import ValidationError

LICENCE_MAX_BYTES = 10 * 1024 * 1024
# detected type -> extension
LICENCE_TYPES = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}
# stored extension -> the type it is served as
LICENCE_CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def licence_type(uploaded_file) -> str | None:
    """"pdf", "jpeg" or "png" by the file's first bytes, or None. A PDF may carry a few bytes
    (a BOM, a line break) before `%PDF-`, as PDF readers accept."""
    uploaded_file.seek(0)
    head = uploaded_file.read(1024)
    uploaded_file.seek(0)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if b"%PDF-" in head:
        return "pdf"
    return None


def validate_licence(uploaded_file) -> str:
    """Returns the extension to store the licence under; raises ValidationError (Chinese)."""
    if uploaded_file.size > LICENCE_MAX_BYTES:
        raise ValidationError("营业执照文件不能超过10 MB。")
    detected = licence_type(uploaded_file)
    if detected is None:
        raise ValidationError("营业执照请上传PDF、JPG或PNG文件（按文件内容识别，与扩展名无关）。")
    return LICENCE_TYPES[detected]
