"""The 主管部门's supervision of its centers (第十一条) and the centers' data duties (第七条（八）、
第十四条).

Supervision periods are set by the commission (half-yearly by default, `period_next`). For
each period every 主管部门 with active centers submits one 建设运行情况 report: an overall
summary and an assessment (rating + opinion) of each of its active centers. A draft may be
saved any number of times; once submitted the report is read-only.

The sweep reminds the department's officials 10, 5 and 1 working days before the due date
(each threshold once: `OperationReport.reminded_at_days`, moved with a conditional update),
and marks an unsubmitted report overdue once the due date has passed (`overdue_at`, once),
telling the commission. A due date in a year without a confirmed holiday schedule sends no
reminder (core.workdays refuses to guess) and the overview says so.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Department
from accounts.selectors import role_users, user_department_ids
from applications.filetypes import ALLOWED_LABELS
from core.audit import audit_record
from core.notifications import notify
from core.sweep import deadline_check
from core.transitions import Move, TransitionNotAllowed, Workflow, perform_transition
from core.workdays import WorkingDayDataMissing, working_days_between

from .enums import REMINDER_WORKING_DAYS, CenterStatus, OperationRating, OperationReportStatus
from .models import (
    Center,
    DataAgreement,
    DataSecurityRecord,
    DataSelfCheck,
    OperationAssessment,
    OperationReport,
    Plaque,
    ServiceRecord,
    SupervisionPeriod,
)

S = OperationReportStatus

OPERATION_REPORT_WORKFLOW = Workflow(
    status_field="status",
    moves=(
        # 第十一条: the 主管部门 reports to the commission; what it sent does not change.
        Move("submit", (S.DRAFT,), S.SUBMITTED, "centers.submit_operation_report",
             "报送运行情况报告"),
    ),
)

# The report is due this many calendar days after its period ends (the 15th of the next month
# for a half-year): a date the commission may move before it reaches anyone.
DEFAULT_DUE_AFTER_DAYS = 15


class SupervisionError(Exception):
    """A supervision act the rules refuse; the message is Chinese and shown as is."""


# --- periods (the commission) --------------------------------------------------------------

def half_year_of(day: datetime.date) -> tuple[datetime.date, datetime.date, str]:
    """(first day, last day, name) of the half-year holding `day`, e.g. 2026年上半年."""
    if day.month <= 6:
        return (datetime.date(day.year, 1, 1), datetime.date(day.year, 6, 30),
                f"{day.year}年上半年")
    return (datetime.date(day.year, 7, 1), datetime.date(day.year, 12, 31),
            f"{day.year}年下半年")


def period_next_defaults(today: datetime.date | None = None) -> dict:
    """The fields of the next half-year period: the half-year after the latest period, or the
    current half-year when there is none; due `DEFAULT_DUE_AFTER_DAYS` days after its end."""
    latest = SupervisionPeriod.objects.order_by("-ends_on", "-id").only("ends_on").first()
    anchor = (latest.ends_on + datetime.timedelta(days=1) if latest
              else (today or timezone.localdate()))
    starts_on, ends_on, name = half_year_of(anchor)
    return {"name": name, "starts_on": starts_on, "ends_on": ends_on,
            "due_on": ends_on + datetime.timedelta(days=DEFAULT_DUE_AFTER_DAYS)}


def _check_manager(actor):
    if not actor.has_perm("centers.manage_supervision"):
        raise PermissionDenied("只有市发展改革委工作人员可以设置运行情况报告期。")


def _check_dates(starts_on, ends_on, due_on):
    if ends_on < starts_on:
        raise SupervisionError("报告期截止日期不能早于起始日期。")
    if due_on < ends_on:
        raise SupervisionError("报送截止日期不能早于报告期截止日期。")


def _check_overlap(starts_on, ends_on, exclude_pk=None):
    """Two periods never cover the same day: a 主管部门 reports each day's operation once."""
    clash = (SupervisionPeriod.objects.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
             .exclude(pk=exclude_pk).order_by("starts_on").first())
    if clash is not None:
        raise SupervisionError(
            f"与报告期“{clash.name}”（{clash.starts_on:%Y-%m-%d}至{clash.ends_on:%Y-%m-%d}）"
            "时间重叠，请调整起止日期。")


