"""The commission's intake (第八条、第九条（二）): its own 形式审查 of direct submissions, the
未按期审查 sweep and what the commission decides about an overdue review.

A 市直 or 中央、省驻青 unit's submission, once the commission has confirmed the unit's route
(`applications.routing`), comes to the commission without a district review. Commission staff
fill the same checklist (`reviews.models.DistrictReview`, with the commission's department as
the reviewing department) and decide 退回修改, 不予推荐 or 通过 (形式审查通过, no rank).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import DateField, Exists, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.enums import DepartmentKind, Role
from accounts.models import Department, RoleAssignment
from accounts.selectors import user_department_ids
from applications import services as application_services
from applications.enums import ApplicationStatus, RoutingBasis
from applications.models import Application
from applications.routing import COMMISSION_NAME, application_reroute
from core.audit import audit_record
from core.notifications import notify
from core.sweep import deadline_check
from core.transitions import TransitionNotAllowed, perform_transition

from .enums import CHECKS, CheckResult, OverdueResolution, ReviewOutcome, ReviewStatus
from .models import DistrictReview, OverdueReview
from .services import (
    REVIEW_WORKFLOW,
    ReviewError,
    decision_problems,
    draft_fill,
    draft_to_decide,
    notify_return,
)

S = ApplicationStatus

# The outcomes of the commission's 形式审查 and the review move of each.
COMMISSION_OUTCOMES = (ReviewOutcome.PASSED, ReviewOutcome.RETURNED,
                       ReviewOutcome.NOT_RECOMMENDED)
_REVIEW_MOVES = {ReviewOutcome.PASSED: "pass", ReviewOutcome.RETURNED: "return",
                 ReviewOutcome.NOT_RECOMMENDED: "decline"}


def is_direct_route(application: Application) -> bool:
    """第八条: the application came to the commission on a route the commission confirmed (a
    市直 or 中央、省驻青 unit, or one it took in itself); an unconfirmed one waiting in
    受理登记 (`RoutingBasis.INTAKE`) must first be sent on or taken in (改派)."""
    return (application.routed_to_commission
            and application.routing_basis != RoutingBasis.INTAKE)


def commission_department_id(actor) -> int:
    """The commission department the actor's 形式审查 is recorded under: the actor's own
    commission department, or the (seeded) commission when the role names none."""
    ids = sorted(user_department_ids(actor, Role.COMMISSION_STAFF))
    if ids:
        return ids[0]
    return Department.objects.filter(kind=DepartmentKind.COMMISSION).order_by("pk").values_list(
        "pk", flat=True)[0]


def _ensure_may_check(application: Application, actor) -> None:
    if not actor.has_perm("reviews.view_intake"):
        raise PermissionDenied("形式审查仅供市发展改革委工作人员办理。")
    if not is_direct_route(application):
        raise ReviewError("该申报不是经确认直接报送市发展改革委的申报，由主管部门初审。")


def _draft(application: Application, actor) -> DistrictReview:
    department_id = commission_department_id(actor)
    draft = (DistrictReview.objects.select_for_update()
             .filter(application=application, department_id=department_id,
                     status=ReviewStatus.DRAFT).order_by("-round").first())
    if draft is not None:
        return draft
    last = DistrictReview.objects.filter(application=application).order_by("-round").first()
    return DistrictReview.objects.create(
        application=application, round=(last.round + 1) if last else 1,
        department_id=department_id, call_id=application.call_id, official=actor)


@transaction.atomic
def commission_review_save_draft(*, application: Application, actor,
                                 data: dict) -> DistrictReview:
    """Saves the commission's 形式审查 checklist (`data`: any of `DRAFT_FIELDS`) as the current
    round's draft of a direct submission awaiting it (已提交). Returns the round.
    Raises PermissionDenied or ReviewError (Chinese). # 第八条、第九条（二）"""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    _ensure_may_check(locked, actor)
    if locked.status != S.SUBMITTED:
        raise ReviewError(f"申报当前状态为“{locked.get_status_display()}”，不在待形式审查状态，"
                          "不能保存审查意见。")
    return draft_fill(_draft(locked, actor), data=data, actor=actor,
                      action="commission_review.save_draft")


