"""Working days by China's statutory holidays and make-up working days (调休).

第十三条 counts 30 working days; weekends alone would be wrong around every holiday, so a year
the calendar does not know is an error staff see, never a guess.
"""

import datetime

import chinese_calendar

from .models import HolidayOverride


class WorkingDayDataMissing(Exception):
    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"系统尚无 {year} 年的法定节假日安排，无法计算工作日。"
            f"请市发展改革委管理员在后台“节假日调整”中录入 {year} 年的节假日和调休上班日。"
        )


class WorkingDayCalendar:
    """Loads the overrides once per computation so counting a span costs one query."""

    def __init__(self):
        self.overrides = dict(HolidayOverride.objects.values_list("date", "kind"))
        self.override_years = {day.year for day in self.overrides}

    def is_working_day(self, day: datetime.date) -> bool:
        kind = self.overrides.get(day)
        if kind is not None:
            return kind == HolidayOverride.Kind.WORKDAY
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if day.year in self.override_years:
                return day.weekday() < 5
            raise WorkingDayDataMissing(day.year) from None


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
