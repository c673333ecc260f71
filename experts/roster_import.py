"""Importing experts into the roster (第四条) from an Excel workbook (openpyxl).

The template (`import_template_bytes`) has two sheets: 专家名单 (one expert a row) and 关联关系
(the ties each expert declares, linked to the expert by 姓名 and 工作单位 of the same workbook),
plus 填写说明. `import_parse` reads a workbook and checks every row, collecting every error as
(sheet, row, column, message) in Chinese; `import_save` stores everything in one transaction,
and only when there is no error: nothing is ever half imported.
"""

import datetime
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction

from accounts.validators import normalize_phone, normalize_uscc, validate_mobile, validate_uscc
from applications.models import IndustryField
from core.audit import audit_record
from core.cells import cell_date, cell_text

from .enums import MembershipStatus, TieKind
from .models import CommitteeMembership, Expert, ExpertTie, normalize_unit_name

EXPERT_SHEET = "专家名单"
TIE_SHEET = "关联关系"
HELP_SHEET = "填写说明"

# (header, required, max length or None)
EXPERT_COLUMNS = [
    ("姓名", True, 50),
    ("工作单位", True, 200),
    ("工作单位统一社会信用代码", False, None),
    ("职称/职务", False, 100),
    ("专业领域", True, None),
    ("手机号码", False, None),
    ("电子邮箱", False, 254),
    ("聘期开始", True, None),
    ("聘期结束", False, None),
]
TIE_COLUMNS = [
    ("姓名", True, 50),
    ("工作单位", True, 200),
    ("关联单位", True, 200),
    ("关联单位统一社会信用代码", False, None),
    ("关系类型", True, None),
    ("开始日期", False, None),
    ("结束日期", False, None),
    ("说明", False, 300),
]
FIELD_SEPARATORS = re.compile(r"[、，,；;/]")
MAX_ROWS = 2000
TIE_KIND_BY_LABEL = {label: value for value, label in TieKind.choices}


class ImportFileInvalid(Exception):
    """The file is not a workbook of the template (message in Chinese)."""


# The template's sample row: uploaded unchanged it would add a person who does not exist.
EXAMPLE_NAME, EXAMPLE_EMPLOYER = "张三", "青岛示例大学"


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self):
        where = f"“{self.sheet}”第{self.row}行" if self.row else f"“{self.sheet}”"
        return f"{where}{f'「{self.column}」' if self.column else ''}：{self.message}"


