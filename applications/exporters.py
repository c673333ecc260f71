"""Applications as table rows, once; rendered as xlsx for the staff export and the admin.

The columns follow the 申报表 forms (`forms.py`): a field added to a form appears here without
a second list to keep in step.
"""

import datetime
import io
import itertools
import unicodedata
from collections.abc import Callable, Iterable, Iterator

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .enums import UnitRole
from .forms import CenterForm, GoalsForm, PlanForm, ServiceForm, UnitForm
from .models import Application, ApplicationUnit, Attachment

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel refuses longer cell texts.
_EXCEL_MAX_CHARS = 32767
_MIN_WIDTH, _MAX_WIDTH, _HEADER_WIDTH = 8, 50, 20
# Applications read from the database at a time, their units prefetched per chunk: the worker's
# memory holds one chunk, never the whole selection.
EXPORT_CHUNK_SIZE = 500
# The rows that size the columns: a write-only sheet must declare its widths before its rows.
_WIDTH_SAMPLE_ROWS = 200


def _field_value(instance, name):
    """A model field's value as the form shows it: choice labels, 是/否, names, local times."""
    if instance is None:
        return None
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value is None or value == "":
        return None
    if field.choices:
        return getattr(instance, f"get_{name}_display")()
    if field.is_relation:
        return str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: Beijing time, as everywhere on the portal.
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _label(model, name):
    return str(model._meta.get_field(name).verbose_name)


Column = tuple[str, Callable[[Application], object]]


def _application_columns(names, prefix="") -> list[Column]:
    return [(prefix + _label(Application, name),
             lambda a, name=name: _field_value(a, name)) for name in names]


def _unit_columns(role: UnitRole, prefix: str) -> list[Column]:
    def unit(application):
        return application.lead_unit if role == UnitRole.LEAD else application.joint_unit

    columns = [(prefix + _label(ApplicationUnit, name),
                lambda a, name=name: _field_value(unit(a), name))
               for name in UnitForm.Meta.fields]
    columns.append((prefix + "研发投入占营业收入比例（%）",
                    lambda a: unit(a).rd_ratio_percent if unit(a) else None))
    return columns


def _columns() -> list[Column]:
    return [
        ("申报编号", lambda a: a.pk),
        ("申报通知", lambda a: a.call.title),
        ("年度", lambda a: a.call.year),
        *_application_columns(["status"]),
        ("报送去向", lambda a: a.destination_label or None),
        *_application_columns(["routed_department", "routed_to_commission",
                               "submitted_at", "created_at", "updated_at"]),
        # 一、单位基本情况
        *_unit_columns(UnitRole.LEAD, "承建主体："),
        *_application_columns(["has_joint_unit"]),
        *_unit_columns(UnitRole.JOINT, "联合承建主体："),
        # 二、赋能中心基本情况; 三、四 carry their numbers in their labels.
        *_application_columns(CenterForm.Meta.fields),
        *_application_columns(ServiceForm.Meta.fields),
        *_application_columns(GoalsForm.Meta.fields, prefix="五、建设目标："),
        *_application_columns(PlanForm.Meta.fields, prefix="建设方案："),
        # 承建单位意见 / 联合申报单位意见
        *_application_columns(["lead_commitment_at", "joint_commitment_at"]),
        ("附件数量", lambda a: a.attachment_count),
    ]


def application_export_queryset(queryset):
    """Everything the rows read, in a fixed number of queries per chunk of rows.

    The attachments are counted in a subquery: a join would make the database group every
    selected application before the first row comes out."""
    queryset = queryset.select_related(
        "call", "organisation", "industry_field", "routed_department"
    ).prefetch_related(
        Prefetch("units", queryset=ApplicationUnit.objects.order_by("role")),
    )
    if "attachment_count" not in queryset.query.annotations:
        attachments = (Attachment.objects.filter(application=OuterRef("pk"))
                       .order_by().values("application").annotate(n=Count("pk")).values("n"))
        queryset = queryset.annotate(attachment_count=Coalesce(
            Subquery(attachments, output_field=IntegerField()), 0))
    return queryset


def application_export_headers() -> list[str]:
    return [header for header, _ in _columns()]


def application_export_rows(queryset, *, chunk_size: int | None = None,
                            on_chunk: Callable[[int], None] | None = None) -> Iterator[list]:
    """One header row, then one row per application with every field of the 申报表.

    The applications are streamed from the database `chunk_size` at a time (their units are
    prefetched per chunk, never in one `IN` list of the whole selection); `on_chunk(rows_done)`
    is called after each full chunk has been handed on."""
    chunk_size = chunk_size or EXPORT_CHUNK_SIZE
    columns = _columns()
    yield [header for header, _ in columns]
    done = 0
    for application in application_export_queryset(queryset).iterator(chunk_size=chunk_size):
        row = [value(application) for _, value in columns]
        # The prefetched units point back at their application: a cycle that only the garbage
        # collector's rare full pass would free, so memory would grow with the row count.
        application._prefetched_objects_cache = {}
        yield row
        done += 1
        if on_chunk is not None and done % chunk_size == 0:
            on_chunk(done)


# --- xlsx ------------------------------------------------------------------------------------


def _display_width(text: str) -> int:
    # Chinese characters take two columns of Excel's width unit.
    longest = max(text.splitlines() or [""], key=len)
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


def write_xlsx(rows: Iterable[Iterable], target, *, sheet_title: str = "申报汇总") -> int:
    """Writes `rows` to `target` (a path or a binary file) as one xlsx sheet and returns the
    number of rows after the header.

    The first row is the header: bold, frozen, with a filter; columns sized to the text of the
    first rows. openpyxl's write-only mode sends each row to a temporary file as it comes, so
    memory stays flat whatever the number of rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
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
        sheet.append([_sheet_value(sheet, value) for value in row])
        count += 1
    if header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"
    workbook.save(target)
    return count


def rows_to_xlsx(rows: Iterable[Iterable], *, sheet_title: str = "申报汇总") -> bytes:
    """`write_xlsx` into memory, for selections small enough to build in a request."""
    buffer = io.BytesIO()
    write_xlsx(rows, buffer, sheet_title=sheet_title)
    return buffer.getvalue()
