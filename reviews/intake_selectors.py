"""Reads of the commission's intake (第八条、第九条（二）): per 主管部门 what arrived for a call,
the applications ready for the expert review, the direct submissions awaiting 形式审查 and the
reviews not decided in time (未按期审查)."""

from django.core.paginator import Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.enums import COMPETENT_DEPARTMENT_KINDS
from accounts.models import Department
from applications.enums import ApplicationStatus, RoutingBasis
from applications.models import Application, Call
from applications.selectors import STAFF_LIST_ORDERING
from core.caching import choices_kept

from .batch_selectors import batch_state
from .enums import OverdueResolution, ReviewOutcome, ReviewStatus
from .models import DistrictReview, OverdueReview, RecommendationBatch

S = ApplicationStatus

INTAKE_PAGE_SIZE = 30

# Ready for the expert review: recommended by a 主管部门, or passed by the commission's own
# 形式审查 (第九条（二）).
READY_STATUSES = (S.RECOMMENDED, S.FORMAL_PASSED)
# What counts as recommended (passed) once it has gone on to the expert review too.
RECOMMENDED_STATUSES = (S.RECOMMENDED, S.FORMAL_PASSED, S.EXPERT_REVIEW)

# The list's views (the `stage` filter), the first the default.
STAGES = (
    ("ready", "待转入专家评审（已推荐、形式审查通过）"),
    ("direct", "待形式审查（直接报送）"),
    ("overdue", "未按期审查"),
    ("expert", "已转入专家评审"),
)

INTAKE_COLUMNS = (
    "pk", "status", "center_name", "receipt_number", "submitted_at", "updated_at",
    "routed_to_commission", "routing_basis", "call", "call__title",
    "call__district_review_deadline", "organisation", "organisation__name", "industry_field",
    "industry_field__name", "routed_department", "routed_department__name",
)


def _direct_route():
    return Q(routed_to_commission=True) & ~Q(routing_basis=RoutingBasis.INTAKE)


def _open_marks():
    return OverdueReview.objects.filter(application=OuterRef("pk"),
                                        resolution=OverdueResolution.PENDING)


def intake_calls() -> list:
    """The calls for the intake's choice, latest first (kept in the cache until a call is
    saved or deleted: core.caching.choices_kept)."""
    return choices_kept("intake_calls", lambda: Call.objects.only(
        "title", "district_review_deadline", "opens_at").order_by("-opens_at", "-pk"))


def intake_departments() -> list:
    """The 主管部门 (districts and functional zones), in their usual order (kept in the
    cache until a department is saved or deleted)."""
    return choices_kept("competent_departments", lambda: Department.objects.filter(
        kind__in=COMPETENT_DEPARTMENT_KINDS).only("name", "sort_order").order_by(
        "sort_order", "pk"))


def intake_department_counts(call, departments=None) -> list[dict]:
    """Per 主管部门 of the call (every 主管部门, then the commission's direct route, then the
    submissions still waiting in 受理登记): {"department" (None for the commission rows),
    "label", "received", "recommended", "returned", "not_recommended", "undecided",
    "overdue", "batch_state"}. `batch_state` says whether the department's batch of
    recommendations (推荐函) arrived on time (`batch_selectors.batch_state`; "" for the
    commission's rows, which send no batch). `received` counts every submission (not drafts, not withdrawn);
    `recommended` for the direct route counts those that passed 形式审查; `overdue` those with
    an open 未按期审查 mark. Three queries: the departments (none when the page passes the
    `departments` of `intake_departments()` it read for its filter), the call's batches, and
    one grouped count over the call's applications (no join to a one-to-many table)."""
    counts = (Application.objects.filter(call=call)
              .exclude(status__in=(S.DRAFT, S.WITHDRAWN))
              .order_by()
              .values("routed_department_id", "routed_to_commission", "routing_basis")
              .annotate(received=Count("pk"),
                        recommended=Count("pk", filter=Q(status__in=RECOMMENDED_STATUSES)),
                        returned=Count("pk", filter=Q(status=S.RETURNED)),
                        not_recommended=Count("pk", filter=Q(status=S.NOT_RECOMMENDED)),
                        undecided=Count("pk", filter=Q(status=S.SUBMITTED)),
                        overdue=Count("pk", filter=Q(Exists(_open_marks())))))
    keys = ("received", "recommended", "returned", "not_recommended", "undecided", "overdue")
    by_department, direct, intake = {}, dict.fromkeys(keys, 0), dict.fromkeys(keys, 0)
    for row in counts:
        if row["routed_to_commission"]:
            target = intake if row["routing_basis"] == RoutingBasis.INTAKE else direct
        else:
            target = by_department.setdefault(row["routed_department_id"],
                                              dict.fromkeys(keys, 0))
        for key in keys:
            target[key] += row[key]
    sent = {batch.department_id: batch
            for batch in RecommendationBatch.objects.filter(call=call).only(
                "department_id", "status", "submission_count")}
    now = timezone.now()
    if departments is None:
        departments = intake_departments()
    rows = [{"department": d, "label": d.name,
             "batch_state": batch_state(sent.get(d.pk), call, now),
             **by_department.get(d.pk, dict.fromkeys(keys, 0))} for d in departments]
    rows.append({"department": None, "label": "市直、中央和省驻青单位（直接报送市发展改革委）",
                 "batch_state": "", **direct})
    if intake["received"]:
        rows.append({"department": None, "label": "市发展改革委受理登记（待确定主管部门）",
                     "batch_state": "", **intake})
    return rows