def commission_decision_problems(review: DistrictReview, outcome: str) -> list[str]:
    """What the draft lacks for `outcome` (Chinese); 通过 needs every check passed."""
    if outcome != ReviewOutcome.PASSED:
        return decision_problems(review, outcome)
    problems = [f"请选择“{label}”的审查结果。" for name, label in CHECKS
                if getattr(review, name) not in CheckResult.values]
    failed = [label for name, label in CHECKS if getattr(review, name) == CheckResult.FAILED]
    if failed:
        problems.append(f"{'、'.join(failed)}审查未通过的申报不能通过形式审查。")
    if not review.opinion.strip():
        problems.append("通过形式审查须填写审查意见。")
    return problems


def commission_review_decide(*, application: Application, actor, outcome: str,
                             seen_digest: str = "") -> DistrictReview:
    """Decides the commission's saved 形式审查 draft of a direct submission: 通过 (`passed`:
    the application becomes 形式审查通过, ready for the expert review), 退回修改
    (`returned`, with the draft's reasons and date, the unit told at once) or 不予推荐
    (`not_recommended`). No rank. The round keeps the snapshot it was made on; a decision on
    content changed since `seen_digest` is refused.

    Returns the decided round. Raises PermissionDenied or ReviewError (Chinese). # 第八条"""
    outcome = ReviewOutcome(outcome)
    if outcome not in COMMISSION_OUTCOMES:
        raise ReviewError("形式审查的结论只能是通过、退回修改或不予推荐。")
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        _ensure_may_check(locked, actor)
        if locked.status != S.SUBMITTED:
            raise ReviewError(f"申报当前状态为“{locked.get_status_display()}”，不能再作出形式审查结论。")
        review, changes = draft_to_decide(
            locked, department_id=commission_department_id(actor), actor=actor,
            outcome=outcome, seen_digest=seen_digest, problems_of=commission_decision_problems)
        try:
            if outcome == ReviewOutcome.RETURNED:
                application_services.application_return(
                    application=locked, actor=actor, reason=review.applicant_reasons,
                    resubmit_by=review.resubmit_by)
            elif outcome == ReviewOutcome.NOT_RECOMMENDED:
                application_services.application_decide(
                    application=locked, actor=actor, move_name="decline",
                    reason=review.applicant_reasons)
            else:
                perform_transition(workflow=application_services.APPLICATION_WORKFLOW,
                                   obj=locked, move_name="pass_formal", actor=actor)
            decided = perform_transition(
                workflow=REVIEW_WORKFLOW, obj=review, move_name=_REVIEW_MOVES[outcome],
                actor=actor, changes=changes,
                reason=review.applicant_reasons if outcome != ReviewOutcome.PASSED else "")
        except TransitionNotAllowed as error:
            raise ReviewError(str(error)) from None
        if outcome == ReviewOutcome.RETURNED:
            notify_return(decided, department_name=COMMISSION_NAME)
    return decided


# --- 未按期审查 --------------------------------------------------------------------------------


def _last_extension():
    return (OverdueReview.objects.filter(application=OuterRef("pk"),
                                         resolution=OverdueResolution.EXTENDED)
            .order_by().values("application").annotate(latest=Max("extended_until"))
            .values("latest"))


def overdue_candidates(today: datetime.date):
    """Applications routed to a 主管部门, still undecided (已提交), whose last day to decide
    (`review_deadline`: the call's district deadline, or the latest 补审 date the commission
    allowed) is before `today` (a Beijing date), and not yet marked for that day."""
    queryset = (Application.objects
                .filter(status=S.SUBMITTED, routed_to_commission=False,
                        routed_department__isnull=False)
                .annotate(review_deadline=Coalesce(
                    Subquery(_last_extension(), output_field=DateField()),
                    F("call__district_review_deadline")))
                .filter(review_deadline__lt=today))
    marked = OverdueReview.objects.filter(application=OuterRef("pk"),
                                          deadline=OuterRef("review_deadline"))
    return queryset.filter(~Exists(marked))


