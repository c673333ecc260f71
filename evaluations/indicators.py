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


# --- checks and changes (第十七条: the table is fixed once a cycle using it opens) -------------

TOTAL_POINTS = Decimal("100")
FROZEN_REFUSAL = ("该指标体系已被启动的评价年度使用，不能再修改；如需调整，请生成新版本"
                  "（已启动的评价继续按原版本执行）。")


def table_is_locked(table: IndicatorTable) -> bool:
    """True once a cycle using `table` has opened (frozen_at set, or any of its cycles past
    筹备中): from then on the table never changes, a change is a new version."""
    from .enums import CycleStatus

    if table.pk is None:
        return False
    return table.frozen_at is not None or table.cycles.exclude(
        status=CycleStatus.DRAFT).exists()


def table_change_refuse(table: IndicatorTable) -> None:
    """Raises EvaluationError (FROZEN_REFUSAL) when `table` may no longer change."""
    from .errors import EvaluationError

    if table_is_locked(table):
        raise EvaluationError(FROZEN_REFUSAL)


def thresholds_problem(excellent_from, good_from, pass_from) -> str:
    """The Chinese message why thresholds (points on 0–100) are unusable, "" when they are
    usable: 0 < 合格 < 良好 < 优秀 ≤ 100."""
    if None in (excellent_from, good_from, pass_from):
        return "请填写优秀、良好、合格的起点分数。"
    if not (Decimal("0") < pass_from < good_from < excellent_from <= TOTAL_POINTS):
        return "等级起点须满足：0 < 合格起点 < 良好起点 < 优秀起点 ≤ 100。"
    return ""


def hard_rules_problem(hard_rules) -> str:
    """The Chinese message why `hard_rules` is not a list of enums.HardRule values, or ""."""
    from .enums import HardRule

    if not isinstance(hard_rules, list | tuple):
        return "直接评为不合格的情形须从列表中选择。"
    unknown = [rule for rule in hard_rules if rule not in HardRule.values]
    if unknown:
        return "直接评为不合格的情形须从列表中选择。"
    if len(set(hard_rules)) != len(hard_rules):
        return "直接评为不合格的情形不能重复。"
    return ""


def weights_problem(weights) -> str:
    """The Chinese message why indicator weights (Decimals, points) do not make a table, or
    "": at least one indicator, each above 0, together exactly 100."""
    weights = [Decimal(w) for w in weights]
    if not weights:
        return "指标体系至少应有一项指标。"
    if any(w <= 0 for w in weights):
        return "每项指标的分值须大于0。"
    total = sum(weights, Decimal("0"))
    if total != TOTAL_POINTS:
        return f"各项指标分值合计须为100分，当前合计{total.normalize():f}分。"
    return ""


def table_problems(table: IndicatorTable) -> list[str]:
    """Every reason `table` cannot drive a cycle (Chinese), [] when it can: its weights, its
    thresholds and its hard rules."""
    problems = [weights_problem(table.indicators.values_list("weight", flat=True)),
                thresholds_problem(table.excellent_from, table.good_from, table.pass_from),
                hard_rules_problem(table.hard_rules)]
    return [p for p in problems if p]


def table_settings_save(*, table: IndicatorTable, actor, excellent_from: Decimal,
                        good_from: Decimal, pass_from: Decimal,
                        hard_rules) -> IndicatorTable:
    """Sets the grade thresholds (points, 0 < pass < good < excellent ≤ 100) and the hard
    rules (enums.HardRule values) of a table not yet used by an opened cycle. Raises
    PermissionDenied (not commission staff), EvaluationError (locked, bad values). Audited
    (`indicator_table.settings`)."""
    from django.core.exceptions import PermissionDenied

    from core.audit import audit_record

    from .errors import EvaluationError

    if not actor.has_perm("evaluations.manage_cycle"):
        raise PermissionDenied("只有市发展改革委工作人员可以修改评价指标体系。")
    hard_rules = list(hard_rules or [])
    problem = (thresholds_problem(excellent_from, good_from, pass_from)
               or hard_rules_problem(hard_rules))
    if problem:
        raise EvaluationError(problem)
    with transaction.atomic():
        locked = IndicatorTable.objects.select_for_update().get(pk=table.pk)
        table_change_refuse(locked)
        before = {"excellent_from": str(locked.excellent_from),
                  "good_from": str(locked.good_from), "pass_from": str(locked.pass_from),
                  "hard_rules": locked.hard_rules}
        locked.excellent_from, locked.good_from, locked.pass_from = (
            excellent_from, good_from, pass_from)
        locked.hard_rules = hard_rules
        locked.save(update_fields=["excellent_from", "good_from", "pass_from", "hard_rules"])
        audit_record(action="indicator_table.settings", actor=actor, target=locked,
                     before=before,
                     after={"excellent_from": str(excellent_from), "good_from": str(good_from),
                            "pass_from": str(pass_from), "hard_rules": hard_rules})
    return locked


