"""撤销资格 (第十七条) as a fair administrative act: a proposal on one stated ground with its
evidence, told to the center (告知), open to its 陈述申辩 within STATEMENT_WORKING_DAYS working
days, decided by the commission (撤销, or 不予撤销 with a reason) and, when revoked, published.

The six grounds, each an executable rule producing exactly one proposal:
1. 连续两次评价不合格 — `after_grade_confirmed`, when this cycle's and the previous year's cycle's
   grades are both confirmed 不合格 (a gap year breaks the run);
2. 逾期未报送评价材料 — the sweep `revocation_materials_overdue`, once per cycle after its
   materials deadline, for every center in it that never submitted; and the sweep
   `revocation_returned_not_resent` for materials returned and not sent again by the
   主管部门's deadline;
3. 提供虚假材料、数据或有其他弄虚作假行为 — the commission, with facts and evidence files;
4. 获评单位自行要求撤销 — `revocation_request`, by the center's unit, with its legal
   representative's name and the signed request letter;
5. 获评单位被依法终止 — at the acceptance of a 注销 change report (the signal
   `centers.signals.cancellation_accepted`), the sweep `revocation_terminations` as the fallback
   (centers.changes.cancellations_awaiting_revocation), or the commission;
6. 严重违法失信行为或引发重大负面影响 — the commission, with the judicial or administrative
   decision document.

A proposal already made (open on the same ground, or on the same cycle or change report) is
returned instead of a second one; the model's constraints hold the line under concurrency.
Nothing is deleted: a dropped proposal and the other open proposals of a revoked center stay.
"""

import datetime
import zoneinfo

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.selectors import role_users
from applications.services import organisation_members
from centers.designation import center_revoke
from centers.enums import CenterStatus
from centers.models import Center
from centers.evidence import EvidenceError, evidence_check, evidence_save
from centers.signals import cancellation_accepted
from core.audit import audit_record
from core.notifications import notify
from core.sweep import deadline_check
from core.transitions import TransitionNotAllowed, perform_transition
from core.workdays import WorkingDayDataMissing, add_working_days

from .enums import (
    OPEN_REVOCATION_STATUSES,
    STATEMENT_WORKING_DAYS,
    CycleStatus,
    EvaluationStatus,
    Grade,
    RevocationFileKind,
    RevocationGround,
    RevocationStatus,
)
from .errors import EvaluationError
from .models import Evaluation, EvaluationCycle, Revocation, RevocationFile
from .workflows import REVOCATION_WORKFLOW

G = RevocationGround
R = RevocationStatus
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
FACTS_MAX_CHARS = 5000
# The grounds the commission proposes by hand (the others come from a rule or the center).
COMMISSION_GROUNDS = (G.FALSE_MATERIALS, G.TERMINATED, G.SERIOUS_VIOLATION)
# The file a ground cannot go without, and what it is called when missing.
REQUIRED_FILE = {
    G.FALSE_MATERIALS: (RevocationFileKind.EVIDENCE, "请上传证明弄虚作假行为的证据材料。"),
    G.SERIOUS_VIOLATION: (RevocationFileKind.DECISION, "请上传司法、行政机关的认定文书。"),
    G.SELF_REQUEST: (RevocationFileKind.REQUEST, "请上传法定代表人签字的撤销申请。"),
}
# The kind of a file uploaded with a proposal of each ground (evidence by default).
FILE_KIND = {G.SERIOUS_VIOLATION: RevocationFileKind.DECISION,
             G.SELF_REQUEST: RevocationFileKind.REQUEST}


def _clean(value) -> str:
    return (value or "").strip()


def _checked(files) -> list[tuple]:
    try:
        return evidence_check(files)
    except EvidenceError as error:
        raise EvaluationError(str(error)) from None


def _commission():
    return role_users((Role.COMMISSION_STAFF, None))


def _unit_users(center: Center):
    return organisation_members(center.application.organisation_id)


