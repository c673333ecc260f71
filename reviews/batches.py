"""Sending a 主管部门's recommendations to the commission as one batch (第八条: 择优推荐,
在规定时间上报), the 推荐函 PDF, the commission sending a batch back, and the timers around
the district deadline.

Sending a batch locks the department's decisions for the call (`ensure_batch_open` is called by
every write of `services`), releases 推荐 / 不予推荐 to the units (they read them only now,
`Application.outcome_released_at`) and tells the commission. Each sending renders a 推荐函 of
what was sent, by a worker (`tasks.render_recommendation_letter`).
"""

import datetime
import hashlib
import json
import logging

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Department
from accounts.selectors import role_users
from applications import services as application_services
from applications.enums import ApplicationStatus
from applications.models import Application, Call
from core.notifications import notify
from core.queue import enqueue_on_commit
from core.sweep import deadline_check, reminder_claim
from core.transitions import Move, TransitionNotAllowed, Workflow, perform_transition

from .enums import BatchStatus, LetterStatus, ReviewOutcome, ReviewStatus
from .models import DistrictReview, RecommendationBatch, RecommendationList
from .services import ReviewError

logger = logging.getLogger(__name__)

S = ApplicationStatus
B = BatchStatus

BATCH_WORKFLOW = Workflow(
    status_field="status",
    moves=(
        Move("submit", (B.DRAFT, B.REOPENED), B.SUBMITTED, "reviews.submit_batch",
             "报送推荐名单"),
        Move("reopen", (B.SUBMITTED,), B.REOPENED, "reviews.reopen_batch", "退回重新报送",
             reason_required=True),
    ),
)

# Still awaiting the department's decision: under review, or returned and not yet resubmitted.
UNDECIDED_STATUSES = (S.SUBMITTED, S.RETURNED)

# Days before the district deadline at which the department is reminded of undecided ones.
DISTRICT_REMINDER_THRESHOLDS_DAYS = (3, 1)

LETTER_TEMPLATE = "reviews/pdf/letter.html"


class BatchError(ReviewError):
    """A refusal the official or the commission should read; the message is in Chinese."""


# --- the deadline ----------------------------------------------------------------------------


def district_deadline_end(call: Call) -> datetime.datetime:
    """The first instant after the call's district deadline (a date, 含当日): midnight at the
    start of the next day, local time. A batch is first sent strictly before it."""
    next_day = call.district_review_deadline + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(next_day, datetime.time.min))


# --- reads -----------------------------------------------------------------------------------


def batch_for(department_id: int, call_id: int) -> RecommendationBatch | None:
    return RecommendationBatch.objects.filter(department_id=department_id,
                                              call_id=call_id).first()


def batch_is_locked(department_id: int, call_id: int) -> bool:
    """The department's batch for the call is with the commission (sent, not sent back)."""
    return RecommendationBatch.objects.filter(department_id=department_id, call_id=call_id,
                                              status=B.SUBMITTED).exists()


def undecided_applications(department_id: int, call_id: int):
    """The applications routed to the department for the call still without its decision
    (待初审, or returned and not yet resubmitted), oldest submission first."""
    return (Application.objects.filter(routed_department_id=department_id, call_id=call_id,
                                       status__in=UNDECIDED_STATUSES)
            .select_related("organisation").order_by("submitted_at", "pk"))


def ensure_batch_open(department_id: int, call_id: int) -> None:
    """Locks the department's recommendation list for the call (the row a sending locks too)
    and refuses (BatchError) when its batch is with the commission. Called inside the
    transaction of every decision, draft save and rank move (第八条: a sent batch is final
    until the commission sends it back)."""
    RecommendationList.objects.get_or_create(department_id=department_id, call_id=call_id)
    RecommendationList.objects.select_for_update().get(department_id=department_id,
                                                       call_id=call_id)
    if batch_is_locked(department_id, call_id):
        raise BatchError("本部门已向市发展改革委报送该通知的推荐名单，初审结论和推荐排序已锁定；"
                         "如需修改，请联系市发展改革委退回重新报送。")


# --- sending ---------------------------------------------------------------------------------


