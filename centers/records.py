"""服务记录 (第十二条): what a designated center records, one by one or by Excel import, of its
trainings, 诊断书, 解决方案, industry reports (第七条（八）), projects and the achievements counted
against 五、建设目标 (关键技术突破, 应用场景落地, 行业解决方案, 相关有效专利).

The center's own users keep them (`centers.keep_center_records`) until the evaluation year a
record falls in is closed by the commission (`RecordYearClosure`, 第十七条); then the record is
locked and no record may be moved into that year. Its unit, its 主管部门 and the commission read
them (`centers.view_center_operation`); reading another unit's evidence is audited.
"""

import datetime
import re
import unicodedata
from decimal import Decimal

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.rules import is_commission_staff
from accounts.validators import normalize_uscc, validate_uscc
from core.audit import audit_record

from .enums import CenterStatus, ProjectStatus, ServiceKind
from .models import (
    Center,
    RecordYearClosure,
    ServedEnterprise,
    ServiceRecord,
    ServiceRecordFile,
)
from .rules import is_member_of_center_unit

# 第十七条: the commission closes an evaluation year; its records are locked from then on.
rules.add_perm("centers.close_record_year", is_commission_staff)

K = ServiceKind

# The fields each kind records beyond the common ones (date, title, industry field,
# description, enterprises, evidence). The project's content is its description.
KIND_FIELDS = {
    K.TRAINING: ("hours", "participants"),
    K.DIAGNOSIS: (),
    K.SOLUTION: (),
    K.INDUSTRY_REPORT: ("provided_to",),
    K.PROJECT: ("amount", "project_status", "accepted_on"),
    K.KEY_TECHNOLOGY: (),
    K.SCENARIO: (),
    K.INDUSTRY_SOLUTION: (),
    K.PATENT: ("patent_number",),
}
ALL_KIND_FIELDS = ("hours", "participants", "provided_to", "amount", "project_status",
                   "accepted_on", "patent_number")
# 诊断书 and 解决方案 are issued to an enterprise, a project is carried out for one.
ENTERPRISE_REQUIRED = (K.DIAGNOSIS, K.SOLUTION, K.PROJECT)
# What the title field is called for each kind (the training's topic, the patent's name …).
TITLE_LABELS = {
    K.TRAINING: "培训主题",
    K.DIAGNOSIS: "诊断书名称",
    K.SOLUTION: "解决方案名称",
    K.INDUSTRY_REPORT: "报告名称",
    K.PROJECT: "项目名称",
    K.KEY_TECHNOLOGY: "关键技术名称",
    K.SCENARIO: "应用场景名称",
    K.INDUSTRY_SOLUTION: "行业解决方案名称",
    K.PATENT: "专利名称",
}
MAX_ENTERPRISES = 200
MAX_FILES = 10
# Nothing older than the measures can be a record of a designated center.
EARLIEST_DATE = datetime.date(2020, 1, 1)


class RecordError(Exception):
    """A service record the rules refuse; the message is Chinese and shown as it is."""


# --- 专利号 --------------------------------------------------------------------------------------

_PATENT = re.compile(r"^(?:ZL)?(\d{8}|\d{12})\.?([0-9X])$")


def patent_check_digit(number: str) -> str:
    """The check character of a Chinese patent application number (ZC 0006-2003《专利申请号
    标准》 of the State Intellectual Property Office, CNIPA): the digits of the 12-digit number
    (since 2003-10-01) weighted 2,3,4,5,6,7,8,9,2,3,4,5 from the left, or of the old 8-digit
    number weighted 2 … 9; the sum mod 11 is the check digit, 10 written X.

    `number` is the 8 or 12 digits without the check character, e.g. "200310102344" → "5"
    (the standard's own example), "95115608" → "X". Raises ValueError for anything else."""
    if not re.fullmatch(r"\d{8}|\d{12}", number or ""):
        raise ValueError("专利申请号应为8位或12位数字。")
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    remainder = sum(int(d) * w for d, w in zip(number, weights)) % 11
    return "X" if remainder == 10 else str(remainder)


