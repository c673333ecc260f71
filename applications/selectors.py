from django.core.paginator import Paginator
from django.db.models import Count, F, Func, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from accounts.enums import Role
from accounts.selectors import user_department_ids, user_organisation_ids, user_roles

from .enums import HELD_UNTIL_NOTICE, ApplicationStatus, CallStatus
from .filters import ApplicantApplicationFilter, ApplicationFilter
from .models import (
    Application,
    ApplicationExport,
    ApplicationUnit,
    Attachment,
    AvoidanceRequest,
    Call,
    held_until_notice_q,
)


def calls_published():
    return (
        Call.objects.filter(status__in=[CallStatus.PUBLISHED, CallStatus.CLOSED])
        .select_related("policy")
        .prefetch_related("industry_fields")
        .order_by("-opens_at")
    )


def calls_listed(now=None):
    """Published calls not yet closed: open ones and those whose window is still to come,
    in the order they open, so that what accepts applications now comes first."""
    now = now or timezone.now()
    return calls_published().filter(status=CallStatus.PUBLISHED, closes_at__gt=now).order_by(
        "opens_at", "pk")


def applications_visible_to(user):
    """What this user may see; everything else is 404 to them."""
    applications = Application.objects.all()
    roles = user_roles(user)
    if Role.COMMISSION_STAFF in roles:
        return applications
    condition = Q(organisation_id__in=user_organisation_ids(user))
    district_ids = user_department_ids(user, Role.DISTRICT_OFFICIAL)
    if district_ids:
        condition |= Q(routed_department_id__in=district_ids) & ~Q(status=ApplicationStatus.DRAFT)
    return applications.filter(condition)


def application_with_details(queryset):
    return queryset.select_related(
        "call", "call__policy", "organisation", "industry_field", "routed_department"
    ).prefetch_related(
        Prefetch("units", queryset=ApplicationUnit.objects.order_by("role")),
        Prefetch("attachments", queryset=Attachment.objects.order_by("kind", "uploaded_at")),
        "call__materials",
        "call__industry_fields",
    )


# The columns the list pages show (staff list, dashboards): no 建设方案 text is read for a row.
LIST_COLUMNS = (
    "pk", "status", "center_name", "submitted_at", "updated_at", "routing_basis",
    "routed_to_commission", "call", "call__title", "call__list_noticed_at", "organisation",
    "organisation__name",
    "industry_field", "industry_field__name", "routed_department", "routed_department__name",
    "routed_department__short_name", "outcome_released_at",
)

# How many rows a dashboard shows; the full list is on its own paginated page.
DASHBOARD_ROWS = 10

# 我的申报: the latest call first, then the last changed.
APPLICANT_LIST_ORDERING = ("-call__opens_at", "-updated_at", "-id")


def attachment_count():
    """The number of an application's attachments, as a correlated subquery: the list is not
    joined to its attachments nor grouped, so the page and its count stay cheap at any size."""
    return Subquery(
        Attachment.objects.filter(application=OuterRef("pk")).order_by()
        .annotate(n=Func("pk", function="COUNT", output_field=IntegerField())).values("n"),
        output_field=IntegerField(),
    )


def applications_for_list(queryset):
    """Rows for list pages: one query whatever the number of rows, only the columns shown
    (`LIST_COLUMNS`) and `attachment_count`. Counting the result (the paginator) touches the
    applications alone."""
    return queryset.select_related(
        "call", "organisation", "industry_field", "routed_department"
    ).only(*LIST_COLUMNS).annotate(attachment_count=attachment_count())


def application_list_page(queryset, number, per_page):
    """Page `number` (as the query string gives it; out of range → the last page) of
    `queryset`'s applications in its order, as a `django.core.paginator.Page` of list rows
    (`applications_for_list`).

    The page's ids are chosen first, from the applications alone (an index scan in the list
    order), and only those rows are joined and given their attachment count: a deep page does
    not project and count every row before its OFFSET. Two queries: the count and the page."""
    paginator = Paginator(queryset.values_list("pk", flat=True), per_page)
    page = paginator.get_page(number)
    page.object_list = list(applications_for_list(
        Application.objects.filter(pk__in=page.object_list)
    ).order_by(*(queryset.query.order_by or Application._meta.ordering)))
    return page


