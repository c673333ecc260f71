"""Small, valid documents of every accepted upload type, made in code: the demo data uploads
them and the tests check the type recognition against them (no binary fixtures in the tree)."""

import io
import struct
import zipfile
from xml.sax.saxutils import escape

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def _zip(members: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _content_types(main_part: str, main_type: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{main_type}"/>'
        "</Types>"
    )


def _rels(main_part: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/officeDocument" Target="{main_part}"/></Relationships>'
    )


def sample_docx(text: str = "建设方案", extra: dict | None = None) -> bytes:
    """A one-paragraph Word document (OOXML). ``extra`` adds members, e.g. an .exe."""
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:body></w:document>"
    )
    return _zip({"[Content_Types].xml": _content_types("word/document.xml", WORD_MAIN),
                 "_rels/.rels": _rels("word/document.xml"),
                 "word/document.xml": document, **(extra or {})})


def sample_xlsx() -> bytes:
    """An empty workbook made by openpyxl, as Excel would write it."""
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def sample_ofd(text: str = "申报表") -> bytes:
    """A minimal OFD package (GB/T 33190-2016): OFD.xml naming one document and its page."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    return _zip({
        "OFD.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0" DocType="OFD">'
            f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>demo</ofd:DocID><ofd:Title>{escape(text)}"
            "</ofd:Title></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
            "</ofd:DocBody></ofd:OFD>"
        ),
        "Doc_0/Document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:CommonData>'
            "<ofd:MaxUnitID>1</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297"
            "</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages>"
            '<ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>'
        ),
        "Doc_0/Pages/Page_0/Content.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content/></ofd:Page>'
        ),
    })


def _cfb(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (MS-CFB, version 3, 512-byte sectors) holding ``streams`` in its
    root storage. Each stream is padded to 4096 bytes so that it lives in regular sectors."""
    sector = 512
    end, free, fat_sect, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    names = list(streams)
    data = [streams[n].ljust(4096, b"\0") for n in names]
    dir_entries = 1 + len(names)
    dir_sectors = -(-dir_entries * 128 // sector)
    fat = [fat_sect]
    fat += [i + 2 for i in range(dir_sectors - 1)] + [end]  # directory chain from sector 1
    first_sectors = []
    for blob in data:
        start = len(fat)
        count = len(blob) // sector
        first_sectors.append(start)
        fat += [start + i + 1 for i in range(count - 1)] + [end]
    assert len(fat) <= sector // 4
    fat += [free] * (sector // 4 - len(fat))

    def entry(name, kind, start, size, child=no_stream, left=no_stream, right=no_stream):
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", left, right, child) + b"\0" * 16 + b"\0" * 4
                + b"\0" * 16 + struct.pack("<IQ", start, size))

    # The root's children as a chain of right siblings (a valid, if degenerate, tree).
    entries = [entry("Root Entry", 5, end, 0, child=1 if names else no_stream)]
    for i, (name, blob) in enumerate(zip(names, data, strict=True)):
        right = i + 2 if i + 1 < len(names) else no_stream
        entries.append(entry(name, 2, first_sectors[i], len(streams[name]), right=right))
    directory = b"".join(entries).ljust(dir_sectors * sector, b"\0")

    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    assert len(header) == sector
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + b"".join(data)


def sample_doc(text: str = "建设方案") -> bytes:
    """A Word 97–2003 / WPS 文字 shaped compound file: a WordDocument stream (FIB magic
    0xA5EC) and a 1Table stream. Enough for type recognition, not for a word processor."""
    word = struct.pack("<HH", 0xA5EC, 0x00C1) + text.encode("utf-16-le")
    return _cfb({"WordDocument": word, "1Table": b"\0" * 16})


def sample_ole_without_word() -> bytes:
    """An OLE2 file that is not a word-processing document (as an .msi installer is)."""
    return _cfb({"Installer": b"\0" * 32})
