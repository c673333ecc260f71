"""The words of the yearly evaluation (第十六至十八条) and of revocation (第十七条)."""

from decimal import Decimal

from django.db import models


class Grade(models.TextChoices):
    """第十七条: 评价结果分为优秀、良好、合格和不合格."""

    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


# Default thresholds of a new indicator table, on the weighted total 0–100 (editable before a
# cycle using the table opens).
DEFAULT_EXCELLENT_FROM = Decimal("90")
DEFAULT_GOOD_FROM = Decimal("75")
DEFAULT_PASS_FROM = Decimal("60")


class HardRule(models.TextChoices):
    """Rules of an indicator table that force 不合格 whatever the score."""

    MATERIALS_NOT_SUBMITTED = "materials_not_submitted", "未按期报送评价材料"
    FALSE_MATERIALS = "false_materials", "经查实提供虚假材料、数据"
    CHANGE_REPORT_OVERDUE = "change_report_overdue", "评价期内重大变更逾期未报告"


DEFAULT_HARD_RULES = [HardRule.MATERIALS_NOT_SUBMITTED.value, HardRule.FALSE_MATERIALS.value]


class ProgressFigure(models.TextChoices):
    """A service figure of centers.progress that pre-fills an indicator's self-evaluation."""

    ENTERPRISES = "enterprises", "服务企业数（家）"
    TRAININGS = "trainings", "开展培训（场）"
    PARTICIPANTS = "participants", "培训人次"
    DIAGNOSES = "diagnoses", "出具数字化诊断书（份）"
    SOLUTIONS = "solutions", "形成解决方案（个）"
    REPORTS = "reports", "行业诊断咨询报告（份）"
    PROJECTS = "projects", "数字化转型项目（个）"
    PROJECTS_ACCEPTED = "projects_accepted", "已验收项目（个）"
    PROJECT_AMOUNT = "project_amount", "项目金额（万元）"
    TARGETS = "targets", "建设目标完成情况"


class CycleStatus(models.TextChoices):
    """An evaluation cycle's course: set up, open for materials, graded, published."""

    DRAFT = "draft", "筹备中"
    OPEN = "open", "材料报送中"
    SCORING = "scoring", "评估评分中"
    CONFIRMED = "confirmed", "等级已确认"
    PUBLISHED = "published", "结果已公布"


class EvaluationStatus(models.TextChoices):
    """One center's materials in a cycle (第十八条): the center submits; its 主管部门 may return
    them once for correction before its deadline, then forwards its 审查意见."""

    PENDING = "pending", "待报送"
    SUBMITTED = "submitted", "已报送待初审"
    RETURNED = "returned", "退回修改"
    FORWARDED = "forwarded", "初审意见已报送"


# Reminders before the materials deadline to centers that have not submitted (calendar days),
# and before the 主管部门's deadline to its officials.
MATERIALS_REMINDER_DAYS = (7, 3, 1)
DISTRICT_REMINDER_DAYS = (3, 1)


class RevocationGround(models.TextChoices):
    """第十七条: the grounds of 撤销资格."""

    TWO_FAILS = "two_fails", "连续两次评价不合格"
    MATERIALS_OVERDUE = "materials_overdue", "逾期未报送评价材料"
    FALSE_MATERIALS = "false_materials", "提供虚假材料、数据或有其他弄虚作假行为"
    SELF_REQUEST = "self_request", "获评单位自行要求撤销"
    TERMINATED = "terminated", "获评单位被依法终止"
    SERIOUS_VIOLATION = "serious_violation", "司法、行政机关认定的严重违法失信行为或引发重大负面影响"


class RevocationStatus(models.TextChoices):
    """A revocation is a fair administrative act: proposed on a ground, told to the center, open
    to its 陈述申辩, then decided (revoked or dropped with a reason) and, if revoked, published."""

    PROPOSED = "proposed", "拟撤销"
    NOTIFIED = "notified", "已告知待陈述申辩"
    STATED = "stated", "已陈述申辩"
    REVOKED = "revoked", "已撤销"
    DROPPED = "dropped", "不予撤销"


OPEN_REVOCATION_STATUSES = (RevocationStatus.PROPOSED, RevocationStatus.NOTIFIED,
                            RevocationStatus.STATED)

# 陈述申辩: the center states its case within this many working days of being told.
STATEMENT_WORKING_DAYS = 10


class RevocationFileKind(models.TextChoices):
    EVIDENCE = "evidence", "证据材料"
    DECISION = "decision", "司法、行政机关认定文书"
    REQUEST = "request", "法定代表人签字的撤销申请"
    STATEMENT = "statement", "陈述申辩材料"