def period_create(*, actor, name: str, starts_on: datetime.date, ends_on: datetime.date,
                  due_on: datetime.date) -> SupervisionPeriod:
    """A supervision period (第十一条). Raises PermissionDenied (not the commission),
    SupervisionError (dates out of order, overlapping another period). Audited
    (`supervision_period.create`)."""
    _check_manager(actor)
    _check_dates(starts_on, ends_on, due_on)
    _check_overlap(starts_on, ends_on)
    try:
        with transaction.atomic():
            period = SupervisionPeriod.objects.create(
                name=name.strip(), starts_on=starts_on, ends_on=ends_on, due_on=due_on,
                created_by=actor)
    except IntegrityError:
        raise SupervisionError(f"{starts_on:%Y-%m-%d}至{ends_on:%Y-%m-%d}的报告期已存在。") from None
    audit_record(action="supervision_period.create", actor=actor, target=period,
                 after={"name": period.name, "starts_on": str(starts_on),
                        "ends_on": str(ends_on), "due_on": str(due_on)})
    return period


def period_create_next(*, actor, today: datetime.date | None = None) -> SupervisionPeriod:
    """The next half-year period with `period_next_defaults`; see `period_create`."""
    return period_create(actor=actor, **period_next_defaults(today))


def period_update(*, period: SupervisionPeriod, actor, name: str, starts_on: datetime.date,
                  ends_on: datetime.date, due_on: datetime.date) -> SupervisionPeriod:
    """Changes a period. A moved due date arms the reminders again for reports not yet
    submitted. Raises as `period_create`. Audited (`supervision_period.change`)."""
    _check_manager(actor)
    _check_dates(starts_on, ends_on, due_on)
    _check_overlap(starts_on, ends_on, exclude_pk=period.pk)
    before = {"name": period.name, "starts_on": str(period.starts_on),
              "ends_on": str(period.ends_on), "due_on": str(period.due_on)}
    try:
        with transaction.atomic():
            locked = SupervisionPeriod.objects.select_for_update().get(pk=period.pk)
            moved = locked.due_on != due_on
            locked.name, locked.starts_on, locked.ends_on, locked.due_on = (
                name.strip(), starts_on, ends_on, due_on)
            locked.save(update_fields=["name", "starts_on", "ends_on", "due_on"])
            if moved:
                OperationReport.objects.filter(period=locked, status=S.DRAFT).update(
                    reminded_at_days=None, overdue_at=None)
    except IntegrityError:
        raise SupervisionError(f"{starts_on:%Y-%m-%d}至{ends_on:%Y-%m-%d}的报告期已存在。") from None
    audit_record(action="supervision_period.change", actor=actor, target=locked, before=before,
                 after={"name": locked.name, "starts_on": str(starts_on),
                        "ends_on": str(ends_on), "due_on": str(due_on)})
    return locked


# --- who reports on what -------------------------------------------------------------------

def centers_to_assess(period: SupervisionPeriod, department_id: int):
    """The department's centers its report assesses: active and designated by the period's
    end, by name."""
    return (Center.objects.filter(department_id=department_id, status=CenterStatus.ACTIVE,
                                  designated_on__lte=period.ends_on)
            .order_by("name", "pk"))


def departments_owing(period: SupervisionPeriod) -> list[int]:
    """Ids of the 主管部门 owing a report for `period`: those with a center to assess."""
    return sorted(Center.objects.filter(status=CenterStatus.ACTIVE, department__isnull=False,
                                        designated_on__lte=period.ends_on)
                  .order_by().values_list("department_id", flat=True).distinct())


