"""Reads of the recommendation batches (第八条): the department's own batch page, the
commission's list of batches per call and department."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.utils import timezone

from accounts.models import Department
from applications.enums import ApplicationStatus
from applications.models import Application, Call

from .batches import UNDECIDED_STATUSES, district_deadline_end
from .enums import BatchStatus
from .models import RecommendationBatch

S = ApplicationStatus

BATCH_LIST_PAGE_SIZE = 30

# What the commission reads of a department's batch for a call.
ARRIVED_ON_TIME = "按期报送"
ARRIVED_AFTER_REOPEN = "退回后已重新报送"
REOPENED = "已退回重新报送"
LATE = "逾期未报送"
NOT_YET = "尚未报送"


def batch_state(batch: RecommendationBatch | None, call: Call, now=None) -> str:
    """One of the labels above for the department's batch (None: never created)."""
    now = now or timezone.now()
    status = batch.status if batch is not None else BatchStatus.DRAFT
    if status == BatchStatus.SUBMITTED:
        return ARRIVED_AFTER_REOPEN if batch.submission_count > 1 else ARRIVED_ON_TIME
    if status == BatchStatus.REOPENED:
        return REOPENED
    return LATE if now >= district_deadline_end(call) else NOT_YET


def department_batch(department_id: int, call: Call) -> RecommendationBatch | None:
    return (RecommendationBatch.objects.select_related("submitted_by")
            .filter(department_id=department_id, call=call).first())


def batch_calls():
    """The calls for the commission's batch list, latest first (a call with a district
    deadline is one applications were routed under)."""
    return Call.objects.only("title", "district_review_deadline", "opens_at").order_by(
        "-opens_at", "-pk")


def commission_batch_rows(call: Call, page_number=None, per_page=BATCH_LIST_PAGE_SIZE,
                          now=None):
    """Page `page_number` of the 主管部门 that owe the commission a batch for `call` (any
    application routed to them, drafts and withdrawals aside) or sent one, in the departments'
    order: each row {"department", "batch" (or None), "state" (label), "received",
    "recommended", "not_recommended", "undecided"}. Four queries whatever the number of rows:
    the counts, the batches, the departments, nothing per row."""
    now = now or timezone.now()
    counts = {}
    for department_id, status, n in (
            Application.objects.filter(call=call, routed_department__isnull=False,
                                       routed_to_commission=False)
            .exclude(status__in=(S.DRAFT, S.WITHDRAWN)).order_by()
            .values_list("routed_department_id", "status").annotate(n=Count("*"))):
        counts.setdefault(department_id, {})[status] = n
    batches = {b.department_id: b for b in RecommendationBatch.objects.filter(call=call)
               .only("department_id", "status", "submitted_at", "first_submitted_at",
                     "submission_count", "letter_status", "reopened_at", "call_id")}
    ids = set(counts) | set(batches)
    departments = list(Department.objects.filter(pk__in=ids).only("name", "sort_order")
                       .order_by("sort_order", "pk"))
    rows = []
    for department in departments:
        by_status = counts.get(department.pk, {})
        batch = batches.get(department.pk)
        rows.append({
            "department": department,
            "batch": batch,
            "state": batch_state(batch, call, now),
            "received": sum(by_status.values()),
            "recommended": by_status.get(S.RECOMMENDED, 0),
            "not_recommended": by_status.get(S.NOT_RECOMMENDED, 0),
            "undecided": sum(by_status.get(s, 0) for s in UNDECIDED_STATUSES),
        })
    return Paginator(rows, per_page).get_page(page_number)


def batch_history(batch: RecommendationBatch):
    """The batch's sendings and sendings back, oldest first, with who and why."""
    from core.transitions import status_history

    return list(status_history(batch))
