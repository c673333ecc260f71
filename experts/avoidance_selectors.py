"""The reads of the commission's 回避 pages: the 回避申请 to rule on, the roster experts a
request may mean, the conflicts suggested and the rulings made (all for commission staff only;
the views check `experts.rule_conflicts`)."""

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from applications.models import Application, AvoidanceRequest, Call

from .avoidance import RULABLE_STATUSES
from .enums import AvoidanceStatus
from .models import AvoidanceRuling, ConflictRuling, Expert, normalize_unit_name
from .suggestions import suggested_conflicts, suggested_conflicts_kept

PAGE_SIZE = 50
EXPERT_CHOICES_LIMIT = 50
AVOIDANCE_STATUS_FILTERS = (("pending", "待审核"), ("accepted", "同意回避"),
                            ("rejected", "不同意回避"), ("all", "全部"))


def review_calls():
    """The calls with applications the commission rules on, latest first."""
    rulable = Application.objects.filter(call=OuterRef("pk"), status__in=RULABLE_STATUSES)
    return (Call.objects.filter(Exists(rulable)).order_by("-opens_at", "-id")
            .only("pk", "title"))


def avoidance_requests(*, call=None, status: str = "pending"):
    """The 回避申请 of rulable applications, oldest first, as rows for the list: `status`
    pending (no ruling yet), accepted, rejected or all."""
    rows = AvoidanceRequest.objects.filter(application__status__in=RULABLE_STATUSES)
    if call is not None:
        rows = rows.filter(application__call=call)
    if status == "pending":
        rows = rows.filter(ruling__isnull=True)
    elif status in (AvoidanceStatus.ACCEPTED, AvoidanceStatus.REJECTED):
        rows = rows.filter(ruling__status=status)
    return rows.order_by("id").values(
        "pk", "expert_name", "expert_employer", "reason", "created_at", "application_id",
        "application__center_name", "application__organisation__name",
        "application__call__title", "ruling__status", "ruling__reason",
        "ruling__expert__name", "ruling__expert__employer_name")


def page_of(rows, number, per_page: int = PAGE_SIZE):
    return Paginator(rows, per_page).get_page(number)


def avoidance_request_for_ruling(pk: int):
    """One rulable 回避申请 with its application (AvoidanceRequest.DoesNotExist otherwise)."""
    return (AvoidanceRequest.objects.select_related("application", "application__call",
                                                    "application__organisation")
            .get(pk=pk, application__status__in=RULABLE_STATUSES))


def avoidance_ruling_of(request):
    """The ruling on a 回避申请 with its matched expert, or None."""
    return AvoidanceRuling.objects.select_related("expert", "decided_by").filter(
        request=request).first()


def avoidance_expert_choices(request, query: str = "") -> list[tuple[Expert, bool]]:
    """Roster experts the request may mean, as [(expert, suggested)]: first those whose name is
    the typed name after normalisation (employer also matching, by normalize_unit_name, before
    the others), then those whose name contains `query`, at most EXPERT_CHOICES_LIMIT."""
    typed = request.expert_name.strip()
    names = {typed, normalize_unit_name(typed)}
    employer = normalize_unit_name(request.expert_employer)
    columns = ("pk", "name", "employer_name", "employer_key", "title")
    exact = sorted(Expert.objects.filter(name__in=names).only(*columns)[:EXPERT_CHOICES_LIMIT],
                   key=lambda e: (e.employer_key != employer, e.name, e.pk))
    seen = {e.pk for e in exact}
    others = []
    query = (query or "").strip()
    if query:
        others = [e for e in Expert.objects.filter(name__icontains=query)
                  .exclude(pk__in=seen).order_by("name", "id")
                  .only(*columns)[:EXPERT_CHOICES_LIMIT - len(exact)]]
    return [(e, True) for e in exact] + [(e, False) for e in others]


def rulable_applications(call=None):
    rows = Application.objects.filter(status__in=RULABLE_STATUSES)
    return rows.filter(call=call) if call is not None else rows


def conflict_suggestions(call=None, on=None):
    """Suggested conflicts between the call's rulable applications and the whole roster,
    not yet ruled on (experts.suggestions), kept across requests until one of their sources
    changes (`suggested_conflicts_kept`)."""
    on = on or timezone.localdate()
    return suggested_conflicts_kept(
        key=f"{call.pk if call is not None else 'all'}:{on.isoformat()}",
        compute=lambda: suggested_conflicts(applications=rulable_applications(call),
                                            experts=Expert.objects.all(), on=on))


def conflict_rulings(call=None):
    rows = ConflictRuling.objects.all()
    if call is not None:
        rows = rows.filter(application__call=call)
    return rows.order_by("-id").values(
        "pk", "kind", "reason", "decided_at", "expert__name", "expert__employer_name",
        "application__center_name", "application_id", "expert_id",
        "decided_by__real_name", "decided_by__username")


def expert_or_none(pk) -> Expert | None:
    return Expert.objects.filter(pk=pk).first() if str(pk).isdigit() else None


def application_or_none(pk) -> Application | None:
    if not str(pk).isdigit():
        return None
    return Application.objects.filter(Q(pk=pk) & Q(status__in=RULABLE_STATUSES)).first()
