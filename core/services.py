"""Writes of the core app: the commission's yearly holiday schedule (第十三条's working days)."""

from django.db import transaction
from django.utils import timezone

from .audit import audit_record
from .models import HolidayOverride, WorkdayYear
from .workdays import ScheduleRow, statutory_days_off


class WorkdayYearError(Exception):
    """A refusal the commission reads in admin; the message is in Chinese."""


def _year_rows(year: int):
    return HolidayOverride.objects.filter(date__year=year)


@transaction.atomic
def workday_year_enter(*, year: int, rows: list[ScheduleRow], source: str, actor,
                       request=None) -> WorkdayYear:
    """Replaces `year`'s override rows by `rows` (a whole schedule, from
    `core.workdays.schedule_table_parse`) and records the notice it comes from.

    The year is left unconfirmed (a confirmed year becomes unconfirmed again): it counts only
    after `workday_year_confirm`. One audit row with the number of days before and after.
    """
    schedule, _ = WorkdayYear.objects.select_for_update().get_or_create(year=year)
    before = {"days": _year_rows(year).count(), "is_complete": schedule.is_complete}
    _year_rows(year).delete()
    HolidayOverride.objects.bulk_create(
        HolidayOverride(date=row.date, kind=row.kind, name=row.name) for row in rows)
    schedule.source = source.strip()[:200]
    schedule.is_complete, schedule.confirmed_by, schedule.confirmed_at = False, None, None
    schedule.save()
    audit_record(action="workday_year.enter", actor=actor, target=schedule, request=request,
                 before=before, after={"days": len(rows), "source": schedule.source})
    return schedule


@transaction.atomic
def workday_year_confirm(*, schedule: WorkdayYear, actor, request=None) -> WorkdayYear:
    """Marks the year's schedule complete: from now on deadlines count working days in it.

    Raises `WorkdayYearError` when no holiday of that year is entered or no source is named
    (a year has at least 元旦, 春节 and 国庆节; the notice must be traceable).
    """
    schedule = WorkdayYear.objects.select_for_update().get(pk=schedule.pk)
    if schedule.is_complete:
        raise WorkdayYearError(f"{schedule.year} 年的节假日安排已经确认过。")
    holidays = _year_rows(schedule.year).filter(kind=HolidayOverride.Kind.HOLIDAY).count()
    if holidays == 0:
        raise WorkdayYearError(f"{schedule.year} 年尚未录入任何节假日，不能确认。")
    if not schedule.source.strip():
        raise WorkdayYearError(f"请先填写 {schedule.year} 年节假日安排的依据（国务院办公厅通知的标题和文号）。")
    if missing := _statutory_days_missing(schedule.year):
        raise WorkdayYearError(
            f"{schedule.year} 年的安排缺少法定节假日：" + "、".join(
                f"{day:%m月%d日}（{name}）" for day, name in missing)
            + "。请按国务院办公厅通知录入全年的放假和调休日期后再确认。")
    schedule.is_complete = True
    schedule.confirmed_by = actor
    schedule.confirmed_at = timezone.now()
    schedule.save(update_fields=["is_complete", "confirmed_by", "confirmed_at"])
    audit_record(action="workday_year.confirm", actor=actor, target=schedule, request=request,
                 after={"days": _year_rows(schedule.year).count(), "source": schedule.source})
    return schedule


def _statutory_days_missing(year: int) -> list[tuple]:
    """The statutory days off (`workdays.statutory_days_off`) that the entered schedule would
    count as working days: a weekday not entered as 休, or any day entered as 班. A year
    entered by halves (three rows pasted of a whole notice) is caught here, before it counts."""
    entered = dict(_year_rows(year).values_list("date", "kind"))
    missing = []
    for day, name in sorted(statutory_days_off(year).items()):
        kind = entered.get(day)
        if kind == HolidayOverride.Kind.WORKDAY or (kind is None and day.weekday() < 5):
            missing.append((day, name))
    return missing


@transaction.atomic
def workday_year_reopen(*, year: int, actor, reason: str, request=None) -> None:
    """A confirmed year whose days change (a row edited in admin) must be confirmed again."""
    updated = WorkdayYear.objects.filter(year=year, is_complete=True).update(
        is_complete=False, confirmed_by=None, confirmed_at=None)
    if updated:
        audit_record(action="workday_year.reopen", actor=actor, request=request,
                     target=WorkdayYear.objects.get(year=year), note=reason)



def _override_values(override: HolidayOverride | None) -> dict | None:
    if override is None:
        return None
    return {"date": override.date.isoformat(), "kind": override.kind, "name": override.name}


@transaction.atomic
def holiday_override_changed(*, actor, before: HolidayOverride | None = None,
                             after: HolidayOverride | None = None, request=None) -> list[int]:
    """Records one day added, changed (`before` and `after`) or deleted (`before` only) in
    admin, and reopens each confirmed year it touches: a schedule is confirmed as a whole, so a
    changed day needs a new confirmation. Returns the years reopened."""
    target = after or before
    action = "holiday_override.delete" if after is None else "holiday_override.save"
    audit_record(action=action, actor=actor, target=target, request=request,
                 before=_override_values(before), after=_override_values(after))
    years = sorted({o.date.year for o in (before, after) if o is not None})
    reopened = []
    for year in years:
        if WorkdayYear.objects.filter(year=year, is_complete=True).exists():
            workday_year_reopen(year=year, actor=actor, request=request,
                                reason="在“节假日调整”中修改了该年的日期")
            reopened.append(year)
    return reopened
