"""Importing a center's service records (第十二条) from an Excel workbook (openpyxl).

The template (`import_template_bytes`) has one sheet, 服务记录, one record a row with a 类别
column naming its kind (数字化转型培训, 数字化诊断书 …; the columns a kind does not use stay
empty), plus 填写说明. The enterprises served go in one cell as `名称|统一社会信用代码`, several
separated by `；` (or `;`). `import_parse` checks every row with the same rules as the form
(`records.record_problems`) and collects every error as (row, column, message) in Chinese;
`import_save` stores all rows in one transaction, and only when there is no error: nothing is
ever half imported. The template's sample row is refused if uploaded unchanged.
"""

import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from applications.models import IndustryField
from core.audit import audit_record
from core.cells import cell_date, cell_text

from .enums import ProjectStatus, ServiceKind
from .models import Center, RecordYearClosure, ServiceRecord
from .records import (
    closed_year_message,
    enterprise_problems,
    record_create,
    record_problems,
)

SHEET = "服务记录"
HELP_SHEET = "填写说明"
# (header, key in the record's data)
COLUMNS = [
    ("类别", "kind"),
    ("日期", "occurred_on"),
    ("名称或主题", "title"),
    ("行业领域", "industry_field"),
    ("内容说明", "description"),
    ("服务对象（名称|统一社会信用代码，多个用分号分隔）", "enterprises"),
    ("学时（小时）", "hours"),
    ("参训人数", "participants"),
    ("报送对象", "provided_to"),
    ("合同金额（万元）", "amount"),
    ("项目状态", "project_status"),
    ("验收日期", "accepted_on"),
    ("专利号", "patent_number"),
]
MAX_ROWS = 1000
KIND_BY_LABEL = {label: value for value, label in ServiceKind.choices}
PROJECT_STATUS_BY_LABEL = {label: value for value, label in ProjectStatus.choices}
ENTERPRISE_SEPARATORS = re.compile(r"[；;\n]")
# The template's sample row: uploaded unchanged it would record a training never held.
EXAMPLE_TITLE = "示例：中小企业数字化转型专题培训（导入前请删除本行）"


class ImportFileInvalid(Exception):
    """The file is not a workbook of the template (message in Chinese)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        where = f"第{self.row}行" if self.row else "文件"
        return f"{where}{f'「{self.column}」' if self.column else ''}：{self.message}"


@dataclass
class ParsedImport:
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def import_template_bytes() -> bytes:
    """The .xlsx template: the 服务记录 sheet with Chinese headers and one sample row (a
    training), a list check on 类别 and 项目状态, and 填写说明 naming the kinds, the columns each
    uses, the industry fields and the project statuses."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([header for header, _ in COLUMNS])
    fields = list(IndustryField.objects.filter(is_active=True).values_list("name", flat=True))
    sheet.append([ServiceKind.TRAINING.label, "2026-03-15", EXAMPLE_TITLE, fields[0] if fields
                  else "", "面向园区中小企业的数字化转型政策与实践培训",
                  "青岛示例制造有限公司|913702001234567886", 4, 60, "", "", "", "", ""])
    for column, options in (("A", KIND_BY_LABEL), ("K", PROJECT_STATUS_BY_LABEL)):
        check = DataValidation(type="list", formula1='"' + ",".join(options) + '"',
                               allow_blank=True)
        sheet.add_data_validation(check)
        check.add(f"{column}2:{column}{MAX_ROWS + 1}")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index in range(len(COLUMNS)):
        sheet.column_dimensions[chr(ord("A") + index)].width = 24
    help_sheet = workbook.create_sheet(HELP_SHEET)
    for line in [
        "1. 每行一条服务记录；“类别”“日期”“名称或主题”为必填。第2行为示例，导入前请删除。",
        "2. 日期格式为 2026-03-15；日期所在年度的评价已关闭的，不能导入。",
        "3. 服务对象按“企业名称|统一社会信用代码”填写，多个之间用分号“；”分隔；"
        "数字化诊断书、解决方案、数字化转型项目须至少填写一个服务对象。",
        "4. 数字化转型培训须填写学时和参训人数；行业数字化诊断咨询报告须填写报送对象；"
        "数字化转型项目须填写合同金额（万元）和项目状态，已验收的须填写验收日期；"
        "相关有效专利须填写专利号（ZL加申请号和校验位，如 ZL200310102344.5）。",
        "5. 其他类别不使用的列请留空。",
        f"6. 一次最多导入{MAX_ROWS}行；任一行有误时整个文件不导入，请按提示修改后重新上传。",
        "7. 证明材料请在导入后逐条上传。",
        "",
        "可填写的类别：",
        *KIND_BY_LABEL,
        "",
        "可填写的项目状态：",
        *PROJECT_STATUS_BY_LABEL,
        "",
        "可填写的行业领域：",
        *fields,
    ]:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()




