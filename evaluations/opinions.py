"""Industry authorities' opinions on the centers of an evaluation cycle (第十七条: 会同各有关部门):
staff of an authority invited to the cycle read its materials and results and give one opinion
per center on behalf of their authority; the commission reads them beside the expert scores."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.enums import Role
from accounts.selectors import user_department_ids
from core.audit import audit_record

from .enums import CycleStatus
from .errors import EvaluationError
from .models import Evaluation, EvaluationOpinion

OPINION_MAX_CHARS = 4000
# Once the grades are confirmed, the opinions are part of the record.
OPINION_CLOSED_STATUSES = (CycleStatus.CONFIRMED, CycleStatus.PUBLISHED)


def invited_department_id(user, cycle) -> int | None:
    """The user's industry authority invited to `cycle` (the lowest id if several), or None."""
    mine = user_department_ids(user, Role.INDUSTRY_STAFF)
    if not mine:
        return None
    invited = set(cycle.invited_authorities.filter(pk__in=mine).values_list("pk", flat=True))
    return min(invited) if invited else None


def opinion_save(*, evaluation: Evaluation, actor, text: str) -> EvaluationOpinion:
    """Saves (creates or replaces) the actor's invited authority's opinion on `evaluation`
    (one per authority and center; text 1–OPINION_MAX_CHARS characters, stripped). Refused
    once the cycle's grades are confirmed. Audited (`evaluation.opinion_save`, before/after
    text). Returns the opinion. Raises PermissionDenied (not staff of an authority invited to
    the cycle), EvaluationError (empty or too long text, grades confirmed)."""
    if actor is None or not actor.has_perm("evaluations.give_opinion", evaluation):
        raise PermissionDenied("只有会同评价的行业主管部门工作人员可以填写评价意见。")
    text = (text or "").strip()
    if not text:
        raise EvaluationError("请填写评价意见。")
    if len(text) > OPINION_MAX_CHARS:
        raise EvaluationError(f"评价意见不能超过{OPINION_MAX_CHARS}字。")
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().select_related("cycle").get(
            pk=evaluation.pk)
        if locked.cycle.status in OPINION_CLOSED_STATUSES:
            raise EvaluationError("等级已确认，评价意见不能再修改。")
        department_id = invited_department_id(actor, locked.cycle)
        existing = EvaluationOpinion.objects.filter(evaluation=locked,
                                                    department_id=department_id).first()
        before = existing.text if existing else ""
        if existing is None:
            opinion = EvaluationOpinion.objects.create(
                evaluation=locked, department_id=department_id, author=actor, text=text)
        else:
            existing.text, existing.author = text, actor
            existing.save(update_fields=["text", "author", "updated_at"])
            opinion = existing
        audit_record(action="evaluation.opinion_save", actor=actor, target=locked,
                     before={"text": before} if existing else None,
                     after={"department": department_id, "text": text})
    return opinion
