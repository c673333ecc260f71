"""Reads of the district review: what an official may see, the inbox, the rounds."""

from django.core.paginator import Paginator
from django.db.models import Count, Exists, Func, IntegerField, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.enums import Role
from accounts.selectors import user_department_ids
from applications.enums import HELD_UNTIL_NOTICE, ApplicationStatus
from applications.models import Application, Call, IndustryField, held_until_notice_q
from applications.selectors import STAFF_LIST_ORDERING, status_shown_to_departments
from core.caching import choices_kept

from .enums import ReviewOutcome, ReviewStatus
from .models import DistrictReview, RecommendationBatch

S = ApplicationStatus

# The statuses an application can have once it reached a 主管部门, in the inbox's order.
INBOX_STATUSES = (S.SUBMITTED, S.RETURNED, S.RECOMMENDED, S.NOT_RECOMMENDED, S.EXPERT_REVIEW,
                  S.WITHDRAWN)

# 第九条（四）: the 拟评定名单's statuses, in the inbox's counts and filter once noticed.
HELD_UNTIL_NOTICE_STATUSES = HELD_UNTIL_NOTICE

# The columns the inbox shows: no 建设方案 text is read for a row.
INBOX_COLUMNS = (
    "pk", "status", "center_name", "receipt_number", "submitted_at", "updated_at",
    "resubmit_by", "call", "call__title", "call__district_review_deadline", "call__list_noticed_at",
    "organisation", "organisation__name", "industry_field", "industry_field__name",
)

INBOX_PAGE_SIZE = 30


def official_department_ids(user) -> set[int]:
    """The ids of the 主管部门 the user is an official of (usually one)."""
    return user_department_ids(user, Role.DISTRICT_OFFICIAL)


def applications_for_review(user):
    """第八条: the submissions routed to the user's own 主管部门 (never drafts); every other
    application is not found for them."""
    return Application.objects.filter(
        routed_department_id__in=official_department_ids(user)).exclude(status=S.DRAFT)


def review_inbox_queryset(user, *, call=None, industry_field=None, status="", text=""):
    """The inbox's rows before paging, in the staff list's order (newest submission first),
    filtered by call, industry field, status and a text found in the centre's name, the
    unit's name or the 申报编号."""
    queryset = applications_for_review(user)
    if call is not None:
        queryset = queryset.filter(call=call)
    if industry_field is not None:
        queryset = queryset.filter(industry_field=industry_field)
    if status:
        # The 拟评定名单 is the commission's until its public notice (第九条（四）).
        # 拟评定 / 未列入 only of a call whose notice is published.
        if status == S.EXPERT_REVIEW:
            queryset = queryset.filter(Q(status=status) | held_until_notice_q())
        elif status in HELD_UNTIL_NOTICE:
            queryset = queryset.filter(status=status).exclude(held_until_notice_q())
        else:
            queryset = queryset.filter(status=status)
    if text:
        queryset = queryset.filter(Q(center_name__icontains=text)
                                   | Q(organisation__name__icontains=text)
                                   | Q(receipt_number__icontains=text))
    return queryset.order_by(*STAFF_LIST_ORDERING)


def review_inbox_page(queryset, number, per_page=INBOX_PAGE_SIZE, today=None):
    """Page `number` of `queryset` as list rows: only `INBOX_COLUMNS`, whether a draft review
    is saved (`has_draft`), and `is_overdue` (第八条: still undecided after the call's district
    deadline). Three queries whatever the page's size: the count, the page's ids, the rows."""
    today = today or timezone.localdate()
    paginator = Paginator(queryset.values_list("pk", flat=True), per_page)
    page = paginator.get_page(number)
    drafts = DistrictReview.objects.filter(application=OuterRef("pk"), status=ReviewStatus.DRAFT)
    rows = list(
        Application.objects.filter(pk__in=list(page.object_list))
        .select_related("call", "organisation", "industry_field")
        .only(*INBOX_COLUMNS)
        .annotate(has_draft=Exists(drafts))
        .order_by(*STAFF_LIST_ORDERING)
    )
    for row in rows:
        row.is_overdue = (row.status == S.SUBMITTED
                          and row.call.district_review_deadline < today)
    page.object_list = rows
    return page


def review_status_counts(user, *, call=None) -> list[dict]:
    """Per status of `INBOX_STATUSES`: {"value", "label", "count"} of the user's department's
    applications (of `call` when given); one query, from the applications alone."""
    queryset = applications_for_review(user)
    if call is not None:
        queryset = queryset.filter(call=call)
    counts = dict(queryset.order_by().annotate(shown=status_shown_to_departments())
                  .values_list("shown").annotate(n=Count("*")))
    # 拟评定 / 未列入 count only once noticed (the expression reads them 专家评审 before): shown
    # when there are some, so the list's columns never appear before a notice.
    return [{"value": s.value, "label": s.label, "count": counts.get(s.value, 0)}
            for s in INBOX_STATUSES + HELD_UNTIL_NOTICE_STATUSES
            if s in INBOX_STATUSES or counts.get(s.value)]


def review_calls(user):
    """The calls with applications routed to the user's department, latest first, with their
    district deadline (第八条: 在规定时间上报), how many are still undecided and the status of
    the department's batch (`batch_status`, None before the first sending)."""
    undecided = Subquery(
        Application.objects.filter(call=OuterRef("pk"), status=S.SUBMITTED,
                                   routed_department_id__in=official_department_ids(user))
        .order_by().annotate(n=Func("pk", function="COUNT", output_field=IntegerField()))
        .values("n"),
        output_field=IntegerField())
    # 第八条: whether the department's batch for the call is with the commission.
    batch_status = Subquery(
        RecommendationBatch.objects.filter(call=OuterRef("pk"),
                                           department_id__in=official_department_ids(user))
        .order_by("pk").values("status")[:1])
    return (Call.objects.filter(pk__in=applications_for_review(user).values("call"))
            .only("title", "district_review_deadline", "opens_at")
            .annotate(undecided=undecided, batch_status=batch_status)
            .order_by("-opens_at", "-pk"))


def review_industry_fields() -> list:
    """The industry fields for the inbox's filter, in their usual order (kept in the cache
    until a field is saved or deleted: core.caching.choices_kept)."""
    return choices_kept("industry_fields", lambda: IndustryField.objects.only(
        "name", "sort_order").order_by("sort_order", "pk"))


def review_current_draft(application, department_id):
    """The draft round of `application` by the department, or None."""
    return (DistrictReview.objects.filter(application=application, department_id=department_id,
                                          status=ReviewStatus.DRAFT)
            .order_by("-round").first())


def review_rounds(application):
    """The decided rounds of `application`, first round first, with who decided."""
    return (DistrictReview.objects.filter(application=application, status=ReviewStatus.DECIDED)
            .select_related("official", "department").order_by("round"))


def review_last_returned(application):
    """The latest decided round that returned `application` for revision, or None."""
    return (DistrictReview.objects.filter(application=application, status=ReviewStatus.DECIDED,
                                          outcome=ReviewOutcome.RETURNED)
            .order_by("-round").first())


def recommendations(*, department_id, call_id):
    """The department's recommendations for the call, by rank (择优推荐)."""
    return (DistrictReview.objects.filter(department_id=department_id, call_id=call_id,
                                          status=ReviewStatus.DECIDED,
                                          outcome=ReviewOutcome.RECOMMENDED)
            .select_related("application", "application__organisation")
            .order_by("rank"))
