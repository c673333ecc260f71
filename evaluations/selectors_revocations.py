"""What each reader sees of the revocations (第十七条).

- The commission: every proposal.
- The center's unit and its 主管部门: the proposals told to the center (告知 onwards) and the
  center's own request; a proposal not yet told, or dropped before it was told, is the
  commission's working file.
- The public: only what was decided to revoke, through the centers' public list.
"""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404

from accounts.enums import Role
from accounts.rules import is_commission_staff
from accounts.selectors import user_department_ids

from .enums import RevocationGround, RevocationStatus
from .models import Revocation

PAGE_SIZE = 30
ROW_FIELDS = ("pk", "center_id", "center__name", "ground", "status", "proposed_at",
              "notified_at", "statement_due", "stated_at", "decided_at", "effective_on")
# Told to the center, or asked for by it (a proposal dropped before it was told never was).
SHOWN_TO_CENTER = Q(notified_at__isnull=False) | Q(ground=RevocationGround.SELF_REQUEST)


def _rows(queryset):
    return queryset.select_related("center").only(*ROW_FIELDS).order_by("-proposed_at", "-id")


def center_revocations(user, center):
    """The revocations of `center` that `user` (who may read the center's operation) sees:
    all for the commission, the told ones and the center's own requests for its unit and its
    主管部门. A queryset of rows for a list, newest first."""
    rows = Revocation.objects.filter(center=center)
    if not is_commission_staff(user):
        rows = rows.filter(SHOWN_TO_CENTER)
    return _rows(rows)


def district_revocations(user):
    """The told revocations (and requests) of the centers of the 主管部门 `user` serves."""
    departments = user_department_ids(user, Role.DISTRICT_OFFICIAL)
    return _rows(Revocation.objects.filter(SHOWN_TO_CENTER,
                                           center__department_id__in=departments))


def commission_revocations(*, status: str = "", ground: str = ""):
    """Every revocation, filtered by `status` and `ground` (enum values; others ignored)."""
    rows = Revocation.objects.all()
    if status in RevocationStatus.values:
        rows = rows.filter(status=status)
    if ground in RevocationGround.values:
        rows = rows.filter(ground=ground)
    return _rows(rows)


def page_of(rows, number):
    """A page (PAGE_SIZE rows) of `rows`."""
    return Paginator(rows, PAGE_SIZE).get_page(number)


def revocation_for(user, pk: int, *, center_pk: int | None = None) -> Revocation:
    """The revocation `pk` (of center `center_pk` when given) as `user` may read it, with its
    center, people and files. Http404 when it does not exist or is not shown to the user (a
    proposal not yet told, for anyone but the commission); PermissionDenied is the caller's
    (evaluations.view_revocation)."""
    rows = Revocation.objects.select_related(
        "center__application", "center__department", "cycle", "change_report", "proposed_by",
        "stated_by", "decided_by")
    if center_pk is not None:
        rows = rows.filter(center_id=center_pk)
    if not is_commission_staff(user):
        rows = rows.filter(SHOWN_TO_CENTER)
    revocation = rows.filter(pk=pk).first()
    if revocation is None:
        raise Http404("没有找到该撤销资格事项。")
    return revocation