def dashboard_rows(queryset) -> dict:
    """A dashboard's share of a list: {"total": how many, "rows": at most `DASHBOARD_ROWS` of
    them in the queryset's order}; at most two queries whatever the size (one when all fit)."""
    rows = list(queryset[:DASHBOARD_ROWS])
    total = len(rows) if len(rows) < DASHBOARD_ROWS else queryset.count()
    return {"total": total, "rows": rows}


def application_of_organisation(*, call, organisation_ids):
    return Application.objects.filter(call=call, organisation_id__in=organisation_ids).first()


# The district's decisions the unit reads only once its 主管部门 sent the batch (第八条).
OUTCOME_MOVES_RELEASED_WITH_BATCH = ("recommend", "decline")
PROPOSED_LIST_MOVES = ("propose", "not_propose")


def application_timeline(application, *, for_applicant: bool = False,
                         list_hidden: bool = False) -> list[dict]:
    """The application's status changes, oldest first: {"at", "actor", "label", "reason",
    "to_status"}. `for_applicant`: the unit's own view, without a 推荐 / 不予推荐 not yet sent
    to the commission (`Application.outcome_hidden_from_applicant`). `list_hidden`: without
    列入 / 未列入拟评定名单 (第九条（四）: the list is the commission's until its notice; pass
    `application.held_until_notice` for anyone but the commission's staff and auditors)."""
    from core.transitions import status_history

    from .services import APPLICATION_WORKFLOW

    labels = {move.name: move.label for move in APPLICATION_WORKFLOW.moves}
    hidden = for_applicant and application.outcome_hidden_from_applicant
    return [
        {"at": change.occurred_at, "actor": change.actor, "label": labels.get(change.transition,
                                                                              change.transition),
         "reason": change.reason, "to_status": change.to_status}
        for change in status_history(application)
        if not (hidden and change.transition in OUTCOME_MOVES_RELEASED_WITH_BATCH)
        and not (list_hidden and change.transition in PROPOSED_LIST_MOVES)
    ]


def applicant_applications(user):
    """The applications of the user's own organisations (never another unit's, whatever else
    the user may see), latest call first: one row per call (one application per unit and
    call), so the sort reads only the unit's few rows, found by the organisation index."""
    return applications_visible_to(user).filter(
        organisation_id__in=user_organisation_ids(user)
    ).order_by(*APPLICANT_LIST_ORDERING)


def applicant_dashboard_applications(user):
    """The user's organisations' applications as list rows, latest call first (pass to
    `dashboard_rows`); the full list is `applicant_application_filterset_for`'s."""
    return applications_for_list(applicant_applications(user))


def applicant_application_filterset_for(user, data=None):
    """我的申报: the user's organisations' applications filtered by call and status; `.form`
    for the page, `.qs` the rows (pass to `application_list_page`)."""
    return ApplicantApplicationFilter(data or None, queryset=applicant_applications(user),
                                      organisation_ids=user_organisation_ids(user))


def district_applications(user):
    """第八条: what was submitted to the official's 主管部门 (drafts are never seen)."""
    return Application.objects.filter(
        routed_department_id__in=user_department_ids(user, Role.DISTRICT_OFFICIAL)
    ).exclude(status=ApplicationStatus.DRAFT)


def district_dashboard_applications(user):
    """The submissions waiting for the 主管部门's review, longest waiting first (the most
    urgent: a call's submissions share its review deadline, and earlier calls close first);
    pass to `dashboard_rows`. Read backwards from the department index."""
    return applications_for_list(
        district_applications(user).filter(status=ApplicationStatus.SUBMITTED)
    ).order_by(F("submitted_at").asc(nulls_first=True), "updated_at", "id")


def status_shown_to_departments():
    """The status a 主管部门 reads, as an expression: 拟评定 / 未列入 of a call not yet noticed
    read 专家评审 (第九条（四）, `Application.held_until_notice`). Joins the call."""
    from django.db.models import Case, CharField, Value, When

    return Case(When(held_until_notice_q(), then=Value(ApplicationStatus.EXPERT_REVIEW.value)),
                default=F("status"), output_field=CharField())


def district_status_counts(user) -> list[tuple[str, int]]:
    """(status label, n) of every status a submission to the official's 主管部门 can be in, in
    the order of ApplicationStatus (drafts and the commission's own 形式审查通过 excepted),
    zeros included. One grouped query over the applications alone."""
    counts = dict(district_applications(user).order_by()
                  .annotate(shown=status_shown_to_departments()).values_list("shown")
                  .annotate(n=Count("*")))
    # 拟评定 / 未列入 are counted once noticed (read 专家评审 before): shown when there are some.
    return [(label, counts.get(value, 0)) for value, label in ApplicationStatus.choices
            if value not in (ApplicationStatus.DRAFT, ApplicationStatus.FORMAL_PASSED,
                             *HELD_UNTIL_NOTICE) or counts.get(value)]


