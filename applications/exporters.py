"""Applications as table rows, once; rendered as xlsx for the staff export and the admin.

The columns follow the 申报表 forms (`forms.py`): a field added to a form appears here without
a second list to keep in step.
"""

import datetime
import io
import unicodedata
from collections.abc import Callable, Iterable, Iterator

from django.db.models import Count, Prefetch
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .enums import UnitRole
from .forms import CenterForm, GoalsForm, PlanForm, ServiceForm, UnitForm
from .models import Application, ApplicationUnit

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel refuses longer cell texts.
_EXCEL_MAX_CHARS = 32767
_MIN_WIDTH, _MAX_WIDTH, _HEADER_WIDTH = 8, 50, 20


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
    """Everything the rows read, in a fixed number of queries whatever the number of rows."""
    queryset = queryset.select_related(
        "call", "organisation", "industry_field", "routed_department"
    ).prefetch_related(
        Prefetch("units", queryset=ApplicationUnit.objects.order_by("role")),
    )
    if "attachment_count" not in queryset.query.annotations:
        queryset = queryset.annotate(attachment_count=Count("attachments"))
    return queryset


def application_export_headers() -> list[str]:
    return [header for header, _ in _columns()]


def application_export_rows(queryset) -> Iterator[list]:
    """One header row, then one row per application with every field of the 申报表."""
    columns = _columns()
    yield [header for header, _ in columns]
    for application in application_export_queryset(queryset):
        yield [value(application) for _, value in columns]


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


def rows_to_xlsx(rows: Iterable[Iterable], *, sheet_title: str = "申报汇总") -> bytes:
    """The first row is the header: bold, frozen, with a filter; columns sized to their text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    widths: dict[int, int] = {}
    bold = Font(bold=True)
    header_alignment = Alignment(wrap_text=True, vertical="center")
    last_column = 0
    for row_index, row in enumerate(rows, start=1):
        for column_index, value in enumerate(row, start=1):
            if isinstance(value, str):
                value = _cell_text(value)
            cell = sheet.cell(row=row_index, column=column_index, value=value)
            if isinstance(value, str):
                # Applicants type these texts: a leading "=" must stay text, never a formula.
                cell.data_type = "s"
                width = _display_width(value)
            elif isinstance(value, datetime.datetime):
                width = 19
            elif isinstance(value, datetime.date):
                width = 10
            else:
                width = len(str(value)) if value is not None else 0
            if row_index == 1:
                cell.font = bold
                cell.alignment = header_alignment
                width = min(width, _HEADER_WIDTH)  # long labels wrap rather than widen
            widths[column_index] = max(widths.get(column_index, 0), width)
            last_column = max(last_column, column_index)
    sheet.freeze_panes = "A2"
    if last_column:
        sheet.auto_filter.ref = f"A1:{get_column_letter(last_column)}{sheet.max_row}"
    for column_index, width in widths.items():
        sheet.column_dimensions[get_column_letter(column_index)].width = min(
            _MAX_WIDTH, max(_MIN_WIDTH, width + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
