"""Upload types are decided by the file's content, never by its name.

Two checks, both must agree: libmagic (python-magic over Debian's libmagic1) names the family
of the first bytes, and the file must then open as what that family claims:

- PDF: ``%PDF-`` within the first 1024 bytes (a BOM or a CRLF before it is accepted, as PDF
  readers accept it) and ``%%EOF`` at the end;
- JPG/PNG: Pillow opens and verifies the image;
- DOCX/XLSX: an OOXML package ([Content_Types].xml declares the main part, the part exists), and
  no member that does not belong (executables, macros, scripts, paths outside the package);
- OFD (GB/T 33190): a ZIP whose OFD.xml parses with the OFD root element, same member rules;
- DOC/WPS: an OLE2 compound file holding a ``WordDocument`` stream (WPS 文字 writes the same).

The name a file is served under carries the extension of the detected type (``FileType.
extension``), and its stored content type is the detected one.
"""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from xml.etree import ElementTree

import magic
import olefile
from PIL import Image


@dataclass(frozen=True)
class FileType:
    """A detected upload type: ``key`` (pdf, jpeg, png, docx, xlsx, ofd, doc), the extension
    it is stored and served under, its MIME type and the label users read."""

    key: str
    extension: str
    mime: str
    label: str


TYPES = {
    "pdf": FileType("pdf", "pdf", "application/pdf", "PDF"),
    "ofd": FileType("ofd", "ofd", "application/ofd", "OFD"),
    "docx": FileType("docx", "docx",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     "DOCX"),
    "doc": FileType("doc", "doc", "application/msword", "DOC"),
    "wps": FileType("wps", "wps", "application/msword", "WPS"),
    "xlsx": FileType("xlsx", "xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    "jpeg": FileType("jpeg", "jpg", "image/jpeg", "JPG"),
    "png": FileType("png", "png", "image/png", "PNG"),
}
ALLOWED_LABELS = "、".join(t.label for t in TYPES.values())
# For <input type="file" accept=…>: a hint to the browser's picker, never a check.
ACCEPT_ATTRIBUTE = ",".join(f".{t.extension}" for t in TYPES.values()) + ",.jpeg"

HEAD_BYTES = 8192
PDF_HEADER_WINDOW = 1024
PDF_TRAILER_WINDOW = 2048
# A package whose members would inflate past this is refused unopened (a ZIP bomb).
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_XML_BYTES = 5 * 1024 * 1024

ZIP_MIMES = {
    "application/zip", "application/x-zip-compressed", "application/octet-stream",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OLE_MIMES = {
    "application/msword", "application/x-ole-storage", "application/CDFV2",
    "application/vnd.ms-office", "application/vnd.ms-works", "application/octet-stream",
}

# Members that never belong in a document package, by name and by first bytes.
EXECUTABLE_SUFFIXES = {
    ".exe", ".dll", ".com", ".scr", ".pif", ".cpl", ".msi", ".msp", ".sys", ".bat", ".cmd",
    ".ps1", ".psm1", ".vbs", ".vbe", ".js", ".jse", ".wsf", ".wsh", ".hta", ".lnk", ".jar",
    ".apk", ".sh", ".so", ".dylib", ".elf", ".app", ".deb", ".rpm", ".py", ".pl",
}
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe",
                    b"\xce\xfa\xed\xfe", b"#!")
MACRO_NAMES = ("vbaproject", "vbadata", "activex")

CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
OOXML = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
             ("word/",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
             ("xl/",)),
}
OOXML_COMMON_PREFIXES = ("_rels/", "docProps/", "customXml/", "[Content_Types].xml")


def _read_head(uploaded_file, n=HEAD_BYTES) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(n)
    uploaded_file.seek(0)
    return head


def _read_tail(uploaded_file, n) -> bytes:
    uploaded_file.seek(0, io.SEEK_END)
    size = uploaded_file.tell()
    uploaded_file.seek(max(0, size - n))
    tail = uploaded_file.read(n)
    uploaded_file.seek(0)
    return tail


# --- opens as what it claims -------------------------------------------------------------------


def _opens_as_pdf(uploaded_file) -> bool:
    head = _read_head(uploaded_file, PDF_HEADER_WINDOW + 8)
    start = head.find(b"%PDF-")
    if start < 0 or start >= PDF_HEADER_WINDOW:
        return False
    return b"%%EOF" in _read_tail(uploaded_file, PDF_TRAILER_WINDOW)


def _opens_as_image(pillow_format):
    def opens(uploaded_file) -> bool:
        uploaded_file.seek(0)
        try:
            with Image.open(uploaded_file) as image:
                if image.format != pillow_format:
                    return False
                image.verify()
            return True
        except Exception:  # noqa: BLE001 - whatever Pillow refuses is not an image
            return False
        finally:
            uploaded_file.seek(0)
    return opens


