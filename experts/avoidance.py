"""The commission's rulings on conflicts of interest (回避): on each expert an applicant named in
its 回避申请 (`AvoidanceRuling`), and on a pair of expert and application (`ConflictRuling`:
pinned, or a suggested conflict dismissed). 第九条（三）: the commission organises the expert
review and keeps it fair; both rulings are official acts, once each, audited.

An accepted 回避申请 and a pinned conflict are hard conflicts from then on (experts.conflicts
reads them); a dismissal only clears a suggestion (experts.suggestions), never a hard conflict.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from applications.models import Application, AvoidanceRequest
from core.audit import audit_record

from .enums import AvoidanceStatus, ConflictRulingKind
from .models import AvoidanceRuling, ConflictRuling, Expert

# The applications whose 回避申请 the commission rules on: past the district's review or the
# commission's 形式审查, so the applicant can no longer change them (第九条（三）).
RULABLE_STATUSES = ("recommended", "formal_passed", "expert_review", "proposed", "not_proposed")


class RulingError(Exception):
    """A refusal the commission's staff read; the message is in Chinese."""


def _ensure_may_rule(actor) -> None:
    if not actor.has_perm("experts.rule_conflicts"):
        raise PermissionDenied("只有市发展改革委工作人员可以审核回避事项。")


def avoidance_ruling_decide(*, request: AvoidanceRequest, actor, status: str,
                            expert: Expert | None = None, reason: str = "") -> AvoidanceRuling:
    """Rules once on one expert named in a 回避申请: `status` AvoidanceStatus.ACCEPTED (then
    `expert`, the roster expert the applicant meant, is required: the pair becomes a hard
    conflict) or REJECTED (then `reason` is required; the applicant reads it). A second ruling
    on the same request is refused (RulingError), so a double click decides nothing twice.
    Raises RulingError (Chinese) or PermissionDenied. Audited as avoidance_ruling.decide."""
    _ensure_may_rule(actor)
    reason = (reason or "").strip()
    if status not in (AvoidanceStatus.ACCEPTED, AvoidanceStatus.REJECTED):
        raise RulingError("请选择“同意回避”或“不同意回避”。")
    if status == AvoidanceStatus.ACCEPTED and expert is None:
        raise RulingError("同意回避须选择专家库中对应的专家。")
    if status == AvoidanceStatus.REJECTED and not reason:
        raise RulingError("不同意回避须填写理由。")
    if status == AvoidanceStatus.REJECTED:
        expert = None
    with transaction.atomic():
        locked = (AvoidanceRequest.objects.select_for_update()
                  .select_related("application").get(pk=request.pk))
        if AvoidanceRuling.objects.filter(request=locked).exists():
            raise RulingError("该回避申请已审核，不能重复审核。")
        if locked.application.status not in RULABLE_STATUSES:
            raise RulingError("该申报尚未进入市发展改革委评审阶段，暂不能审核回避申请。")
        try:
            with transaction.atomic():
                ruling = AvoidanceRuling.objects.create(request=locked, status=status,
                                                        expert=expert, reason=reason,
                                                        decided_by=actor)
        except IntegrityError:
            raise RulingError("该回避申请已审核，不能重复审核。") from None
        audit_record(action="avoidance_ruling.decide", actor=actor, target=locked.application,
                     after={"request": locked.pk, "status": status,
                            "expert": expert.pk if expert else None},
                     note=f"回避申请审核：{AvoidanceStatus(status).label}")
    return ruling


def conflict_ruling_record(*, expert: Expert, application: Application, actor, kind: str,
                           reason: str) -> ConflictRuling:
    """The commission's ruling on one expert × application: ConflictRulingKind.PINNED (a hard
    conflict from then on) or DISMISSED (a suggested conflict looked at and cleared; it lifts
    no hard conflict). `reason` is required. One ruling per pair: a second is refused
    (RulingError). Raises RulingError (Chinese) or PermissionDenied. Audited as
    conflict_ruling.pin / conflict_ruling.dismiss."""
    _ensure_may_rule(actor)
    reason = (reason or "").strip()
    if kind not in (ConflictRulingKind.PINNED, ConflictRulingKind.DISMISSED):
        raise RulingError("请选择“认定回避”或“排除疑似冲突”。")
    if not reason:
        raise RulingError("请填写认定理由。")
    with transaction.atomic():
        Expert.objects.select_for_update().only("pk").get(pk=expert.pk)
        if ConflictRuling.objects.filter(expert=expert, application=application).exists():
            raise RulingError("该专家与该申报的回避事项已认定，不能重复认定。")
        try:
            with transaction.atomic():
                ruling = ConflictRuling.objects.create(expert=expert, application=application,
                                                       kind=kind, reason=reason,
                                                       decided_by=actor)
        except IntegrityError:
            raise RulingError("该专家与该申报的回避事项已认定，不能重复认定。") from None
        action = ("conflict_ruling.pin" if kind == ConflictRulingKind.PINNED
                  else "conflict_ruling.dismiss")
        audit_record(action=action, actor=actor, target=application,
                     after={"expert": expert.pk, "kind": kind},
                     note=f"{ConflictRulingKind(kind).label}：{expert.name}")
    return ruling


AUDIT_ACTION_LABELS = {
    "avoidance_ruling.decide": "审核回避申请",
    "conflict_ruling.pin": "认定专家回避",
    "conflict_ruling.dismiss": "排除疑似利益冲突",
}