def _decimal(value) -> Decimal | None:
    text = cell_text(value).replace(",", "")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError from None


def _enterprises(text: str) -> list[dict] | None:
    """`名称|代码；名称|代码` → [{"name", "uscc"}]; None when a part has no `|`."""
    found = []
    for part in ENTERPRISE_SEPARATORS.split(text):
        part = part.strip()
        if not part:
            continue
        name, bar, code = part.replace("｜", "|").rpartition("|")
        if not bar:
            return None
        found.append({"name": name.strip(), "uscc": code.strip()})
    return found


def _check_row(number, values, parsed, fields_by_name, closed_years, today, since):
    def add(column, message):
        parsed.errors.append(RowError(number, column, message))

    header = dict((key, h) for h, key in COLUMNS)
    kind = KIND_BY_LABEL.get(cell_text(values["kind"]))
    if kind is None:
        add(header["kind"], "应为以下之一：" + "；".join(KIND_BY_LABEL) + "。")
        return
    data = {"title": cell_text(values["title"])[:200], "description": cell_text(values["description"]),
            "provided_to": cell_text(values["provided_to"])[:200],
            "patent_number": cell_text(values["patent_number"])}
    if data["title"] == EXAMPLE_TITLE:
        add(header["title"], "这是导入模板中的示例行，请删除后再导入。")
        return
    for key in ("occurred_on", "accepted_on"):
        try:
            data[key] = cell_date(values[key])
        except ValueError:
            add(header[key], "不是有效的日期，请按 2026-03-15 的格式填写。")
            data[key] = None
    for key in ("hours", "amount"):
        try:
            data[key] = _decimal(values[key])
        except ValueError:
            add(header[key], "应填写数字。")
            data[key] = None
    participants = _decimal_or_none(values["participants"], add, header["participants"])
    data["participants"] = int(participants) if participants is not None else None
    status_label = cell_text(values["project_status"])
    data["project_status"] = PROJECT_STATUS_BY_LABEL.get(status_label, "")
    if status_label and not data["project_status"]:
        add(header["project_status"], "应为以下之一：" + "；".join(PROJECT_STATUS_BY_LABEL) + "。")
    field_name = cell_text(values["industry_field"])
    data["industry_field"] = fields_by_name.get(field_name)
    if field_name and data["industry_field"] is None:
        add(header["industry_field"], f"没有名为“{field_name}”的行业领域，请按“填写说明”中的名称填写。")
    listed = _enterprises(cell_text(values["enterprises"]))
    if listed is None:
        add(header["enterprises"], "请按“企业名称|统一社会信用代码”填写，多个用分号分隔。")
        listed = []
    enterprises, problems = enterprise_problems(listed)
    for problem in problems:
        add(header["enterprises"], problem)
    bad_date = any(e.row == number and e.column == header["occurred_on"]
                   for e in parsed.errors)
    for problem in record_problems(kind=kind, data=data, enterprises=enterprises, today=today,
                                   since=since):
        if not (bad_date and problem == "请填写日期。"):
            add("", problem)
    if data["occurred_on"] and data["occurred_on"].year in closed_years:
        add(header["occurred_on"], closed_year_message(data["occurred_on"].year))
    parsed.rows.append({"row": number, "kind": kind, "data": data, "enterprises": enterprises})