def _manage_link(revocation) -> str:
    return reverse("evaluations:revocation_manage", args=[revocation.pk])


def _center_link(revocation) -> str:
    return reverse("evaluations:revocation_detail", args=[revocation.center_id, revocation.pk])


def _existing(*, center, ground, cycle=None, change_report=None) -> Revocation | None:
    """The proposal that makes a new one a duplicate: the same change report, the same center,
    ground and cycle, or an open one on the same ground."""
    rows = Revocation.objects.filter(center=center)
    if change_report is not None:
        found = Revocation.objects.filter(change_report=change_report).first()
        if found is not None:
            return found
    if cycle is not None:
        found = rows.filter(ground=ground, cycle=cycle).first()
        if found is not None:
            return found
    return rows.filter(ground=ground, status__in=OPEN_REVOCATION_STATUSES).first()


def _propose(*, center, ground, facts, actor=None, cycle=None, change_report=None,
             legal_representative="", files=()) -> Revocation:
    """The proposal, or the one that already stands (see `_existing`)."""
    facts = _clean(facts)
    if ground not in G.values:
        raise EvaluationError("请选择撤销事由。")
    if not facts:
        raise EvaluationError("请填写事实和理由。")
    if len(facts) > FACTS_MAX_CHARS:
        raise EvaluationError(f"事实和理由不超过{FACTS_MAX_CHARS}字。")
    existing = _existing(center=center, ground=ground, cycle=cycle, change_report=change_report)
    if existing is not None:
        return existing
    if not Center.objects.filter(pk=center.pk, status=CenterStatus.ACTIVE).exists():
        raise EvaluationError("该赋能中心已被撤销，不能再提出撤销。")
    checked = _checked(files)
    if ground in REQUIRED_FILE and not checked:
        raise EvaluationError(REQUIRED_FILE[ground][1])
    kind = FILE_KIND.get(ground, RevocationFileKind.EVIDENCE)
    try:
        with transaction.atomic():
            revocation = Revocation.objects.create(
                center=center, ground=ground, facts=facts, cycle=cycle,
                change_report=change_report, legal_representative=legal_representative,
                proposed_by=actor if getattr(actor, "is_authenticated", False) else None)
            for uploaded, detected in checked:
                evidence_save(RevocationFile(revocation=revocation, kind=kind,
                                             uploaded_by=revocation.proposed_by),
                              uploaded, detected)
            audit_record(action="revocation.propose", actor=revocation.proposed_by,
                         target=revocation,
                         after={"center": center.pk, "ground": ground,
                                "cycle": cycle.pk if cycle else None,
                                "change_report": change_report.pk if change_report else None,
                                "files": len(checked)})
            if revocation.proposed_by is None or ground == G.SELF_REQUEST:
                # A rule or the center proposed it: the commission must take it up.
                for user in _commission():
                    notify(recipient=user, purpose="revocation_proposed",
                           link=_manage_link(revocation),
                           context={"revocation": revocation, "center": center})
    except IntegrityError:
        # Proposed at the same moment by another request or sweep: that one stands.
        existing = _existing(center=center, ground=ground, cycle=cycle,
                             change_report=change_report)
        if existing is None:
            raise
        return existing
    revocation.created = True
    return revocation


