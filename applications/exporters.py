"""Applications as table rows, once; rendered as xlsx for the staff export and the admin.

The columns follow the 申报表 forms (`forms.py`): a field added to a form appears here without
a second list to keep in step.
"""

import datetime
import decimal
import io
import itertools
import math
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator

from django.db.models import Count, FilteredRelation, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from et_xmlfile import xmlfile as et_xmlfile
from openpyxl import LXML, Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import SHEET_MAIN_NS

from .enums import UnitRole
from .forms import CenterForm, GoalsForm, PlanForm, ServiceForm, UnitForm
from .models import Application, ApplicationUnit, Attachment, destination_label, rd_ratio_percent

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel refuses longer cell texts.
_EXCEL_MAX_CHARS = 32767
_MIN_WIDTH, _MAX_WIDTH, _HEADER_WIDTH = 8, 50, 20
# Applications read from the database at a time (one server-side cursor on PostgreSQL, fetched
# `EXPORT_CHUNK_SIZE` rows at a time): the worker's memory holds one chunk, never the selection.
EXPORT_CHUNK_SIZE = 500
# The rows that size the columns: a write-only sheet must declare its widths before its rows.
_WIDTH_SAMPLE_ROWS = 200
_COMPRESS_LEVEL = 3

# The lead and the joint unit, joined to their application (one row each at most: the
# one_unit_per_role constraint), so one query reads a whole row of the export.
_UNIT_RELATIONS = {UnitRole.LEAD: "export_lead_unit", UnitRole.JOINT: "export_joint_unit"}


def _converter(field) -> Callable[[object], object]:
    """How a model field's stored value is shown, as the form shows it: choice labels, 是/否,
    names, Beijing local times; None for empty. Decided once per column, not per cell."""
    if field.choices:
        labels = {value: str(label) for value, label in field.flatchoices}
        return lambda value: None if value is None or value == "" else labels.get(value, value)
    if field.get_internal_type() == "BooleanField":
        return lambda value: None if value is None else ("是" if value else "否")
    if field.get_internal_type() == "DateTimeField":
        zone = timezone.get_current_timezone()
        # Excel has no time zones: Beijing time, as everywhere on the portal.
        return lambda value: None if value is None else value.astimezone(zone).replace(tzinfo=None)
    return lambda value: None if value == "" else value


class _Reads:
    """The columns one export query selects (`values_list` names), each read once per row."""

    def __init__(self):
        self.names: list[str] = []
        self.relations: dict[str, object] = {}  # selected FK column → its model

    def index(self, name: str) -> int:
        if name not in self.names:
            self.names.append(name)
        return self.names.index(name)

    def field(self, model, name: str, prefix: str = "") -> Callable[[tuple, dict], object]:
        field = model._meta.get_field(name)
        if field.is_relation:
            # The related object's name (its __str__), looked up from the ids: see _names.
            at = self.index(prefix + field.attname)
            self.relations[prefix + field.attname] = field.related_model
            return lambda row, names: names[at].get(row[at])
        at = self.index(prefix + name)
        convert = _converter(field)
        return lambda row, names: convert(row[at])


Column = tuple[str, Callable[[tuple, dict], object]]


def _label(model, name):
    return str(model._meta.get_field(name).verbose_name)


def _application_columns(reads: _Reads, names, prefix="") -> list[Column]:
    return [(prefix + _label(Application, name), reads.field(Application, name))
            for name in names]


def _unit_columns(reads: _Reads, role: UnitRole, prefix: str) -> list[Column]:
    relation = _UNIT_RELATIONS[role] + "__"
    if role == UnitRole.JOINT:
        # As on the forms: a joint unit left behind after choosing 无 is not shown.
        present_at = reads.index("has_joint_unit")
    else:
        present_at = None

    def shown(read):
        if present_at is None:
            return read
        return lambda row, names: read(row, names) if row[present_at] else None

    columns = [(prefix + _label(ApplicationUnit, name),
                shown(reads.field(ApplicationUnit, name, relation)))
               for name in UnitForm.Meta.fields]
    rd_at = reads.index(relation + "rd_investment_last_year")
    revenue_at = reads.index(relation + "revenue_last_year")
    columns.append((prefix + "研发投入占营业收入比例（%）",
                    shown(lambda row, names: rd_ratio_percent(row[rd_at], row[revenue_at]))))
    return columns


