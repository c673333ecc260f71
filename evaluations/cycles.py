"""运行评估评价 cycles (第十七条): the commission sets a year's cycle up (data window, centers in
scope, deadlines, the entrusted third-party agency, the invited industry authorities and the
indicator table), opens it (the table is frozen, one Evaluation per center in scope, the
centers are told) and, once the materials are in, hands it to expert scoring."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.enums import DepartmentKind
from applications.services import organisation_members
from centers.enums import CenterStatus
from centers.models import Center
from core.audit import audit_record
from core.notifications import notify
from core.transitions import TransitionNotAllowed, perform_transition

from .enums import CycleStatus, EvaluationStatus
from .errors import EvaluationError
from .indicators import table_problems
from .models import Evaluation, EvaluationCycle, IndicatorTable
from .workflows import CYCLE_WORKFLOW

MANAGE_REFUSAL = "只有市发展改革委工作人员可以组织运行评估评价。"


def default_window(year: int) -> tuple[datetime.date, datetime.date]:
    """The data window of a `year` cycle by default: the previous calendar year."""
    return datetime.date(year - 1, 1, 1), datetime.date(year - 1, 12, 31)


def _check_manage(actor):
    if not actor.has_perm("evaluations.manage_cycle"):
        raise PermissionDenied(MANAGE_REFUSAL)


def _aware(value):
    if isinstance(value, datetime.datetime) and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def cycle_problem(*, year: int, table, materials_due, district_due, window_start=None,
                  window_end=None, agency=None, invited_authorities=(),
                  cycle: EvaluationCycle | None = None) -> str:
    """The Chinese message why a cycle with these settings cannot be set up ("" when it can):
    the year taken (by a cycle other than `cycle`), the window, the deadlines (materials due
    after the window, the 主管部门's review after the materials), the departments' kinds, the
    table's problems. Windows default to the previous calendar year."""
    default_start, default_end = default_window(year)
    window_start, window_end = window_start or default_start, window_end or default_end
    materials_due, district_due = _aware(materials_due), _aware(district_due)
    taken = EvaluationCycle.objects.filter(year=year)
    if cycle is not None and cycle.pk:
        taken = taken.exclude(pk=cycle.pk)
    if taken.exists():
        return f"{year}年度的运行评估评价已设立。"
    if window_start > window_end:
        return "数据期起不能晚于数据期止。"
    if materials_due is None or district_due is None:
        return "请填写评价材料报送截止时间和主管部门初审截止时间。"
    if district_due <= materials_due:
        return "主管部门初审截止时间须晚于评价材料报送截止时间。"
    if timezone.localtime(materials_due).date() <= window_end:
        return "评价材料报送截止时间须在数据期结束之后。"
    if agency is not None and agency.kind != DepartmentKind.THIRD_PARTY:
        return "受托机构须为第三方机构。"
    if any(d.kind != DepartmentKind.INDUSTRY_AUTHORITY for d in invited_authorities or []):
        return "会同的部门须为行业主管部门。"
    if table is None:
        return "请选择指标体系。"
    problems = table_problems(table)
    if problems:
        return f"指标体系“{table}”不能使用：{problems[0]}"
    return ""


def cycle_create(*, actor, year: int, table: IndicatorTable, materials_due: datetime.datetime,
                 district_due: datetime.datetime, title: str = "",
                 window_start: datetime.date | None = None,
                 window_end: datetime.date | None = None, agency=None,
                 invited_authorities=()) -> EvaluationCycle:
    """A new cycle (筹备中) of `year`: data window default 1 Jan–31 Dec of `year - 1`; the
    centers' materials are due at `materials_due`, the 主管部门's review at `district_due`
    (later); `agency` a third-party department, `invited_authorities` industry authorities.
    The table must be usable (weights 100, ordered thresholds). Raises PermissionDenied (not
    commission staff), EvaluationError (a year already set up, bad window or deadlines, a table
    with problems, wrong department kinds). Audited (`evaluation_cycle.create`)."""
    _check_manage(actor)
    default_start, default_end = default_window(year)
    window_start, window_end = window_start or default_start, window_end or default_end
    materials_due, district_due = _aware(materials_due), _aware(district_due)
    invited = list(invited_authorities or [])
    problem = cycle_problem(year=year, table=table, materials_due=materials_due,
                            district_due=district_due, window_start=window_start,
                            window_end=window_end, agency=agency, invited_authorities=invited)
    if problem:
        raise EvaluationError(problem)
    with transaction.atomic():
        cycle = EvaluationCycle.objects.create(
            year=year, title=(title or "").strip() or f"{year}年度赋能中心运行评估评价",
            window_start=window_start, window_end=window_end, table=table,
            materials_due=materials_due, district_due=district_due, agency=agency,
            created_by=actor)
        if invited:
            cycle.invited_authorities.set(invited)
        audit_record(action="evaluation_cycle.create", actor=actor, target=cycle,
                     after={"year": year, "window": [str(window_start), str(window_end)],
                            "table": table.pk, "materials_due": materials_due.isoformat(),
                            "district_due": district_due.isoformat(),
                            "agency": agency.pk if agency else None,
                            "invited": [d.pk for d in invited]})
    return cycle


CYCLE_SETTINGS = ("title", "window_start", "window_end", "table", "materials_due", "district_due",
                  "agency")


def cycle_update(*, cycle: EvaluationCycle, actor, invited_authorities=None,
                 **settings) -> EvaluationCycle:
    """Changes the settings (CYCLE_SETTINGS, and `invited_authorities` when given) of a cycle
    still 筹备中; once opened they never change. Raises PermissionDenied, EvaluationError
    (opened, the same problems as `cycle_create`). Audited (`evaluation_cycle.change`)."""
    _check_manage(actor)
    unknown = set(settings) - set(CYCLE_SETTINGS)
    if unknown:
        raise TypeError(f"not a cycle setting: {sorted(unknown)}")
    with transaction.atomic():
        locked = EvaluationCycle.objects.select_for_update().get(pk=cycle.pk)
        if locked.status != CycleStatus.DRAFT:
            raise EvaluationError("评价已启动，设置不能再修改。")
        default_start, default_end = default_window(locked.year)
        if "window_start" in settings and settings["window_start"] is None:
            settings["window_start"] = default_start
        if "window_end" in settings and settings["window_end"] is None:
            settings["window_end"] = default_end
        if "title" in settings:
            settings["title"] = ((settings["title"] or "").strip()
                                 or f"{locked.year}年度赋能中心运行评估评价")
        values = {name: getattr(locked, name) for name in CYCLE_SETTINGS} | settings
        invited = (list(invited_authorities) if invited_authorities is not None
                   else list(locked.invited_authorities.all()))
        problem = cycle_problem(year=locked.year, cycle=locked, invited_authorities=invited,
                                **{k: v for k, v in values.items() if k != "title"})
        if problem:
            raise EvaluationError(problem)
        before = {name: str(getattr(locked, name)) for name in settings}
        for name, value in settings.items():
            setattr(locked, name, _aware(value))
        if settings:
            locked.save(update_fields=list(settings))
        if invited_authorities is not None:
            locked.invited_authorities.set(invited)
        audit_record(action="evaluation_cycle.change", actor=actor, target=locked,
                     before=before, after={name: str(v) for name, v in settings.items()})
    return locked


def centers_in_scope(cycle: EvaluationCycle):
    """第十七条: the centers a cycle evaluates: active (not revoked) and designated on or
    before the last day of its data window. A queryset of Center, by name."""
    return (Center.objects.filter(status=CenterStatus.ACTIVE,
                                  designated_on__lte=cycle.window_end)
            .order_by("name", "pk"))


def _materials_link(center) -> str:
    return reverse("centers:workspace", args=[center.pk])


def cycle_open(*, cycle: EvaluationCycle, actor, now=None) -> EvaluationCycle:
    """启动评价: 筹备中 → 材料报送中. The table is frozen (never changes after this), one
    Evaluation per center in scope (`centers_in_scope`; department = the center's 主管部门 now)
    is made, and each center's users are told what is due and when. Allowed while `now` is
    before `materials_due`. Raises PermissionDenied, EvaluationError (wrong status, table
    problems, deadline passed, no center in scope). Audited (`evaluationcycle.open`)."""
    _check_manage(actor)
    now = now or timezone.now()
    if cycle.materials_due <= now:
        raise EvaluationError("评价材料报送截止时间已过，请先修改截止时间再启动评价。")
    problems = table_problems(cycle.table)
    if problems:
        raise EvaluationError(f"指标体系不能使用：{problems[0]}")
    with transaction.atomic():
        try:
            opened = perform_transition(workflow=CYCLE_WORKFLOW, obj=cycle, move_name="open",
                                        actor=actor, changes={"opened_at": now})
        except TransitionNotAllowed as error:
            raise EvaluationError(str(error)) from None
        centers = list(centers_in_scope(opened).select_related("application"))
        if not centers:
            raise EvaluationError("没有纳入本年度评价范围的赋能中心（须为有效且在数据期结束前认定）。")
        IndicatorTable.objects.filter(pk=opened.table_id, frozen_at__isnull=True).update(
            frozen_at=now)
        Evaluation.objects.bulk_create(
            [Evaluation(cycle=opened, center=c, department_id=c.department_id,
                        status=EvaluationStatus.PENDING) for c in centers],
            ignore_conflicts=True)
        audit_record(action="evaluation_cycle.scope", actor=actor, target=opened,
                     after={"centers": [c.pk for c in centers]})
        for center in centers:
            for user in organisation_members(center.application.organisation_id):
                notify(recipient=user, purpose="evaluation_cycle_opened",
                       link=_materials_link(center),
                       context={"cycle": opened, "center": center})
    return opened


def _all_forwarded(cycle) -> bool:
    return not cycle.evaluations.exclude(status=EvaluationStatus.FORWARDED).exists()


def cycle_start_scoring(*, cycle: EvaluationCycle, actor, now=None) -> EvaluationCycle:
    """开始评估评分: 材料报送中 → 评估评分中, once the 主管部门's deadline has passed (or every
    evaluation is forwarded already); the expert round is made by
    `scoring.round_for_cycle` (one entry per forwarded evaluation). Raises PermissionDenied,
    EvaluationError (wrong status, too early). Audited (`evaluationcycle.start_scoring`)."""
    from . import scoring

    _check_manage(actor)
    now = now or timezone.now()
    if now <= cycle.district_due and not _all_forwarded(cycle):
        raise EvaluationError("主管部门初审截止时间未到，且尚有赋能中心的评价材料未报送初审意见。")
    with transaction.atomic():
        try:
            started = perform_transition(workflow=CYCLE_WORKFLOW, obj=cycle,
                                         move_name="start_scoring", actor=actor)
        except TransitionNotAllowed as error:
            raise EvaluationError(str(error)) from None
        scoring.round_for_cycle(cycle=started, actor=actor)
    started.refresh_from_db()
    return started


def cycle_status_label(cycle: EvaluationCycle) -> str:
    """The Chinese name of the cycle's status."""
    return CycleStatus(cycle.status).label