def intake_queryset(*, stage="ready", call=None, department=None, industry_field=None,
                    text=""):
    """The intake list's applications before paging, newest submission first.

    `stage`: one of `STAGES` (unknown → ready). `department`: a Department, or "direct" for
    the commission's direct route. `text` is found in the centre's name, the unit's name or the
    申报编号."""
    queryset = Application.objects.all()
    if stage == "direct":
        queryset = queryset.filter(_direct_route(), status=S.SUBMITTED)
    elif stage == "overdue":
        queryset = queryset.filter(Exists(_open_marks()))
    elif stage == "expert":
        queryset = queryset.filter(status=S.EXPERT_REVIEW)
    else:
        queryset = queryset.filter(status__in=READY_STATUSES)
    if call is not None:
        queryset = queryset.filter(call=call)
    if department == "direct":
        queryset = queryset.filter(_direct_route())
    elif department is not None:
        queryset = queryset.filter(routed_department=department, routed_to_commission=False)
    if industry_field is not None:
        queryset = queryset.filter(industry_field=industry_field)
    if text:
        queryset = queryset.filter(Q(center_name__icontains=text)
                                   | Q(organisation__name__icontains=text)
                                   | Q(receipt_number__icontains=text))
    return queryset.order_by(*STAFF_LIST_ORDERING)


def intake_page(queryset, number, per_page=INTAKE_PAGE_SIZE):
    """Page `number` of `queryset` as rows: `INTAKE_COLUMNS`, the 主管部门's rank (`rank`,
    None for the direct route) and the open 未按期审查 mark (`open_mark_id`,
    `open_mark_deadline`). Three queries whatever the page's size."""
    paginator = Paginator(queryset.values_list("pk", flat=True), per_page)
    page = paginator.get_page(number)
    rank = (DistrictReview.objects.filter(application=OuterRef("pk"),
                                          status=ReviewStatus.DECIDED,
                                          outcome=ReviewOutcome.RECOMMENDED)
            .order_by("-round").values("rank")[:1])
    mark = _open_marks().order_by("-deadline")
    page.object_list = list(
        Application.objects.filter(pk__in=list(page.object_list))
        .select_related("call", "organisation", "industry_field", "routed_department")
        .only(*INTAKE_COLUMNS)
        .annotate(rank=Subquery(rank, output_field=IntegerField()),
                  open_mark_id=Subquery(mark.values("pk")[:1]),
                  open_mark_deadline=Subquery(mark.values("deadline")[:1]))
        .order_by(*STAFF_LIST_ORDERING))
    return page


def intake_ids(queryset) -> list[int]:
    """The ids of every application of the list (all pages), for its export."""
    return list(queryset.values_list("pk", flat=True))


def direct_applications():
    """Direct submissions (第八条) the commission may check: its 形式审查 page's scope."""
    return Application.objects.filter(_direct_route()).exclude(status=S.DRAFT)


def open_overdue_marks():
    """The 未按期审查 marks the commission has not yet decided about."""
    return OverdueReview.objects.filter(resolution=OverdueResolution.PENDING)


def overdue_count(call=None) -> int:
    queryset = open_overdue_marks()
    if call is not None:
        queryset = queryset.filter(call=call)
    return queryset.count()


def commission_rounds(application):
    """The decided rounds of `application`, first first (the district's and the
    commission's), with who decided."""
    return (DistrictReview.objects.filter(application=application, status=ReviewStatus.DECIDED)
            .select_related("official", "department").order_by("round"))