def _columns(reads: _Reads) -> list[Column]:
    """The export's columns in order: (header, read(row, names) → the cell's value)."""
    call_title, call_year = reads.index("call__title"), reads.index("call__year")
    to_commission, basis = reads.index("routed_to_commission"), reads.index("routing_basis")
    department = reads.index("routed_department__name")
    attachments = reads.index("attachment_count")
    return [
        # 系统编号 identifies every row, drafts included; 申报编号 is the receipt's number,
        # given at the first submission.
        ("系统编号", lambda row, names, at=reads.index("pk"): row[at]),
        ("申报编号", lambda row, names, at=reads.index("receipt_number"): row[at]),
        ("申报通知", lambda row, names: row[call_title]),
        ("年度", lambda row, names: row[call_year]),
        *_application_columns(reads, ["status"]),
        ("报送去向", lambda row, names: destination_label(
            routed_to_commission=row[to_commission], routing_basis=row[basis],
            department_name=row[department]) or None),
        *_application_columns(reads, ["routed_department", "routed_to_commission",
                                      "submitted_at", "created_at", "updated_at"]),
        # 一、单位基本情况
        *_unit_columns(reads, UnitRole.LEAD, "承建主体："),
        *_application_columns(reads, ["has_joint_unit"]),
        *_unit_columns(reads, UnitRole.JOINT, "联合承建主体："),
        # 二、赋能中心基本情况; 三、四 carry their numbers in their labels.
        *_application_columns(reads, CenterForm.Meta.fields),
        *_application_columns(reads, ServiceForm.Meta.fields),
        *_application_columns(reads, GoalsForm.Meta.fields, prefix="五、建设目标："),
        *_application_columns(reads, PlanForm.Meta.fields, prefix="建设方案："),
        # 承建单位意见 / 联合申报单位意见
        *_application_columns(reads, ["lead_commitment_at", "joint_commitment_at"]),
        ("附件数量", lambda row, names: row[attachments]),
    ]


def _with_units(queryset):
    return queryset.alias(**{
        relation: FilteredRelation("units", condition=Q(units__role=role))
        for role, relation in _UNIT_RELATIONS.items()})


def application_export_queryset(queryset, names: list[str]):
    """`queryset` as tuples of the columns `names`: one query, no model instance per row.

    The units are joined by role (at most one row each); the attachments are counted in a
    subquery: a join would make the database group every selected application before the
    first row comes out."""
    queryset = _with_units(queryset)
    if "attachment_count" not in queryset.query.annotations:
        attachments = (Attachment.objects.filter(application=OuterRef("pk"))
                       .order_by().values("application").annotate(n=Count("pk")).values("n"))
        queryset = queryset.annotate(attachment_count=Coalesce(
            Subquery(attachments, output_field=IntegerField()), 0))
    return queryset.values_list(*names)


def _names(reads: _Reads, queryset) -> dict[int, dict]:
    """Per selected FK column, {id: str(related object)} for the ids the selection holds: one
    small query per relation, whatever the number of rows."""
    names = {}
    for name, model in reads.relations.items():
        ids = _with_units(queryset).order_by().values(name)
        names[reads.index(name)] = {obj.pk: str(obj)
                                    for obj in model._default_manager.filter(pk__in=ids)}
    return names


def application_export_headers() -> list[str]:
    return [header for header, _ in _columns(_Reads())]