def revocation_propose(*, center: Center, ground: str, facts: str, actor=None, cycle=None,
                       change_report=None, legal_representative: str = "",
                       files=()) -> Revocation:
    """A proposal to revoke `center` (active) on `ground` (enums.RevocationGround) with `facts`
    (text, at most FACTS_MAX_CHARS) and `files` (uploads, checked by the application's upload
    rules; evidence required for 提供虚假材料, the decision document for 严重违法失信, the signed
    request for 自行要求撤销). `actor` None is a rule of the system (grounds 1, 2, 5); a person
    must hold evaluations.propose_revocation (the commission) — the center's own request goes
    through `revocation_request`. `cycle` ties grounds 1 and 2 to a cycle, `change_report`
    ground 5 to an accepted 注销 report.

    Returns the new proposal (status 拟撤销), or the one already standing for the same center
    and ground (open), cycle or change report: never a duplicate. Raises EvaluationError
    (Chinese) and PermissionDenied. Audited (`revocation.propose`); the commission is told of
    a proposal a rule made (第十七条)."""
    if actor is not None and not actor.has_perm("evaluations.propose_revocation", center):
        raise PermissionDenied("只有市发展改革委工作人员可以提出撤销资格。")
    return _propose(center=center, ground=ground, facts=facts, actor=actor, cycle=cycle,
                    change_report=change_report,
                    legal_representative=_clean(legal_representative)[:50], files=files)


def revocation_request(*, center: Center, actor, legal_representative: str, reason: str,
                       upload) -> Revocation:
    """获评单位自行要求撤销 (第十七条, ground 4): a user of the center's unit asks for the center's
    revocation, naming its legal representative (at most 50 characters) with the request
    letter signed by them (`upload`, one file, required). Returns the proposal (or the one
    already open). Raises PermissionDenied (not the unit's user, center revoked) and
    EvaluationError. The commission is told."""
    if not actor.has_perm("evaluations.request_revocation", center):
        raise PermissionDenied("只有赋能中心所在单位的用户可以申请撤销。")
    legal_representative = _clean(legal_representative)
    if not legal_representative:
        raise EvaluationError("请填写法定代表人姓名。")
    if len(legal_representative) > 50:
        raise EvaluationError("法定代表人姓名不超过50字。")
    if not _clean(reason):
        raise EvaluationError("请填写申请撤销的理由。")
    if not upload:
        raise EvaluationError(REQUIRED_FILE[G.SELF_REQUEST][1])
    return _propose(center=center, ground=G.SELF_REQUEST, facts=reason, actor=actor,
                    legal_representative=legal_representative, files=[upload])


# --- the rules that propose by themselves ------------------------------------------------------

def after_grade_confirmed(evaluation: Evaluation) -> Revocation | None:
    """Called once `evaluation`'s grade is confirmed (grades.cycle_confirm, on commit). 第十七条
    ground 1: when it is 不合格 and the same center's evaluation in the cycle of the year just
    before (year − 1; a gap year breaks the run) was confirmed 不合格 too, a proposal tied to
    this cycle. Returns it (or the one already made), or None."""
    evaluation = (Evaluation.objects.select_related("cycle", "center__application")
                  .get(pk=evaluation.pk))
    if evaluation.grade != Grade.FAIL or evaluation.confirmed_at is None:
        return None
    if evaluation.center.status != CenterStatus.ACTIVE:
        return None
    cycle = evaluation.cycle
    previous = (Evaluation.objects.filter(cycle__year=cycle.year - 1, center=evaluation.center,
                                          grade=Grade.FAIL, confirmed_at__isnull=False)
                .select_related("cycle").first())
    if previous is None:
        return None
    facts = (f"该赋能中心{previous.cycle.year}年度、{cycle.year}年度运行评价结果经确认均为不合格，"
             f"属于管理办法第十七条规定的连续两次评价不合格情形。")
    return _propose(center=evaluation.center, ground=G.TWO_FAILS, facts=facts, cycle=cycle)


