"""What the public reads of the designated centers (第九条（四）): the directory of active
centers with filters, the revoked ones in their own list, a center's page, the designation
announcement, and plaque verification by token or by number."""

import dataclasses
import re
import unicodedata

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404

from accounts.models import Department
from applications.models import IndustryField

from .enums import CenterStatus, NoticeStatus
from .models import Center, Plaque, PublicNotice

PAGE_SIZE = 30
CENTER_COLUMNS = ("pk", "name", "lead_unit_name", "joint_unit_name", "designated_on",
                  "revoked_on", "revocation_ground", "status", "industry_field__name",
                  "department__name")


def _centers(status):
    # Ordered as the index center_status_order.
    return (Center.objects.filter(status=status).select_related("industry_field", "department")
            .only(*CENTER_COLUMNS).order_by("-designated_on", "name", "id"))


def center_filter_choices() -> dict:
    """The filters' options: fields and 主管部门 that have a designated center, and years."""
    return {
        "fields": list(IndustryField.objects.filter(centers__isnull=False).distinct()
                       .order_by("sort_order", "name").values("pk", "name")),
        "departments": list(Department.objects.filter(centers__isnull=False).distinct()
                            .order_by("name").values("pk", "name")),
        "years": sorted({d.year for d in Center.objects.dates("designated_on", "year")},
                        reverse=True),
    }


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def center_directory_page(params, page_number) -> dict:
    """A page of active centers filtered by `field`, `department` (a pk, or "city" for 市直:
    no 主管部门) and `year` of designation. Returns page, the chosen filters and choices."""
    queryset = _centers(CenterStatus.ACTIVE)
    chosen = {"field": _int(params.get("field")), "year": _int(params.get("year")),
              "department": params.get("department", "")}
    if chosen["field"]:
        queryset = queryset.filter(industry_field_id=chosen["field"])
    if chosen["year"]:
        queryset = queryset.filter(designated_on__year=chosen["year"])
    if chosen["department"] == "city":
        queryset = queryset.filter(department__isnull=True)
    elif _int(chosen["department"]):
        chosen["department"] = _int(chosen["department"])
        queryset = queryset.filter(department_id=chosen["department"])
    else:
        chosen["department"] = ""
    return {"page": Paginator(queryset, PAGE_SIZE).get_page(page_number), "chosen": chosen,
            **center_filter_choices()}


def revoked_center_page(page_number) -> dict:
    """A page of revoked centers (对外公布, 第十七条) with the date and ground of each
    revocation, the latest revocation first."""
    queryset = _centers(CenterStatus.REVOKED).order_by("-revoked_on", "name", "id")
    return {"page": Paginator(queryset, PAGE_SIZE).get_page(page_number)}


def center_get(pk: int) -> Center:
    """A designated center (active or revoked) with its current plaque; Http404 otherwise."""
    try:
        return (Center.objects.select_related("industry_field", "department", "notice")
                .prefetch_related(Prefetch("plaques", queryset=Plaque.objects.filter(
                    replaced_at__isnull=True).order_by("-created_at", "-id"),
                    to_attr="current_plaques")).get(pk=pk))
    except Center.DoesNotExist:
        raise Http404("没有找到该赋能中心。") from None


def announcement_get(pk: int) -> PublicNotice:
    """A finalised notice (the designation announcement, 公告); Http404 otherwise."""
    try:
        return PublicNotice.objects.get(pk=pk, status=NoticeStatus.FINALISED)
    except PublicNotice.DoesNotExist:
        raise Http404("没有找到该公告。") from None


@dataclasses.dataclass
class Verification:
    """What the verification page shows: the plaque found (or None), and for a replaced one
    the number of the plaque that replaced it."""

    plaque: Plaque | None
    replaced_by: str = ""


def _verification(plaque: Plaque | None) -> Verification:
    if plaque is None:
        return Verification(None)
    replaced_by = ""
    if plaque.replaced_at is not None:
        newer = (Plaque.objects.filter(center_id=plaque.center_id, replaced_at__isnull=True)
                 .order_by("-created_at", "-id").values_list("number", flat=True).first())
        replaced_by = newer or ""
    return Verification(plaque, replaced_by)


def plaque_by_token(token: str) -> Verification:
    """The plaque whose verification token is `token` exactly; Verification(None) for any
    other string (unknown and altered tokens are the same to the caller)."""
    plaque = (Plaque.objects.select_related("center", "center__industry_field",
                                            "center__department")
              .filter(token=token).first()) if token else None
    return _verification(plaque)


# What a Chinese input method types for the printed "-": 全角－ (NFKC folds it), ——, –, ‐, ―.
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−﹣"})


def plaque_number_normalise(value: str) -> str:
    """What a person types for a plaque number → the printed form: full-width letters and
    digits folded (NFKC), any dash made "-", runs of dashes (—— is one keystroke) made one,
    spaces dropped. "青数赋——２０２６－００１ " → "青数赋-2026-001"."""
    folded = unicodedata.normalize("NFKC", value or "").translate(_DASHES)
    return re.sub(r"-+", "-", "".join(folded.split()))


def plaque_by_number(number: str) -> Verification:
    """The current (not replaced) plaque printed with `number` (as typed: see
    `plaque_number_normalise`); Verification(None) if none."""
    number = plaque_number_normalise(number)
    plaque = (Plaque.objects.select_related("center", "center__industry_field",
                                            "center__department")
              .filter(number=number, replaced_at__isnull=True)
              .order_by("-created_at", "-id").first()) if number else None
    return _verification(plaque)


def home_centers(limit: int = 5) -> dict:
    """The home page's 已认定赋能中心 card: {"count": active centers (int), "recent": the
    `limit` most recently designated active centers (list of Center)}. Two queries."""
    active = _centers(CenterStatus.ACTIVE)
    return {"count": active.count(), "recent": list(active[:limit])}
