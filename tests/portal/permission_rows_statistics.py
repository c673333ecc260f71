"""Rows of the permission table for the commission's statistics (第十五条 产业数据分析): the page
and each chart's Excel download are the commission staff's alone; the home page (with the year's
timetable) stays open to everyone (tests/portal/permission_rows.py)."""

from ..permission_table import Row, answers, only

ROWS = [
    Row("statistics", only("commission_staff")),
    Row("statistics", only("commission_staff"), data={"call": "all", "year": "2026"},
        state="filtered"),
    Row("statistics_download", only("commission_staff"), kwargs=lambda w: {"key": "grades"}),
    Row("statistics_download", only("commission_staff"), kwargs=lambda w: {"key": "funnel_call"},
        state="the funnel"),
    Row("statistics_download", answers(403, anonymous=only("commission_staff")["anonymous"],
                                       commission_staff=404),
        kwargs=lambda w: {"key": "nothing"}, state="an unknown chart"),
]