def _text(value) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def letter_content(department: Department, call: Call, now) -> dict:
    """What the 推荐函 shows, as plain data: the department, the call, the recommendations in
    rank order (receipt number, centre, unit, opinion), how many were declined, the date."""
    rows = (DistrictReview.objects
            .filter(department=department, call=call, status=ReviewStatus.DECIDED,
                    outcome=ReviewOutcome.RECOMMENDED)
            .select_related("application", "application__organisation").order_by("rank"))
    declined = Application.objects.filter(routed_department=department, call=call,
                                          status=S.NOT_RECOMMENDED).count()
    local = timezone.localtime(now)
    return {
        "department": department.name,
        "call": call.title,
        "deadline": f"{call.district_review_deadline:%Y年%m月%d日}",
        "date": f"{local:%Y年%m月%d日}",
        "recommended": [
            {"rank": r.rank, "application_id": r.application_id,
             "receipt_number": r.application.receipt_number,
             "center_name": r.application.center_name,
             "organisation": r.application.organisation.name,
             "opinion": _text(r.opinion)}
            for r in rows
        ],
        "declined_count": declined,
    }


def batch_submit(*, department_id: int, call: Call, actor, acknowledged_undecided=(),
                 now=None) -> RecommendationBatch:
    """Sends the department's recommendations for `call` to the commission (第八条).

    Refused (BatchError, Chinese) after the call's district deadline (`district_deadline_end`)
    unless the commission sent the batch back, when it is already with the commission, and
    while an undecided application (`undecided_applications`) is not in
    `acknowledged_undecided` (ids the official confirmed they send without a decision; the
    commission later treats them as 未按期审查). Raises PermissionDenied for another
    department. In one transaction: the batch moves to 已报送, the 推荐函 is queued, the units
    read their 推荐 / 不予推荐 and are told, the commission is told."""
    now = now or timezone.now()
    with transaction.atomic():
        RecommendationList.objects.get_or_create(department_id=department_id, call_id=call.pk)
        listing = RecommendationList.objects.select_for_update().get(
            department_id=department_id, call_id=call.pk)
        if not actor.has_perm("reviews.submit_batch", listing):
            raise PermissionDenied("只能报送本部门的推荐名单。")
        batch, _ = RecommendationBatch.objects.get_or_create(department_id=department_id,
                                                             call=call)
        if batch.status == B.SUBMITTED:
            raise BatchError("本部门已报送该通知的推荐名单，不能重复报送。")
        if batch.status == B.DRAFT and now >= district_deadline_end(call):
            raise BatchError(f"主管部门初审报送截止日期（{call.district_review_deadline:%Y年%m月%d日}）"
                             "已过，不能再报送推荐名单，请联系市发展改革委。")
        undecided = list(undecided_applications(department_id, call.pk))
        unconfirmed = [a for a in undecided if a.pk not in set(acknowledged_undecided)]
        if unconfirmed:
            names = "、".join(a.receipt_number or str(a.pk) for a in unconfirmed)
            raise BatchError(f"以下申报尚未作出初审结论：{names}。请确认后再报送。")
        department = Department.objects.get(pk=department_id)
        content = letter_content(department, call, now)
        content["undecided"] = [a.receipt_number for a in undecided]
        try:
            batch = perform_transition(
                workflow=BATCH_WORKFLOW, obj=batch, move_name="submit", actor=actor,
                changes={"submitted_at": now, "submitted_by": actor,
                         "first_submitted_at": batch.first_submitted_at or now,
                         "submission_count": batch.submission_count + 1,
                         "letter_content": content, "letter_status": LetterStatus.PENDING,
                         "letter_error": ""})
        except TransitionNotAllowed as error:
            raise BatchError(str(error)) from None
        from .tasks import render_recommendation_letter

        enqueue_on_commit(render_recommendation_letter, batch.pk)
        _release_outcomes(department_id, call, now)
        _notify_commission(batch, "recommendation_batch_received")
    return batch


def _release_outcomes(department_id: int, call: Call, now) -> None:
    """第八条: the units learn of 推荐 / 不予推荐 when the batch is sent, each of its own."""
    released = list(Application.objects.filter(
        routed_department_id=department_id, call=call,
        status__in=(S.RECOMMENDED, S.NOT_RECOMMENDED), outcome_released_at__isnull=True)
        .select_related("call", "organisation", "routed_department").order_by("pk"))
    Application.objects.filter(pk__in=[a.pk for a in released]).update(outcome_released_at=now)
    reasons = dict(DistrictReview.objects.filter(
        application__in=released, status=ReviewStatus.DECIDED,
        outcome=ReviewOutcome.NOT_RECOMMENDED).order_by("round")
        .values_list("application_id", "applicant_reasons"))
    for application in released:
        link = reverse("applications:detail", args=[application.pk])
        for recipient in application_services.organisation_members(application.organisation_id):
            notify(recipient=recipient, purpose="application_outcome", link=link,
                   context={"application": application,
                            "recommended": application.status == S.RECOMMENDED,
                            "reasons": reasons.get(application.pk, ""),
                            "department": application.routed_department})


