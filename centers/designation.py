"""认定 and 授牌 (第九条（四）): the commission finalises a closed notice whose objections are
all decided. Each application left on the list becomes a `Center` with a `Plaque`; the notice
becomes the designation announcement (公告); the applications not designated are told so.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application
from applications.services import organisation_members
from core.audit import audit_record
from core.notifications import notify
from core.transitions import TransitionNotAllowed, perform_transition

from .enums import DECIDED_OBJECTION_STATUSES, CenterStatus, NoticeStatus
from .models import Center, NoticeEntry, PublicNotice
from .notices import NOTICE_WORKFLOW, NoticeError, notice_period
from .plaques import plaque_issue
from .targets import targets_initial


def finalise_problem(notice: PublicNotice, now=None) -> str:
    """Why `notice` cannot be finalised now, in Chinese, or "" when it can: its period must
    have ended (the sweep closed it) and every objection must be upheld or dismissed."""
    if notice.status == NoticeStatus.FINALISED:
        return "该公示已确定认定结果。"
    if notice.status != NoticeStatus.CLOSED or notice_period(notice)[1] >= (now or timezone.now()):
        return "公示期满后才能确定认定结果。"
    if notice.objections.exclude(status__in=DECIDED_OBJECTION_STATUSES).exists():
        return "尚有未办结的异议，全部办结后才能确定认定结果。"
    return ""


def notice_finalise(*, notice: PublicNotice, actor, designated_on=None) -> list[Center]:
    """确定认定结果: the closed notice becomes the designation announcement; each entry not
    removed (an upheld objection) makes its application a Center, designated on `designated_on`
    (the date of the commission's decision: default today, Beijing; after the period, never
    in the future),
    with a plaque numbered in that year's sequence and its certificate queued. The units on
    the notice but removed, and the call's NOT_PROPOSED applications, are told they are not
    designated. Returns the new centers in the notice's order.

    Raises PermissionDenied (not commission staff), NoticeError (period not ended, an
    objection undecided, already finalised, a date in the future or within the period). Audited (`publicnotice.finalise`,
    `center.designate`)."""
    if not actor.has_perm("centers.publish_notice"):
        raise PermissionDenied("只有市发展改革委工作人员可以确定认定结果。")
    today = timezone.localdate()
    designated_on = designated_on or today
    with transaction.atomic():
        locked = PublicNotice.objects.select_for_update().get(pk=notice.pk)
        problem = finalise_problem(locked) or _date_problem(locked, designated_on, today)
        if problem:
            raise NoticeError(problem)
        try:
            finalised = perform_transition(workflow=NOTICE_WORKFLOW, obj=locked,
                                           move_name="finalise", actor=actor,
                                           changes={"finalised_at": timezone.now()})
        except TransitionNotAllowed as error:
            raise NoticeError(str(error)) from None
        entries = list(finalised.entries.order_by("position").select_related(
            "application__organisation").prefetch_related("application__units"))
        centers = [_designate(entry, finalised, designated_on, actor)
                   for entry in entries if entry.removed_at is None]
        _tell_not_designated(finalised, entries)
    return centers


def _date_problem(notice: PublicNotice, designated_on, today) -> str:
    if designated_on > today:
        return "认定日期不能晚于今天。"
    if designated_on <= notice.ends_on:
        return "认定日期应在公示期满之后。"
    return ""


def _designate(entry: NoticeEntry, notice: PublicNotice, today, actor) -> Center:
    application = entry.application
    lead, joint = application.lead_unit, application.joint_unit
    center = Center.objects.create(
        application=application, notice=notice, name=application.center_name,
        lead_unit_name=lead.name if lead else application.organisation.name,
        lead_unit_uscc=(lead.uscc if lead else "") or "",
        joint_unit_name=joint.name if joint else "",
        industry_field_id=application.industry_field_id,
        department_id=application.routed_department_id,
        designated_on=today,
        goal_key_technologies=application.goal_key_technologies,
        goal_scenarios=application.goal_scenarios,
        goal_solutions=application.goal_solutions,
        goal_patents=application.goal_patents,
        goal_other=application.goal_other,
        status=CenterStatus.ACTIVE)
    targets_initial(center)
    plaque = plaque_issue(center=center, issued_on=today)
    audit_record(action="center.designate", actor=actor, target=center,
                 after={"notice": notice.pk, "application": application.pk,
                        "plaque": plaque.number})
    link = reverse("centers:center_detail", args=[center.pk])
    for user in organisation_members(application.organisation_id):
        notify(recipient=user, purpose="center_designated", link=link,
               context={"center": center, "plaque": plaque, "notice": notice})
    return center


def _tell_not_designated(notice: PublicNotice, entries: list[NoticeEntry]) -> None:
    removed = [e.application for e in entries if e.removed_at is not None]
    not_proposed = list(Application.objects.filter(
        call_id=notice.call_id, status=ApplicationStatus.NOT_PROPOSED)
        .select_related("organisation").order_by("pk"))
    link = reverse("centers:announcement", args=[notice.pk])
    for application in [*removed, *not_proposed]:
        for user in organisation_members(application.organisation_id):
            notify(recipient=user, purpose="center_not_designated", link=link,
                   context={"application": application, "notice": notice})


def center_revoke(*, center: Center, on, ground_label: str, actor) -> Center:
    """撤销资格 takes effect (第十七条): `center` (active) becomes 已撤销 from the date `on`, with
    `ground_label` (the ground in words, at most 100 characters) kept for the public list of
    revoked centers; its plaque's verification page says 已撤销 from the next request. Nothing
    is deleted. The decision itself (proposal, 陈述申辩, reasons) is kept by the evaluation's
    revocation record, which calls this inside its own transaction.

    Raises PermissionDenied (actor not commission staff) and ValueError (already revoked).
    Audited (`center.revoke`). Returns the center, saved."""
    if not actor.has_perm("centers.revoke_center", center):
        raise PermissionDenied("只有市发展改革委工作人员可以撤销赋能中心资格。")
    with transaction.atomic():
        locked = Center.objects.select_for_update().get(pk=center.pk)
        if locked.status != CenterStatus.ACTIVE:
            raise ValueError("该赋能中心已被撤销。")
        locked.status = CenterStatus.REVOKED
        locked.revoked_on = on
        locked.revocation_ground = (ground_label or "")[:100]
        locked.save(update_fields=["status", "revoked_on", "revocation_ground"])
        audit_record(action="center.revoke", actor=actor, target=locked,
                     before={"status": CenterStatus.ACTIVE},
                     after={"status": CenterStatus.REVOKED, "revoked_on": str(on),
                            "ground": locked.revocation_ground})
    return locked
