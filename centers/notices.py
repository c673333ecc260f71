"""公示 (第九条（四）): drawing up a notice from a frozen proposed list, publishing it, and
closing it when its period ends.

The period runs from `starts_on` for `working_days` working days, counted with core.workdays
across statutory holidays and 调休: the start day is the first of them when it is a working
day. Objections are heard from 00:00:00 of the start day to 23:59:59 of the end day, Beijing
time (`notice_period`). A period reaching a year whose holiday schedule the portal does not
know stops with the clear message of core.workdays, never a guess.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications.services import call_list_noticed
from core.audit import audit_record
from core.notifications import notify
from core.sweep import deadline_check, reminder_claim
from core.transitions import Move, TransitionNotAllowed, Workflow, perform_transition
from core.workdays import WorkingDayDataMissing, add_working_days
from experts.enums import ProposedListStatus
from experts.models import ProposedList
from reviews.batches import commission_recipients

from .enums import DEFAULT_NOTICE_WORKING_DAYS, NoticeStatus
from .models import NoticeEntry, PublicNotice

NOTICE_WORKFLOW = Workflow(
    status_field="status",
    moves=(
        Move("publish", (NoticeStatus.DRAFT,), NoticeStatus.PUBLISHED,
             "centers.publish_notice", "发布公示"),
        # The sweep closes a notice when its period has ended; nobody else does.
        Move("close", (NoticeStatus.PUBLISHED,), NoticeStatus.CLOSED,
             "centers.publish_notice", "公示期满"),
        # 第九条（四）: after the period and every objection decided (designation.notice_finalise).
        Move("finalise", (NoticeStatus.CLOSED,), NoticeStatus.FINALISED,
             "centers.publish_notice", "确定认定结果"),
    ),
)

ISSUER = "青岛市发展和改革委员会"
BASIS = ("《青岛市重点产业数字化转型赋能中心管理办法》第九条；{call}。")
STEPS = ("申报单位申报，各区（市）发展改革部门、功能区经济发展部门初审推荐，市发展改革委形式审查，"
         "组织专家进行综合评审，形成拟评定名单。")
CHANNEL = ("公示期间，对公示名单有异议的，可通过本网站“提出异议”在线实名反映，写明事实并提供证明材料；"
           "匿名或无具体事实的异议不予受理。")


class NoticeError(Exception):
    """A notice the rules refuse; the message is Chinese and shown as is."""


def notice_end(starts_on: datetime.date, working_days: int) -> datetime.date:
    """The last day of a period of `working_days` working days from `starts_on` (counted when
    it is a working day). Raises NoticeError with core.workdays' message for a year whose
    holiday schedule is not known."""
    try:
        return add_working_days(starts_on - datetime.timedelta(days=1), working_days)
    except WorkingDayDataMissing as error:
        raise NoticeError(str(error)) from None


def notice_period(notice: PublicNotice) -> tuple[datetime.datetime, datetime.datetime]:
    """The objection window: 00:00:00 of the start day to 23:59:59 of the end day, Beijing."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(notice.starts_on, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(notice.ends_on, datetime.time(23, 59, 59), tzinfo=zone)
    return start, end


def notice_is_open(notice: PublicNotice, now=None) -> bool:
    """Published and within its period, to the second (第九条（四）)."""
    if notice.status != NoticeStatus.PUBLISHED:
        return False
    start, end = notice_period(notice)
    return start <= (now or timezone.now()) <= end


