from django.db import models


class MembershipStatus(models.TextChoices):
    """第四条: the committee is adjusted over time (动态调整); a member's status is kept as history."""

    ACTIVE = "active", "在库"
    SUSPENDED = "suspended", "暂停"
    LEFT = "left", "退出"


class TieKind(models.TextChoices):
    """An expert's declared relation with a unit (回避 source, structured, never fuzzy)."""

    EMPLOYMENT = "employment", "任职"
    CONSULTING = "consulting", "咨询、顾问或兼职"
    RELATIVE = "relative", "近亲属在该单位任职或持股"
    OTHER = "other", "其他利害关系"


# Ties that count only within the look-back window (TIE_LOOKBACK_MONTHS); the others count while
# they last.
DATED_TIE_KINDS = (TieKind.EMPLOYMENT, TieKind.CONSULTING)
TIE_LOOKBACK_MONTHS = 36


class RoundPurpose(models.TextChoices):
    """What a round scores: the applications of a call (第九条（三）) or, for the yearly
    evaluation (第十七条), the designated centers in an evaluation cycle (each entered by the
    application it was designated from)."""

    APPLICATION = "application", "申报评审"
    EVALUATION = "evaluation", "运行评价"


class RoundKind(models.TextChoices):
    MATERIAL = "material", "材料评审"
    SITE_VISIT = "site_visit", "现场考察"


class Aggregation(models.TextChoices):
    MEAN = "mean", "算术平均"
    TRIMMED_MEAN = "trimmed_mean", "去掉一个最高分和一个最低分后平均（不少于5份）"
    MEDIAN = "median", "中位数"


class RoundStatus(models.TextChoices):
    PREPARING = "preparing", "准备中"
    OPEN = "open", "评审中"
    CLOSED = "closed", "已结束"


class ConflictSource(models.TextChoices):
    """Why an expert may not review an application (回避). Every source is a hard conflict."""

    EMPLOYER = "employer", "专家工作单位为承建或联合承建单位"
    TIE = "tie", "专家申报的关联关系（36个月内）"
    DECLARED = "declared", "专家申报的利益冲突"
    PREPARED = "prepared", "专家参与编制申报材料"
    AVOIDANCE = "avoidance", "申报单位回避申请（已同意）"
    PINNED = "pinned", "市发展改革委认定"
    RECUSED = "recused", "专家主动回避"


class ConflictRulingKind(models.TextChoices):
    PINNED = "pinned", "认定回避"
    DISMISSED = "dismissed", "排除疑似冲突"


class AvoidanceStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    ACCEPTED = "accepted", "同意回避"
    REJECTED = "rejected", "不同意回避"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "待确认承诺"
    COMMITTED = "committed", "已确认承诺"
    RECUSED = "recused", "已回避"
    WITHDRAWN = "withdrawn", "已撤回分配"


# Assignments that occupy a slot of the round (counted towards experts per application).
ACTIVE_ASSIGNMENT_STATUSES = (AssignmentStatus.ASSIGNED, AssignmentStatus.COMMITTED)


class AssignmentMethod(models.TextChoices):
    MANUAL = "manual", "手工分配"
    AUTOMATIC = "automatic", "自动分配"


class SheetStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"


class SiteVerdict(models.TextChoices):
    PASS = "pass", "符合"
    CONDITIONAL = "conditional", "基本符合"
    FAIL = "fail", "不符合"


class ProposedListStatus(models.TextChoices):
    DRAFT = "draft", "拟定中"
    FROZEN = "frozen", "已确定"
