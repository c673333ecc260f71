"""An expert's work on an assignment (第九条（三）): the commitment, recusal and declarations,
the score sheet (drafts, submission, the weighted total) and the commission's reopening.

Assignments move along `ASSIGNMENT_WORKFLOW` (assigned → committed; assigned or
committed → recused), sheets along `SHEET_WORKFLOW` (draft → submitted → draft by reopening,
with a reason); both through `core.transitions`, so each move leaves a StatusChange and an audit
row. Every save of a sheet names the `version` it was based on: a save based on an older one
(the sheet was reopened, or changed in another tab) is refused (`StaleSheet`) and never
overwrites what is stored.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.selectors import role_users
from core.audit import audit_record
from core.notifications import notify
from core.transitions import Move, TransitionNotAllowed, Workflow, perform_transition

from .enums import AssignmentStatus, RoundPurpose, RoundStatus, SheetStatus
from .models import Assignment, Criterion, ExpertDeclaration, ReviewRound, Score, ScoreSheet
from .assignment import ASSIGNMENT_WORKFLOW
from .rubrics import rubric_freeze
from .scoring import sheet_total

TWO_PLACES = Decimal("0.01")
# 第九条（三）: a score under this share of a criterion's maximum, or at the maximum, needs a
# comment saying why.
COMMENT_BELOW_SHARE = Decimal("0.6")
COMMENT_MAX_CHARS = 2000

# The 承诺书 the expert confirms before the application is shown (回避与保密).
COMMITMENT_TEXT = (
    "本人承诺：与本次评审的申报单位及其联合承建单位不存在任职、咨询顾问、近亲属任职或持股等"
    "利害关系，未参与该申报材料的编制，不存在其他可能影响公正评审的利益冲突；如存在上述情形，"
    "将主动申请回避。本人将独立、客观、公正地评审，对申报材料、评审意见和评审结果严格保密，"
    "不复制、不泄露、不对外透露任何评审信息，不与申报单位私下接触。如违反上述承诺，"
    "本人愿承担相应责任。"
)
# The same for an evaluation round (第十七条): the center's unit and its materials.
EVALUATION_COMMITMENT_TEXT = (
    "本人承诺：与本次评价的赋能中心依托单位及其联合承建单位不存在任职、咨询顾问、近亲属任职或"
    "持股等利害关系，未参与该中心评价材料的编制，不存在其他可能影响公正评价的利益冲突；如存在"
    "上述情形，将主动申请回避。本人将独立、客观、公正地评分，对评价材料、评分意见和评价结果严格"
    "保密，不复制、不泄露、不对外透露任何评价信息，不与被评价单位私下接触。如违反上述承诺，"
    "本人愿承担相应责任。"
)


def commitment_text(round_) -> str:
    """The 承诺书 an expert confirms for an assignment of `round_` (by its purpose)."""
    if round_.purpose == RoundPurpose.EVALUATION:
        return EVALUATION_COMMITMENT_TEXT
    return COMMITMENT_TEXT

SHEET_WORKFLOW = Workflow(
    status_field="status",
    moves=(
        # The expert's own submission: permission is checked on the assignment by the service.
        Move("submit", (SheetStatus.DRAFT,), SheetStatus.SUBMITTED,
             "experts.score_assignment", label="提交评分表"),
        Move("reopen", (SheetStatus.SUBMITTED,), SheetStatus.DRAFT, "experts.reopen_sheet",
             label="重新开放评分表", reason_required=True),
    ),
)


class SheetError(Exception):
    """A refused act on an assignment or sheet (Chinese message). `errors` maps a criterion's
    pk (or "overall_comment", or None for the whole sheet) to the problems found."""

    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(message)
        self.errors = errors or {}


class StaleSheet(SheetError):
    """The save was based on an older version of the sheet: nothing was written."""


STALE_MESSAGE = ("评分表已在其他页面保存或被重新开放，本次未保存。您刚才填写的内容仍保留在下方，"
                 "请核对后再次保存。")


# --- the weighted total ---------------------------------------------------------------------

# --- checks shared by the services --------------------------------------------------------

def round_deadline_passed(round_: ReviewRound, now=None) -> bool:
    """True once the round's deadline has passed: a save at the deadline's very instant is
    still in time, one a moment later is not."""
    return (now or timezone.now()) > round_.deadline


def _ensure_own_live(assignment: Assignment, actor) -> None:
    if not actor.has_perm("experts.score_assignment", assignment):
        raise PermissionDenied("您无权处理此评审任务。")


def _ensure_round_open(assignment: Assignment, now=None) -> None:
    round_ = assignment.round
    if round_.status != RoundStatus.OPEN:
        raise SheetError("本轮评审未在进行中，不能保存或提交评分。")
    if round_deadline_passed(round_, now):
        raise SheetError(f"本轮评审已于{timezone.localtime(round_.deadline):%Y年%m月%d日 %H:%M}"
                         "截止，不能再保存或提交评分。")


# --- commitment, recusal and declarations ---------------------------------------------------

def assignment_commit(*, assignment: Assignment, actor, accepted: bool) -> Assignment:
    """The expert confirms the 回避与保密承诺 (`COMMITMENT_TEXT`) before the application is
    shown: assigned → committed, `committed_at` set. Raises SheetError when the box was not
    ticked or the round is not open; PermissionDenied when not the expert's live assignment."""
    _ensure_own_live(assignment, actor)
    if not accepted:
        raise SheetError("请先阅读并勾选“本人已阅读并同意上述承诺”。")
    if assignment.round.status != RoundStatus.OPEN:
        raise SheetError("本轮评审未在进行中。")
    return perform_transition(workflow=ASSIGNMENT_WORKFLOW, obj=assignment,
                              move_name="commit", actor=actor,
                              changes={"committed_at": timezone.now()})