def normalize_patent_number(value: str) -> str:
    """What a person types (ZL 2016 1 0001234.X, full-width, lower case, spaces, "CN", "专利号：")
    → the stored form `ZL201610001234.X`; the text unchanged but stripped when it does not
    look like a patent number (the validator then says why)."""
    text = unicodedata.normalize("NFKC", value or "").upper()
    text = re.sub(r"[\s\u3000]|专利号[:：]?", "", text)
    text = re.sub(r"^CN", "ZL", text)
    match = _PATENT.match(text)
    if not match:
        return text
    return f"ZL{match.group(1)}.{match.group(2)}"


def validate_patent_number(value: str) -> None:
    """专利号: ZL + the application number (12 digits, or 8 before 2003-10-01) + its check
    character (`patent_check_digit`). Raises ValidationError in Chinese."""
    match = _PATENT.match(normalize_patent_number(value))
    if not match:
        raise ValidationError("专利号格式应为“ZL”加12位（2003年10月1日前为8位）申请号和校验位，"
                              "如 ZL200310102344.5。", code="patent_format")
    digits, check = match.groups()
    expected = patent_check_digit(digits)
    if check != expected:
        raise ValidationError("专利号校验位不正确（按该申请号计算应为%(expected)s），请核对。",
                              code="patent_check", params={"expected": expected})


# --- closed years --------------------------------------------------------------------------------

def year_is_closed(year: int) -> bool:
    return RecordYearClosure.objects.filter(year=year).exists()


def closed_year_message(year: int) -> str:
    return (f"{year}年度的评价已关闭，该年度的服务记录已锁定，不能新增、修改或删除；"
            "如需更正，请联系市发展改革委。")


def record_lock_problem(record: ServiceRecord | None, occurred_on: datetime.date | None) -> str:
    """The Chinese refusal when `record`'s year is closed, or `occurred_on` falls in a closed
    year (a record may not be moved into one); "" otherwise. One query."""
    years = {y for y in (record.year if record and record.pk else None,
                         occurred_on.year if occurred_on else None) if y}
    closed = sorted(RecordYearClosure.objects.filter(year__in=years)
                    .values_list("year", flat=True))
    return closed_year_message(closed[0]) if closed else ""


def year_close(*, year: int, actor) -> RecordYearClosure:
    """Closes evaluation year `year` (第十七条): its service records are locked from now on.
    Commission only (PermissionDenied); idempotent (the existing closure is returned).
    Audited (`record_year.close`)."""
    if not actor.has_perm("centers.close_record_year"):
        raise PermissionDenied("只有市发展改革委工作人员可以关闭评价年度。")
    closure, created = RecordYearClosure.objects.get_or_create(year=year,
                                                               defaults={"closed_by": actor})
    if created:
        audit_record(action="record_year.close", actor=actor, target=closure,
                     after={"year": year})
    return closure


# --- checks shared by the form and the import ---------------------------------------------------

def enterprise_problems(enterprises) -> tuple[list[dict], list[str]]:
    """([{"name", "uscc"}] normalised, [Chinese problems]) for the enterprises served."""
    clean, problems, seen = [], [], set()
    for position, item in enumerate(enterprises, start=1):
        name = (item.get("name") or "").strip()
        code = normalize_uscc(item.get("uscc") or "")
        if not name and not code:
            continue
        if not name:
            problems.append(f"第{position}个服务对象：请填写企业（机构）名称。")
            continue
        try:
            validate_uscc(code)
        except ValidationError as error:
            problems.append(f"服务对象“{name}”：{error.messages[0]}")
            continue
        if code in seen:
            problems.append(f"服务对象“{name}”的统一社会信用代码重复填写。")
            continue
        seen.add(code)
        clean.append({"name": name[:200], "uscc": code})
    if len(clean) > MAX_ENTERPRISES:
        problems.append(f"一条记录最多填写{MAX_ENTERPRISES}个服务对象，请分条填报。")
    return clean, problems


