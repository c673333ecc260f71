"""Working days by the State Council's holiday arrangements (国务院办公厅关于节假日安排的通知).

Expected dates are taken from the published arrangements, not recomputed with the library:
2025 National Day and Mid-Autumn: off 10-01..10-08, make-up days Sun 09-28 and Sat 10-11;
2026 Spring Festival: off 02-15..02-23, make-up days Sat 02-14 and Sat 02-28.
"""

import datetime

import pytest

from core.models import HolidayOverride, WorkdayYear
from core.workdays import WorkingDayDataMissing, add_working_days, working_days_between
from tests.factories import HolidayOverrideFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_thirty_working_days_after_2025_09_22_is_2025_11_07():
    # 第十三条's 30 working days, across National Day week: a weekend-only count gives 11-03.
    assert add_working_days(D(2025, 9, 22), 30) == D(2025, 11, 7)
    assert working_days_between(D(2025, 9, 22), D(2025, 11, 7)) == 30


def test_the_start_day_never_counts():
    assert add_working_days(D(2025, 9, 22), 1) == D(2025, 9, 23)
    assert add_working_days(D(2025, 9, 22), 0) == D(2025, 9, 22)
    assert working_days_between(D(2025, 9, 22), D(2025, 9, 22)) == 0
    assert working_days_between(D(2025, 9, 23), D(2025, 9, 22)) == 0


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2025, 9, 22), -1)


def test_span_across_the_2026_spring_festival():
    # Fri 02-13, make-up Sat 02-14, nine days off, back on Tue 02-24.
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
    # 02-13, 02-14, 02-24..02-28 (Sat 02-28 is a make-up day), 03-02, 03-03, 03-04.
    assert add_working_days(D(2026, 2, 12), 10) == D(2026, 3, 4)
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 27)) == 5
    assert working_days_between(D(2026, 2, 14), D(2026, 2, 23)) == 0


@pytest.mark.parametrize("saturday", [D(2025, 10, 11), D(2026, 2, 14), D(2026, 2, 28)])
def test_a_make_up_saturday_counts(saturday):
    assert saturday.weekday() == 5
    friday = saturday - datetime.timedelta(days=1)
    assert add_working_days(friday, 1) == saturday
    assert working_days_between(friday, saturday) == 1


def test_make_up_sunday_before_national_day_counts():
    # Sat 09-27 off, Sun 09-28 worked.
    assert add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)
    assert add_working_days(D(2025, 9, 28), 1) == D(2025, 9, 29)


def test_an_ordinary_weekend_does_not_count():
    assert add_working_days(D(2025, 11, 7), 1) == D(2025, 11, 10)


def test_a_year_without_holiday_data_raises_a_clear_chinese_error():
    with pytest.raises(WorkingDayDataMissing) as excinfo:
        add_working_days(D(2026, 12, 28), 10)
    message = str(excinfo.value)
    assert excinfo.value.year == 2027
    assert "2027 年" in message and "无法计算工作日" in message and "年度节假日安排" in message

    with pytest.raises(WorkingDayDataMissing):
        working_days_between(D(2026, 12, 30), D(2027, 1, 5))


def test_override_rows_alone_leave_a_new_year_unknown():
    # One day entered is not the year's schedule: the rest of 2027 must not count as weekdays.
    HolidayOverrideFactory(date=D(2027, 1, 1), kind=HolidayOverride.Kind.HOLIDAY, name="元旦")
    WorkdayYear.objects.create(year=2027, source="国办发明电〔2026〕1号")  # entered, unconfirmed

    with pytest.raises(WorkingDayDataMissing):
        add_working_days(D(2026, 12, 30), 3)
    with pytest.raises(WorkingDayDataMissing):
        working_days_between(D(2027, 3, 1), D(2027, 3, 5))


def test_a_confirmed_year_becomes_computable():
    # The commission enters 2027's arrangement in admin (here: New Year's Day only) and confirms.
    HolidayOverrideFactory(date=D(2027, 1, 1), kind=HolidayOverride.Kind.HOLIDAY, name="元旦")
    WorkdayYear.objects.create(year=2027, source="国办发明电〔2026〕1号", is_complete=True)

    # Thu 2026-12-31 counts, Fri 01-01 is a holiday, then the weekend.
    assert add_working_days(D(2026, 12, 30), 3) == D(2027, 1, 5)
    assert working_days_between(D(2026, 12, 30), D(2027, 1, 8)) == 6


def test_a_make_up_day_override_in_a_new_year_counts():
    HolidayOverrideFactory(date=D(2027, 1, 1), kind=HolidayOverride.Kind.HOLIDAY)
    HolidayOverrideFactory(date=D(2027, 1, 2), kind=HolidayOverride.Kind.WORKDAY)
    WorkdayYear.objects.create(year=2027, source="国办发明电〔2026〕1号", is_complete=True)

    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 2)


def test_overrides_win_over_the_bundled_calendar():
    # An extra day off on a working Tuesday, and a bundled holiday turned into a working day.
    HolidayOverrideFactory(date=D(2025, 9, 23), kind=HolidayOverride.Kind.HOLIDAY)
    HolidayOverrideFactory(date=D(2025, 10, 8), kind=HolidayOverride.Kind.WORKDAY)

    assert add_working_days(D(2025, 9, 22), 1) == D(2025, 9, 24)
    assert add_working_days(D(2025, 10, 7), 1) == D(2025, 10, 8)
    assert add_working_days(D(2025, 9, 22), 30) == D(2025, 11, 7)  # one lost, one gained


def test_counting_a_long_span_reads_the_overrides_once(django_assert_num_queries):
    HolidayOverrideFactory(date=D(2025, 9, 23), kind=HolidayOverride.Kind.HOLIDAY)

    with django_assert_num_queries(1):
        add_working_days(D(2025, 1, 1), 200)
