"""Every write of the 主管部门's preliminary review (第八条、第九条（二）), one function per act.

A round is saved as a draft until the official decides; the decision moves the application
(`applications.services.APPLICATION_WORKFLOW`) and the round (`REVIEW_WORKFLOW`) through
`core.transitions` in one transaction, with a snapshot of what it was made on.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications import services as application_services
from applications.enums import ApplicationStatus
from applications.models import Application, Call
from applications.documents import document_content_hash
from applications.selectors import application_with_details
from core.audit import audit_record
from core.notifications import notify
from core.transitions import Move, TransitionNotAllowed, Workflow, perform_transition
from core.workdays import WorkingDayDataMissing, add_working_days

from .enums import CHECKS, CheckResult, ReviewOutcome, ReviewStatus
from .models import DistrictReview, RecommendationList
from .snapshots import application_snapshot, snapshot_digest

S = ApplicationStatus
R = ReviewStatus

REVIEW_WORKFLOW = Workflow(
    status_field="status",
    moves=(
        Move("return", (R.DRAFT,), R.DECIDED, "reviews.decide_review", "退回修改"),
        Move("decline", (R.DRAFT,), R.DECIDED, "reviews.decide_review", "不予推荐"),
        Move("recommend", (R.DRAFT,), R.DECIDED, "reviews.decide_review", "推荐"),
        # The commission's 形式审查 of a direct submission (reviews.intake).
        Move("pass", (R.DRAFT,), R.DECIDED, "reviews.decide_review", "形式审查通过"),
    ),
)

# The review's own fields a draft save writes (the checklist form's).
DRAFT_FIELDS = (
    "authenticity", "authenticity_note", "accuracy", "accuracy_note", "conformity",
    "conformity_note", "opinion", "applicant_reasons", "internal_note", "resubmit_by",
)

# The application move of each outcome.
OUTCOME_MOVES = {ReviewOutcome.RETURNED: "return", ReviewOutcome.NOT_RECOMMENDED: "decline",
                 ReviewOutcome.RECOMMENDED: "recommend"}


class ReviewError(Exception):
    """A refusal the official should read; the message is in Chinese."""


# --- the return date -------------------------------------------------------------------------


def resubmit_default_date(call: Call, today: datetime.date | None = None) -> datetime.date:
    """The default last day to resubmit a return: `call.resubmit_working_days` working days
    after `today` (China's statutory calendar, `core.workdays`), never past the call's
    district deadline (第八条). Without a known calendar for those days, the deadline."""
    today = today or timezone.localdate()
    try:
        default = add_working_days(today, call.resubmit_working_days)
    except WorkingDayDataMissing:
        return max(call.district_review_deadline, today)
    return max(min(default, call.district_review_deadline), today)


def resubmit_date_problem(call: Call, resubmit_by, today=None) -> str | None:
    """Why `resubmit_by` cannot be a return's date (Chinese), or None."""
    today = today or timezone.localdate()
    if resubmit_by is None:
        return "请填写重新提交期限。"
    if resubmit_by < today:
        return "重新提交期限不能早于今天。"
    if resubmit_by > call.district_review_deadline:
        return (f"重新提交期限不能晚于主管部门初审报送截止日期"
                f"（{call.district_review_deadline:%Y年%m月%d日}）。")
    return None


def _ensure_batch_open(application: Application) -> None:
    """第八条: once the department sent its batch for the call, its decisions are locked."""
    from .batches import ensure_batch_open

    ensure_batch_open(application.routed_department_id, application.call_id)


# --- drafts ----------------------------------------------------------------------------------


def _ensure_may_review(application: Application, actor) -> None:
    if not actor.has_perm("reviews.review_application", application):
        raise PermissionDenied("该申报不在本部门的初审范围内。")


def _draft_for(application: Application, actor) -> DistrictReview:
    """The round being drafted by the application's 主管部门, created at its first save; a
    round drafted by another department (before a re-route) is left as it was."""
    department_id = application.routed_department_id
    draft = (DistrictReview.objects.select_for_update()
             .filter(application=application, department_id=department_id, status=R.DRAFT)
             .order_by("-round").first())
    if draft is not None:
        return draft
    last = DistrictReview.objects.filter(application=application).order_by("-round").first()
    return DistrictReview.objects.create(
        application=application, round=(last.round + 1) if last else 1,
        department_id=department_id, call_id=application.call_id, official=actor)


@transaction.atomic
def review_save_draft(*, application: Application, actor, data: dict) -> DistrictReview:
    """Saves what the official typed in the checklist form (`data`: any of `DRAFT_FIELDS`)
    as the current round's draft, whether or not a decision follows (nothing typed is lost).
    Only while the application awaits the decision (已提交). Raises PermissionDenied or
    ReviewError."""
    _ensure_may_review(application, actor)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != S.SUBMITTED:
        raise ReviewError(f"申报当前状态为“{locked.get_status_display()}”，不在待初审状态，"
                          "不能保存审查意见。")
    _ensure_batch_open(locked)
    return draft_fill(_draft_for(locked, actor), data=data, actor=actor,
                      action="district_review.save_draft")


def draft_fill(review: DistrictReview, *, data: dict, actor, action: str) -> DistrictReview:
    """Writes the `DRAFT_FIELDS` present in `data` into the draft round `review` as `actor`'s
    and audits `action` with the names of the fields that changed (never their texts: the
    internal note stays the reviewers'). Returns the saved round."""
    before = {name: getattr(review, name) for name in DRAFT_FIELDS}
    for name in DRAFT_FIELDS:
        if name in data:
            setattr(review, name, data[name])
    review.official = actor
    review.save()
    changed = sorted(name for name in DRAFT_FIELDS if getattr(review, name) != before[name])
    if changed:
        audit_record(action=action, actor=actor, target=review,
                     after={"changed": changed, "round": review.round})
    return review


# --- decisions -------------------------------------------------------------------------------


def decision_problems(review: DistrictReview, outcome: str, today=None) -> list[str]:
    """What the draft lacks for `outcome` (Chinese), empty when it may be decided."""
    problems = []
    labels = dict(CHECKS)
    for name, label in CHECKS:
        if getattr(review, name) not in CheckResult.values:
            problems.append(f"请选择“{label}”的审查结果。")
    if outcome == ReviewOutcome.RECOMMENDED:
        failed = [labels[name] for name, _ in CHECKS if getattr(review, name) == CheckResult.FAILED]
        if failed:
            problems.append(f"{'、'.join(failed)}审查未通过的申报不能推荐。")
        if not review.opinion.strip():
            problems.append("推荐须填写审查推荐意见。")
    elif outcome == ReviewOutcome.RETURNED:
        if not review.applicant_reasons.strip():
            problems.append("退回修改须填写退回理由（申报单位可见）。")
        if problem := resubmit_date_problem(review.call, review.resubmit_by, today):
            problems.append(problem)
    elif outcome == ReviewOutcome.NOT_RECOMMENDED:
        if not review.applicant_reasons.strip():
            problems.append("不予推荐须填写理由（申报单位可见）。")
    return problems


def draft_to_decide(locked: Application, *, department_id: int, actor, outcome: str,
                    seen_digest: str, problems_of) -> tuple[DistrictReview, dict]:
    """The department's current draft round of the locked application, locked, and the fields
    its decision records: (review, {"outcome", "decided_at", "official", "snapshot",
    "snapshot_sha256", "package_hash"}). Shared by the 主管部门's 初审 and the commission's
    形式审查. `problems_of(review, outcome)` lists what the draft still lacks.

    Raises ReviewError (Chinese): no saved draft, the draft incomplete, or the content changed
    since the page the deciding official read (`seen_digest`)."""
    # Only the round's own row: locking the joined call would queue every other department's
    # decisions and ranking behind this one.
    review = (DistrictReview.objects.select_for_update(of=("self",)).select_related("call")
              .filter(application=locked, department_id=department_id, status=R.DRAFT)
              .order_by("-round").first())
    if review is None:
        raise ReviewError("请先填写并保存审查意见。")
    if problems := problems_of(review, outcome):
        raise ReviewError("尚不能作出结论：" + "".join(problems))
    snapshot = application_snapshot(locked)
    digest = snapshot_digest(snapshot)
    if seen_digest and seen_digest != digest:
        raise ReviewError("申报内容在您审阅后发生了变化，请重新打开审查页面核对后再作结论。")
    detailed = application_with_details(Application.objects).get(pk=locked.pk)
    return review, {"outcome": outcome, "decided_at": timezone.now(), "official": actor,
                    "snapshot": snapshot, "snapshot_sha256": digest,
                    "package_hash": document_content_hash(detailed, "package")}


def review_decide(*, application: Application, actor, outcome: str,
                  seen_digest: str = "") -> DistrictReview:
    """Decides the current round's draft (save it first with `review_save_draft`):
    退回修改 (`returned`: the unit is told its reasons and date at once), 不予推荐
    (`not_recommended`) or 推荐 (`recommended`: ranked last among the department's
    recommendations for the call). The round keeps the snapshot of the content and files the
    decision was made on; `seen_digest`, when given, is the snapshot digest of the page the
    official read, and a decision on content that changed since is refused.

    Returns the decided round. Raises PermissionDenied or ReviewError (Chinese)."""
    outcome = ReviewOutcome(outcome)
    _ensure_may_review(application, actor)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != S.SUBMITTED:
            raise ReviewError(f"申报当前状态为“{locked.get_status_display()}”，不能再作出初审结论。")
        _ensure_batch_open(locked)
        review, changes = draft_to_decide(
            locked, department_id=locked.routed_department_id, actor=actor, outcome=outcome,
            seen_digest=seen_digest, problems_of=decision_problems)
        try:
            if outcome == ReviewOutcome.RETURNED:
                application_services.application_return(
                    application=locked, actor=actor, reason=review.applicant_reasons,
                    resubmit_by=review.resubmit_by)
            else:
                reason = (review.applicant_reasons if outcome == ReviewOutcome.NOT_RECOMMENDED
                          else "")
                application_services.application_decide(
                    application=locked, actor=actor, move_name=OUTCOME_MOVES[outcome],
                    reason=reason)
            if outcome == ReviewOutcome.RECOMMENDED:
                changes["rank"] = _next_rank(review)
            decided = perform_transition(
                workflow=REVIEW_WORKFLOW, obj=review, move_name=OUTCOME_MOVES[outcome],
                actor=actor, changes=changes,
                reason=review.applicant_reasons if outcome != ReviewOutcome.RECOMMENDED else "")
        except TransitionNotAllowed as error:
            raise ReviewError(str(error)) from None
        if outcome == ReviewOutcome.RETURNED:
            notify_return(decided)
    return decided


def notify_return(review: DistrictReview, *, department_name: str | None = None) -> None:
    """第九条（二）: the unit learns of a return at once, with its own reasons and date, from
    the 主管部门 it went to (or `department_name`: the commission's 形式审查); the internal
    note is not part of the notice."""
    application = (Application.objects.select_related("call", "organisation",
                                                      "routed_department")
                   .get(pk=review.application_id))
    department = ({"name": department_name} if department_name
                  else application.routed_department)
    link = reverse("applications:detail", args=[application.pk])
    for recipient in application_services.organisation_members(application.organisation_id):
        notify(recipient=recipient, purpose="application_returned", link=link,
               context={"application": application, "reasons": review.applicant_reasons,
                        "resubmit_by": review.resubmit_by, "department": department})


def reviews_return_many(*, applications: list[Application], actor) -> list[tuple]:
    """退回修改 of several applications at once: each is returned with the reasons and date of
    its own saved draft, so each unit reads only its own. Returns [(application, error or
    None)] in the given order; one refusal does not stop the others."""
    outcomes = []
    for application in applications:
        try:
            review_decide(application=application, actor=actor,
                          outcome=ReviewOutcome.RETURNED)
        except (ReviewError, PermissionDenied) as error:
            outcomes.append((application, str(error)))
        else:
            outcomes.append((application, None))
    return outcomes


# --- ranks (择优推荐) ------------------------------------------------------------------------


def _lock_ranking(department_id: int, call_id: int) -> list[DistrictReview]:
    """Locks the department's recommendation list for the call, then its recommended rounds;
    returns them by rank. Called inside a transaction."""
    RecommendationList.objects.get_or_create(department_id=department_id, call_id=call_id)
    RecommendationList.objects.select_for_update().get(department_id=department_id,
                                                       call_id=call_id)
    return list(DistrictReview.objects.select_for_update()
                .filter(department_id=department_id, call_id=call_id,
                        status=R.DECIDED, outcome=ReviewOutcome.RECOMMENDED)
                .order_by("rank", "pk"))


def _next_rank(review: DistrictReview) -> int:
    return len(_lock_ranking(review.department_id, review.call_id)) + 1


def recommendation_move(*, review: DistrictReview, actor, direction: str) -> DistrictReview:
    """Moves a recommendation one place up (`up`: towards 1) or down (`down`) among its
    department's recommendations for the call. The list is locked for the move, so ranks stay
    unique and gapless (1…n) and two officials reordering at once each see the other's move.
    At the top (or bottom) nothing moves. Raises PermissionDenied or ReviewError."""
    if direction not in ("up", "down"):
        raise ReviewError("请选择上移或下移。")
    if not actor.has_perm("reviews.reorder_recommendations", review):
        raise PermissionDenied("只能调整本部门的推荐排序。")
    from .batches import ensure_batch_open

    with transaction.atomic():
        ensure_batch_open(review.department_id, review.call_id)
        ranked = _lock_ranking(review.department_id, review.call_id)
        position = next((i for i, r in enumerate(ranked) if r.pk == review.pk), None)
        if position is None:
            raise ReviewError("该申报不在本部门的推荐名单中。")
        other = position - 1 if direction == "up" else position + 1
        if not 0 <= other < len(ranked):
            return ranked[position]
        ranked[position], ranked[other] = ranked[other], ranked[position]
        before = {"rank": position + 1}
        _write_ranks(ranked)
        moved = ranked[other]
        audit_record(action="district_review.reorder", actor=actor, target=moved,
                     before=before, after={"rank": other + 1,
                                           "order": [r.application_id for r in ranked]})
    return moved


def _write_ranks(ranked: list[DistrictReview]) -> None:
    """Gives `ranked` the ranks 1…n in their list order; rows whose rank changes are first
    cleared, so the unique (department, call, rank) never sees two rows on one place."""
    changed = [r for i, r in enumerate(ranked, start=1) if r.rank != i]
    DistrictReview.objects.filter(pk__in=[r.pk for r in changed]).update(rank=None)
    for i, r in enumerate(ranked, start=1):
        if r in changed:
            r.rank = i
            DistrictReview.objects.filter(pk=r.pk).update(rank=i)