# --- the commission's list and its export ----------------------------------------------------

# Submitted applications first, newest first; drafts (never submitted) after them.
STAFF_LIST_ORDERING = (F("submitted_at").desc(nulls_last=True), "-updated_at", "-id")


def application_filterset_for(user, data=None):
    """The staff list's filters over what `user` may see: `.form` for the page, `.qs` the rows."""
    return ApplicationFilter(data or None,
                             queryset=applications_visible_to(user).order_by(*STAFF_LIST_ORDERING))


def application_export_selection(export):
    """The applications an export holds: its filters (and the admin's ticked rows) over what the
    requester may see when the file is built."""
    params = dict(export.params)
    ids = params.pop("ids", None)
    queryset = application_filterset_for(export.requested_by, params).qs
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset


def application_exports_visible_to(user):
    """An export holds every application it selected, so only the commission may open one,
    whoever of them asked for it."""
    if Role.COMMISSION_STAFF in user_roles(user):
        return ApplicationExport.objects.select_related("requested_by")
    return ApplicationExport.objects.none()


def call_status_overview():
    """Per call that has applications, latest deadline first: {"title", "closes_at", "counts"
    (status → n), "total", "statuses" [(label, n) in the order of ApplicationStatus]}.

    Two queries whatever the number of applications: the counts come from the applications
    alone (read from the (call, status) index, no join), then the calls they belong to."""
    counts = {}
    for row in Application.objects.order_by().values("call_id", "status").annotate(n=Count("*")):
        counts.setdefault(row["call_id"], {})[row["status"]] = row["n"]
    calls = {}
    for call in (Call.objects.filter(pk__in=counts).only("title", "closes_at")
                 .order_by("-closes_at", "pk")):
        calls[call.pk] = {"title": call.title, "closes_at": call.closes_at,
                          "counts": counts[call.pk], "total": sum(counts[call.pk].values())}
    return [
        {**entry, "statuses": [(label, entry["counts"].get(value, 0))
                               for value, label in ApplicationStatus.choices]}
        for entry in calls.values()
    ]


def commission_direct_applications():
    """第八条: 市直 and 中央、省驻青 units' submissions, which no district reviews first."""
    return applications_for_list(
        Application.objects.filter(routed_to_commission=True,
                                   status=ApplicationStatus.SUBMITTED)
    ).order_by(*STAFF_LIST_ORDERING)


def avoidance_requests_for_applicant(application) -> list[dict]:
    """The unit's 回避申请 with the commission's outcome, for the unit's own page only:
    [{"expert_name", "expert_employer", "reason", "outcome": "pending" | "accepted" |
    "rejected", "outcome_reason"}]. The roster expert a ruling matched is never given. The
    ruling is read through its reverse relation (experts.AvoidanceRuling, a later stage), so
    this module imports nothing of experts."""
    rows = (AvoidanceRequest.objects.filter(application=application).order_by("id")
            .values("expert_name", "expert_employer", "reason", "ruling__status",
                    "ruling__reason"))
    return [{"expert_name": row["expert_name"], "expert_employer": row["expert_employer"],
             "reason": row["reason"], "outcome": row["ruling__status"] or "pending",
             "outcome_reason": row["ruling__reason"] or ""} for row in rows]


def explanation_requests_for_applicant(application) -> list[dict]:
    """The commission's questions to the unit about an objection to its application (情况说明,
    第九条（四）), for the unit's own page only: [{"question", "asked_at", "answered_at",
    "state": "open" | "answered" | "closed"}] (closed: the objection was decided before an
    answer). Never who objected nor what they wrote: only the question and the objection's
    decision time are read, through the reverse relation (centers.ExplanationRequest, a later
    stage), so this module imports nothing of centers. One query."""
    rows = (application.explanation_requests.order_by("asked_at", "id")
            .values("question", "asked_at", "answered_at", "objection__decided_at"))
    return [{"question": row["question"], "asked_at": row["asked_at"],
             "answered_at": row["answered_at"],
             "state": "answered" if row["answered_at"] else
             "closed" if row["objection__decided_at"] else "open"} for row in rows]