def official_departments(user) -> list[Department]:
    """The 主管部门 the user is an official of, by sort order."""
    ids = user_department_ids(user, Role.DISTRICT_OFFICIAL)
    return list(Department.objects.filter(pk__in=ids).order_by("sort_order", "pk"))


def report_due_state(report_or_period, today: datetime.date | None = None) -> dict:
    """For a page: {"working_days_left": n or None, "unknown_year": message or ""} of a
    period's due date (n = 0 on the due date, None when passed)."""
    period = getattr(report_or_period, "period", report_or_period)
    today = today or timezone.localdate()
    if period.due_on < today:
        return {"working_days_left": None, "unknown_year": ""}
    try:
        return {"working_days_left": working_days_between(today, period.due_on),
                "unknown_year": ""}
    except WorkingDayDataMissing as error:
        return {"working_days_left": None, "unknown_year": error.user_message}


# --- the report (the 主管部门) ----------------------------------------------------------------

def operation_report_get(*, period: SupervisionPeriod, department_id: int):
    """The department's report of the period with its assessments, or None."""
    return (OperationReport.objects.filter(period=period, department_id=department_id)
            .select_related("period", "department", "submitted_by").first())


def _check_official(actor, department_id: int):
    if not actor.has_perm("centers.submit_operation_report") or department_id not in \
            user_department_ids(actor, Role.DISTRICT_OFFICIAL):
        raise PermissionDenied("只有该主管部门的工作人员可以填报运行情况报告。")


def operation_report_save(*, period: SupervisionPeriod, department_id: int, actor,
                          summary: str, assessments: dict[int, tuple[str, str]],
                          submit: bool = False) -> OperationReport:
    """Saves the department's report of `period` (第十一条): `summary` and, for each center to
    assess, `assessments[center pk] = (rating, opinion)` (blank values allowed in a draft).
    With `submit`, every center must be rated with an opinion and the summary written; the
    report then moves 草稿 → 已报送 and is read-only.

    Raises PermissionDenied (not an official of the department), SupervisionError (already
    submitted; a centre missing on submit, naming each one; no center to assess). Creates
    the report on the first save (one per period and department, the row locked meanwhile).
    Audited on submit (`operationreport.submit`)."""
    _check_official(actor, department_id)
    centers = list(centers_to_assess(period, department_id))
    if not centers:
        raise SupervisionError("本部门在该报告期内没有需要报告运行情况的赋能中心。")
    ratings = set(OperationRating.values)
    with transaction.atomic():
        report, _ = OperationReport.objects.get_or_create(period=period,
                                                         department_id=department_id)
        report = OperationReport.objects.select_for_update().get(pk=report.pk)
        if report.status != S.DRAFT:
            raise SupervisionError("该报告已报送，不能修改。")
        summary = (summary or "").strip()
        missing = []
        existing = {a.center_id: a for a in report.assessments.all()}
        for center in centers:
            rating, opinion = assessments.get(center.pk, ("", ""))
            rating = rating if rating in ratings else ""
            opinion = (opinion or "").strip()
            if not rating or not opinion:
                missing.append(center.name)
            row = existing.get(center.pk)
            if row is None:
                if rating or opinion:
                    OperationAssessment.objects.create(report=report, center=center,
                                                       rating=rating, opinion=opinion)
            elif (row.rating, row.opinion) != (rating, opinion):
                row.rating, row.opinion = rating, opinion
                row.save(update_fields=["rating", "opinion"])
        # An assessment of a center no longer to assess (revoked since) does not stay.
        report.assessments.exclude(center__in=centers).delete()
        report.summary = summary
        report.save(update_fields=["summary", "updated_at"])
        if submit:
            problems = []
            if not summary:
                problems.append("请填写总体情况")
            if missing:
                problems.append("请对以下赋能中心作出评估并填写运行情况及意见：" + "、".join(missing))
            if problems:
                raise SupervisionError("；".join(problems) + "。")
            try:
                report = perform_transition(
                    workflow=OPERATION_REPORT_WORKFLOW, obj=report, move_name="submit",
                    actor=actor, changes={"submitted_at": timezone.now(),
                                          "submitted_by": actor})
            except TransitionNotAllowed as error:
                raise SupervisionError(str(error)) from None
    return report