def record_problems(*, kind: str, data: dict, enterprises: list[dict], today=None,
                    since: datetime.date | None = None) -> list[str]:
    """The Chinese problems of a record's content for `kind` (ServiceKind), beyond each field's
    own format: the date (not after today, not before `since`, the center's designation
    date), the kind's required fields, 验收日期 required when 已验收, the patent number, an
    enterprise where the kind is issued to one. [] when it may be saved."""
    today = today or datetime.date.today()
    problems = []
    occurred_on = data.get("occurred_on")
    if occurred_on is None:
        problems.append("请填写日期。")
    elif occurred_on > today:
        problems.append("日期不能晚于今天。")
    elif occurred_on < EARLIEST_DATE:
        problems.append(f"日期不能早于{EARLIEST_DATE:%Y年%-m月%-d日}。")
    elif since is not None and occurred_on < since:
        # The progress page and the evaluation count from the designation date: an earlier
        # record would be listed but never counted.
        problems.append(f"日期不能早于赋能中心认定日期（{since:%Y年%-m月%-d日}），"
                        "认定前开展的服务不计入建设目标。")
    if not (data.get("title") or "").strip():
        problems.append(f"请填写{TITLE_LABELS[kind]}。")
    if kind == K.TRAINING:
        if data.get("hours") in (None, "") or data["hours"] <= 0:
            problems.append("请填写培训学时（大于0）。")
        if not data.get("participants"):
            problems.append("请填写参训人数。")
    elif kind == K.INDUSTRY_REPORT:
        if not (data.get("provided_to") or "").strip():
            problems.append("请填写报送对象（如市发展改革委、行业主管部门）。")
    elif kind == K.PROJECT:
        if data.get("amount") in (None, "") or data["amount"] < 0:
            problems.append("请填写合同金额（万元，不小于0）。")
        if not data.get("project_status"):
            problems.append("请选择项目状态。")
        elif data["project_status"] == ProjectStatus.ACCEPTED and not data.get("accepted_on"):
            problems.append("项目已验收的，请填写验收日期。")
        if data.get("accepted_on") and occurred_on and data["accepted_on"] < occurred_on:
            problems.append("验收日期不能早于项目日期。")
        if data.get("accepted_on") and data["accepted_on"] > today:
            problems.append("验收日期不能晚于今天。")
    elif kind == K.PATENT:
        try:
            validate_patent_number(data.get("patent_number") or "")
        except ValidationError as error:
            problems.append(error.messages[0])
    if kind in ENTERPRISE_REQUIRED and not enterprises:
        problems.append(f"{K(kind).label}须填写至少一个服务对象（企业名称和统一社会信用代码）。")
    return problems


def _record_values(kind: str, data: dict) -> dict:
    """The model's fields from `data`, the other kinds' fields blank."""
    values = {"occurred_on": data["occurred_on"], "title": data["title"].strip()[:200],
              "industry_field": data.get("industry_field"),
              "description": (data.get("description") or "").strip()}
    blank = {"hours": None, "participants": None, "provided_to": "", "amount": None,
             "project_status": "", "accepted_on": None, "patent_number": ""}
    for name in ALL_KIND_FIELDS:
        value = data.get(name) if name in KIND_FIELDS[kind] else None
        values[name] = blank[name] if value in (None, "") else value
    if values["patent_number"]:
        values["patent_number"] = normalize_patent_number(values["patent_number"])
    if kind == K.PROJECT and values["project_status"] != ProjectStatus.ACCEPTED:
        values["accepted_on"] = None
    return values


def _snapshot(record: ServiceRecord) -> dict:
    fields = ("kind", "occurred_on", "title", "industry_field_id", "description",
              *ALL_KIND_FIELDS)
    shot = {name: getattr(record, name) for name in fields}
    shot = {k: (v.isoformat() if isinstance(v, datetime.date) else
                str(v) if isinstance(v, Decimal) else v) for k, v in shot.items()}
    shot["enterprises"] = [f"{e.name}|{e.uscc}" for e in record.enterprises.order_by("pk")]
    return shot


def _evidence(files) -> list[tuple]:
    from .evidence import EvidenceError, evidence_check

    try:
        return evidence_check(files)
    except EvidenceError as error:
        raise RecordError(str(error)) from None