def _safe_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo] | None:
    """The members of a document package, or None when one does not belong there."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        return None
    if sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES:
        return None
    for member in members:
        name = member.filename
        path = PurePosixPath(name)
        if name.startswith("/") or "\\" in name or ".." in path.parts:
            return None
        if path.suffix.lower() in EXECUTABLE_SUFFIXES:
            return None
        if any(marker in name.lower() for marker in MACRO_NAMES):
            return None
        if not member.is_dir():
            with archive.open(member) as stream:
                if stream.read(4).startswith(EXECUTABLE_MAGIC):
                    return None
            if path.suffix.lower() == ".bin" and _is_packaged_file(archive, member):
                return None
    return members


def _is_packaged_file(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """An embedded OLE "Package" object carries an arbitrary file (an .exe as easily as a
    PDF); charts, equations and printer settings are other .bin members and stay."""
    if member.file_size > MAX_UNCOMPRESSED_BYTES:
        return True
    data = archive.read(member)
    if not olefile.isOleFile(data):
        return False
    with olefile.OleFileIO(data) as ole:
        return ole.exists("\x01Ole10Native")


def _parse_member(archive: zipfile.ZipFile, name: str):
    info = archive.getinfo(name)
    if info.file_size > MAX_XML_BYTES:
        raise ValueError("XML part too large")
    return ElementTree.fromstring(archive.read(info))


def _open_zip(uploaded_file):
    uploaded_file.seek(0)
    try:
        return zipfile.ZipFile(uploaded_file)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _opens_as_ooxml(kind):
    main_type, own_prefixes = OOXML[kind]

    def opens(uploaded_file) -> bool:
        archive = _open_zip(uploaded_file)
        if archive is None:
            return False
        try:
            with archive:
                members = _safe_members(archive)
                if members is None:
                    return False
                names = {m.filename for m in members}
                types = _parse_member(archive, "[Content_Types].xml")
                main_parts = [
                    o.get("PartName", "").lstrip("/")
                    for o in types.iter(f"{CONTENT_TYPES_NS}Override")
                    if o.get("ContentType") == main_type
                ]
                if len(main_parts) != 1 or main_parts[0] not in names:
                    return False
                _parse_member(archive, main_parts[0])
                allowed = own_prefixes + OOXML_COMMON_PREFIXES
                return all(name.startswith(allowed) for name in names)
        except (KeyError, ValueError, ElementTree.ParseError, zipfile.BadZipFile, OSError,
                RuntimeError, EOFError):
            return False
        finally:
            uploaded_file.seek(0)
    return opens


def _opens_as_ofd(uploaded_file) -> bool:
    """GB/T 33190: the package's entry file OFD.xml, root element ofd:OFD with a DocBody."""
    archive = _open_zip(uploaded_file)
    if archive is None:
        return False
    try:
        with archive:
            if _safe_members(archive) is None:
                return False
            root = _parse_member(archive, "OFD.xml")
            if root.tag.rsplit("}", 1)[-1] != "OFD":
                return False
            return any(child.tag.rsplit("}", 1)[-1] == "DocBody" for child in root)
    except (KeyError, ValueError, ElementTree.ParseError, zipfile.BadZipFile, OSError,
            RuntimeError, EOFError):
        return False
    finally:
        uploaded_file.seek(0)


def _opens_as_word_binary(uploaded_file) -> bool:
    """DOC and WPS 文字 files: OLE2 compound files with a WordDocument stream."""
    uploaded_file.seek(0)
    try:
        if not olefile.isOleFile(uploaded_file):
            return False
        uploaded_file.seek(0)
        with olefile.OleFileIO(uploaded_file) as ole:
            return (ole.exists("WordDocument")
                    and ole.get_type("WordDocument") == olefile.STGTY_STREAM)
    except Exception:  # noqa: BLE001 - a damaged compound file is simply not a document
        return False
    finally:
        uploaded_file.seek(0)


# libmagic's MIME type of the first bytes -> the types it may be, in the order they are tried.
CANDIDATES = [
    ({"application/pdf"}, ("pdf", _opens_as_pdf)),
    ({"image/jpeg"}, ("jpeg", _opens_as_image("JPEG"))),
    ({"image/png"}, ("png", _opens_as_image("PNG"))),
    (ZIP_MIMES, ("docx", _opens_as_ooxml("docx"))),
    (ZIP_MIMES, ("xlsx", _opens_as_ooxml("xlsx"))),
    (ZIP_MIMES, ("ofd", _opens_as_ofd)),
    (OLE_MIMES, ("doc", _opens_as_word_binary)),
]


def detect_file_type(uploaded_file, name: str = "") -> FileType | None:
    """The type of an uploaded file by its content, or None when it is none of ours.

    ``name`` (the user's file name) only chooses between the two names of the same content:
    a Word binary document is served as .wps when it was uploaded as one, else as .doc."""
    head = _read_head(uploaded_file)
    if not head:
        return None
    mime = magic.from_buffer(head, mime=True)
    keys_tried = set()
    for mimes, (key, opens) in CANDIDATES:
        claimed = mime in mimes
        # libmagic wants %PDF- at offset 0; PDF readers accept it anywhere in the first 1024
        # bytes (a BOM, a CRLF, a mail header left in front).
        if key == "pdf" and not claimed:
            claimed = b"%PDF-" in head[:PDF_HEADER_WINDOW + 5]
        if claimed and key not in keys_tried:
            keys_tried.add(key)
            if opens(uploaded_file):
                if key == "doc" and name.lower().endswith(".wps"):
                    return TYPES["wps"]
                return TYPES[key]
    return None