# --- the sweep -------------------------------------------------------------------------------

def _report_rows(period: SupervisionPeriod) -> list[OperationReport]:
    """The period's report of every department owing one, a draft made where none exists."""
    owing = departments_owing(period)
    have = set(OperationReport.objects.filter(period=period).values_list("department_id",
                                                                          flat=True))
    for department_id in owing:
        if department_id not in have:
            OperationReport.objects.get_or_create(period=period, department_id=department_id)
    return list(OperationReport.objects.filter(period=period, department_id__in=owing,
                                               status=S.DRAFT)
                .select_related("department").order_by("pk"))


def _officials(department_id: int):
    return role_users((Role.DISTRICT_OFFICIAL, department_id))


@deadline_check
def remind_operation_reports(now) -> int:
    """10, 5 and 1 working days before a period's due date, the officials of each department
    whose report is not submitted are reminded, once per threshold (a late sweep sends only
    the nearest one). A due date in a year the calendar does not know sends nothing. Returns
    how many reports were reminded."""
    today = timezone.localdate(now)
    sent = 0
    # 10 working days are never more than 31 calendar days, National Day included.
    periods = SupervisionPeriod.objects.filter(
        due_on__gte=today, due_on__lte=today + datetime.timedelta(days=31)).order_by("pk")
    for period in periods:
        try:
            left = working_days_between(today, period.due_on)
        except WorkingDayDataMissing:
            continue
        reached = [d for d in REMINDER_WORKING_DAYS if left <= d]
        if not reached:
            continue
        threshold = min(reached)
        for report in _report_rows(period):
            claimed = (OperationReport.objects
                       .filter(pk=report.pk, status=S.DRAFT)
                       .filter(Q(reminded_at_days__isnull=True)
                               | Q(reminded_at_days__gt=threshold))
                       .update(reminded_at_days=threshold))
            if not claimed:
                continue
            link = reverse("centers:district_report", args=[period.pk])
            for user in _officials(report.department_id):
                notify(recipient=user, purpose="operation_report_reminder", link=link,
                       context={"period": period, "department": report.department,
                                "days": threshold})
            sent += 1
    return sent


@deadline_check
def mark_overdue_operation_reports(now) -> int:
    """Once a period's due date has passed, each department's report not submitted is marked
    overdue (`overdue_at`, once) and the commission told. Returns how many were marked."""
    today = timezone.localdate(now)
    marked = 0
    periods = SupervisionPeriod.objects.filter(
        due_on__lt=today, due_on__gte=today - datetime.timedelta(days=366)).order_by("pk")
    for period in periods:
        for report in _report_rows(period):
            with transaction.atomic():
                if not OperationReport.objects.filter(
                        pk=report.pk, status=S.DRAFT, overdue_at__isnull=True).update(
                        overdue_at=now):
                    continue
                audit_record(action="operationreport.overdue", target=report,
                             after={"overdue_at": now.isoformat()})
                link = f'{reverse("centers:commission_supervision")}?period={period.pk}'
                for user in role_users((Role.COMMISSION_STAFF, None)):
                    notify(recipient=user, purpose="operation_report_overdue", link=link,
                           context={"period": period, "department": report.department})
            marked += 1
    return marked


# --- reads -----------------------------------------------------------------------------------