def _recusal_recipients(round_: ReviewRound) -> list:
    """Who reassigns a freed slot: the commission's staff and the round's agency staff."""
    holders = [(Role.COMMISSION_STAFF, None)]
    if round_.agency_id:
        holders.append((Role.THIRD_PARTY_STAFF, round_.agency_id))
    return role_users(*holders)


def assignment_recuse(*, assignment: Assignment, actor, reason: str) -> Assignment:
    """The expert recuses themselves with a reason (回避): the assignment becomes recused, which
    frees its slot, and its sheet (if any) is left out of every aggregate. The commission's
    staff (and the round's agency) are told, to reassign. Raises SheetError without a reason,
    PermissionDenied when not the expert's live assignment."""
    _ensure_own_live(assignment, actor)
    reason = (reason or "").strip()
    if not reason:
        raise SheetError("请填写回避理由。")
    round_ = assignment.round

    def tell():
        for recipient in _recusal_recipients(round_):
            notify(recipient=recipient, purpose="expert_recused", context={
                "round": round_, "application": assignment.application,
                "expert": assignment.expert, "reason": reason})

    with transaction.atomic():
        recused = perform_transition(workflow=ASSIGNMENT_WORKFLOW, obj=assignment,
                                     move_name="recuse", actor=actor, reason=reason,
                                     changes={"recusal_reason": reason,
                                              "recused_at": timezone.now()})
        transaction.on_commit(tell)
    return recused


def assignment_declare(*, assignment: Assignment, actor, kind: str, note: str = "") -> Assignment:
    """The expert declares 参与编制申报材料 or 利益冲突 (ExpertDeclaration): the declaration is
    kept (a hard conflict for any later assignment) and the assignment is recused with it as
    the reason. Raises SheetError for an unknown kind."""
    _ensure_own_live(assignment, actor)
    if kind not in ExpertDeclaration.Kind.values:
        raise SheetError("请选择申报的情形。")
    note = (note or "").strip()[:300]
    label = ExpertDeclaration.Kind(kind).label
    with transaction.atomic():
        try:
            with transaction.atomic():
                ExpertDeclaration.objects.create(expert=assignment.expert,
                                                 application=assignment.application,
                                                 kind=kind, note=note)
        except IntegrityError:
            pass  # declared before: the declaration stands
        audit_record(action="expert.declare", actor=actor, target=assignment,
                     after={"kind": kind, "note": note})
        return assignment_recuse(assignment=assignment, actor=actor,
                                 reason=f"{label}{'：' + note if note else ''}")


