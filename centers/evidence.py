"""Evidence files (证明材料) of objections, service records, change reports, data-use
agreements and the yearly evaluation: checked under the application's upload rules (type by
content, size) and stored under a neutral name, the user's file name kept as data."""

from django.conf import settings

from applications.filetypes import ALLOWED_LABELS, detect_file_type

# At most this many files in one submission.
MAX_FILES = 10


class EvidenceError(Exception):
    """A file the upload rules refuse; the message is Chinese, names the file and is shown."""


def evidence_check(files) -> list[tuple]:
    """[(uploaded file, detected FileType)] for the evidence, under the application's upload
    rules (type by content, UPLOAD_MAX_FILE_BYTES each, UPLOAD_MAX_TOTAL_BYTES together, at
    most MAX_FILES). Raises EvidenceError naming the first bad file."""
    files = [f for f in files or [] if f]
    if len(files) > MAX_FILES:
        raise EvidenceError(f"证明材料最多上传{MAX_FILES}个文件。")
    if sum(f.size for f in files) > settings.UPLOAD_MAX_TOTAL_BYTES:
        raise EvidenceError("证明材料总大小超过上限，请压缩后上传。")
    checked = []
    for uploaded in files:
        if uploaded.size > settings.UPLOAD_MAX_FILE_BYTES:
            limit = settings.UPLOAD_MAX_FILE_BYTES // (1024 * 1024)
            raise EvidenceError(f"文件“{uploaded.name}”超过单个文件{limit}MB的上限。")
        detected = detect_file_type(uploaded, uploaded.name)
        if detected is None:
            raise EvidenceError(f"文件“{uploaded.name}”不是允许的格式（{ALLOWED_LABELS}）。")
        uploaded.seek(0)
        checked.append((uploaded, detected))
    return checked


def evidence_save(evidence, uploaded, detected) -> None:
    """Stores `uploaded` (checked by `evidence_check` as `detected`) in `evidence`, an unsaved
    EvidenceFile row: the user's file name kept as data, a neutral stored name."""
    evidence.original_name = uploaded.name[:200]
    evidence.size = uploaded.size
    evidence.file.save(f"evidence.{detected.extension}", uploaded, save=False)
    evidence.save()


def evidence_response(evidence, label: str):
    """A download of `evidence`'s stored file (an EvidenceFile), named `<label><pk><suffix>`:
    never the user's own file name, which is kept as data only."""
    from pathlib import PurePosixPath

    from django.http import FileResponse

    suffix = PurePosixPath(evidence.file.name).suffix
    return FileResponse(evidence.file.open("rb"), as_attachment=True,
                        filename=f"{label}{evidence.pk}{suffix}")


def evidence_read(request, evidence, *, center, label: str, action: str, target, after=None,
                  units_own: bool = True):
    """`evidence_response` for a reader of `center`'s files; a read of another's file leaves
    the audit row `action` on `target`: by anyone but the center's own unit, or by anyone at
    all when the file is not the unit's own (`units_own` False: the commission's evidence)."""
    from core.audit import audit_record

    from .rules import is_member_of_center_unit

    if not units_own or not is_member_of_center_unit(request.user, center):
        audit_record(action=action, actor=request.user, target=target, request=request,
                     after={"file": evidence.pk, "name": evidence.original_name,
                            **(after or {})})
    return evidence_response(evidence, label)