def commission_recipients():
    return role_users((Role.COMMISSION_STAFF, None))


def department_officials(department_id: int):
    return role_users((Role.DISTRICT_OFFICIAL, department_id)) if department_id else []


def _notify_commission(batch: RecommendationBatch, purpose: str) -> None:
    batch = RecommendationBatch.objects.select_related("department", "call").get(pk=batch.pk)
    content = batch.letter_content or {}
    for recipient in commission_recipients():
        notify(recipient=recipient, purpose=purpose,
               link=reverse("reviews:commission_batch", args=[batch.pk]),
               context={"batch": batch, "department": batch.department, "call": batch.call,
                        "recommended_count": len(content.get("recommended", [])),
                        "undecided_count": len(content.get("undecided", []))})


# --- the commission sends a batch back -------------------------------------------------------


def batch_reopen(*, batch: RecommendationBatch, actor, reason: str) -> RecommendationBatch:
    """The commission sends a sent batch back to its department with `reason` (第八条): the
    department's decisions and ranks for the call are open again until it sends the batch
    anew (also after the deadline). Logged (`recommendationbatch.reopen`) and told to the
    department's officials. Raises PermissionDenied, BatchError (Chinese)."""
    if not actor.has_perm("reviews.reopen_batch", batch):
        raise PermissionDenied("只有市发展改革委工作人员可以退回推荐名单。")
    if not (reason or "").strip():
        raise BatchError("请填写退回重新报送的理由。")
    with transaction.atomic():
        RecommendationList.objects.get_or_create(department_id=batch.department_id,
                                                 call_id=batch.call_id)
        RecommendationList.objects.select_for_update().get(department_id=batch.department_id,
                                                           call_id=batch.call_id)
        try:
            reopened = perform_transition(
                workflow=BATCH_WORKFLOW, obj=batch, move_name="reopen", actor=actor,
                reason=reason.strip(),
                changes={"reopened_at": timezone.now(), "reopen_reason": reason.strip()})
        except TransitionNotAllowed as error:
            raise BatchError(str(error)) from None
        reopened = RecommendationBatch.objects.select_related("department", "call").get(
            pk=reopened.pk)
        for recipient in department_officials(reopened.department_id):
            notify(recipient=recipient, purpose="recommendation_batch_reopened",
                   link=reverse("reviews:batch", args=[reopened.call_id]),
                   context={"batch": reopened, "call": reopened.call,
                            "department": reopened.department, "reason": reason.strip()})
    return reopened


# --- the 推荐函 ------------------------------------------------------------------------------


def _refuse_fetch(url, *args, **kwargs):
    raise ValueError(f"external resources are not loaded: {url}")


def letter_pdf(content: dict) -> bytes:
    """The 推荐函's PDF bytes for `content` (`letter_content`)."""
    from weasyprint import HTML  # heavy import; only renderers need it

    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True)
                            .encode()).hexdigest()
    html = render_to_string(LETTER_TEMPLATE, {"letter": content, "content_hash": digest})
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def letter_render(*, batch_id: int) -> RecommendationBatch:
    """For the worker: renders the 推荐函 of the batch's latest sending and stores it; a
    failure is recorded on the batch (`letter_status` failed) and shown."""
    batch = RecommendationBatch.objects.get(pk=batch_id)
    if batch.letter_status == LetterStatus.READY or not batch.letter_content:
        return batch
    count = batch.submission_count
    try:
        pdf = letter_pdf(batch.letter_content)
    except Exception as error:  # noqa: BLE001 - recorded on the row and shown
        logger.exception("rendering the recommendation letter of batch %s failed", batch_id)
        RecommendationBatch.objects.filter(pk=batch_id, submission_count=count).update(
            letter_status=LetterStatus.FAILED, letter_error=f"{type(error).__name__}: {error}")
        batch.refresh_from_db()
        return batch
    storage = batch.letter_file.storage
    name = storage.save(batch.letter_file.field.generate_filename(batch, "letter.pdf"),
                        ContentFile(pdf))
    # Only for the sending it was made of: a newer sending renders its own.
    if not RecommendationBatch.objects.filter(pk=batch_id, submission_count=count).exclude(
            letter_status=LetterStatus.READY).update(
            letter_status=LetterStatus.READY, letter_file=name, letter_error="",
            letter_rendered_at=timezone.now()):
        storage.delete(name)
    batch.refresh_from_db()
    return batch