@deadline_check
def revocation_materials_overdue(now) -> int:
    """第十七条 ground 2, 逾期未报送评价材料: for each cycle whose materials deadline has passed and
    that was not closed yet (`materials_closed_at` empty), a proposal for every evaluation of an
    active center never submitted (`submitted_at` empty); the cycle is then closed, so a second
    run proposes nothing. Returns how many proposals were made."""
    made = 0
    due = (EvaluationCycle.objects.filter(materials_due__lt=now, materials_closed_at__isnull=True)
           .exclude(status=CycleStatus.DRAFT).order_by("pk"))
    for cycle in due:
        with transaction.atomic():
            if not EvaluationCycle.objects.filter(
                    pk=cycle.pk, materials_closed_at__isnull=True).update(materials_closed_at=now):
                continue  # another sweep took it
            missing = (Evaluation.objects.filter(cycle=cycle, submitted_at__isnull=True,
                                                 center__status=CenterStatus.ACTIVE)
                       .select_related("center__application").order_by("pk"))
            due_text = timezone.localtime(cycle.materials_due, SHANGHAI).strftime(
                "%Y年%m月%d日%H时%M分")
            for evaluation in missing:
                facts = (f"{cycle.title}的评价材料报送截止时间为{due_text}，该赋能中心逾期未报送"
                         f"评价材料，属于管理办法第十七条规定的逾期未报送评价材料情形。")
                try:
                    proposal = _propose(center=evaluation.center, ground=G.MATERIALS_OVERDUE,
                                        facts=facts, cycle=cycle)
                except EvaluationError:
                    continue  # revoked meanwhile: nothing to propose
                made += int(getattr(proposal, "created", False))
            audit_record(action="evaluation_cycle.materials_close", target=cycle,
                         after={"materials_closed_at": now.isoformat(),
                                "not_submitted": len(missing)})
    return made


@deadline_check
def revocation_returned_not_resent(now) -> int:
    """第十七条 ground 2 for materials the 主管部门 returned for correction and the center never
    sent again by `district_due` (第十八条): what was returned is no submission, as the grade
    already counts it (grades.hard_rules_hit). A proposal per such evaluation of an active
    center, once per center and cycle (`_existing`), however often the sweep runs. Returns how
    many proposals were made."""
    made = 0
    returned = (Evaluation.objects.filter(status=EvaluationStatus.RETURNED,
                                          cycle__district_due__lt=now,
                                          center__status=CenterStatus.ACTIVE)
                .exclude(cycle__status=CycleStatus.DRAFT)
                .select_related("cycle", "center__application").order_by("pk"))
    for evaluation in returned:
        cycle = evaluation.cycle
        due_text = timezone.localtime(cycle.district_due, SHANGHAI).strftime("%Y年%m月%d日%H时%M分")
        facts = (f"{cycle.title}的评价材料经主管部门退回修改后，该赋能中心在{due_text}前未重新报送，"
                 f"属于管理办法第十七条规定的逾期未报送评价材料情形。")
        try:
            proposal = _propose(center=evaluation.center, ground=G.MATERIALS_OVERDUE,
                                facts=facts, cycle=cycle)
        except EvaluationError:
            continue  # revoked meanwhile
        made += int(getattr(proposal, "created", False))
    return made


def terminations_propose() -> int:
    """第十七条 ground 5 from 注销: a proposal for every accepted 注销 change report whose center
    is still active (centers.changes.cancellations_awaiting_revocation), once per report.
    Returns how many proposals were made."""
    from centers.changes import cancellations_awaiting_revocation

    reports = cancellations_awaiting_revocation().select_related("center__application")
    return sum(int(termination_propose(report)) for report in reports)


def termination_propose(report) -> bool:
    """The proposal of ground 5 for one accepted 注销 change report (centers.ChangeReport):
    made once per report, not when the commission has an open proposal of that ground for the
    center already or the center was revoked meanwhile. True when a proposal was made."""
    if Revocation.objects.filter(change_report=report).exists():
        return False
    if Revocation.objects.filter(center=report.center, ground=G.TERMINATED,
                                 status__in=OPEN_REVOCATION_STATUSES).exists():
        return False  # the commission proposed it already
    changed_on = report.licence_changed_on
    facts = ("依托法人实体已注销" + (f"（营业执照注销日期{changed_on:%Y年%m月%d日}）"
                                       if changed_on else "")
             + "，变更报告经市发展改革委同意，属于管理办法第十七条规定的获评单位被依法终止情形。")
    try:
        proposal = _propose(center=report.center, ground=G.TERMINATED, facts=facts,
                            change_report=report)
    except EvaluationError:
        return False  # revoked meanwhile
    return bool(getattr(proposal, "created", False))