def _store_files(record, checked):
    from .evidence import evidence_save

    for uploaded, detected in checked:
        evidence_save(ServiceRecordFile(record=record), uploaded, detected)


# --- writes -------------------------------------------------------------------------------------

def _check_keeper(center: Center, actor) -> None:
    if not actor.has_perm("centers.keep_center_records", center):
        if center.status != CenterStatus.ACTIVE:
            raise PermissionDenied("该赋能中心已撤销，不能再填报服务记录。")
        raise PermissionDenied("只有赋能中心所在单位的用户可以填报服务记录。")


def patent_duplicate_problem(center: Center, number: str, exclude_pk: int | None = None) -> str:
    """A patent counts once toward 相关有效专利: "" unless `number` (normalised) is already
    recorded by `center` (other than record `exclude_pk`)."""
    if not number:
        return ""
    others = center.service_records.filter(kind=K.PATENT, patent_number=number)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        return f"专利号{number}已登记过，同一专利只计一次。"
    return ""


def record_create(*, center: Center, actor, kind: str, data: dict, enterprises: list[dict],
                  files=(), audit: bool = True) -> ServiceRecord:
    """Records one service of `center` (第十二条). `data` holds the model's fields (occurred_on,
    title, industry_field, description and the kind's own: hours, participants, provided_to,
    amount in 万元, project_status, accepted_on, patent_number); `enterprises` [{"name",
    "uscc"}]; `files` the evidence (upload rules). Raises PermissionDenied for anyone but the
    center's users, RecordError (Chinese) for bad content or a closed year. Audited
    (`service_record.create`)."""
    _check_keeper(center, actor)
    if kind not in KIND_FIELDS:
        raise RecordError("请选择服务记录类别。")
    clean, problems = enterprise_problems(enterprises)
    problems += record_problems(kind=kind, data=data, enterprises=clean,
                                since=center.designated_on)
    if kind == K.PATENT:
        problems += [p for p in [patent_duplicate_problem(
            center, normalize_patent_number(data.get("patent_number") or ""))] if p]
    if problems:
        raise RecordError("；".join(problems))
    if problem := record_lock_problem(None, data["occurred_on"]):
        raise RecordError(problem)
    checked = _evidence(files)
    with transaction.atomic():
        record = ServiceRecord.objects.create(center=center, kind=kind, created_by=actor,
                                              **_record_values(kind, data))
        ServedEnterprise.objects.bulk_create(ServedEnterprise(record=record, **e) for e in clean)
        _store_files(record, checked)
        if audit:
            audit_record(action="service_record.create", actor=actor, target=record,
                         after=_snapshot(record))
    return record


def record_update(*, record: ServiceRecord, actor, data: dict, enterprises: list[dict],
                  files=(), remove_file_ids=()) -> ServiceRecord:
    """Changes a record (its kind stays): the same checks as `record_create`, refused
    (RecordError) while its year or the new date's year is closed. The enterprises are
    replaced by `enterprises`; `files` are added, `remove_file_ids` removed. Audited
    (`service_record.update`, before and after)."""
    center = record.center
    _check_keeper(center, actor)
    kind = record.kind
    clean, problems = enterprise_problems(enterprises)
    problems += record_problems(kind=kind, data=data, enterprises=clean,
                                since=center.designated_on)
    if kind == K.PATENT:
        problems += [p for p in [patent_duplicate_problem(
            center, normalize_patent_number(data.get("patent_number") or ""),
            exclude_pk=record.pk)] if p]
    if problems:
        raise RecordError("；".join(problems))
    checked = _evidence(files)
    with transaction.atomic():
        locked = ServiceRecord.objects.select_for_update().get(pk=record.pk)
        if problem := record_lock_problem(locked, data["occurred_on"]):
            raise RecordError(problem)
        kept = locked.files.exclude(pk__in=list(remove_file_ids or ())).count()
        if kept + len(checked) > MAX_FILES:
            raise RecordError(f"每条记录最多保留{MAX_FILES}个证明材料。")
        before = _snapshot(locked)
        values = _record_values(kind, data)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save()
        locked.enterprises.all().delete()
        ServedEnterprise.objects.bulk_create(ServedEnterprise(record=locked, **e) for e in clean)
        removed = list(locked.files.filter(pk__in=list(remove_file_ids or ())))
        for evidence in removed:
            evidence.file.delete(save=False)
            evidence.delete()
        _store_files(locked, checked)
        after = _snapshot(locked)
        if removed or checked:
            before["files"] = [f.original_name for f in removed]
            after["files"] = [uploaded.name for uploaded, _ in checked]
        audit_record(action="service_record.update", actor=actor, target=locked,
                     before=before, after=after)
    return locked


