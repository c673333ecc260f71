"""评价指标体系: the versioned indicator table that drives the self-evaluation form, the expert
sheet and the grade (第十七条)."""

from decimal import Decimal

from django.db import transaction

from .enums import DEFAULT_HARD_RULES, ProgressFigure
from .models import Indicator, IndicatorTable

DEFAULT_TABLE_NAME = "赋能中心运行评估评价指标"

# (name, points, what it assesses, evidence it needs, figure that pre-fills it). Points sum to
# 100; they follow what the measures ask of a center (第七条, 第十二条, 第十四条).
DEFAULT_INDICATORS = (
    ("建设目标完成情况", Decimal("25"), "对照申报书五、建设目标，评价关键技术突破、应用场景落地、"
     "行业解决方案、相关有效专利的完成进度。", "成果证明材料、专利证书、验收材料。",
     ProgressFigure.TARGETS),
    ("企业服务成效", Decimal("25"), "服务企业数量、数字化诊断书和解决方案的数量与质量。",
     "服务合同、诊断书、企业评价。", ProgressFigure.ENTERPRISES),
    ("培训与行业研究", Decimal("15"), "开展数字化转型培训、形成行业诊断咨询报告情况。",
     "培训通知、签到表、报告文本。", ProgressFigure.TRAININGS),
    ("数字化转型项目", Decimal("15"), "带动实施数字化转型项目的数量、金额与验收情况。",
     "项目合同、验收证明。", ProgressFigure.PROJECTS),
    ("运行管理与数据安全", Decimal("10"), "运行管理制度、数据安全责任落实、变更按时报告。",
     "管理制度、数据安全自查报告。", ""),
    ("资源投入与可持续发展", Decimal("10"), "人员、资金、平台投入及可持续运营能力。",
     "财务报表、人员名单。", ""),
)


def table_install_default(*, actor, name: str = DEFAULT_TABLE_NAME) -> IndicatorTable:
    """A new version of the default table named `name` (version = highest + 1) with
    DEFAULT_INDICATORS, thresholds 90/75/60 and DEFAULT_HARD_RULES."""
    with transaction.atomic():
        latest = (IndicatorTable.objects.select_for_update().filter(name=name)
                  .order_by("-version").first())
        table = IndicatorTable.objects.create(
            name=name, version=(latest.version + 1) if latest else 1,
            hard_rules=list(DEFAULT_HARD_RULES), created_by=actor)
        Indicator.objects.bulk_create(
            Indicator(table=table, order=i, name=n, weight=w, description=d,
                      evidence_required=e, figure=f)
            for i, (n, w, d, e, f) in enumerate(DEFAULT_INDICATORS, start=1))
    return table
