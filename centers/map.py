"""第十五条 一张图: the figures the map draws, read from the centers themselves.

A center is counted in the region of its 主管部门 (`Center.department`): a district department
(kind `district`) is a region of the boundary file, matched by its `region_code` to a
feature's `code`; a functional zone (kind `functional_zone`, no boundary) is listed beside the
map as its own entry; a center without a 主管部门 is 市直 (city level). Filters: the industry
field, the year of designation, and whether revoked centers are counted too.

Every selector here runs a fixed number of queries whatever the number of centers, and reads
only what the public directory already publishes (name, unit, field, 主管部门, designation and
revocation dates and ground, and the location the center's unit entered for the map). The
staff map's rows take facts of later stages from readers registered here
(`staff_center_facts_register`: the latest published grade, by portal).
"""

import dataclasses

import rules
from django.db.models import Count, Q

from accounts.enums import COMPETENT_DEPARTMENT_KINDS, DepartmentKind
from accounts.models import Department
from accounts.rules import is_commission_staff
from applications.models import IndustryField

from .enums import CenterStatus
from .models import Center

# The fuller staff map (revoked centers, points of every center, how many lack a location):
# the commission, which keeps the list of centers (第十五条).
rules.add_perm("centers.view_staff_map", is_commission_staff)

# The region key of the centers without a 主管部门.
CITY = "city"
CITY_LABEL = "市直"
# A district's centers are listed beside the map, at most this many (the directory pages on).
REGION_CENTERS_SHOWN = 100
# Points drawn on the map, at most this many (the city has tens of centers, not thousands).
POINTS_SHOWN = 2000


@dataclasses.dataclass(frozen=True)
class MapFilters:
    """What the map shows: `field` (IndustryField pk or None: all), `year` (of designation,
    or None: all) and `revoked` (True: revoked centers counted and listed too)."""

    field: int | None = None
    year: int | None = None
    revoked: bool = False

    def query(self) -> dict:
        """The filters as a query string dict (empty values left out)."""
        return {k: v for k, v in (("field", self.field), ("year", self.year),
                                  ("revoked", "1" if self.revoked else "")) if v}


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 10_000_000 else None


def map_filters_parse(params) -> MapFilters:
    """MapFilters from a query dict (`field`, `year`, `revoked`=1) for the map's pages:
    anything malformed is read as "all" rather than refused (the JSON refuses it:
    `map_query_check`)."""
    return MapFilters(field=_int(params.get("field")), year=_int(params.get("year")),
                      revoked=params.get("revoked") in TRUE_VALUES)


def map_focus_parse(params) -> int | None:
    """The center the map page opens on (`center`, a Center pk), or None; not checked against
    the database: a center without a point on the map leaves the map as it is."""
    return _int(params.get("center"))


TRUE_VALUES = ("1", "true", "on")
FALSE_VALUES = ("", "0", "false", "off")
# As the open-data filters (applications.open_data.YearFilter).
YEAR_MIN, YEAR_MAX = 2000, 2100
FILTER_PARAMETERS = ("field", "year", "revoked")


class MapQueryError(Exception):
    """A query the map's JSON refuses, answered as the open-data API answers (DRF's shapes):
    `status` 400 with `body` {"detail": text} for an unknown parameter or {parameter:
    [reason]} for a bad value, or 404 with {"detail": text} for a region that does not
    exist. Texts in Chinese."""

    def __init__(self, status: int, body: dict):
        self.status, self.body = status, body
        super().__init__(str(body))


def map_query_check(params, *, extra: tuple[str, ...] = ()) -> MapFilters:
    """MapFilters from the query dict of a map JSON endpoint, strictly: parameters other than
    field, year, revoked and `extra` are refused, and so is a `field` that is no industry
    field's number (one query when given), a `year` outside 2000–2100 or not a number, and a
    `revoked` other than 1/0/true/false/on/off. MapQueryError (400) otherwise. A year or
    field without centers is no error: the map shows none."""
    known = (*FILTER_PARAMETERS, *extra)
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise MapQueryError(400, {"detail": f"不支持的查询参数：{'、'.join(unknown)}。"
                                            f"可用参数：{'、'.join(sorted(known))}。"})
    problems = {}
    field = params.get("field", "")
    field_pk = _int(field) if field else None
    if field and (field_pk is None or not field.isdigit()):
        problems["field"] = ["产业领域应为产业领域的编号（正整数）。"]
    elif field_pk and not IndustryField.objects.filter(pk=field_pk).exists():
        problems["field"] = [f"没有编号为{field_pk}的产业领域。"]
    year = params.get("year", "")
    year_value = _int(year) if year.isdigit() else None
    if year and not (year_value and YEAR_MIN <= year_value <= YEAR_MAX):
        problems["year"] = [f"认定年度应为{YEAR_MIN}至{YEAR_MAX}之间的年份，如2025。"]
    revoked = params.get("revoked", "")
    if revoked not in TRUE_VALUES + FALSE_VALUES:
        problems["revoked"] = ["是否含已撤销的赋能中心应为1（是）或0（否）。"]
    if problems:
        raise MapQueryError(400, problems)
    return MapFilters(field=field_pk, year=year_value if year else None,
                      revoked=revoked in TRUE_VALUES)