def district_centers(user, *, year: int | None = None):
    """The centers of the user's 主管部门 (第十一条) as dicts: pk, name, lead unit, status,
    current plaque number, latest service-record date and the count of records in `year`
    (this year by default). One query, by designation date then name."""
    year = year or timezone.localdate().year
    ids = user_department_ids(user, Role.DISTRICT_OFFICIAL)
    plaque = (Plaque.objects.filter(center=OuterRef("pk"), replaced_at__isnull=True)
              .order_by("-created_at", "-id").values("number")[:1])
    latest = (ServiceRecord.objects.filter(center=OuterRef("pk"))
              .order_by("-occurred_on", "-id").values("occurred_on")[:1])
    count = (ServiceRecord.objects.filter(center=OuterRef("pk"), year=year).order_by()
             .values("center").annotate(n=Count("pk")).values("n")[:1])
    return (Center.objects.filter(department_id__in=ids)
            .annotate(plaque_number=Subquery(plaque), latest_record_on=Subquery(latest),
                      records_this_year=Coalesce(Subquery(count, output_field=IntegerField()),
                                                 Value(0)))
            .order_by("-designated_on", "name", "id")
            .values("pk", "name", "lead_unit_name", "status", "designated_on",
                    "department__name", "plaque_number", "latest_record_on",
                    "records_this_year"))


REPORT_STATES = (("submitted", "已报送"), ("overdue", "逾期未报送"), ("pending", "未报送"))


def period_overview(period: SupervisionPeriod, state: str = ""):
    """The departments owing or holding a report of `period`, each a dict: department pk
    and name, report pk, status, submitted_at, overdue_at, center_count (centers to assess). `state`
    filters: submitted, overdue (not submitted and marked), pending (neither). One query."""
    owing = departments_owing(period)
    reports = OperationReport.objects.filter(period=period, department=OuterRef("pk"))
    centers = (Center.objects.filter(department=OuterRef("pk"), status=CenterStatus.ACTIVE,
                                     designated_on__lte=period.ends_on).order_by()
               .values("department").annotate(n=Count("pk")).values("n")[:1])
    rows = (Department.objects.filter(Q(pk__in=owing) | Q(pk__in=OperationReport.objects
                                                          .filter(period=period)
                                                          .values("department_id")))
            .annotate(report_pk=Subquery(reports.values("pk")[:1]),
                      report_status=Subquery(reports.values("status")[:1]),
                      submitted_at=Subquery(reports.values("submitted_at")[:1]),
                      overdue_at=Subquery(reports.values("overdue_at")[:1]),
                      center_count=Coalesce(Subquery(centers, output_field=IntegerField()),
                                       Value(0))))
    if state == "submitted":
        rows = rows.filter(report_status=S.SUBMITTED)
    elif state == "overdue":
        rows = rows.exclude(report_status=S.SUBMITTED).filter(overdue_at__isnull=False)
    elif state == "pending":
        rows = rows.filter(Q(report_status__isnull=True)
                           | Q(report_status=S.DRAFT, overdue_at__isnull=True))
    return rows.order_by("sort_order", "pk").values(
        "pk", "name", "report_pk", "report_status", "submitted_at", "overdue_at", "center_count")


def period_counts(period: SupervisionPeriod) -> dict:
    """{"owing", "submitted", "overdue"} of a period (two queries)."""
    owing = len(departments_owing(period))
    counts = OperationReport.objects.filter(period=period).aggregate(
        submitted=Count("pk", filter=Q(status=S.SUBMITTED)),
        overdue=Count("pk", filter=Q(status=S.DRAFT, overdue_at__isnull=False)))
    return {"owing": owing, **counts}


def periods_with_counts():
    """Every period, newest first, with the counts of submitted and overdue reports."""
    reports = OperationReport.objects.filter(period=OuterRef("pk")).order_by().values("period")
    submitted = reports.filter(status=S.SUBMITTED).annotate(n=Count("pk")).values("n")[:1]
    overdue = (reports.filter(status=S.DRAFT, overdue_at__isnull=False)
               .annotate(n=Count("pk")).values("n")[:1])
    return (SupervisionPeriod.objects.order_by("-starts_on", "-id")
            .annotate(submitted=Coalesce(Subquery(submitted, output_field=IntegerField()),
                                         Value(0)),
                      overdue=Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)))
            .values("pk", "name", "starts_on", "ends_on", "due_on", "submitted", "overdue"))