@deadline_check
def mark_overdue_reviews(now) -> int:
    """未按期审查 (第八条): marks each application undecided after its last day. A day is a
    whole Beijing day: undecided at 23:59:59 of the deadline day is not overdue, at 00:00:00
    of the next it is. Marked once per application and deadline (the unique constraint holds
    if two sweeps race). Returns how many were marked."""
    today = timezone.localdate(now)
    rows = [OverdueReview(application_id=pk, department_id=department_id, call_id=call_id,
                          deadline=deadline, marked_at=now)
            for pk, department_id, call_id, deadline in overdue_candidates(today)
            .values_list("pk", "routed_department_id", "call_id", "review_deadline")]
    OverdueReview.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _open_mark(mark: OverdueReview) -> OverdueReview:
    locked = OverdueReview.objects.select_for_update().get(pk=mark.pk)
    if locked.resolution != OverdueResolution.PENDING:
        raise ReviewError(f"该未按期审查已处理（{locked.get_resolution_display()}）。")
    return locked


def _ensure_commission(actor) -> None:
    if not actor.has_perm("reviews.view_intake"):
        raise PermissionDenied("只有市发展改革委工作人员可以处理未按期审查的申报。")


def overdue_extend(*, mark: OverdueReview, actor, until: datetime.date,
                   reason: str = "") -> OverdueReview:
    """允许主管部门补审: the department may still decide the application until `until` (a
    Beijing date, today or later); if it is still undecided after that day the sweep marks it
    again. The department's officials are told. Audited. Raises PermissionDenied or
    ReviewError (Chinese). # 第八条"""
    _ensure_commission(actor)
    if until is None or until < timezone.localdate():
        raise ReviewError("补审期限不能早于今天。")
    with transaction.atomic():
        locked = _open_mark(mark)
        locked.resolution = OverdueResolution.EXTENDED
        locked.extended_until = until
        locked.resolution_note = reason
        locked.resolved_by = actor
        locked.resolved_at = timezone.now()
        locked.save(update_fields=["resolution", "extended_until", "resolution_note",
                                   "resolved_by", "resolved_at"])
        audit_record(action="overdue_review.extend", actor=actor, target=locked,
                     before={"resolution": OverdueResolution.PENDING},
                     after={"resolution": locked.resolution, "extended_until": str(until)},
                     note=reason)
        application = Application.objects.select_related("call").get(pk=locked.application_id)
        link = reverse("reviews:review", args=[application.pk])
        for assignment in (RoleAssignment.objects
                           .filter(role=Role.DISTRICT_OFFICIAL, department_id=locked.department_id)
                           .select_related("user")):
            if assignment.user.is_active:
                notify(recipient=assignment.user, purpose="district_review_extended", link=link,
                       context={"application": application, "until": until, "reason": reason})
    return locked


def overdue_take_over(*, mark: OverdueReview, actor, reason: str = "",
                      request=None) -> OverdueReview:
    """直接转入形式审查: the commission takes the overdue application away from the 主管部门
    and checks it itself (`application_reroute` to the commission, audited and told to the
    unit); the district's draft, if any, stays as it was. Only while the application is
    still undecided (已提交). Raises PermissionDenied or ReviewError (Chinese). # 第八条"""
    _ensure_commission(actor)
    reason = reason.strip() or "主管部门未按期完成初审，由市发展改革委直接进行形式审查。"
    with transaction.atomic():
        locked = _open_mark(mark)
        application = Application.objects.get(pk=locked.application_id)
        try:
            application_reroute(application=application, department=None, actor=actor,
                                reason=reason, request=request)
        except application_services.ApplicationError as error:
            raise ReviewError(str(error)) from None
        locked.resolution = OverdueResolution.TAKEN_OVER
        locked.resolution_note = reason
        locked.resolved_by = actor
        locked.resolved_at = timezone.now()
        locked.save(update_fields=["resolution", "resolution_note", "resolved_by",
                                   "resolved_at"])
        audit_record(action="overdue_review.take_over", actor=actor, target=locked,
                     request=request, before={"resolution": OverdueResolution.PENDING},
                     after={"resolution": locked.resolution}, note=reason)
    return locked