def record_delete(*, record: ServiceRecord, actor) -> None:
    """Deletes a record and its evidence while its year is open; RecordError otherwise.
    Audited (`service_record.delete`, with what was deleted)."""
    _check_keeper(record.center, actor)
    with transaction.atomic():
        locked = ServiceRecord.objects.select_for_update().get(pk=record.pk)
        if problem := record_lock_problem(locked, None):
            raise RecordError(problem)
        before = _snapshot(locked)
        audit_record(action="service_record.delete", actor=actor, target=locked, before=before)
        for evidence in locked.files.all():
            evidence.file.delete(save=False)
        locked.delete()


def record_file_read(*, evidence: ServiceRecordFile, reader, request=None) -> None:
    """Records that `reader` downloaded a center's evidence, unless the reader belongs to the
    center's unit (its 主管部门 and the commission read someone else's files)."""
    center = evidence.record.center
    if is_member_of_center_unit(reader, center):
        return
    audit_record(action="service_record_file.download", actor=reader, target=evidence.record,
                 after={"file": evidence.pk, "name": evidence.original_name}, request=request)


# --- reads --------------------------------------------------------------------------------------

LIST_COLUMNS = ("pk", "kind", "occurred_on", "year", "title", "participants", "amount",
                "project_status", "patent_number", "center_id")
PAGE_SIZE = 30


def records_of_center(center: Center, *, kind: str = "", year: int | None = None,
                      since: datetime.date | None = None, until: datetime.date | None = None):
    """The center's records newest first (index servicerecord_center), filtered by kind and
    year, with `enterprise_count` and `file_count` by subquery: one query for any page."""
    rows = ServiceRecord.objects.filter(center=center)
    if kind:
        rows = rows.filter(kind=kind)
    if year:
        rows = rows.filter(year=year)
    if since:
        rows = rows.filter(occurred_on__gte=since)
    if until:
        rows = rows.filter(occurred_on__lte=until)

    def count_of(model):
        return Coalesce(Subquery(
            model.objects.filter(record=OuterRef("pk")).order_by().values("record")
            .annotate(n=Count("pk")).values("n")[:1]), 0)

    return (rows.order_by("-occurred_on", "-id").only(*LIST_COLUMNS)
            .annotate(enterprise_count=count_of(ServedEnterprise),
                      file_count=count_of(ServiceRecordFile)))


def record_years(center: Center) -> list[int]:
    """The years the center has records in, newest first (for the filter)."""
    return list(ServiceRecord.objects.filter(center=center).order_by("-year")
                .values_list("year", flat=True).distinct()[:20])


# How many of its centers a unit lists on its dashboard (a unit has one or two).
DASHBOARD_CENTERS = 10


def centers_of_user(user) -> list[Center]:
    """The centers of the applicant units `user` belongs to (its own organisation's only),
    newest first, at most DASHBOARD_CENTERS; two queries at most."""
    from accounts.selectors import user_organisation_ids

    organisation_ids = user_organisation_ids(user)
    if not organisation_ids:
        return []
    return list(Center.objects.filter(application__organisation_id__in=organisation_ids)
                .order_by("-designated_on", "name", "id")
                .only("pk", "name", "status", "designated_on")[:DASHBOARD_CENTERS])


def current_plaque_number(center: Center) -> str:
    plaque = center.plaques.filter(replaced_at__isnull=True).order_by("-created_at", "-pk") \
        .values_list("number", flat=True).first()
    return plaque or ""