def application_export_rows(queryset, *, chunk_size: int | None = None,
                            on_chunk: Callable[[int], None] | None = None) -> Iterator[list]:
    """One header row, then one row (a list of cell values) per application with every field
    of the 申报表, in the order of `queryset`.

    The applications are streamed from the database `chunk_size` at a time through one
    query (a server-side cursor on PostgreSQL); `on_chunk(rows_done)` is called after each
    full chunk has been handed on."""
    chunk_size = chunk_size or EXPORT_CHUNK_SIZE
    reads = _Reads()
    columns = _columns(reads)
    yield [header for header, _ in columns]
    names = _names(reads, queryset)
    readers = [read for _, read in columns]
    done = 0
    for row in application_export_queryset(queryset, reads.names).iterator(
            chunk_size=chunk_size):
        yield [read(row, names) for read in readers]
        done += 1
        if on_chunk is not None and done % chunk_size == 0:
            on_chunk(done)


# --- xlsx ------------------------------------------------------------------------------------


def _display_width(text: str) -> int:
    # Chinese characters take two columns of Excel's width unit.
    # Past the widest column allowed, the rest of the line does not matter.
    longest = max(text.splitlines() or [""], key=len)[:_MAX_WIDTH]
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def _cell_text(value) -> str:
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(text) > _EXCEL_MAX_CHARS:
        text = text[: _EXCEL_MAX_CHARS - 12] + "……（内容过长，已截断）"
    return text


def _column_width(value) -> int:
    if isinstance(value, str):
        return _display_width(value)
    if isinstance(value, datetime.datetime):
        return 19
    if isinstance(value, datetime.date):
        return 10
    return len(str(value)) if value is not None else 0


def _sheet_value(sheet, value):
    if not isinstance(value, str):
        return value
    value = _cell_text(value)
    if value.startswith("=") or value in ERROR_CODES:
        # Applicants type these texts: a leading "=" must stay text, never a formula.
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value


def _escape(text: str) -> str:
    # What ElementTree escapes in element text (openpyxl's own writer without lxml).
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


class _BodyRow(list):
    """A row of plain values (None, texts, numbers, dates) for `_RowWriter`."""