# --- the score sheet ------------------------------------------------------------------------

def round_criteria(round_: ReviewRound) -> list[Criterion]:
    return list(Criterion.objects.filter(round=round_).order_by("order", "pk"))


def sheet_open(*, assignment: Assignment, actor) -> ScoreSheet:
    """The assignment's sheet, created (with an empty Score per criterion) the first time it
    is opened; the first sheet of a round freezes its rubric (experts.rubrics.rubric_freeze).
    Raises SheetError before the commitment."""
    _ensure_own_live(assignment, actor)
    if assignment.status != AssignmentStatus.COMMITTED:
        raise SheetError("请先确认回避与保密承诺。")
    existing = ScoreSheet.objects.filter(assignment=assignment).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        try:
            with transaction.atomic():
                sheet = ScoreSheet.objects.create(assignment=assignment)
        except IntegrityError:  # opened at the same moment in another tab
            return ScoreSheet.objects.get(assignment=assignment)
        Score.objects.bulk_create(Score(sheet=sheet, criterion=c)
                                  for c in round_criteria(assignment.round))
        rubric_freeze(assignment.round)
        audit_record(action="scoresheet.open", actor=actor, target=sheet)
    return sheet


def _parse_value(raw) -> tuple[Decimal | None, str]:
    if raw is None or str(raw).strip() == "":
        return None, ""
    text = str(raw).strip().replace("，", ".").replace("。", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, "请填写数字，如 8 或 8.5。"
    if not value.is_finite():
        return None, "请填写数字，如 8 或 8.5。"
    if value != value.quantize(TWO_PLACES):
        return None, "得分最多保留两位小数。"
    return value, ""


def sheet_problems(criteria: Iterable[Criterion], entries: Mapping, *,
                   complete: bool) -> tuple[dict, dict]:
    """Checks the typed scores: `entries` maps a criterion's pk to {"value": text,
    "comment": text}. Returns (values by criterion pk as Decimal or None, problems by criterion
    pk as a list of Chinese messages). A draft (`complete=False`) may leave scores and
    comments empty; what is typed must still be a number within [0, max]. A submission needs
    every score, and a comment where the score is under 60% of the maximum or at it."""
    values, problems = {}, {}
    for c in criteria:
        entry = entries.get(c.pk) or {}
        value, error = _parse_value(entry.get("value"))
        comment = (entry.get("comment") or "").strip()
        found = []
        if error:
            found.append(error)
        elif value is None:
            if complete:
                found.append("请填写得分。")
        elif value < 0 or value > c.max_score:
            found.append(f"得分须在 0 至 {c.max_score.normalize():f} 分之间。")
        elif complete and not comment and (value < c.max_score * COMMENT_BELOW_SHARE
                                           or value == c.max_score):
            found.append("得分低于该项满分的60%或为满分时，须填写评分说明。")
        if len(comment) > COMMENT_MAX_CHARS:
            found.append(f"评分说明不超过{COMMENT_MAX_CHARS}字。")
        values[c.pk] = None if found else value
        if found:
            problems[c.pk] = found
    return values, problems


def sheet_save(*, sheet: ScoreSheet, actor, entries: Mapping, overall_comment: str,
               version: int, submit: bool = False, page: str = "", now=None) -> ScoreSheet:
    """Saves the expert's typed scores and comments (保存草稿), or saves and submits them
    (提交: complete and valid, then locked, with the weighted total stored, `sheet_total`).

    `entries` as in `sheet_problems`; `version` is the sheet's version the page was based on,
    `page` the token of the page (one rendering of the form): a save is stale unless it is
    based on the stored version or the same page saved last (its own autosave meanwhile).
    Raises StaleSheet when the stored sheet has moved on (another tab's save, a reopening),
    SheetError with `errors` when something typed is not valid (nothing is written then), or
    when the sheet is submitted, the round not open or its deadline passed; PermissionDenied
    when the assignment is not the expert's live one."""
    assignment = Assignment.objects.select_related("round").get(pk=sheet.assignment_id)
    _ensure_own_live(assignment, actor)
    _ensure_round_open(assignment, now)
    criteria = round_criteria(assignment.round)
    values, problems = sheet_problems(criteria, entries, complete=submit)
    overall_comment = (overall_comment or "").strip()
    if submit and not overall_comment:
        problems["overall_comment"] = ["请填写总体评价意见。"]
    if len(overall_comment) > COMMENT_MAX_CHARS * 2:
        problems["overall_comment"] = [f"总体评价意见不超过{COMMENT_MAX_CHARS * 2}字。"]
    if problems:
        raise SheetError("部分内容有误，请按提示修改；本次未保存。", problems)
    with transaction.atomic():
        locked = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
        if locked.status != SheetStatus.DRAFT:
            raise SheetError("评分表已提交并锁定，不能再修改。")
        if locked.version != version and not (page and locked.last_page == page[:64]):
            raise StaleSheet(STALE_MESSAGE)
        scores = {s.criterion_id: s for s in Score.objects.filter(sheet=locked)}
        changed = []
        for c in criteria:
            score = scores.get(c.pk) or Score(sheet=locked, criterion=c)
            comment = (entries.get(c.pk) or {}).get("comment") or ""
            score.value, score.comment = values[c.pk], comment.strip()
            if score.pk is None:
                score.save()
            else:
                changed.append(score)
        Score.objects.bulk_update(changed, ["value", "comment"])
        ScoreSheet.objects.filter(pk=locked.pk).update(
            overall_comment=overall_comment, version=F("version") + 1,
            last_page=page[:64], updated_at=timezone.now())
        locked.refresh_from_db()
        audit_record(action="scoresheet.save_draft", actor=actor, target=locked,
                     after={"version": locked.version})
        if submit:
            total = sheet_total(values, criteria)
            locked = perform_transition(
                workflow=SHEET_WORKFLOW, obj=locked, move_name="submit", actor=actor,
                check_permission=False,
                changes={"total": total, "submitted_at": timezone.now(),
                         "version": F("version") + 1})
            locked.refresh_from_db()
    return locked


def sheet_reopen(*, sheet: ScoreSheet, actor, reason: str) -> ScoreSheet:
    """The commission reopens a submitted sheet with a logged reason (StatusChange): back to
    a draft, its total cleared, its version moved on (so a page opened before is refused, not
    overwritten). The expert is told. Raises TransitionNotAllowed (not submitted, no reason,
    or the round closed) and PermissionDenied (not commission staff)."""
    reason = (reason or "").strip()
    assignment = Assignment.objects.select_related("expert__user", "round",
                                                   "application").get(pk=sheet.assignment_id)

    def tell():
        user = assignment.expert.user
        if user is not None:
            notify(recipient=user, purpose="score_sheet_reopened",
                   link=reverse("experts:sheet", args=[assignment.pk]),
                   context={"round": assignment.round, "application": assignment.application,
                            "reason": reason})

    if assignment.round.status == RoundStatus.CLOSED:
        # The round's results are stored and may be on a frozen proposed list.
        raise TransitionNotAllowed("评审轮次已结束，评审结果已确定，不能再重新开放评分表。")
    with transaction.atomic():
        current = ScoreSheet.objects.get(pk=sheet.pk)
        reopened = perform_transition(workflow=SHEET_WORKFLOW, obj=current, move_name="reopen",
                                      actor=actor, reason=reason,
                                      changes={"total": None, "submitted_at": None,
                                               "version": F("version") + 1, "last_page": ""})
        reopened.refresh_from_db()
        transaction.on_commit(tell)
    return reopened