def report_detail(pk: int):
    """A report with its period, department and assessments (centers by name)."""
    report = (OperationReport.objects.select_related("period", "department", "submitted_by")
              .get(pk=pk))
    assessments = list(report.assessments.select_related("center").order_by("center__name",
                                                                            "pk"))
    return report, assessments


# --- data duties (第七条（八）、第十四条) ---------------------------------------------------------

def _check_keeper(actor, center):
    if not actor.has_perm("centers.keep_center_records", center):
        raise PermissionDenied("只有赋能中心本单位用户可以维护数据安全管理信息。")


def data_security_save(*, center: Center, actor, responsible_person: str,
                       responsible_title: str, responsible_phone: str,
                       shared_data: str) -> DataSecurityRecord:
    """Keeps the center's data-security record (第十四条): its responsible person, title and
    phone, and what it shares with the 青岛市公共数据服务平台 (第七条（八）). Raises
    PermissionDenied. Audited (`data_security.save`)."""
    _check_keeper(actor, center)
    values = {"responsible_person": responsible_person.strip(),
              "responsible_title": responsible_title.strip(),
              "responsible_phone": responsible_phone, "shared_data": shared_data.strip()}
    with transaction.atomic():
        record, created = DataSecurityRecord.objects.select_for_update().get_or_create(
            center=center, defaults=values)
        before = None
        if not created:
            before = {"responsible_person": record.responsible_person,
                      "responsible_phone": str(record.responsible_phone)}
            for name, value in values.items():
                setattr(record, name, value)
            record.save()
        audit_record(action="data_security.save", actor=actor, target=record, before=before,
                     after={"responsible_person": record.responsible_person,
                            "responsible_phone": str(record.responsible_phone)})
    return record


def data_agreement_add(*, center: Center, actor, title: str, counterparty: str,
                       signed_on: datetime.date, file) -> DataAgreement:
    """Records a data-use agreement the center signed, with its file under the application's
    upload rules (type by content, size limit). Raises PermissionDenied, SupervisionError
    (a bad file, named). Audited (`data_agreement.add`)."""
    from .evidence import EvidenceError, evidence_check, evidence_save

    _check_keeper(actor, center)
    if not file:
        raise SupervisionError(f"请上传协议文件（{ALLOWED_LABELS}）。")
    try:
        [(uploaded, detected)] = evidence_check([file])
    except EvidenceError as error:
        raise SupervisionError(str(error).replace("证明材料", "协议文件")) from None
    with transaction.atomic():
        agreement = DataAgreement(center=center, title=title.strip(),
                                  counterparty=counterparty.strip(), signed_on=signed_on)
        evidence_save(agreement, uploaded, detected)
        audit_record(action="data_agreement.add", actor=actor, target=agreement,
                     after={"title": agreement.title, "file": agreement.original_name})
    return agreement


def data_self_check_submit(*, center: Center, actor, year: int, findings: str,
                           rectification: str = "") -> DataSelfCheck:
    """The center's data-security self-check of `year` (第十四条), one per year. Raises
    PermissionDenied, SupervisionError (the year has one; a year in the future). Audited
    (`data_self_check.submit`)."""
    _check_keeper(actor, center)
    if year > timezone.localdate().year:
        raise SupervisionError("不能提交未来年度的自查。")
    try:
        with transaction.atomic():
            check = DataSelfCheck.objects.create(
                center=center, year=year, findings=findings.strip(),
                rectification=(rectification or "").strip(), submitted_by=actor)
            audit_record(action="data_self_check.submit", actor=actor, target=check,
                         after={"year": year})
    except IntegrityError:
        raise SupervisionError(f"{year}年度的数据安全自查已提交，每年度一份。") from None
    return check
