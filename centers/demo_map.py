"""Demo locations for the 一张图 (`make run`, 第十五条): an operating address and coordinates for
each demo center, near the seat of its 主管部门's district (市直 centers in 市南区, the 高新区's
in its area of 城阳区), entered through the same service as a center's unit
(`location.center_location_set`, audited as the commission's correction). Idempotent: a center
that has coordinates is left as it is. The last center is left without a location, so that the
map shows that a point is optional."""

from decimal import Decimal

from accounts.models import User

from .location import LocationError, center_location_set
from .models import Center

# region code (or "zone"/"city") → (longitude, latitude, address prefix), about each seat.
SEATS = {
    "370202": ("120.382600", "36.066200", "青岛市市南区香港中路"),
    "370203": ("120.374700", "36.087800", "青岛市市北区辽宁路"),
    "370211": ("120.198000", "35.960800", "青岛市黄岛区长江中路"),
    "370212": ("120.468600", "36.107200", "青岛市崂山区株洲路"),
    "370213": ("120.432900", "36.145000", "青岛市李沧区九水东路"),
    "370214": ("120.396400", "36.307300", "青岛市城阳区正阳路"),
    "370215": ("120.447400", "36.389800", "青岛市即墨区蓝鳌路"),
    "370281": ("120.033400", "36.264700", "胶州市扬州路"),
    "370283": ("119.988700", "36.776800", "平度市红旗路"),
    "370285": ("120.517800", "36.887100", "莱西市烟台路"),
    "zone": ("120.300000", "36.275000", "青岛高新区华贯路"),
    "city": ("120.389000", "36.072000", "青岛市市南区东海西路"),
}
# Each further center of the same place is moved by this much (about 1 km), so points differ.
STEP = Decimal("0.009")


def seed_center_locations(stdout=None) -> int:
    """Gives every demo center but the last a location; returns how many were set."""
    commission = User.objects.filter(username="commission").first()
    centers = list(Center.objects.select_related("department", "application")
                   .order_by("pk"))
    if commission is None or len(centers) < 2:
        return 0
    placed, seen = 0, {}
    for center in centers[:-1]:
        department = center.department
        if department is None:
            key = "city"
        elif department.region_code in SEATS:
            key = department.region_code
        else:
            key = "zone"
        nth = seen[key] = seen.get(key, -1) + 1
        if center.longitude is not None:
            continue
        longitude, latitude, street = SEATS[key]
        try:
            center_location_set(
                center=center, actor=commission, address=f"{street}{18 + nth * 12}号",
                longitude=Decimal(longitude) + STEP * nth, latitude=Decimal(latitude) - STEP * nth)
        except LocationError as error:  # a seat table gone wrong: say so, seed the rest
            if stdout is not None:
                stdout.write(f"{center}：{error}")
            continue
        placed += 1
    return placed