class _RowWriter(WorksheetWriter):
    """openpyxl's worksheet writer, with each body row written as one XML string.

    openpyxl writes every value through a Cell object and an XML element (about 12 µs a cell:
    10 s of the export's 820,000 cells). The body rows hold only texts, numbers, dates and
    None, and are written here as the XML openpyxl writes for them: texts as inline strings
    (never formulas), numbers as "%.16g", dates as serials with openpyxl's own date styles,
    empty cells left out. A row holding anything else goes through openpyxl's cells. The
    header (styled), widths, frozen pane, filter and the package stay openpyxl's. This uses
    openpyxl 3.1's write-only writer (`WorksheetWriter`, pinned in the lock files);
    tests/applications/test_export_streaming.py reads the file back against openpyxl's own."""

    def __init__(self, ws):
        super().__init__(ws)
        workbook = ws.parent
        self._epoch = workbook.epoch
        # Registers openpyxl's number formats for dates in the workbook's styles.
        self._styles = {kind: WriteOnlyCell(ws, sample).style_id for kind, sample in (
            (datetime.datetime, datetime.datetime(2000, 1, 1)),
            (datetime.date, datetime.date(2000, 1, 1)))}
        self._letters = []

    def get_stream(self):
        # openpyxl's, always with et_xmlfile, whose writer also takes text already in XML.
        with et_xmlfile(self.out) as xf:
            with xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                try:
                    while True:
                        element = (yield)
                        if element is True:
                            yield xf
                        elif element is not None:
                            xf.write(element)
                except GeneratorExit:
                    pass

    def write_row(self, xf, row, row_idx):
        if type(row) is _BodyRow:
            xml = self._row_xml(row, row_idx)
            if xml is not None:
                xf._file(xml)
                return
            row = WriteOnlyWorksheet._values_to_row(
                self.ws, [_sheet_value(self.ws, value) for value in row], row_idx)
        super().write_row(xf, row, row_idx)

    def _row_xml(self, values, row_idx) -> str | None:
        """The row's XML, or None when a value is not one this writer handles."""
        letters = self._letters
        while len(letters) < len(values):
            letters.append(get_column_letter(len(letters) + 1))
        parts = [f'<row r="{row_idx}">']
        append, illegal = parts.append, ILLEGAL_CHARACTERS_RE.sub
        for letter, value in zip(letters, values):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                text = illegal("", value)
                if len(text) > _EXCEL_MAX_CHARS:
                    text = _cell_text(text)
                elif not text:
                    append(f'<c r="{letter}{row_idx}" t="inlineStr"/>')
                    continue
                stripped = text.strip()
                space = ' xml:space="preserve"' if stripped and stripped != text else ""
                if "&" in text or "<" in text or ">" in text:
                    text = _escape(text)
                append(f'<c r="{letter}{row_idx}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
            elif kind is int or kind is float or kind is decimal.Decimal:
                if not math.isfinite(value):
                    return None
                append(f'<c r="{letter}{row_idx}" t="n"><v>{"%.16g" % value}</v></c>')
            elif kind is datetime.datetime or kind is datetime.date:
                if kind is datetime.datetime and value.tzinfo is not None:
                    return None
                append(f'<c r="{letter}{row_idx}" s="{self._styles[kind]}" t="n"><v>'
                       f'{"%.16g" % to_excel(value, self._epoch)}</v></c>')
            else:
                return None
        parts.append("</row>")
        return "".join(parts)


class _RowSheet(WriteOnlyWorksheet):
    """openpyxl's write-only sheet whose `_BodyRow`s go to `_RowWriter` as they are."""

    def _get_writer(self):
        if self._writer is None:
            self._writer = _RowWriter(self)
            self._writer.write_top()

    def _values_to_row(self, values, row_idx):
        if type(values) is _BodyRow:
            return values
        return super()._values_to_row(values, row_idx)


def write_xlsx(rows: Iterable[Iterable], target, *, sheet_title: str = "申报汇总") -> int:
    """Writes `rows` to `target` (a path or a binary file) as one xlsx sheet and returns the
    number of rows after the header.

    The first row is the header: bold, frozen, with a filter; columns sized to the text of the
    first rows. Texts are cleared of characters Excel refuses, cut at its 32,767 characters and
    never read as formulas. openpyxl's write-only mode sends each row to a temporary file as it
    comes, so memory stays flat whatever the number of rows."""
    workbook = Workbook(write_only=True)
    if LXML:
        # openpyxl then writes through lxml, which `_RowWriter` cannot add text to.
        sheet = workbook.create_sheet(sheet_title)
    else:
        sheet = _RowSheet(parent=workbook, title=sheet_title)
        workbook._add_sheet(sheet)
    rows = iter(rows)
    header = list(next(rows, []))
    sample = [list(row) for row in itertools.islice(rows, _WIDTH_SAMPLE_ROWS)]
    for column_index, title in enumerate(header, start=1):
        # Long labels wrap rather than widen.
        width = min(_column_width(title), _HEADER_WIDTH)
        for row in sample:
            if column_index <= len(row):
                width = max(width, _column_width(row[column_index - 1]))
        sheet.column_dimensions[get_column_letter(column_index)].width = min(
            _MAX_WIDTH, max(_MIN_WIDTH, width + 2))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_alignment = Alignment(wrap_text=True, vertical="center")
    header_cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, _cell_text(str(title)))
        cell.data_type = "s"
        cell.font = bold
        cell.alignment = header_alignment
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in itertools.chain(sample, rows):
        if LXML:
            sheet.append([_sheet_value(sheet, value) for value in row])
        else:
            sheet.append(_BodyRow(row))
        count += 1
    if header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"
    # Deflate at level 3 rather than zipfile's 6: a third of the time for a file about a tenth
    # larger (the sheet's XML is about 18 KB an application before compression).
    archive = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True,
                              compresslevel=_COMPRESS_LEVEL)
    workbook.properties.modified = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    ExcelWriter(workbook, archive).save()
    return count


def rows_to_xlsx(rows: Iterable[Iterable], *, sheet_title: str = "申报汇总") -> bytes:
    """`write_xlsx` into memory, for selections small enough to build in a request."""
    buffer = io.BytesIO()
    write_xlsx(rows, buffer, sheet_title=sheet_title)
    return buffer.getvalue()
