"""A year the bundled calendar does not know: entered from a pasted table, confirmed as a whole,
audited; the commission is warned from 1 November when next year's schedule is missing."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from core import selectors
from core.models import AuditEvent, HolidayOverride, WorkdayYear
from core.services import WorkdayYearError, workday_year_confirm, workday_year_enter
from core.workdays import (
    ScheduleTableInvalid,
    WorkingDayDataMissing,
    add_working_days,
    schedule_table_parse,
)
from tests.factories import WORKDAY_TABLE_2027 as TABLE_2027
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
SOURCE = "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕1号）"



@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="platform_admin", is_staff=True, is_superuser=True))
    return client


def test_a_pasted_table_is_read_in_every_usual_format():
    rows = schedule_table_parse(TABLE_2027, year=2027)

    assert len(rows) == 32
    assert (rows[0].date, rows[0].kind, rows[0].name) == (D(2027, 1, 1), "holiday", "元旦")
    assert rows[2].date == D(2027, 1, 3)
    assert {(row.date, row.kind) for row in rows} >= {(D(2027, 2, 14), "workday"),
                                                      (D(2027, 10, 9), "workday")}


def test_every_faulty_line_is_named_in_chinese():
    table = "\n".join([
        "2027-02-30 休 无此日",          # 1: no such date
        "2026-12-31 休 跨年",            # 2: another year
        "2027-05-01 放 劳动节",          # 3: neither 休 nor 班
        "2027-05-06 班 周四",            # 4: a make-up day on a weekday
        "2027-01-01 休 元旦",            # 5: fine
        "2027-01-01 休 元旦",            # 6: twice
        "2027-05-01",                    # 7: no kind
    ])
    with pytest.raises(ScheduleTableInvalid) as excinfo:
        schedule_table_parse(table, year=2027)

    errors = excinfo.value.errors
    assert [e.split("：")[0] for e in errors] == [
        "第 1 行", "第 2 行", "第 3 行", "第 4 行", "第 6 行", "第 7 行"]
    assert "不是有效日期" in errors[0]
    assert "不在 2027 年内" in errors[1]
    assert "“休”或“班”" in errors[2]
    assert "星期四" in errors[3]
    assert "重复" in errors[4]
    for error in errors:
        assert not any(word in error for word in ("holiday", "workday", "Error", "invalid"))


def test_an_entered_year_counts_only_once_confirmed():
    actor = UserFactory()
    schedule = workday_year_enter(year=2027, rows=schedule_table_parse(TABLE_2027, year=2027),
                                  source=SOURCE, actor=actor)
    with pytest.raises(WorkingDayDataMissing):
        add_working_days(D(2027, 2, 5), 1)

    workday_year_confirm(schedule=schedule, actor=actor)

    # Fri 02-05, then the eight days off, then Sun 02-14 is a make-up working day.
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 14)
    assert add_working_days(D(2027, 2, 14), 1) == D(2027, 2, 15)
    # Without an entry, an ordinary 2027 weekday counts, an ordinary weekend does not.
    assert add_working_days(D(2027, 3, 5), 1) == D(2027, 3, 8)
    schedule.refresh_from_db()
    assert (schedule.is_complete, schedule.confirmed_by) == (True, actor)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["workday_year.enter", "workday_year.confirm"]


def test_entering_again_replaces_the_year_and_needs_a_new_confirmation():
    actor = UserFactory()
    schedule = workday_year_enter(year=2027, rows=schedule_table_parse(TABLE_2027, year=2027),
                                  source=SOURCE, actor=actor)
    workday_year_confirm(schedule=schedule, actor=actor)
    HolidayOverride.objects.create(date=D(2026, 10, 9), kind="holiday")  # another year, kept

    workday_year_enter(year=2027, rows=schedule_table_parse("2027-01-01 休 元旦", year=2027),
                       source=SOURCE, actor=actor)

    assert list(HolidayOverride.objects.filter(date__year=2027).values_list("date", flat=True)) \
        == [D(2027, 1, 1)]
    assert HolidayOverride.objects.filter(date=D(2026, 10, 9)).exists()
    assert WorkdayYear.objects.get(year=2027).is_complete is False
    with pytest.raises(WorkingDayDataMissing):
        add_working_days(D(2027, 3, 5), 1)


def test_a_year_without_holidays_or_source_cannot_be_confirmed():
    actor = UserFactory()
    empty = WorkdayYear.objects.create(year=2028, source=SOURCE)
    with pytest.raises(WorkdayYearError, match="尚未录入任何节假日"):
        workday_year_confirm(schedule=empty, actor=actor)

    nameless = workday_year_enter(year=2027, rows=schedule_table_parse(TABLE_2027, year=2027),
                                  source="", actor=actor)
    with pytest.raises(WorkdayYearError, match="依据"):
        workday_year_confirm(schedule=nameless, actor=actor)
    assert not WorkdayYear.objects.filter(is_complete=True).exists()


def test_admin_previews_the_pasted_table_then_saves_and_confirms(admin_client):
    url = reverse("admin:core_workdayyear_enter")
    assert admin_client.get(reverse("admin:core_workdayyear_add")).url == url
    data = {"year": 2027, "source": SOURCE, "table": TABLE_2027}

    preview = admin_client.post(url, {**data, "_preview": "1"})
    page = preview.content.decode()
    assert preview.status_code == 200 and 'id="schedule-preview"' in page
    assert "春节调休上班" in page and "共 32 天" in page
    assert not HolidayOverride.objects.exists()

    saved = admin_client.post(url, {**data, "_save": "1"})
    schedule = WorkdayYear.objects.get(year=2027)
    assert saved.status_code == 302
    assert HolidayOverride.objects.filter(date__year=2027).count() == 32
    assert schedule.is_complete is False

    response = admin_client.post(reverse("admin:core_workdayyear_changelist"), {
        "action": "confirm_workday_years", "_selected_action": [schedule.pk]}, follow=True)
    assert "2027 年的节假日安排已确认" in response.content.decode()
    schedule.refresh_from_db()
    assert schedule.is_complete and schedule.confirmed_by.username == "platform_admin"


def test_admin_shows_faulty_lines_and_keeps_what_was_typed(admin_client):
    table = "2027-01-01 休 元旦\n2027-13-01 休 错误日期"
    response = admin_client.post(reverse("admin:core_workdayyear_enter"),
                                 {"year": 2027, "source": SOURCE, "table": table, "_save": "1"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "第 2 行：“2027-13-01”不是有效日期" in page
    assert "2027-13-01 休 错误日期</textarea>" in page and SOURCE in page
    assert not HolidayOverride.objects.exists() and not WorkdayYear.objects.exists()


def test_editing_a_day_of_a_confirmed_year_asks_for_a_new_confirmation(admin_client):
    actor = UserFactory()
    schedule = workday_year_enter(year=2027, rows=schedule_table_parse(TABLE_2027, year=2027),
                                  source=SOURCE, actor=actor)
    workday_year_confirm(schedule=schedule, actor=actor)
    day = HolidayOverride.objects.get(date=D(2027, 1, 3))

    admin_client.post(reverse("admin:core_holidayoverride_change", args=[day.pk]),
                      {"date": "2027-01-04", "kind": "holiday", "name": "元旦"})

    schedule.refresh_from_db()
    assert schedule.is_complete is False
    assert AuditEvent.objects.filter(action="workday_year.reopen").count() == 1
    change = AuditEvent.objects.get(action="holiday_override.save")
    assert (change.before["date"], change.after["date"]) == ("2027-01-03", "2027-01-04")


def test_deleting_a_day_is_audited(admin_client):
    day = HolidayOverride.objects.create(date=D(2026, 10, 9), kind="holiday", name="补休")

    admin_client.post(reverse("admin:core_holidayoverride_delete", args=[day.pk]), {"post": "yes"})

    assert not HolidayOverride.objects.exists()
    event = AuditEvent.objects.get(action="holiday_override.delete")
    assert event.before == {"date": "2026-10-09", "kind": "holiday", "name": "补休"}
    assert event.action_label == "删除节假日调整"


@pytest.mark.parametrize(("moment", "warned"), [
    (datetime.datetime(2026, 10, 31, 23, 59, 59, tzinfo=BEIJING), None),
    (datetime.datetime(2026, 11, 1, 0, 0, 0, tzinfo=BEIJING), 2027),
    (datetime.datetime(2026, 12, 31, 23, 59, 59, tzinfo=BEIJING), 2027),
    # 2026-10-31 16:00 UTC is already 1 November in Beijing.
    (datetime.datetime(2026, 10, 31, 16, 0, 0, tzinfo=datetime.UTC), 2027),
    (datetime.datetime(2026, 10, 31, 15, 59, 59, tzinfo=datetime.UTC), None),
    # The bundled calendar knows 2026: no warning in November 2025.
    (datetime.datetime(2025, 11, 15, 9, 0, 0, tzinfo=BEIJING), None),
])
def test_next_years_schedule_is_missing_from_1_november_beijing_time(moment, warned):
    assert selectors.next_year_schedule_missing(moment) == warned


def test_a_confirmed_next_year_ends_the_warning():
    november = datetime.datetime(2026, 11, 1, tzinfo=BEIJING)
    WorkdayYear.objects.create(year=2027, source=SOURCE)
    assert selectors.next_year_schedule_missing(november) == 2027
    WorkdayYear.objects.filter(year=2027).update(is_complete=True)
    assert selectors.next_year_schedule_missing(november) is None


@pytest.mark.parametrize(("moment", "shown"), [
    (datetime.datetime(2026, 10, 31, 23, 59, 59, tzinfo=BEIJING), False),
    (datetime.datetime(2026, 11, 1, 0, 0, 0, tzinfo=BEIJING), True),
])
def test_commission_dashboard_warns_from_1_november(role_client, monkeypatch, moment, shown):
    monkeypatch.setattr(selectors.timezone, "now", lambda: moment)

    page = role_client("commission_staff").get(reverse("dashboard_commission")).content.decode()

    assert ('id="workday-year-warning"' in page) is shown
    if shown:
        assert "2027 年法定节假日安排" in page


def test_admin_pre_fills_an_estimate_that_is_not_saved(admin_client):
    response = admin_client.post(reverse("admin:core_workdayyear_enter"),
                                 {"year": "2027", "source": "", "table": "", "_estimate": "1"})

    page = response.content.decode()
    assert response.status_code == 200 and 'id="schedule-estimated"' in page
    assert "不含调休上班日" in page
    assert "2027-02-06 休 春节" in page and "2027-10-01 休 国庆节" in page
    assert "errorlist" not in page  # the empty source is not an error yet
    assert not HolidayOverride.objects.exists() and not WorkdayYear.objects.exists()
    with pytest.raises(WorkingDayDataMissing):
        add_working_days(D(2027, 2, 5), 1)


def test_a_year_missing_a_statutory_day_off_is_not_confirmed(commission_staff):
    """Three rows pasted of a whole notice must not make the rest of the year weekdays only."""
    partial = "2027-01-01 休 元旦\n2027-02-06 休 春节\n2027-02-14 班 春节调休上班"
    schedule = workday_year_enter(year=2027, rows=schedule_table_parse(partial, year=2027),
                                  source=SOURCE, actor=commission_staff)
    with pytest.raises(WorkdayYearError, match="缺少法定节假日：02月05日（农历除夕）.*10月01日（国庆节）"):
        workday_year_confirm(schedule=schedule, actor=commission_staff)
    schedule.refresh_from_db()
    assert not schedule.is_complete
    with pytest.raises(WorkingDayDataMissing):
        add_working_days(D(2027, 3, 1), 5)

