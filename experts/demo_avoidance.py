"""Demo data of 回避 (run by `manage.py seed_demo` after the roster exists): a demo application
past the district review with two 回避申请, one accepted and matched to a roster expert (when
the roster has one), one pending, and one conflict pinned by the commission. Idempotent; does
nothing when there is no such application or no commission account."""

from accounts.models import User
from applications.models import Application, AvoidanceRequest

from .avoidance import RULABLE_STATUSES, avoidance_ruling_decide, conflict_ruling_record
from .enums import AvoidanceStatus, ConflictRulingKind
from .models import ConflictRuling, Expert


def seed_avoidance() -> None:
    commission = User.objects.filter(username="commission").first()
    # One no round holds yet: its accepted 回避申请 and pinned conflict then decide who may be
    # assigned to it, rather than contradicting assignments already made.
    application = (Application.objects.filter(status__in=RULABLE_STATUSES,
                                              round_entries__isnull=True)
                   .order_by("pk").first())
    if commission is None or application is None:
        return
    experts = list(Expert.objects.order_by("pk")[:2])
    if not AvoidanceRequest.objects.filter(application=application).exists():
        # Written as the unit filled them in before submitting (the form's service refuses an
        # application past editing, as it should).
        first = experts[0] if experts else None
        AvoidanceRequest.objects.create(
            application=application,
            expert_name=first.name if first else "李建国",
            expert_employer=first.employer_name if first else "青岛某竞争企业研究院",
            reason="该专家所在单位与本单位在同一细分市场直接竞争，近两年曾参与竞标。")
        AvoidanceRequest.objects.create(
            application=application, expert_name="王立新", expert_employer="青岛智造咨询有限公司",
            reason="该专家曾为本单位提供有偿咨询服务，与本单位存在经济往来。")
    accepted = AvoidanceRequest.objects.filter(application=application).order_by("pk").first()
    if experts and not hasattr(accepted, "ruling"):
        avoidance_ruling_decide(request=accepted, actor=commission,
                                status=AvoidanceStatus.ACCEPTED, expert=experts[0],
                                reason="经核实，该专家所在单位与申报单位存在直接竞争关系。")
    pinned = experts[-1] if experts else None
    if pinned is not None and not ConflictRuling.objects.filter(
            application=application).exists():
        conflict_ruling_record(expert=pinned, application=application, actor=commission,
                               kind=ConflictRulingKind.PINNED,
                               reason="该专家近期参与过申报单位的项目验收，认定回避。")
