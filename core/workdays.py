"""Working days by China's statutory holidays and make-up working days (调休).

第十三条 counts 30 working days; weekends alone would be wrong around every holiday, so a year
the calendar does not know is an error staff see, never a guess. Such a year becomes countable
once the commission has entered its whole schedule (`HolidayOverride` rows) and confirmed it
(`WorkdayYear.is_complete`); a few override rows alone do not make a year known.
"""

import datetime
import re
from dataclasses import dataclass

import chinese_calendar

from .models import HolidayOverride, WorkdayYear


class WorkingDayDataMissing(Exception):
    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"系统尚无 {year} 年经确认的法定节假日安排，无法计算工作日。"
            f"请市发展改革委管理员在后台“年度节假日安排”中按国务院办公厅通知录入 {year} 年的"
            f"节假日和调休上班日（录入后可在“节假日调整”中逐日核对），并确认全年安排。"
        )

    @property
    def user_message(self) -> str:
        """What an applicant or a 主管部门 reads: the date waits for the commission, which
        enters the schedule in admin (the instructions of `str(error)` are for it)."""
        return (f"系统尚无 {self.year} 年经确认的法定节假日安排，截止日期暂无法按工作日计算；"
                f"市发展改革委录入该年安排后将自动计算。")


def bundled_calendar_knows(year: int) -> bool:
    """Whether `chinese-calendar` carries the State Council's arrangement for `year`."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class WorkingDayCalendar:
    """Loads the overrides once per computation so counting a span costs one query (a second
    one only when the span reaches a year the bundled calendar does not know)."""

    def __init__(self):
        self.overrides = dict(HolidayOverride.objects.values_list("date", "kind"))
        self._confirmed_years = None

    def _year_confirmed(self, year: int) -> bool:
        if self._confirmed_years is None:
            self._confirmed_years = set(
                WorkdayYear.objects.filter(is_complete=True).values_list("year", flat=True))
        return year in self._confirmed_years

    def is_working_day(self, day: datetime.date) -> bool:
        """Raises `WorkingDayDataMissing` for a day of an unknown, unconfirmed year."""
        try:
            bundled = chinese_calendar.is_workday(day)
        except NotImplementedError:
            if not self._year_confirmed(day.year):
                raise WorkingDayDataMissing(day.year) from None
            bundled = day.weekday() < 5
        kind = self.overrides.get(day)
        if kind is not None:
            return kind == HolidayOverride.Kind.WORKDAY
        return bundled


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `start` (start itself never counts)."""
    if n < 0:
        raise ValueError("n must not be negative")
    calendar = WorkingDayCalendar()
    day, counted = start, 0
    while counted < n:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """Working days after `a` up to and including `b` (0 when b <= a)."""
    calendar = WorkingDayCalendar()
    count, day = 0, a
    while day < b:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count


# --- a year's schedule, pasted as a table -------------------------------------------------

_HOLIDAY_WORDS = {"休", "假", "休息", "放假", "节假日"}
_WORKDAY_WORDS = {"班", "上班", "调休上班", "补班"}
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class ScheduleRow:
    """One day of a pasted schedule: `kind` is a `HolidayOverride.Kind` value."""

    date: datetime.date
    kind: str
    name: str


class ScheduleTableInvalid(Exception):
    """The pasted table has faulty lines; `errors` lists one Chinese message per fault."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("；".join(errors))


def schedule_table_parse(text: str, *, year: int) -> list[ScheduleRow]:
    """Reads a pasted table, one day per line: date, 休 or 班, an optional name.

    Columns may be separated by spaces, tabs (a paste from Excel or WPS) or commas; dates are
    written 2027-01-01, 2027/1/1 or 2027年1月1日. Blank lines are skipped. Returns the rows by
    date; raises `ScheduleTableInvalid` listing every faulty line (第 n 行：…) at once.
    """
    rows: dict[datetime.date, ScheduleRow] = {}
    errors = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p for p in re.split(r"[\s,，;；、]+", line) if p]
        if len(parts) < 2:
            errors.append(f"第 {number} 行：应为“日期 休/班 名称”，如“{year}-01-01 休 元旦”。")
            continue
        match = _DATE_RE.match(parts[0])
        try:
            day = datetime.date(*(int(g) for g in match.groups())) if match else None
        except ValueError:
            day = None
        if day is None:
            errors.append(f"第 {number} 行：“{parts[0]}”不是有效日期，请写成 {year}-01-01。")
            continue
        if day.year != year:
            errors.append(f"第 {number} 行：{day:%Y-%m-%d} 不在 {year} 年内。")
            continue
        if parts[1] in _HOLIDAY_WORDS:
            kind = HolidayOverride.Kind.HOLIDAY
        elif parts[1] in _WORKDAY_WORDS:
            kind = HolidayOverride.Kind.WORKDAY
        else:
            errors.append(f"第 {number} 行：第二列应为“休”或“班”，而不是“{parts[1]}”。")
            continue
        if kind == HolidayOverride.Kind.WORKDAY and day.weekday() < 5:
            errors.append(f"第 {number} 行：{day:%Y-%m-%d} 是星期{_WEEKDAYS[day.weekday()]}，"
                          "本来就是工作日，调休上班日应在周六或周日。")
            continue
        if day in rows:
            errors.append(f"第 {number} 行：{day:%Y-%m-%d} 重复出现。")
            continue
        rows[day] = ScheduleRow(day, kind, " ".join(parts[2:])[:50])
    if not errors and not rows:
        errors.append("请粘贴全年的节假日和调休上班日，每行一天。")
    if errors:
        raise ScheduleTableInvalid(errors)
    return sorted(rows.values(), key=lambda row: row.date)


def schedule_estimate(year: int) -> str:
    """A table of `year`'s statutory days off computed by rule (PyPI `holidays`), one day a
    line in the format `schedule_table_parse` reads, for the commission to correct against the
    State Council's notice.

    An estimate only: it lacks the make-up working days (调休) and the days the notice moves,
    so it is never used to count, only to pre-fill the form; saving and confirming stay manual.
    """
    import holidays

    days = holidays.country_holidays("CN", years=year, language="zh_CN")
    return "\n".join(f"{day:%Y-%m-%d} 休 {name}" for day, name in sorted(days.items()))


def statutory_days_off(year: int) -> dict:
    """`year`'s statutory days off by rule ({date: name}; PyPI `holidays`, 《全国年节及纪念日放假
    办法》: 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节), without the make-up rest days
    a notice adds. Whatever the State Council's notice moves around them, these days are off."""
    import holidays

    days = holidays.country_holidays("CN", years=year, language="zh_CN", observed=False)
    return {day: name for day, name in days.items() if not name.startswith("休息日")}