def indicators_replace(*, table: IndicatorTable, actor, rows) -> list[Indicator]:
    """Replaces the indicators of a table not yet used by an opened cycle with `rows`, each a
    dict of name, weight (points, Decimal), description, evidence_required, figure (an
    enums.ProgressFigure value or ""), in order; the weights must sum to 100. Raises
    PermissionDenied, EvaluationError (locked, weights, empty names). Audited
    (`indicator_table.indicators`)."""
    from django.core.exceptions import PermissionDenied

    from core.audit import audit_record

    from .errors import EvaluationError

    if not actor.has_perm("evaluations.manage_cycle"):
        raise PermissionDenied("只有市发展改革委工作人员可以修改评价指标体系。")
    rows = list(rows)
    if any(not (row.get("name") or "").strip() for row in rows):
        raise EvaluationError("请填写每项指标的名称。")
    problem = weights_problem([row["weight"] for row in rows])
    if problem:
        raise EvaluationError(problem)
    with transaction.atomic():
        locked = IndicatorTable.objects.select_for_update().get(pk=table.pk)
        table_change_refuse(locked)
        before = list(locked.indicators.values_list("name", "weight"))
        locked.indicators.all().delete()
        made = Indicator.objects.bulk_create(
            Indicator(table=locked, order=i, name=row["name"].strip(),
                      weight=Decimal(row["weight"]),
                      description=row.get("description", ""),
                      evidence_required=row.get("evidence_required", ""),
                      figure=row.get("figure", "") or "")
            for i, row in enumerate(rows, start=1))
        audit_record(action="indicator_table.indicators", actor=actor, target=locked,
                     before={"indicators": [[n, str(w)] for n, w in before]},
                     after={"indicators": [[m.name, str(m.weight)] for m in made]})
    return made


def table_new_version(*, table: IndicatorTable, actor) -> IndicatorTable:
    """A new, editable version of `table` (same name, version = highest + 1) with a copy of
    its indicators, thresholds and hard rules: how a locked table is changed. Raises
    PermissionDenied. Audited (`indicator_table.new_version`)."""
    from django.core.exceptions import PermissionDenied

    from core.audit import audit_record

    if not actor.has_perm("evaluations.manage_cycle"):
        raise PermissionDenied("只有市发展改革委工作人员可以生成指标体系新版本。")
    with transaction.atomic():
        latest = (IndicatorTable.objects.select_for_update().filter(name=table.name)
                  .order_by("-version").first())
        fresh = IndicatorTable.objects.create(
            name=table.name, version=latest.version + 1, excellent_from=table.excellent_from,
            good_from=table.good_from, pass_from=table.pass_from,
            hard_rules=list(table.hard_rules or []), created_by=actor)
        Indicator.objects.bulk_create(
            Indicator(table=fresh, order=i.order, name=i.name, description=i.description,
                      evidence_required=i.evidence_required, weight=i.weight, figure=i.figure)
            for i in table.indicators.order_by("order", "pk"))
        audit_record(action="indicator_table.new_version", actor=actor, target=fresh,
                     before={"table": table.pk, "version": table.version},
                     after={"table": fresh.pk, "version": fresh.version})
    return fresh