@receiver(cancellation_accepted)
def _termination_on_acceptance(sender, report, **kwargs):
    # At the acceptance, not at the next sweep: the center learns of the proposal the same day.
    termination_propose(report)


@deadline_check
def revocation_terminations(now) -> int:
    """The sweep form of `terminations_propose` (every run; a report proposes once)."""
    return terminations_propose()


# --- told, stated, decided ---------------------------------------------------------------------

def statement_deadline(revocation: Revocation) -> datetime.datetime | None:
    """The first instant after the 陈述申辩 window: 00:00 (Asia/Shanghai) of the day after
    `statement_due`; None before the center is told."""
    if revocation.statement_due is None:
        return None
    return datetime.datetime.combine(revocation.statement_due + datetime.timedelta(days=1),
                                     datetime.time.min, tzinfo=SHANGHAI)


def statement_open(revocation: Revocation, now=None) -> bool:
    """Whether the center may still state its case: told, not stated, and `now` not past the
    end (23:59:59, Asia/Shanghai) of `statement_due`."""
    deadline = statement_deadline(revocation)
    return (revocation.status == R.NOTIFIED and deadline is not None
            and (now or timezone.now()) < deadline)


def revocation_notify(*, revocation: Revocation, actor, now=None) -> Revocation:
    """告知 (第十七条): the commission tells the center of the proposal; `statement_due` is the
    STATEMENT_WORKING_DAYS-th working day after today (Asia/Shanghai, core.workdays, holidays
    and 调休 counted). The unit's users are told with the ground, facts and due date. Raises
    EvaluationError (not 拟撤销, the center revoked already, a year without a holiday schedule)
    and PermissionDenied."""
    now = now or timezone.now()
    if not Center.objects.filter(pk=revocation.center_id, status=CenterStatus.ACTIVE).exists():
        raise EvaluationError("该赋能中心已被撤销，无需再告知。")
    today = timezone.localtime(now, SHANGHAI).date()
    try:
        due = add_working_days(today, STATEMENT_WORKING_DAYS)
    except WorkingDayDataMissing as error:
        raise EvaluationError(str(error)) from None
    with transaction.atomic():
        try:
            revocation = perform_transition(
                workflow=REVOCATION_WORKFLOW, obj=revocation, move_name="notify", actor=actor,
                changes={"notified_at": now, "statement_due": due})
        except TransitionNotAllowed as error:
            raise EvaluationError(str(error)) from None
        center = Center.objects.select_related("application").get(pk=revocation.center_id)
        for user in _unit_users(center):
            notify(recipient=user, purpose="revocation_notified", link=_center_link(revocation),
                   context={"revocation": revocation, "center": center, "due": due,
                            "days": STATEMENT_WORKING_DAYS})
    return revocation