def letter_filename(batch: RecommendationBatch) -> str:
    return f"推荐函-{batch.department.name}-{batch.call.title}.pdf"


# --- timers ----------------------------------------------------------------------------------


def _departments_with_applications(call: Call):
    """The ids of the 主管部门 with applications of `call` routed to them (not drafts, not
    withdrawn): those owing the commission a batch."""
    return set(Application.objects.filter(call=call, routed_department__isnull=False,
                                          routed_to_commission=False)
               .exclude(status__in=(S.DRAFT, S.WITHDRAWN))
               .values_list("routed_department_id", flat=True).distinct())


def _calls_with_deadline_between(start: datetime.date, end: datetime.date):
    return Call.objects.filter(district_review_deadline__gte=start,
                               district_review_deadline__lte=end).order_by("pk")


@deadline_check
def remind_departments_of_undecided(now) -> int:
    """3 and 1 days before a call's district deadline (its end, `district_deadline_end`), each
    department with undecided applications and no batch sent is reminded, once per threshold
    and deadline: a moved deadline arms the reminders again. A late sweep sends only the
    nearest threshold, never a stale one."""
    today = timezone.localdate(now)
    sent = 0
    horizon = today + datetime.timedelta(days=max(DISTRICT_REMINDER_THRESHOLDS_DAYS))
    for call in _calls_with_deadline_between(today, horizon):
        remaining = district_deadline_end(call) - now
        if remaining <= datetime.timedelta(0):
            continue
        reached = [d for d in DISTRICT_REMINDER_THRESHOLDS_DAYS
                   if remaining <= datetime.timedelta(days=d)]
        if not reached:
            continue
        threshold = min(reached)
        for department_id in sorted(_departments_with_applications(call)):
            undecided = undecided_applications(department_id, call.pk).filter(
                status=S.SUBMITTED).count()
            if not undecided or batch_is_locked(department_id, call.pk):
                continue
            key = (f"district-deadline:{call.pk}:{department_id}:"
                   f"{call.district_review_deadline:%Y%m%d}")
            with transaction.atomic():
                for days in DISTRICT_REMINDER_THRESHOLDS_DAYS:
                    if days > threshold:
                        reminder_claim(f"{key}:{days}")
                if not reminder_claim(f"{key}:{threshold}"):
                    continue
                department = Department.objects.get(pk=department_id)
                for recipient in department_officials(department_id):
                    notify(recipient=recipient, purpose="district_deadline_reminder",
                           link=reverse("reviews:batch", args=[call.pk]),
                           context={"call": call, "department": department, "days": threshold,
                                    "undecided": undecided})
                sent += 1
    return sent


@deadline_check
def notify_commission_of_late_batches(now) -> int:
    """Once a call's district deadline has passed, the commission is told of each department
    that owes a batch and has not sent one: exactly once per department and call."""
    sent = 0
    today = timezone.localdate(now)
    # Deadlines up to a year back: an old call whose notices went out long ago is not read.
    for call in _calls_with_deadline_between(today - datetime.timedelta(days=366), today):
        if now < district_deadline_end(call):
            continue
        owing = _departments_with_applications(call)
        if not owing:
            continue
        sent_ids = set(RecommendationBatch.objects.filter(call=call).filter(
            Q(first_submitted_at__lt=district_deadline_end(call)))
            .values_list("department_id", flat=True))
        for department_id in sorted(owing - sent_ids):
            with transaction.atomic():
                if not reminder_claim(f"district-batch-late:{call.pk}:{department_id}"):
                    continue
                department = Department.objects.get(pk=department_id)
                for recipient in commission_recipients():
                    notify(recipient=recipient, purpose="recommendation_batch_late",
                           link=f'{reverse("reviews:commission_batches")}?call={call.pk}',
                           context={"call": call, "department": department})
                sent += 1
    return sent


# A 推荐函 whose render has not finished by then is queued again (a lost message, a dead worker).
LETTER_STALE_AFTER = datetime.timedelta(minutes=2)


@deadline_check
def requeue_pending_letters(now) -> int:
    """推荐函 still pending long after their sending are queued again (the task is
    idempotent)."""
    from .tasks import render_recommendation_letter

    pending = list(RecommendationBatch.objects.filter(
        letter_status=LetterStatus.PENDING, submitted_at__lt=now - LETTER_STALE_AFTER)
        .exclude(letter_content=None).values_list("pk", flat=True))
    for pk in pending:
        enqueue_on_commit(render_recommendation_letter, pk)
    return len(pending)