@dataclass
class ParsedImport:
    experts: list[dict] = field(default_factory=list)
    ties: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def import_template_bytes() -> bytes:
    """The .xlsx template with Chinese headers, a sample row on each sheet and a 填写说明
    sheet listing the industry fields and relation types accepted."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    experts = workbook.active
    experts.title = EXPERT_SHEET
    experts.append([c[0] for c in EXPERT_COLUMNS])
    fields = list(IndustryField.objects.filter(is_active=True).values_list("name", flat=True))
    experts.append([EXAMPLE_NAME, EXAMPLE_EMPLOYER, "", "教授", "、".join(fields[:2]) or "智能家电",
                    "13800000000", "zhangsan@example.com", "2026-01-01", "2028-12-31"])
    ties = workbook.create_sheet(TIE_SHEET)
    ties.append([c[0] for c in TIE_COLUMNS])
    ties.append([EXAMPLE_NAME, EXAMPLE_EMPLOYER, "青岛示例科技有限公司", "", TieKind.CONSULTING.label,
                 "2024-01-01", "2025-06-30", "技术顾问"])
    kinds = DataValidation(type="list", formula1='"' + ",".join(
        label for label in TIE_KIND_BY_LABEL if "," not in label) + '"', allow_blank=True)
    ties.add_data_validation(kinds)
    kinds.add("E2:E2000")
    for sheet in (experts, ties):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column in "ABCDEFGHI":
            sheet.column_dimensions[column].width = 22
    help_sheet = workbook.create_sheet(HELP_SHEET)
    for line in [
        "1. “专家名单”每行一位专家；姓名、工作单位、专业领域、聘期开始为必填。第2行为示例，导入前请删除。",
        "2. 专业领域填写下列名称之一或多个，多个之间用顿号“、”分隔。",
        "3. 日期格式为 2026-01-01；聘期结束可不填。",
        "4. 统一社会信用代码可不填；填写的须为18位有效代码（大小写、全角半角均可）。",
        "5. “关联关系”每行一条专家申报的关联关系（近36个月内的任职、咨询顾问兼职，近亲属关系等），"
        "以姓名和工作单位对应“专家名单”中的专家；仍在继续的关系结束日期不填。",
        "6. 任一行有误时整个文件不导入，请按提示修改后重新上传。",
        "",
        "可填写的专业领域：",
        *fields,
        "",
        "可填写的关系类型：",
        *TIE_KIND_BY_LABEL,
    ]:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()




def _rows(sheet, columns, sheet_name, errors):
    """(row number, {header: value}) of the sheet's non-empty rows; header problems are
    errors of row 1."""
    rows = sheet.iter_rows(values_only=True)
    header = [cell_text(v) for v in next(rows, ())]
    index = {}
    for name, _, _ in columns:
        if name not in header:
            errors.append(RowError(sheet_name, 1, name, "缺少此列，请使用下载的导入模板。"))
        else:
            index[name] = header.index(name)
    if len(index) != len(columns):
        return []
    found = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(cell_text(v) == "" for v in values):
            continue
        found.append((number, {name: values[i] if i < len(values) else None
                               for name, i in index.items()}))
    return found


def _required_and_lengths(columns, values, add):
    for name, required, max_length in columns:
        text = cell_text(values[name]) if not isinstance(values[name], datetime.date) else "x"
        if required and not text:
            add(name, "必填，不能为空。")
        elif max_length and len(text) > max_length:
            add(name, f"不能超过{max_length}个字。")


def _uscc(values, column, add) -> str:
    code = normalize_uscc(cell_text(values[column]))
    if code:
        try:
            validate_uscc(code)
        except ValidationError as error:
            add(column, error.messages[0])
    return code


def _dates(values, start_column, end_column, add):
    dates = {}
    for column in (start_column, end_column):
        try:
            dates[column] = cell_date(values[column])
        except ValueError:
            add(column, "不是有效的日期，请按 2026-01-01 的格式填写。")
            dates[column] = None
    start, end = dates[start_column], dates[end_column]
    if start and end and end < start:
        add(end_column, f"不能早于{start_column}。")
    return start, end


def _check_experts(rows, parsed: ParsedImport, fields_by_name):
    existing_by_name = {}
    names = {cell_text(v["姓名"]) for _, v in rows}
    for name, key in Expert.objects.filter(name__in=names).values_list("name", "employer_key"):
        existing_by_name.setdefault(name, set()).add(key)
    existing_mobiles = {normalize_phone(m) for m in
                        Expert.objects.exclude(mobile="").values_list("mobile", flat=True)}
    seen_keys, seen_mobiles = {}, {}
    for number, values in rows:
        def add(column, message, number=number):
            parsed.errors.append(RowError(EXPERT_SHEET, number, column, message))

        _required_and_lengths(EXPERT_COLUMNS, values, add)
        name, employer = cell_text(values["姓名"]), cell_text(values["工作单位"])
        employer_key = normalize_unit_name(employer)
        if (name, employer) == (EXAMPLE_NAME, EXAMPLE_EMPLOYER):
            add("姓名", "这是导入模板中的示例行，请删除后再导入。")
        uscc = _uscc(values, "工作单位统一社会信用代码", add)
        field_names = [n.strip() for n in FIELD_SEPARATORS.split(cell_text(values["专业领域"]))
                       if n.strip()]
        unknown = [n for n in field_names if n not in fields_by_name]
        if unknown:
            add("专业领域", f"没有名为“{'、'.join(unknown)}”的专业领域，请按“填写说明”中的名称填写。")
        mobile, mobile_ok = cell_text(values["手机号码"]), False
        if mobile:
            try:
                validate_mobile(mobile)
                mobile, mobile_ok = normalize_phone(mobile), True
            except ValidationError as error:
                add("手机号码", error.messages[0])
        email = cell_text(values["电子邮箱"])
        if email:
            try:
                validate_email(email)
            except ValidationError:
                add("电子邮箱", "不是有效的电子邮箱地址。")
        start, end = _dates(values, "聘期开始", "聘期结束", add)
        if name and employer:
            if employer_key in existing_by_name.get(name, set()):
                add("姓名", f"专家库中已有{employer}的{name}，请勿重复导入。")
            elif (name, employer_key) in seen_keys:
                add("姓名", f"与第{seen_keys[(name, employer_key)]}行重复。")
            seen_keys.setdefault((name, employer_key), number)
        if mobile_ok:
            if mobile in existing_mobiles:
                add("手机号码", "专家库中已有使用该手机号码的专家。")
            elif mobile in seen_mobiles:
                add("手机号码", f"与第{seen_mobiles[mobile]}行的手机号码重复。")
            seen_mobiles.setdefault(mobile, number)
        parsed.experts.append({
            "row": number, "name": name, "employer_name": employer, "employer_key": employer_key,
            "employer_uscc": uscc, "title": cell_text(values["职称/职务"]), "mobile": mobile,
            "email": email, "fields": [fields_by_name[n] for n in field_names
                                       if n in fields_by_name],
            "term_start": start, "term_end": end})
    return seen_keys


def _check_ties(rows, parsed: ParsedImport, expert_keys):
    for number, values in rows:
        def add(column, message, number=number):
            parsed.errors.append(RowError(TIE_SHEET, number, column, message))

        _required_and_lengths(TIE_COLUMNS, values, add)
        name, employer = cell_text(values["姓名"]), cell_text(values["工作单位"])
        key = (name, normalize_unit_name(employer))
        if name and employer and key not in expert_keys:
            add("姓名", "“专家名单”中没有该姓名和工作单位的专家。")
        uscc = _uscc(values, "关联单位统一社会信用代码", add)
        kind_label = cell_text(values["关系类型"])
        kind = TIE_KIND_BY_LABEL.get(kind_label)
        if kind_label and kind is None:
            add("关系类型", f"应为以下之一：{'；'.join(TIE_KIND_BY_LABEL)}。")
        start, end = _dates(values, "开始日期", "结束日期", add)
        parsed.ties.append({"row": number, "expert_key": key,
                            "unit_name": cell_text(values["关联单位"]), "unit_uscc": uscc,
                            "kind": kind, "started_on": start, "ended_on": end,
                            "note": cell_text(values["说明"])})


def import_parse(data: bytes) -> ParsedImport:
    """Reads and checks a workbook (bytes of an .xlsx already checked by content). Every row
    is checked; `errors` lists each problem with its sheet, row number (as Excel shows it)
    and column. Raises ImportFileInvalid when the workbook cannot be read or has no 专家名单
    sheet, or has more than MAX_ROWS rows."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged package
        raise ImportFileInvalid("无法读取该 Excel 文件，请使用下载的导入模板填写后上传。") from error
    try:
        if EXPERT_SHEET not in workbook.sheetnames:
            raise ImportFileInvalid(f"文件中没有“{EXPERT_SHEET}”工作表，请使用下载的导入模板。")
        parsed = ParsedImport()
        expert_rows = _rows(workbook[EXPERT_SHEET], EXPERT_COLUMNS, EXPERT_SHEET, parsed.errors)
        tie_rows = (_rows(workbook[TIE_SHEET], TIE_COLUMNS, TIE_SHEET, parsed.errors)
                    if TIE_SHEET in workbook.sheetnames else [])
    finally:
        workbook.close()
    if len(expert_rows) + len(tie_rows) > MAX_ROWS:
        raise ImportFileInvalid(f"一次最多导入{MAX_ROWS}行，请分批导入。")
    if not expert_rows and not parsed.errors:
        parsed.errors.append(RowError(EXPERT_SHEET, 0, "", "没有可导入的专家。"))
    fields_by_name = {f.name: f for f in IndustryField.objects.all()}
    keys = _check_experts(expert_rows, parsed, fields_by_name)
    _check_ties(tie_rows, parsed, keys)
    parsed.errors.sort(key=lambda e: (e.sheet != EXPERT_SHEET, e.row))
    return parsed