def revocation_state(*, revocation: Revocation, actor, statement: str, uploads=(),
                     now=None) -> Revocation:
    """陈述申辩 (第十七条): a user of the center's unit states its case (text, at most
    FACTS_MAX_CHARS, with optional files under the upload rules) until the end of
    `statement_due` (23:59:59, Asia/Shanghai; refused one second later), once. The commission
    is told. Raises EvaluationError and PermissionDenied. Audited (`revocation.state`)."""
    now = now or timezone.now()
    if not actor.has_perm("evaluations.state_case", revocation):
        raise PermissionDenied("只有赋能中心所在单位的用户可以陈述申辩。")
    statement = _clean(statement)
    if not statement:
        raise EvaluationError("请填写陈述申辩意见。")
    if len(statement) > FACTS_MAX_CHARS:
        raise EvaluationError(f"陈述申辩意见不超过{FACTS_MAX_CHARS}字。")
    if revocation.status == R.NOTIFIED and not statement_open(revocation, now):
        raise EvaluationError(f"陈述申辩期限已于{revocation.statement_due:%Y年%m月%d日}"
                              "届满，不再受理。")
    checked = _checked(uploads)
    with transaction.atomic():
        try:
            revocation = perform_transition(
                workflow=REVOCATION_WORKFLOW, obj=revocation, move_name="state", actor=actor,
                changes={"statement": statement, "stated_at": now, "stated_by": actor})
        except TransitionNotAllowed as error:
            raise EvaluationError(str(error)) from None
        for uploaded, detected in checked:
            evidence_save(RevocationFile(revocation=revocation, kind=RevocationFileKind.STATEMENT,
                                         uploaded_by=actor), uploaded, detected)
        center = revocation.center
        for user in _commission():
            notify(recipient=user, purpose="revocation_stated", link=_manage_link(revocation),
                   context={"revocation": revocation, "center": center})
    return revocation


def revocation_decide(*, revocation: Revocation, actor, revoke: bool, reason: str,
                      now=None) -> Revocation:
    """决定 (第十七条): the commission revokes (after the center was told and its 陈述申辩 window
    closed or its statement received) or drops the proposal (at any open stage), with
    `reason` (required). Revoking sets the center 已撤销 from today (centers.designation.
    center_revoke, with the ground in words for the public list), `effective_on` and
    `published_at` (对外公布); the plaque's verification page says 已撤销 from the next request.
    The center's other open proposals stay for the record. The unit's users are told (not of
    a proposal dropped before it was told, which they never saw).
    Raises EvaluationError (no reason, a reason over FACTS_MAX_CHARS, …) and
    PermissionDenied."""
    now = now or timezone.now()
    reason = _clean(reason)
    if not reason:
        raise EvaluationError("请填写决定理由。")
    if len(reason) > FACTS_MAX_CHARS:
        raise EvaluationError(f"决定理由不超过{FACTS_MAX_CHARS}字。")
    if not actor.has_perm("evaluations.decide_revocation", revocation):
        raise PermissionDenied("只有市发展改革委工作人员可以作出撤销决定。")
    today = timezone.localtime(now, SHANGHAI).date()
    with transaction.atomic():
        locked = Revocation.objects.select_for_update().select_related(
            "center__application").get(pk=revocation.pk)
        changes = {"decided_at": now, "decided_by": actor, "decision_reason": reason}
        if revoke:
            if locked.status == R.NOTIFIED and statement_open(locked, now):
                raise EvaluationError(
                    f"陈述申辩期限至{locked.statement_due:%Y年%m月%d日}，期满或赋能中心陈述申辩后"
                    "方可作出撤销决定。")
            if locked.center.status != CenterStatus.ACTIVE:
                raise EvaluationError("该赋能中心已被撤销。")
            changes.update(effective_on=today, published_at=now)
        try:
            decided = perform_transition(
                workflow=REVOCATION_WORKFLOW, obj=locked, move_name="revoke" if revoke else "drop",
                actor=actor, reason=reason, changes=changes)
        except TransitionNotAllowed as error:
            raise EvaluationError(str(error)) from None
        center = locked.center
        if revoke:
            center = center_revoke(center=center, on=today,
                                   ground_label=decided.get_ground_display(), actor=actor)
        # A proposal dropped before it was told stays the commission's working file.
        told = decided.notified_at is not None or decided.ground == G.SELF_REQUEST
        for user in (_unit_users(locked.center) if told else ()):
            notify(recipient=user, purpose="revocation_decided", link=_center_link(decided),
                   context={"revocation": decided, "center": center, "revoked": revoke})
    return decided


def proposals_open(center: Center):
    """The center's open proposals (拟撤销、已告知、已陈述申辩), newest first."""
    return center.revocations.filter(status__in=OPEN_REVOCATION_STATUSES).order_by(
        "-proposed_at", "-id")

