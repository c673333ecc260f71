"""Demo data: the demo round's assignments turned into sheets in every state, through the same
services the pages use (experts.sheets).

Expects an open round whose deadline is ahead, whose assignments are `assigned` and whose
experts have login accounts (an assignment whose expert has none stays unopened). The states
go round in this order: unopened, committed without a sheet, draft, submitted, reopened,
recused. Idempotent: assignments already past `assigned` are left as they are."""

from decimal import ROUND_HALF_UP, Decimal

from . import sheets
from .enums import AssignmentStatus
from .models import Assignment, ReviewRound

STATES = ("unopened", "committed", "draft", "submitted", "reopened", "recused")
# Shares of the maximum the demo experts give, by criterion (none under 60% nor at the maximum,
# so no comment is required; each still gets one).
SHARES = (Decimal("0.9"), Decimal("0.8"), Decimal("0.75"), Decimal("0.85"), Decimal("0.7"),
          Decimal("0.95"), Decimal("0.65"), Decimal("0.8"))
COMMENTS = ("材料翔实，论证充分。", "基础较好，建议进一步量化目标。", "方案可行，需加强经费保障说明。")


def _entries(criteria, offset: int) -> dict:
    entries = {}
    for i, c in enumerate(criteria):
        share = SHARES[(i + offset) % len(SHARES)]
        value = (c.max_score * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        entries[c.pk] = {"value": str(value), "comment": COMMENTS[(i + offset) % len(COMMENTS)]}
    return entries


def _fill(assignment, user, offset, *, submit):
    sheet = sheets.sheet_open(assignment=assignment, actor=user)
    criteria = sheets.round_criteria(assignment.round)
    return sheets.sheet_save(sheet=sheet, actor=user, entries=_entries(criteria, offset),
                             overall_comment="总体符合赋能中心评定条件，建设方案较为完整。",
                             version=sheet.version, submit=submit)


def seed_sheets(round_: ReviewRound, *, reopened_by=None) -> dict[str, int]:
    """Moves the round's `assigned` assignments (by pk) into the states of `STATES` in turn;
    the reopening is done by `reopened_by` (default: the round's creator, commission staff).
    Returns how many assignments were put in each state."""
    reopened_by = reopened_by or round_.created_by
    done = dict.fromkeys(STATES, 0)
    assignments = (Assignment.objects.filter(round=round_, status=AssignmentStatus.ASSIGNED)
                   .select_related("expert__user", "round", "application").order_by("pk"))
    for n, assignment in enumerate(assignments):
        state = STATES[n % len(STATES)]
        user = assignment.expert.user
        if user is None or state == "unopened":
            done["unopened"] += 1
            continue
        if state == "recused":
            sheets.assignment_recuse(assignment=assignment, actor=user,
                                     reason="本人曾为该申报单位提供咨询服务，申请回避。")
            done[state] += 1
            continue
        assignment = sheets.assignment_commit(assignment=assignment, actor=user, accepted=True)
        if state == "draft":
            sheet = sheets.sheet_open(assignment=assignment, actor=user)
            criteria = sheets.round_criteria(round_)
            half = dict(list(_entries(criteria, n).items())[: len(criteria) // 2])
            sheets.sheet_save(sheet=sheet, actor=user, entries=half, overall_comment="",
                              version=sheet.version)
        elif state in ("submitted", "reopened"):
            sheet = _fill(assignment, user, n, submit=True)
            if state == "reopened":
                sheets.sheet_reopen(sheet=sheet, actor=reopened_by,
                                    reason="“技术攻关能力”一项的评分说明与得分不一致，请核对后重新提交。")
        done[state] += 1
    return done
