"""变更报告 (第十三条): a center reports its changes; its 主管部门 forwards them to the commission
or takes note of them; the commission accepts or refuses them.

Routes, as the article says:
- 依托法人实体重大调整 (更名、股权变更、破产重组、注销, `ChangeKind.ENTITY`): with the date of the
  business-licence change (or cancellation) and evidence; the 主管部门 forwards it within
  CHANGE_REPORT_WORKING_DAYS (30) working days after that date (`due_on`, counted with
  core.workdays across holidays and 调休). While that span reaches a year without a complete
  holiday schedule, `due_on` stays empty and the page says so; the sweep fills it in once the
  schedule is complete. Reminders go to the 主管部门's officials at 10, 5 and 1 working days
  left (once each); the sweep marks an unforwarded report overdue once (`overdue_at`).
- 服务内容和目标任务重大变化 (`ChangeKind.CONTENT`): forwarded, then accepted or refused; accepted
  targets replace the old ones from `new_targets_from` (a new TargetSet; the old stay).
- 其他调整 (`ChangeKind.OTHER`): the 主管部门 takes note (已知悉); nothing goes further.

An accepted rename changes the center's name and reissues its plaque (new certificate and
token; the old token's page says it was replaced). An accepted cancellation (注销) leaves a
marker that the revocation path (依法终止) must start: an audit row and a notice to the
commission; `cancellations_awaiting_revocation` lists them.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.selectors import role_users
from applications.services import organisation_members
from core.audit import audit_record
from core.notifications import notify
from core.sweep import deadline_check
from core.transitions import Move, TransitionNotAllowed, Workflow, perform_transition
from core.workdays import WorkingDayCalendar, WorkingDayDataMissing, add_working_days

from .enums import (
    CHANGE_REPORT_WORKING_DAYS,
    REMINDER_WORKING_DAYS,
    CenterStatus,
    ChangeKind,
    ChangeReportStatus,
    EntityChange,
)
from .models import Center, ChangeReport, ChangeReportFile, TargetSet
from .signals import cancellation_accepted
from .evidence import EvidenceError, evidence_check, evidence_save
from .targets import TARGET_FIELDS, targets_in_force

S = ChangeReportStatus
CHANGE_WORKFLOW = Workflow(
    status_field="status",
    moves=(
        Move("submit", (S.DRAFT,), S.SUBMITTED, "centers.report_change", "报主管部门"),
        # 第十三条: entity and content changes go on to the commission ...
        Move("forward", (S.SUBMITTED,), S.FORWARDED, "centers.forward_change",
             "报送市发展改革委", reason_required=True),
        # ... an 其他调整 only informs the 主管部门.
        Move("note", (S.SUBMITTED,), S.NOTED, "centers.forward_change", "主管部门知悉"),
        Move("accept", (S.FORWARDED,), S.ACCEPTED, "centers.decide_change", "同意变更",
             reason_required=True),
        Move("refuse", (S.FORWARDED,), S.REFUSED, "centers.decide_change", "不予同意",
             reason_required=True),
    ),
)

# Statuses still waiting for the 主管部门 to forward (the countdown runs).
NOT_FORWARDED = (S.DRAFT, S.SUBMITTED)
DECIDED = (S.ACCEPTED, S.REFUSED, S.NOTED)
ROUTED_TO_COMMISSION = (ChangeKind.ENTITY, ChangeKind.CONTENT)
NEW_TARGET_FIELDS = tuple(f"new_{name}" for name in TARGET_FIELDS)
SUMMARY_MAX_CHARS = 5000
FORWARD_REFUSAL = "只有赋能中心主管部门的工作人员可以办理该变更报告。"
DECIDE_REFUSAL = "只有市发展改革委工作人员可以办理变更报告。"


class ChangeError(Exception):
    """A change report or an act on it the rules refuse; the message is Chinese and shown."""


# --- due date and countdown -------------------------------------------------------------------

def change_due_on(licence_changed_on: datetime.date) -> datetime.date:
    """第十三条: the last day to forward an entity change, CHANGE_REPORT_WORKING_DAYS working
    days after the licence change date (that day itself does not count). Raises
    WorkingDayDataMissing when the span reaches a year without a complete schedule."""
    return add_working_days(licence_changed_on, CHANGE_REPORT_WORKING_DAYS)


def due_problem(report: ChangeReport) -> str:
    """The Chinese message why an entity change has no due date yet ("" when it has one or
    needs none, or once the 主管部门 has forwarded it): core.workdays' message naming the year
    whose schedule is missing."""
    if (report.kind != ChangeKind.ENTITY or report.due_on or not report.licence_changed_on
            or report.forwarded_at is not None):
        return ""
    try:
        change_due_on(report.licence_changed_on)
    except WorkingDayDataMissing as error:
        return error.user_message
    return ""


class Countdown:
    """Working days left to `due_on` of the reports of one page, counted with one calendar
    (one query for the whole page, however many rows)."""

    def __init__(self, today: datetime.date | None = None):
        self.today = today or timezone.localdate()
        self._calendar = None

    def days_left(self, report) -> int | None:
        """Working days after today up to and including `due_on` (0 on the due day), negative
        never: an overdue report gives None and is shown as overdue. None as well when the
        countdown does not apply (not an entity change, forwarded, no due date) or the
        calendar lacks a year (`problem` says which)."""
        if (report.kind != ChangeKind.ENTITY or report.status not in NOT_FORWARDED
                or report.due_on is None or report.due_on < self.today):
            return None
        if self._calendar is None:
            self._calendar = WorkingDayCalendar()
        count, day = 0, self.today
        try:
            while day < report.due_on:
                day += datetime.timedelta(days=1)
                if self._calendar.is_working_day(day):
                    count += 1
        except WorkingDayDataMissing:
            return None
        return count

    def is_overdue(self, report) -> bool:
        return (report.kind == ChangeKind.ENTITY and report.status in NOT_FORWARDED
                and report.due_on is not None and report.due_on < self.today)

    def annotate(self, reports):
        """Sets `days_left` and `is_overdue` on each report (or row object); returns them."""
        for report in reports:
            report.days_left = self.days_left(report)
            report.is_overdue = bool(getattr(report, "overdue_at", None)) or self.is_overdue(
                report)
        return reports


# --- the center --------------------------------------------------------------------------------

def _clean(value) -> str:
    return (value or "").strip()


def change_report_create(*, center: Center, actor, kind: str, summary: str,
                         entity_change: str = "", licence_changed_on: datetime.date | None = None,
                         new_name: str = "", new_content: str = "",
                         new_key_technologies: int | None = None,
                         new_scenarios: int | None = None, new_solutions: int | None = None,
                         new_patents: int | None = None,
                         new_targets_from: datetime.date | None = None, files=(),
                         submit: bool = False, today: datetime.date | None = None) -> ChangeReport:
    """A change report of `center` by one of its unit's users, saved as a draft, or sent to its
    主管部门 at once when `submit`. An entity change needs its kind (更名 with the new name),
    the licence change date (not in the future) and at least one evidence file; a content change
    the new content and the date the new targets start; the files follow the application's
    upload rules. `due_on` is computed for an entity change, or left empty while the working-day
    calendar lacks a year (`due_problem` gives the message to show).

    Raises PermissionDenied (not the center's user, center revoked) and ChangeError (Chinese,
    the first problem found). Audited (`change_report.create`)."""
    if not actor.has_perm("centers.report_change", center):
        raise PermissionDenied("只有赋能中心所在单位的用户可以报告变更。")
    today = today or timezone.localdate()
    summary, new_name, new_content = _clean(summary), _clean(new_name), _clean(new_content)
    if kind not in ChangeKind.values:
        raise ChangeError("请选择变更类别。")
    if not summary:
        raise ChangeError("请填写变更情况。")
    if len(summary) > SUMMARY_MAX_CHARS:
        raise ChangeError(f"变更情况不超过{SUMMARY_MAX_CHARS}字。")
    files = [f for f in files or [] if f]
    fields = {"entity_change": "", "licence_changed_on": None, "new_name": "",
              "new_content": "", "new_targets_from": None,
              **{name: None for name in NEW_TARGET_FIELDS}}
    if kind == ChangeKind.ENTITY:
        if entity_change not in EntityChange.values:
            raise ChangeError("请选择法人实体调整事项（更名、股权变更、破产重组或注销）。")
        if licence_changed_on is None:
            raise ChangeError("请填写营业执照变更（注销）日期。")
        if licence_changed_on > today:
            raise ChangeError("营业执照变更（注销）日期不能晚于今天。")
        if entity_change == EntityChange.RENAME and not new_name:
            raise ChangeError("更名的，请填写变更后的赋能中心名称。")
        if not files:
            raise ChangeError("请上传营业执照变更（注销）等证明材料。")
        fields.update(entity_change=entity_change, licence_changed_on=licence_changed_on,
                      new_name=new_name if entity_change == EntityChange.RENAME else "")
    elif kind == ChangeKind.CONTENT:
        if not new_content:
            raise ChangeError("请填写调整后的服务内容。")
        if new_targets_from is None:
            raise ChangeError("请填写调整后目标的起始日期。")
        targets = {"new_key_technologies": new_key_technologies, "new_scenarios": new_scenarios,
                   "new_solutions": new_solutions, "new_patents": new_patents}
        if any(value is not None and value < 0 for value in targets.values()):
            raise ChangeError("调整后的目标不能为负数。")
        fields.update(new_content=new_content, new_targets_from=new_targets_from, **targets)
    try:
        checked = evidence_check(files)
    except EvidenceError as error:
        raise ChangeError(str(error)) from None
    due_on = None
    if kind == ChangeKind.ENTITY:
        try:
            due_on = change_due_on(licence_changed_on)
        except WorkingDayDataMissing:
            due_on = None  # the sweep fills it in once the year's schedule is complete
    with transaction.atomic():
        report = ChangeReport.objects.create(
            center=center, department_id=center.department_id, kind=kind, summary=summary,
            due_on=due_on, created_by=actor, **fields)
        for uploaded, detected in checked:
            evidence_save(ChangeReportFile(report=report), uploaded, detected)
        audit_record(action="change_report.create", actor=actor, target=report,
                     after={"kind": kind, "entity_change": fields["entity_change"],
                            "licence_changed_on": str(licence_changed_on or ""),
                            "due_on": str(due_on or ""), "files": len(checked)})
        if submit:
            report = change_report_submit(report=report, actor=actor)
    return report


def change_report_submit(*, report: ChangeReport, actor) -> ChangeReport:
    """草稿 → 已报主管部门; the 主管部门's officials are told. Raises ChangeError (not a draft),
    PermissionDenied."""
    return _move(report, "submit", actor, "centers.report_change",
                 "只有赋能中心所在单位的用户可以报送变更报告。",
                 changes={"submitted_at": timezone.now()},
                 on_commit=[lambda: _tell_department(report.pk)])


def _move(report, move_name, actor, permission, refusal, **kwargs):
    # The permissions are rules on the center (centers/rules.py), so they are checked here
    # against the report's center and the workflow does not check them again on the report.
    if not actor.has_perm(permission, report.center):
        raise PermissionDenied(refusal)
    try:
        return perform_transition(workflow=CHANGE_WORKFLOW, obj=report, move_name=move_name,
                                  actor=actor, check_permission=False, **kwargs)
    except TransitionNotAllowed as error:
        raise ChangeError(str(error)) from None


def _detail_link(report) -> str:
    return reverse("centers:change_detail", args=[report.center_id, report.pk])


def _department_officials(department_id):
    return role_users((Role.DISTRICT_OFFICIAL, department_id)) if department_id else []


def _commission():
    return role_users((Role.COMMISSION_STAFF, None))


def _center_users(report):
    return organisation_members(report.center.application.organisation_id)


def _tell_department(report_id: int) -> None:
    report = ChangeReport.objects.select_related("center").get(pk=report_id)
    for user in _department_officials(report.department_id):
        notify(recipient=user, purpose="change_report_submitted", link=_detail_link(report),
               context={"report": report, "center": report.center})


# --- the 主管部门 -----------------------------------------------------------------------------

def change_report_forward(*, report: ChangeReport, actor, opinion: str) -> ChangeReport:
    """The 主管部门 forwards an entity or content change to the commission with its opinion
    (第十三条); the commission's staff are told. A late forward is still accepted (the overdue
    mark stays). Raises ChangeError (an 其他调整, not 已报主管部门, no opinion), PermissionDenied
    (not an official of the center's 主管部门)."""
    if not actor.has_perm("centers.forward_change", report.center):
        raise PermissionDenied(FORWARD_REFUSAL)
    if report.kind not in ROUTED_TO_COMMISSION:
        raise ChangeError("其他调整由主管部门知悉即可，无需报送市发展改革委。")
    opinion = _clean(opinion)
    if not opinion:
        raise ChangeError("请填写主管部门意见。")
    forwarded = _move(report, "forward", actor, "centers.forward_change", FORWARD_REFUSAL,
                      reason=opinion,
                      changes={"district_opinion": opinion, "forwarded_at": timezone.now(),
                               "forwarded_by": actor})
    forwarded = ChangeReport.objects.select_related("center").get(pk=forwarded.pk)
    for user in _commission():
        notify(recipient=user, purpose="change_report_forwarded", link=_decide_link(forwarded),
               context={"report": forwarded, "center": forwarded.center})
    return forwarded


def change_report_note(*, report: ChangeReport, actor, opinion: str = "") -> ChangeReport:
    """The 主管部门 takes note of an 其他调整 (已知悉), with an optional remark; the center's users
    are told. Raises ChangeError (not an 其他调整, not 已报主管部门), PermissionDenied."""
    if not actor.has_perm("centers.forward_change", report.center):
        raise PermissionDenied(FORWARD_REFUSAL)
    if report.kind != ChangeKind.OTHER:
        raise ChangeError("法人实体调整和服务内容、目标任务变化须报送市发展改革委。")
    opinion = _clean(opinion)
    noted = _move(report, "note", actor, "centers.forward_change", FORWARD_REFUSAL,
                  reason=opinion,
                  changes={"district_opinion": opinion, "decided_at": timezone.now(),
                           "decided_by": actor})
    noted = ChangeReport.objects.select_related("center__application").get(pk=noted.pk)
    for user in _center_users(noted):
        notify(recipient=user, purpose="change_report_decided", link=_detail_link(noted),
               context={"report": noted, "center": noted.center})
    return noted


def _decide_link(report) -> str:
    return reverse("centers:change_decide", args=[report.pk])


# --- the commission ----------------------------------------------------------------------------

def change_report_decide(*, report: ChangeReport, actor, accepted: bool,
                         reason: str) -> ChangeReport:
    """The commission accepts or refuses a forwarded change, with its reason (第十三条). On
    acceptance: a content change adds a TargetSet from `new_targets_from` (the old stay as
    history); a rename changes the center's name and reissues its plaque; a cancellation (注销)
    is marked for the revocation path (audit `center.cancellation_accepted` and a notice to the
    commission). The center's users and the 主管部门's officials are told. Raises ChangeError
    (no reason, not 已报送, the center revoked), PermissionDenied (not commission staff)."""
    from .plaques import plaque_reissue

    if not actor.has_perm("centers.decide_change", report.center):
        raise PermissionDenied(DECIDE_REFUSAL)
    reason = _clean(reason)
    if not reason:
        raise ChangeError("请填写市发展改革委意见（理由）。")
    with transaction.atomic():
        decided = _move(report, "accept" if accepted else "refuse", actor,
                        "centers.decide_change", DECIDE_REFUSAL, reason=reason,
                        changes={"decision_reason": reason, "decided_at": timezone.now(),
                                 "decided_by": actor})
        center = Center.objects.select_for_update().select_related("application").get(
            pk=decided.center_id)
        if accepted:
            if center.status != CenterStatus.ACTIVE:
                raise ChangeError("该赋能中心已撤销，不能同意变更。")
            if decided.kind == ChangeKind.CONTENT:
                _targets_replace(decided, center, actor)
            elif decided.entity_change == EntityChange.RENAME:
                before = center.name
                Center.objects.filter(pk=center.pk).update(name=decided.new_name)
                center.name = decided.new_name
                audit_record(action="center.rename", actor=actor, target=center,
                             before={"name": before}, after={"name": center.name},
                             note=f"变更报告{decided.pk}")
                plaque_reissue(center=center, actor=actor,
                               reason=f"赋能中心更名：{before} → {center.name}")
            elif decided.entity_change == EntityChange.CANCELLATION:
                _cancellation_mark(decided, center, actor)
        decided = ChangeReport.objects.select_related("center__application").get(pk=decided.pk)
        recipients = {u.pk: u for u in [*_center_users(decided),
                                        *_department_officials(decided.department_id)]}
        for user in recipients.values():
            notify(recipient=user, purpose="change_report_decided",
                   link=_detail_link(decided), context={"report": decided, "center": center})
    return decided


def _targets_replace(report: ChangeReport, center: Center, actor) -> TargetSet:
    """The accepted targets in force from `new_targets_from`; a target the report leaves empty
    keeps its value of the set in force then."""
    current = targets_in_force(center, on=report.new_targets_from)
    values = {name: getattr(report, f"new_{name}") for name in TARGET_FIELDS}
    for name, value in values.items():
        if value is None and current is not None:
            values[name] = getattr(current, name)
    targets = TargetSet.objects.create(
        center=center, effective_from=report.new_targets_from, change_report=report,
        other=current.other if current is not None else "", **values)
    audit_record(action="target_set.replace", actor=actor, target=center,
                 before={"target_set": current.pk if current else None},
                 after={"target_set": targets.pk, "from": str(report.new_targets_from),
                        **values})
    return targets


def _cancellation_mark(report: ChangeReport, center: Center, actor) -> None:
    # 第十三条 with the evaluation issue: a cancelled legal entity ends the center (依法终止).
    # That path is built there; here the accepted cancellation is recorded and flagged.
    audit_record(action="center.cancellation_accepted", actor=actor, target=center,
                 after={"change_report": report.pk,
                        "licence_changed_on": str(report.licence_changed_on or "")},
                 note="依托法人实体注销，应启动依法终止（撤销）程序")
    for user in _commission():
        notify(recipient=user, purpose="center_cancellation_accepted",
               link=_decide_link(report), context={"report": report, "center": center})
    # The revocation path (依法终止, 第十七条) lives above this app: it listens once this commits.
    transaction.on_commit(lambda: cancellation_accepted.send(sender=ChangeReport, report=report),
                          robust=True)


def cancellations_awaiting_revocation():
    """Accepted 注销 reports whose center is still active: the revocation path (依法终止) must
    start for each. A queryset of ChangeReport, oldest decision first."""
    return (ChangeReport.objects.filter(status=S.ACCEPTED, kind=ChangeKind.ENTITY,
                                        entity_change=EntityChange.CANCELLATION,
                                        center__status=CenterStatus.ACTIVE)
            .select_related("center").order_by("decided_at", "pk"))


# --- the sweep ---------------------------------------------------------------------------------

def _due_fill(now) -> int:
    """Due dates left empty for want of a schedule, computed once the schedule is complete."""
    filled = 0
    for report in ChangeReport.objects.filter(kind=ChangeKind.ENTITY, due_on__isnull=True,
                                              licence_changed_on__isnull=False).only(
            "pk", "licence_changed_on").order_by("pk"):
        try:
            due_on = change_due_on(report.licence_changed_on)
        except WorkingDayDataMissing:
            continue
        filled += ChangeReport.objects.filter(pk=report.pk, due_on__isnull=True).update(
            due_on=due_on)
    return filled


def _threshold_reached(days_left: int, already: int | None) -> int | None:
    """The smallest reminder threshold (REMINDER_WORKING_DAYS) reached at `days_left` and not
    sent yet, or None: at 4 days left with nothing sent, only the 5-day reminder goes."""
    reached = [t for t in REMINDER_WORKING_DAYS if days_left <= t
               and (already is None or t < already)]
    return min(reached) if reached else None


@deadline_check
def change_report_deadlines(now) -> int:
    """第十三条, for entity changes of active centers waiting at their 主管部门 (已报主管部门):
    the 主管部门's officials are reminded at 10, 5 and 1 working days left (each threshold
    once: `reminded_at_days` moves down by a conditional update, so two sweeps never both
    send); past `due_on` the report
    is marked overdue once (`overdue_at`) and the commission told. Empty due dates are filled
    in first. Returns how many reminders and overdue marks were sent."""
    _due_fill(now)
    today = timezone.localdate(now)
    countdown = Countdown(today)
    sent = 0
    # 第十七条: a revoked center gets no reminder (and its reports no overdue mark).
    waiting = (ChangeReport.objects.filter(kind=ChangeKind.ENTITY, status=S.SUBMITTED,
                                           due_on__isnull=False, overdue_at__isnull=True,
                                           center__status=CenterStatus.ACTIVE)
               .select_related("center").order_by("due_on", "pk"))
    for report in waiting:
        if report.due_on < today:
            if ChangeReport.objects.filter(pk=report.pk, overdue_at__isnull=True).update(
                    overdue_at=now):
                sent += 1
                audit_record(action="change_report.overdue", target=report,
                             after={"due_on": str(report.due_on)})
                for user in _commission():
                    notify(recipient=user, purpose="change_report_overdue",
                           link=_decide_link(report),
                           context={"report": report, "center": report.center})
            continue
        days_left = countdown.days_left(report)
        if days_left is None:
            continue
        threshold = _threshold_reached(days_left, report.reminded_at_days)
        if threshold is None:
            continue
        claimed = ChangeReport.objects.filter(pk=report.pk).filter(
            Q(reminded_at_days__isnull=True) | Q(reminded_at_days__gt=threshold)).update(
            reminded_at_days=threshold)
        if not claimed:
            continue  # another sweep sent it
        sent += 1
        for user in _department_officials(report.department_id):
            notify(recipient=user, purpose="change_report_reminder", link=_detail_link(report),
                   context={"report": report, "center": report.center, "days": days_left})
    return sent