def notice_create(*, proposed_list: ProposedList, actor, starts_on: datetime.date,
                  working_days: int = DEFAULT_NOTICE_WORKING_DAYS, contact: str,
                  title: str = "", objection_channel: str = CHANNEL,
                  issuer: str = ISSUER) -> PublicNotice:
    """Draws up the 公示 of a frozen proposed list (one per list): the list's applications in
    its order, each with its unit, joint unit, center name, field and 主管部门 as they stand
    now; the end date from `working_days`. Returns the draft.

    Raises PermissionDenied (not commission staff), NoticeError (list not frozen, already
    noticed, an unknown year in the period). Audited (`public_notice.create`)."""
    if not actor.has_perm("centers.publish_notice"):
        raise PermissionDenied("只有市发展改革委工作人员可以发布公示。")
    ends_on = notice_end(starts_on, working_days)
    with transaction.atomic():
        locked = ProposedList.objects.select_for_update().select_related("call").get(
            pk=proposed_list.pk)
        if locked.status != ProposedListStatus.FROZEN:
            raise NoticeError("拟评定名单确定后才能公示。")
        if PublicNotice.objects.filter(proposed_list=locked).exists():
            raise NoticeError("该拟评定名单已有公示。")
        call = locked.call
        notice = PublicNotice.objects.create(
            call=call, proposed_list=locked,
            title=title or f"关于{call.year}年度青岛市重点产业数字化转型赋能中心拟评定名单的公示",
            basis=BASIS.format(call=f"《{call.title}》"), steps_completed=STEPS,
            starts_on=starts_on, working_days=working_days, ends_on=ends_on,
            objection_channel=objection_channel, contact=contact, issuer=issuer,
            issued_on=timezone.localdate(), created_by=actor)
        rows = (locked.entries.select_related(
            "application__industry_field", "application__routed_department",
            "application__organisation").prefetch_related("application__units")
            .order_by("position"))
        NoticeEntry.objects.bulk_create(_entry(notice, row) for row in rows)
        audit_record(action="public_notice.create", actor=actor, target=notice,
                     after={"proposed_list": locked.pk, "starts_on": str(starts_on),
                            "ends_on": str(ends_on), "entries": len(rows)})
    return notice


def _entry(notice, row) -> NoticeEntry:
    application = row.application
    joint = application.joint_unit
    return NoticeEntry(
        notice=notice, application=application, position=row.position,
        unit_name=(application.lead_unit.name if application.lead_unit
                   else application.organisation.name),
        joint_unit_name=joint.name if joint else "",
        center_name=application.center_name,
        field_name=application.industry_field.name if application.industry_field else "",
        department_name=application.destination_label)


def notice_publish(*, notice: PublicNotice, actor) -> PublicNotice:
    """草稿 → 公示中, readable by anyone from then on. A notice whose period has already ended
    is refused. Raises PermissionDenied, NoticeError."""
    if notice_period(notice)[1] < timezone.now():
        raise NoticeError("公示期已过，不能发布；请重新确定公示开始日期。")
    try:
        with transaction.atomic():
            notice = perform_transition(workflow=NOTICE_WORKFLOW, obj=notice, move_name="publish",
                                        actor=actor, changes={"published_at": timezone.now()})
            call_list_noticed(call_id=notice.call_id, at=notice.published_at)
            return notice
    except TransitionNotAllowed as error:
        raise NoticeError(str(error)) from None


@deadline_check
def close_ended_notices(now) -> int:
    """公示期满: every published notice whose last day (Beijing) is before today is closed, by
    the sweep and exactly once (the move refuses a second close; the commission's notice is
    claimed once per notice). Returns how many closed."""
    today = timezone.localdate(now)
    closed = 0
    for notice in PublicNotice.objects.filter(status=NoticeStatus.PUBLISHED,
                                              ends_on__lt=today).order_by("pk"):
        try:
            done = perform_transition(workflow=NOTICE_WORKFLOW, obj=notice, move_name="close",
                                      actor=None, check_permission=False,
                                      changes={"closed_at": now})
        except TransitionNotAllowed:
            continue  # another sweep closed it first
        closed += 1
        if reminder_claim(f"public-notice-closed:{done.pk}"):
            for user in commission_recipients():
                notify(recipient=user, purpose="public_notice_closed",
                       link=reverse("centers:notice_detail", args=[done.pk]),
                       context={"notice": done})
    return closed