@transaction.atomic
def import_save(*, parsed: ParsedImport, actor, file_name: str = "",
                request=None) -> list[Expert]:
    """Stores a checked import in one transaction: the experts, their fields, an active
    membership for the term given (reason 批量导入), their ties, and one audit row. Returns the
    new experts.

    Errors: PermissionDenied without `experts.manage_roster`; ValidationError when `parsed`
    has errors (nothing is saved).
    """
    if not actor.has_perm("experts.manage_roster"):
        raise PermissionDenied("只有市发展改革委专家委员会秘书处可以导入专家。")
    if parsed.errors:
        raise ValidationError("导入文件有误，未导入任何专家。")
    created = {}
    for row in parsed.experts:
        expert = Expert(name=row["name"], employer_name=row["employer_name"],
                        employer_uscc=row["employer_uscc"], title=row["title"],
                        mobile=row["mobile"], email=row["email"])
        expert.save()
        expert.fields.set(row["fields"])
        CommitteeMembership.objects.create(expert=expert, term_start=row["term_start"],
                                           term_end=row["term_end"],
                                           status=MembershipStatus.ACTIVE, reason="批量导入",
                                           changed_by=actor)
        created[(row["name"], row["employer_key"])] = expert
    for row in parsed.ties:
        tie = ExpertTie(expert=created[row["expert_key"]], kind=row["kind"],
                        unit_name=row["unit_name"], unit_uscc=row["unit_uscc"],
                        started_on=row["started_on"], ended_on=row["ended_on"], note=row["note"])
        tie.save()
    audit_record(action="expert.import", actor=actor, note=file_name[:200],
                 after={"experts": len(created), "ties": len(parsed.ties),
                        "names": [e.name for e in created.values()][:200]}, request=request)
    return list(created.values())