def _center_filter(filters: MapFilters, prefix: str = "") -> Q:
    condition = Q()
    if filters.field:
        condition &= Q(**{f"{prefix}industry_field_id": filters.field})
    if filters.year:
        condition &= Q(**{f"{prefix}designated_on__year": filters.year})
    return condition


def map_filter_choices() -> dict:
    """The filters' options (two queries): `fields` [{pk, name}] that have a center, and
    `years` of designation, newest first."""
    return {
        "fields": list(IndustryField.objects.filter(centers__isnull=False).distinct()
                       .order_by("sort_order", "name").values("pk", "name")),
        "years": sorted({d.year for d in Center.objects.dates("designated_on", "year")},
                        reverse=True),
    }


def map_figures(filters: MapFilters, *, with_locations: bool = False) -> dict:
    """The figures of the map under `filters`, in two queries:

    - `districts`: one per district department with a region code, in the departments'
      order: {key (department pk), code (six-digit region code), name, active, revoked,
      count (active, plus revoked when `filters.revoked`)} and, `with_locations`, `located`
      (centers counted that have coordinates);
    - `zones`: the same for the functional zones (no boundary: listed beside the map);
    - `city`: the same for the centers without a 主管部门 (key "city", name 市直);
    - `total`: the same summed over all centers.

    Inactive departments still count their centers (a center does not vanish from the map
    because its department was renamed)."""
    base = _center_filter(filters, "centers__")
    counted = Q(centers__status=CenterStatus.ACTIVE)
    if filters.revoked:
        counted = Q()
    annotations = {
        "active": Count("centers", filter=base & Q(centers__status=CenterStatus.ACTIVE)),
        "revoked": Count("centers", filter=base & Q(centers__status=CenterStatus.REVOKED)),
    }
    if with_locations:
        annotations["located"] = Count("centers", filter=base & counted & Q(
            centers__longitude__isnull=False, centers__latitude__isnull=False))
    departments = (Department.objects.filter(kind__in=COMPETENT_DEPARTMENT_KINDS)
                   .annotate(**annotations).order_by("sort_order", "id")
                   .values("pk", "kind", "short_name", "name", "region_code", "is_active",
                           *annotations))
    districts, zones = [], []
    for row in departments:
        figures = {"key": row["pk"], "code": row["region_code"],
                   "name": row["short_name"] or row["name"], "active": row["active"],
                   "revoked": row["revoked"],
                   "count": row["active"] + (row["revoked"] if filters.revoked else 0)}
        if with_locations:
            figures["located"] = row["located"]
        if row["kind"] == DepartmentKind.DISTRICT and row["region_code"]:
            districts.append(figures)
        elif row["active"] or row["revoked"] or row["is_active"]:
            # A functional zone, or a district department without a boundary code.
            zones.append(figures)

    own = _center_filter(filters)
    totals = {
        "active": Count("pk", filter=Q(status=CenterStatus.ACTIVE)),
        "revoked": Count("pk", filter=Q(status=CenterStatus.REVOKED)),
        "city_active": Count("pk", filter=Q(status=CenterStatus.ACTIVE, department__isnull=True)),
        "city_revoked": Count("pk", filter=Q(status=CenterStatus.REVOKED,
                                             department__isnull=True)),
    }
    if with_locations:
        located = Q(longitude__isnull=False, latitude__isnull=False)
        shown = located if filters.revoked else located & Q(status=CenterStatus.ACTIVE)
        totals["located"] = Count("pk", filter=shown)
        totals["city_located"] = Count("pk", filter=shown & Q(department__isnull=True))
    summed = Center.objects.filter(own).aggregate(**totals)

    def block(key, name, active, revoked, located=None):
        figures = {"key": key, "code": "", "name": name, "active": active, "revoked": revoked,
                   "count": active + (revoked if filters.revoked else 0)}
        if with_locations:
            figures["located"] = located
        return figures

    return {
        "districts": districts,
        "zones": zones,
        "city": block(CITY, CITY_LABEL, summed["city_active"], summed["city_revoked"],
                      summed.get("city_located")),
        "total": block("total", "合计", summed["active"], summed["revoked"], summed.get("located")),
        "filters": {"field": filters.field, "year": filters.year, "revoked": filters.revoked},
    }


