"""第十五条 一张图: where a center works — its operating address and coordinates, as its own unit
enters them (never looked up online: the portal runs on a government network without internet).

The coordinates put the center on the map as a point; they must lie inside Qingdao's extent
(`QINGDAO_EXTENT`). The center's unit enters them on a page of its center while the center is
active; the commission may correct them in Django admin. Both go through
`center_location_set`, which writes an audit row (`center.location_set`, before and after)
whenever something changed, and nothing when the same values are saved again.
"""

from decimal import Decimal

import rules
from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.rules import is_commission_staff
from core.audit import audit_record
from core.forms import PortalForm

from .models import Center
from .rules import center_is_active, is_member_of_center_unit

# The center's own unit keeps its location while the center is active; the commission corrects
# it (Django admin), also for a revoked center.
rules.add_perm("centers.enter_center_location", is_member_of_center_unit & center_is_active)
rules.add_perm("centers.correct_center_location", is_commission_staff)

# Qingdao's extent in decimal degrees: 东经119°30′—121°00′, 北纬35°35′—37°09′ (the city's
# published 四至), widened by about 5 km so that a site on the coast or an island near the
# edge is not refused. (min, max), longitude then latitude.
LONGITUDE_RANGE = (Decimal("119.45"), Decimal("121.05"))
LATITUDE_RANGE = (Decimal("35.53"), Decimal("37.20"))
QINGDAO_EXTENT = {"longitude": LONGITUDE_RANGE, "latitude": LATITUDE_RANGE}
ADDRESS_MAX = 200


class LocationError(Exception):
    """A location the rules refuse; `problems` maps a field name ("address", "longitude",
    "latitude", or "" for the whole) to its Chinese message."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("；".join(problems.values()))


def _degrees(value: Decimal) -> str:
    return f"{value:f}"


def location_problems(*, address: str, longitude: Decimal | None,
                      latitude: Decimal | None) -> dict[str, str]:
    """{field: Chinese message} of what is wrong with a location ({} when it may be saved):
    both coordinates or neither, each inside Qingdao's extent (decimal degrees, east and
    north), the address at most ADDRESS_MAX characters and required with coordinates."""
    problems = {}
    if len(address or "") > ADDRESS_MAX:
        problems["address"] = f"运营地址不能超过{ADDRESS_MAX}个字。"
    if (longitude is None) != (latitude is None):
        missing = "latitude" if latitude is None else "longitude"
        problems[missing] = "经度和纬度请同时填写（或同时留空，不在地图上标点）。"
    low, high = LONGITUDE_RANGE
    if longitude is not None and not low <= longitude <= high:
        problems["longitude"] = (
            f"经度{_degrees(longitude)}不在青岛市范围内（东经{_degrees(low)}至{_degrees(high)}度）。"
            "请核对是否把经度和纬度填反了。" if LATITUDE_RANGE[0] <= longitude <= LATITUDE_RANGE[1]
            else f"经度{_degrees(longitude)}不在青岛市范围内（东经{_degrees(low)}至{_degrees(high)}度）。")
    low, high = LATITUDE_RANGE
    if latitude is not None and not low <= latitude <= high:
        problems["latitude"] = (f"纬度{_degrees(latitude)}不在青岛市范围内"
                                f"（北纬{_degrees(low)}至{_degrees(high)}度）。")
    if longitude is not None and latitude is not None and not (address or "").strip():
        problems["address"] = "在地图上标点时请同时填写运营地址。"
    return problems


def _snapshot(center: Center) -> dict:
    return {"address": center.address,
            "longitude": None if center.longitude is None else _degrees(center.longitude),
            "latitude": None if center.latitude is None else _degrees(center.latitude)}


def center_location_set(*, center: Center, actor, address: str, longitude: Decimal | None,
                        latitude: Decimal | None) -> Center:
    """Saves `center`'s operating address (text, ≤200 characters) and coordinates (decimal
    degrees, WGS-style east longitude / north latitude, both or neither) for the 一张图
    (第十五条). The center's unit while it is active, or the commission, may do it;
    PermissionDenied (Chinese) otherwise. LocationError with per-field Chinese messages for a
    location outside Qingdao or incomplete. Audited (`center.location_set`) when a value
    changed; saving the same values again writes nothing."""
    if not (actor.has_perm("centers.enter_center_location", center)
            or actor.has_perm("centers.correct_center_location", center)):
        if is_member_of_center_unit(actor, center):
            raise PermissionDenied("该赋能中心已撤销，不能再修改运营地址和坐标。")
        raise PermissionDenied("只有赋能中心所在单位的用户或市发展改革委可以填写运营地址和坐标。")
    address = (address or "").strip()
    if problems := location_problems(address=address, longitude=longitude, latitude=latitude):
        raise LocationError(problems)
    with transaction.atomic():
        locked = Center.objects.select_for_update().get(pk=center.pk)
        before = _snapshot(locked)
        locked.address, locked.longitude, locked.latitude = address, longitude, latitude
        after = _snapshot(locked)
        if after != before:
            locked.save(update_fields=["address", "longitude", "latitude"])
            audit_record(action="center.location_set", actor=actor, target=locked,
                         before=before, after=after)
    center.address, center.longitude, center.latitude = address, longitude, latitude
    return locked


def _coordinate_field(label: str, example: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, max_digits=9, decimal_places=6,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off",
                                      "placeholder": f"如 {example}"}),
        error_messages={
            "invalid": f"请填写十进制度数，如 {example}。",
            "max_decimal_places": "最多保留6位小数。",
            "max_digits": "数值过长，请填写十进制度数，最多保留6位小数。",
            "max_whole_digits": "数值过大，请填写十进制度数。",
        })


class CenterLocationForm(PortalForm):
    """The location as typed: formats here (Chinese messages), the rules in
    `location_problems`; `apply_problems` puts the service's messages on their fields."""

    address = forms.CharField(label="运营地址", required=False, max_length=ADDRESS_MAX,
                              help_text="赋能中心实际运营场所的地址，如：青岛市崂山区株洲路187号。",
                              error_messages={"max_length": f"运营地址不能超过{ADDRESS_MAX}个字。"})
    longitude = _coordinate_field("经度（东经）", "120.468500")
    latitude = _coordinate_field("纬度（北纬）", "36.106200")

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            self.apply_problems(location_problems(
                address=(cleaned.get("address") or "").strip(),
                longitude=cleaned.get("longitude"), latitude=cleaned.get("latitude")))
        return cleaned

    def apply_problems(self, problems: dict[str, str]) -> None:
        for name, message in problems.items():
            self.add_error(name or None, message)
