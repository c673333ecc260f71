"""Upload types are decided by the file's content, never by its name."""

import zipfile

# detected type -> (extension, MIME type, label shown to users)
ALLOWED_TYPES = {
    "pdf": ("pdf", "application/pdf", "PDF"),
    "jpeg": ("jpg", "image/jpeg", "JPG"),
    "png": ("png", "image/png", "PNG"),
    "docx": ("docx",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
}
ALLOWED_LABELS = "、".join(label for _, _, label in ALLOWED_TYPES.values())


def detect_file_type(uploaded_file) -> str | None:
    """Returns a key of ALLOWED_TYPES, or None for anything else."""
    uploaded_file.seek(0)
    head = uploaded_file.read(8)
    uploaded_file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded_file) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            uploaded_file.seek(0)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None