def _center_rows(queryset, limit):
    rows = list(queryset.order_by("-designated_on", "name", "id")
                .values("pk", "name", "lead_unit_name", "status", "designated_on",
                        "revoked_on", "revocation_ground", "address", "longitude", "latitude",
                        "industry_field__name", "department__short_name", "department__name")
                [:limit])
    labels = dict(CenterStatus.choices)
    return [{
        "pk": row["pk"], "name": row["name"], "unit": row["lead_unit_name"],
        "status": row["status"], "status_label": labels.get(row["status"], ""),
        "designated_on": row["designated_on"].isoformat(),
        "revoked_on": row["revoked_on"].isoformat() if row["revoked_on"] else "",
        "revocation_ground": row["revocation_ground"],
        "field": row["industry_field__name"] or "",
        "department": row["department__short_name"] or row["department__name"] or CITY_LABEL,
        "address": row["address"],
        "longitude": None if row["longitude"] is None else float(row["longitude"]),
        "latitude": None if row["latitude"] is None else float(row["latitude"]),
    } for row in rows]


def _shown(filters: MapFilters):
    centers = Center.objects.filter(_center_filter(filters))
    if not filters.revoked:
        centers = centers.filter(status=CenterStatus.ACTIVE)
    return centers


def region_centers(filters: MapFilters, region: str) -> dict | None:
    """The centers of one region under `filters` (one query, two when none is found: whether
    the region exists; at most REGION_CENTERS_SHOWN, newest designation first): `region` is a
    competent department's pk, its six-digit region code, or "city" (no 主管部门). Returns
    {"region": region, "centers": [{pk, name, unit, status, status_label, designated_on,
    revoked_on, revocation_ground, field, department, address, longitude, latitude}],
    "more": bool}, or None for a region that is no number, code or "city", or names no
    competent department (a district's for a code)."""
    centers = _shown(filters)
    if region == CITY:
        centers, department = centers.filter(department__isnull=True), None
    elif region.isdigit() and len(region) == 6:
        department = Q(region_code=region, kind=DepartmentKind.DISTRICT)
        centers = centers.filter(department__region_code=region,
                                 department__kind=DepartmentKind.DISTRICT)
    elif region.isdigit() and _int(region):
        department = Q(pk=int(region), kind__in=COMPETENT_DEPARTMENT_KINDS)
        centers = centers.filter(department_id=int(region),
                                 department__kind__in=COMPETENT_DEPARTMENT_KINDS)
    else:
        return None
    rows = _center_rows(centers, REGION_CENTERS_SHOWN + 1)
    if not rows and department is not None and not Department.objects.filter(department).exists():
        return None
    return {"region": region, "centers": rows[:REGION_CENTERS_SHOWN],
            "more": len(rows) > REGION_CENTERS_SHOWN}


def map_points(filters: MapFilters) -> list[dict]:
    """The centers under `filters` that have coordinates (one query, at most POINTS_SHOWN):
    the rows of `region_centers`, each with its longitude and latitude (degrees, floats)."""
    return _center_rows(_shown(filters).filter(longitude__isnull=False,
                                               latitude__isnull=False), POINTS_SHOWN)


# --- facts of later stages on the staff map -------------------------------------------------------

# Readers that add facts of a later stage to the staff map's center rows (the evaluation grade:
# centers may not import evaluations, so the composing app registers the reader, see
# portal/apps.py). Each takes the center pks and returns {pk: {key: value}}, in a fixed number
# of queries.
_staff_center_facts: list = []


def staff_center_facts_register(reader) -> None:
    """Registers `reader(pks: list[int]) -> {pk: dict}`, whose dicts are merged into each
    center row of the staff map's JSON (`staff_center_facts_add`). Registering the same reader
    twice keeps it once."""
    if reader not in _staff_center_facts:
        _staff_center_facts.append(reader)


def staff_center_facts_add(rows: list[dict]) -> list[dict]:
    """`rows` (center rows as `_center_rows` gives them) with each registered reader's facts
    merged in (one call per reader, whatever the number of rows); rows a reader says nothing of
    get its keys from `reader.empty` (a dict) when it has one."""
    pks = [row["pk"] for row in rows]
    for reader in _staff_center_facts:
        facts = reader(pks) if pks else {}
        empty = getattr(reader, "empty", {})
        for row in rows:
            row.update(facts.get(row["pk"], empty))
    return rows