def _decimal_or_none(value, add, column):
    try:
        number = _decimal(value)
    except ValueError:
        add(column, "应填写整数。")
        return None
    if number is not None and (number != number.to_integral_value() or number < 1):
        add(column, "应填写大于0的整数。")
        return None
    return number


def import_parse(data: bytes, today: datetime.date | None = None,
                 since: datetime.date | None = None) -> ParsedImport:
    """Reads and checks a workbook (bytes of an .xlsx already checked by content). Every row
    is checked; `errors` lists each problem with its row number (as Excel shows it) and
    column. Raises ImportFileInvalid when the workbook cannot be read, has no 服务记录 sheet
    or lacks a column, or has more than MAX_ROWS rows. `since` is the center's designation
    date: a row dated before it is an error."""
    from openpyxl import load_workbook

    today = today or datetime.date.today()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged package
        raise ImportFileInvalid("无法读取该 Excel 文件，请使用下载的导入模板填写后上传。") from error
    try:
        if SHEET not in workbook.sheetnames:
            raise ImportFileInvalid(f"文件中没有“{SHEET}”工作表，请使用下载的导入模板。")
        rows = workbook[SHEET].iter_rows(values_only=True)
        header = [cell_text(v) for v in next(rows, ())]
        missing = [h for h, _ in COLUMNS if h not in header]
        if missing:
            raise ImportFileInvalid(f"缺少“{missing[0]}”列，请使用下载的导入模板。")
        index = {key: header.index(h) for h, key in COLUMNS}
        found = []
        for number, values in enumerate(rows, start=2):
            if values is None or all(cell_text(v) == "" for v in values):
                continue
            if len(found) >= MAX_ROWS:
                raise ImportFileInvalid(f"一次最多导入{MAX_ROWS}行，请分批导入。")
            found.append((number, {key: values[i] if i < len(values) else None
                                   for key, i in index.items()}))
    finally:
        workbook.close()
    parsed = ParsedImport()
    if not found:
        parsed.errors.append(RowError(0, "", "没有可导入的服务记录。"))
        return parsed
    fields_by_name = {f.name: f for f in IndustryField.objects.all()}
    closed_years = set(RecordYearClosure.objects.values_list("year", flat=True))
    for number, values in found:
        _check_row(number, values, parsed, fields_by_name, closed_years, today, since)
    parsed.errors.sort(key=lambda e: e.row)
    return parsed


def import_save(*, center: Center, parsed: ParsedImport, actor, file_name: str = "",
                request=None) -> list[ServiceRecord]:
    """Stores a checked import in one transaction (each row through `records.record_create`,
    with the same checks) and one audit row (`service_record.import`). Returns the records.

    Errors: PermissionDenied for anyone but the center's users; ValidationError when
    `parsed` has errors or a row is refused on saving (nothing is saved)."""
    from .records import RecordError

    if not actor.has_perm("centers.keep_center_records", center):
        raise PermissionDenied("只有赋能中心所在单位的用户可以导入服务记录。")
    if parsed.errors:
        raise ValidationError("导入文件有误，未导入任何服务记录。")
    created = []
    try:
        with transaction.atomic():
            for row in parsed.rows:
                try:
                    created.append(record_create(
                        center=center, actor=actor, kind=row["kind"], data=row["data"],
                        enterprises=row["enterprises"], audit=False))
                except RecordError as error:
                    raise RecordError(f"第{row['row']}行：{error}") from error
            audit_record(action="service_record.import", actor=actor, target=center,
                         note=file_name[:200], request=request,
                         after={"records": len(created),
                                "ids": [r.pk for r in created][:MAX_ROWS]})
    except RecordError as error:
        raise ValidationError(f"导入未完成，未导入任何服务记录：{error}") from error
    return created
