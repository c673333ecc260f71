"""Rubrics: the default of 第七条（二）–（七） and the rule that weights sum to 100."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .models import Criterion, ReviewRound

# 第七条（二）–（七）, plus the feasibility of the plan and the soundness of its targets:
# (name, what the expert looks at, maximum score, weight in %).
DEFAULT_RUBRIC = (
    ("专业基础与团队经费保障", "第七条（二）：专业技术团队、场地设施和运行经费保障。", 10, 12),
    ("数字化转型服务能力", "第七条（三）：诊断咨询、解决方案供给和服务案例。", 10, 16),
    ("产业带动能力", "第七条（四）：对产业链上下游企业数字化转型的带动作用。", 10, 14),
    ("技术攻关能力", "第七条（五）：关键共性技术攻关与成果转化。", 10, 12),
    ("智库支撑服务能力", "第七条（六）：行业研究、政策咨询和诊断咨询报告。", 10, 10),
    ("产学研用合作与市场化运作能力", "第七条（七）：合作机制与市场化运营模式。", 10, 12),
    ("建设方案可行性", "建设内容、推进计划、组织与资金保障是否可行。", 10, 14),
    ("建设目标合理性", "三年建设目标是否明确、量化、可考核。", 10, 10),
)
WEIGHT_TOTAL = Decimal("100")


class RubricError(Exception):
    """A rubric change refused (Chinese message): weights not summing to 100, or frozen."""


def weights_problem(weights) -> str:
    """"" when `weights` (Decimals, in %) sum to exactly 100; else the Chinese message."""
    total = sum((Decimal(w) for w in weights), Decimal("0"))
    if total != WEIGHT_TOTAL:
        return f"各评分项权重之和须为100，当前为{total.normalize():f}。"
    return ""


def rubric_install_default(round_: ReviewRound) -> list[Criterion]:
    """Gives a round without criteria the default rubric (DEFAULT_RUBRIC); a round that has
    criteria keeps them. Returns the round's criteria in order."""
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=round_.pk)
        if not locked.criteria.exists():
            Criterion.objects.bulk_create(
                Criterion(round=locked, order=i, name=name, description=description,
                          max_score=Decimal(maximum), weight=Decimal(weight))
                for i, (name, description, maximum, weight) in enumerate(DEFAULT_RUBRIC, 1))
    return list(round_.criteria.order_by("order"))


def rubric_freeze(round_: ReviewRound) -> None:
    """Freezes the round's rubric when its first sheet is opened (idempotent)."""
    ReviewRound.objects.filter(pk=round_.pk, rubric_frozen_at__isnull=True).update(
        rubric_frozen_at=timezone.now())
