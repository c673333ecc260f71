"""Rows of the permission table for the 一张图 (第十五条, see tests/permission_table.py): the
public map and its JSON answer everyone; the staff map and its JSON only the commission; the
location page only the center's own unit (applicant A, whose center is under 崂山区) — its
主管部门 and the commission read the center's operation but do not enter its location (the
commission corrects it in Django admin)."""

from ..permission_table import LOGIN, Row, answers, everyone, only

from .permission_rows_records import _center


def _of_center(world):
    return {"pk": _center(world)["pk"]}


ROWS = [
    Row("centers:map", everyone(200)),
    Row("centers:map", everyone(200), data={"field": "1", "year": "2026", "revoked": "1"},
        state="filtered"),
    Row("centers:map_data", everyone(200), kwargs=lambda w: (_center(w), {})[1],
        data={"revoked": "1"}),
    Row("centers:map_centers", everyone(200), kwargs=lambda w: (_center(w), {})[1],
        data={"region": "370212"}),
    Row("centers:map_centers", everyone(404), data={"region": "市南"}, state="unknown region"),
    Row("centers:map_data", everyone(400), data={"year": "abc"}, state="bad year"),
    Row("centers:commission_map", only("commission_staff")),
    Row("centers:commission_map_data", only("commission_staff"), data={"revoked": "1"}),
    Row("centers:commission_map_centers", only("commission_staff"), data={"region": "city"}),
    Row("centers:commission_map_centers", only("commission_staff", ok=404),
        data={"region": "市南"}, state="unknown region"),
    Row("centers:center_location",
        answers(403, anonymous=LOGIN, applicant=200, applicant_b=403, district_official_b=403),
        kwargs=_of_center),
]
