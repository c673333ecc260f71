"""Yearly evaluation (第十六至十八条) and revocation (第十七条).

An `IndicatorTable` (versioned; weights sum to 100; grade thresholds and hard rules) drives an
`EvaluationCycle`: one `Evaluation` per center in scope holds the center's 运行自评估报告 and
`SelfScore`s, its 主管部门's 初审意见 (forwarded as a `DistrictForwarding` batch), the expert
aggregate (the cycle's `experts.ReviewRound`) and the grade the commission confirms. A 不合格
grade carries a `Bulletin` (通报). A `Revocation` is proposed on one ground, told to the center,
open to its statement, decided and published; nothing is deleted.
"""

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from centers.models import EvidenceFile

from .enums import (
    DEFAULT_EXCELLENT_FROM,
    DEFAULT_GOOD_FROM,
    DEFAULT_HARD_RULES,
    DEFAULT_PASS_FROM,
    OPEN_REVOCATION_STATUSES,
    CycleStatus,
    EvaluationStatus,
    Grade,
    ProgressFigure,
    RevocationFileKind,
    RevocationGround,
    RevocationStatus,
)


def evaluation_file_path(instance, filename):
    # The user's file name is kept only as data; the stored name is random.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"evaluations/{instance.__class__.__name__.lower()}/{uuid.uuid4().hex}{suffix}"


class IndicatorTable(models.Model):
    """评价指标体系: indicators whose weights sum to 100, the grade thresholds on the weighted
    total (0–100) and the hard rules (enums.HardRule) that force 不合格. Frozen (`frozen_at`)
    when a cycle using it opens; a change is then a new version."""

    name = models.CharField("名称", max_length=100)
    version = models.PositiveSmallIntegerField("版本", default=1)
    excellent_from = models.DecimalField("优秀起点（分）", max_digits=5, decimal_places=2,
                                         default=DEFAULT_EXCELLENT_FROM)
    good_from = models.DecimalField("良好起点（分）", max_digits=5, decimal_places=2,
                                    default=DEFAULT_GOOD_FROM)
    pass_from = models.DecimalField("合格起点（分）", max_digits=5, decimal_places=2,
                                    default=DEFAULT_PASS_FROM)
    hard_rules = models.JSONField("直接评为不合格的情形", default=list, blank=True,
                                  help_text="enums.HardRule 的取值列表。")
    frozen_at = models.DateTimeField("锁定时间", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "评价指标体系"
        verbose_name_plural = "评价指标体系"
        ordering = ["name", "-version", "-id"]
        constraints = [models.UniqueConstraint(fields=["name", "version"],
                                               name="indicatortable_unique_version")]

    def __str__(self):
        return f"{self.name}（第{self.version}版）"

    @classmethod
    def default_hard_rules(cls):
        return list(DEFAULT_HARD_RULES)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Indicator(models.Model):
    """One indicator: its points (`weight`, the indicator's share of 100, also its full score),
    what it assesses and what evidence it needs; `figure` names the service figure that
    pre-fills the self-evaluation (centers.progress)."""

    table = models.ForeignKey(IndicatorTable, verbose_name="指标体系", on_delete=models.CASCADE,
                              related_name="indicators")
    order = models.PositiveSmallIntegerField("序号", default=1)
    name = models.CharField("指标", max_length=100)
    description = models.TextField("评价要点", blank=True)
    evidence_required = models.TextField("佐证材料要求", blank=True)
    weight = models.DecimalField("分值（权重）", max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    figure = models.CharField("预填数据", max_length=30, choices=ProgressFigure.choices,
                              blank=True)

    class Meta:
        verbose_name = "评价指标"
        verbose_name_plural = "评价指标"
        ordering = ["table", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["table", "order"],
                                               name="indicator_unique_order")]

    def __str__(self):
        return self.name


class EvaluationCycle(models.Model):
    """One year's 运行评估评价 (第十七条): the data window, the indicator table, the deadlines
    of the centers' materials and of the 主管部门's review, the entrusted third-party agency,
    the invited industry authorities (会同) and the expert round that scores it."""

    year = models.PositiveSmallIntegerField("评价年度", unique=True)
    title = models.CharField("名称", max_length=100)
    window_start = models.DateField("数据期起")
    window_end = models.DateField("数据期止")
    table = models.ForeignKey(IndicatorTable, verbose_name="指标体系", on_delete=models.PROTECT,
                              related_name="cycles")
    materials_due = models.DateTimeField("评价材料报送截止时间")
    district_due = models.DateTimeField("主管部门初审截止时间")
    agency = models.ForeignKey("accounts.Department", verbose_name="受托第三方机构",
                               on_delete=models.PROTECT, null=True, blank=True,
                               related_name="entrusted_cycles",
                               limit_choices_to={"kind": "third_party"})
    invited_authorities = models.ManyToManyField(
        "accounts.Department", verbose_name="会同的行业主管部门", blank=True,
        related_name="invited_cycles", limit_choices_to={"kind": "industry_authority"})
    review_round = models.OneToOneField("experts.ReviewRound", verbose_name="专家评分轮次",
                                        on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="evaluation_cycle")
    status = models.CharField("状态", max_length=20, choices=CycleStatus.choices,
                              default=CycleStatus.DRAFT, db_index=True)
    opened_at = models.DateTimeField("启动时间", null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField("等级确认时间", null=True, blank=True, editable=False)
    published_at = models.DateTimeField("结果公布时间", null=True, blank=True, editable=False)
    # Reminder keys already sent (e.g. "district-3"), so a sweep run twice sends nothing more.
    reminders_sent = models.JSONField("已发送的提醒", default=list, blank=True, editable=False)
    # Set once the sweep has handled the passed materials deadline (hard rule, proposals).
    materials_closed_at = models.DateTimeField("材料截止处理时间", null=True, blank=True,
                                               editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "运行评估评价"
        verbose_name_plural = "运行评估评价"
        ordering = ["-year", "-id"]

    def __str__(self):
        return self.title


class Evaluation(models.Model):
    """One center in one cycle: its 运行自评估报告 with the year's figures (snapshot taken at
    submission), its 主管部门's 初审意见, the expert score (weighted total 0–100), the grade
    computed from the table and the grade the commission confirmed (`grade_note` says why when
    it departs from `computed_grade`). `department` is the center's 主管部门 when the cycle
    opened."""

    cycle = models.ForeignKey(EvaluationCycle, verbose_name="评价年度", on_delete=models.PROTECT,
                              related_name="evaluations")
    center = models.ForeignKey("centers.Center", verbose_name="赋能中心",
                               on_delete=models.PROTECT, related_name="evaluations")
    department = models.ForeignKey("accounts.Department", verbose_name="主管部门",
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    status = models.CharField("材料状态", max_length=20, choices=EvaluationStatus.choices,
                              default=EvaluationStatus.PENDING)
    report = models.TextField("运行自评估报告", blank=True)
    figures = models.JSONField("年度数据", default=dict, blank=True, editable=False)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人",
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    returned_at = models.DateTimeField("退回时间", null=True, blank=True, editable=False)
    return_reason = models.TextField("退回修改意见", blank=True)
    district_opinion = models.TextField("主管部门初审意见", blank=True)
    district_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="初审人",
                                             on_delete=models.PROTECT, null=True, blank=True,
                                             related_name="+")
    forwarding = models.ForeignKey("DistrictForwarding", verbose_name="报送批次",
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="evaluations")
    # 查实弄虚作假 (hard rule FALSE_MATERIALS), set by the commission with a note.
    false_materials_found = models.BooleanField("经查实提供虚假材料", default=False)
    false_materials_note = models.TextField("查实情况", blank=True)
    score = models.DecimalField("评分（加权总分）", max_digits=6, decimal_places=2, null=True,
                                blank=True, editable=False)
    hard_rules_hit = models.JSONField("触发的不合格情形", default=list, blank=True,
                                      editable=False)
    computed_grade = models.CharField("计算等级", max_length=20, choices=Grade.choices,
                                      blank=True, editable=False)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True, editable=False)
    grade = models.CharField("确认等级", max_length=20, choices=Grade.choices, blank=True)
    grade_note = models.TextField("确认说明", blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人",
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    # Days-before-deadline of the reminders already sent to the center (7, 3, 1).
    reminders_sent = models.JSONField("已发送的提醒", default=list, blank=True, editable=False)
    version = models.PositiveIntegerField("版本", default=0, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "赋能中心年度评价"
        verbose_name_plural = "赋能中心年度评价"
        ordering = ["cycle", "center__name", "id"]
        constraints = [models.UniqueConstraint(fields=["cycle", "center"],
                                               name="evaluation_once_per_cycle")]
        indexes = [
            models.Index(fields=["cycle", "department", "status"], name="evaluation_dept"),
            models.Index(fields=["center", "cycle"], name="evaluation_center"),
            models.Index(fields=["cycle", "grade"], name="evaluation_grade"),
        ]

    def __str__(self):
        return f"{self.cycle} · {self.center}"


class SelfScore(models.Model):
    """The center's self-score of one indicator (0 to the indicator's weight) with its note."""

    evaluation = models.ForeignKey(Evaluation, verbose_name="年度评价", on_delete=models.CASCADE,
                                   related_name="self_scores")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT,
                                  related_name="self_scores")
    value = models.DecimalField("自评分", max_digits=5, decimal_places=2, null=True, blank=True)
    note = models.TextField("自评说明", blank=True)

    class Meta:
        verbose_name = "自评分"
        verbose_name_plural = "自评分"
        ordering = ["evaluation", "indicator__order"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "indicator"],
                                               name="selfscore_once_per_indicator")]

    def __str__(self):
        return f"{self.indicator} · {self.value}"


class EvaluationFile(EvidenceFile):
    """Evidence of a center's materials, for one indicator or the report as a whole."""

    evaluation = models.ForeignKey(Evaluation, verbose_name="年度评价", on_delete=models.CASCADE,
                                   related_name="files")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    file = models.FileField("文件", upload_to=evaluation_file_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人",
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "评价佐证材料"
        verbose_name_plural = "评价佐证材料"
        ordering = ["evaluation", "indicator", "id"]


class DistrictForwarding(models.Model):
    """A 主管部门's 审查意见 forwarded to the commission for a cycle (第十八条), as one batch with
    its PDF (rendered in Celery)."""

    cycle = models.ForeignKey(EvaluationCycle, verbose_name="评价年度", on_delete=models.PROTECT,
                              related_name="forwardings")
    department = models.ForeignKey("accounts.Department", verbose_name="主管部门",
                                   on_delete=models.PROTECT, related_name="+")
    summary = models.TextField("审查意见（总体）", blank=True)
    forwarded_at = models.DateTimeField("报送时间", auto_now_add=True)
    forwarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人",
                                     on_delete=models.PROTECT, related_name="+")
    late = models.BooleanField("逾期报送", default=False, editable=False)
    pdf = models.FileField("审查意见PDF", upload_to=evaluation_file_path, blank=True)
    pdf_rendered_at = models.DateTimeField("PDF生成时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "主管部门审查意见报送"
        verbose_name_plural = "主管部门审查意见报送"
        ordering = ["-forwarded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["cycle", "department"],
                                               name="forwarding_once_per_department")]

    def __str__(self):
        return f"{self.cycle} · {self.department}"


class EvaluationOpinion(models.Model):
    """An invited industry authority's opinion on one center's evaluation (会同, 第十七条)."""

    evaluation = models.ForeignKey(Evaluation, verbose_name="年度评价", on_delete=models.CASCADE,
                                   related_name="opinions")
    department = models.ForeignKey("accounts.Department", verbose_name="行业主管部门",
                                   on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填写人",
                               on_delete=models.PROTECT, related_name="+")
    text = models.TextField("意见")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "行业主管部门评价意见"
        verbose_name_plural = "行业主管部门评价意见"
        ordering = ["evaluation", "department", "id"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "department"],
                                               name="evaluationopinion_once_per_department")]

    def __str__(self):
        return f"{self.evaluation} · {self.department}"


class Bulletin(models.Model):
    """通报 (第十七条: 对评价不合格的给予通报): the circulated notice naming a center graded 不合格
    and the reasons, with its PDF (Celery)."""

    evaluation = models.OneToOneField(Evaluation, verbose_name="年度评价",
                                      on_delete=models.PROTECT, related_name="bulletin")
    number = models.CharField("通报文号", max_length=50, unique=True)
    reasons = models.TextField("通报事由")
    issued_at = models.DateTimeField("通报时间", auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="通报人",
                                  on_delete=models.PROTECT, related_name="+")
    pdf = models.FileField("通报PDF", upload_to=evaluation_file_path, blank=True)
    pdf_rendered_at = models.DateTimeField("PDF生成时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-issued_at", "-id"]

    def __str__(self):
        return self.number


class Revocation(models.Model):
    """撤销资格 of a center (第十七条) on one ground (enums.RevocationGround): proposed (by a rule
    or the commission) with its facts and evidence, told to the center (`statement_due`, in
    working days), its 陈述申辩, the commission's decision, and publication when revoked.

    At most one open proposal per center and ground; a cycle-based ground (two 不合格, overdue
    materials) at most once per center and cycle; a 注销 change report at most once."""

    center = models.ForeignKey("centers.Center", verbose_name="赋能中心",
                               on_delete=models.PROTECT, related_name="revocations")
    ground = models.CharField("撤销事由", max_length=30, choices=RevocationGround.choices)
    status = models.CharField("状态", max_length=20, choices=RevocationStatus.choices,
                              default=RevocationStatus.PROPOSED)
    facts = models.TextField("事实和理由")
    cycle = models.ForeignKey(EvaluationCycle, verbose_name="相关评价年度",
                              on_delete=models.PROTECT, null=True, blank=True,
                              related_name="revocations")
    change_report = models.ForeignKey("centers.ChangeReport", verbose_name="相关变更报告",
                                      on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="revocations")
    # 获评单位自行要求撤销: the legal representative who signed the request.
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    proposed_at = models.DateTimeField("提出时间", auto_now_add=True)
    # Empty when a rule proposed it (two 不合格, overdue materials, 注销).
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人",
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    notified_at = models.DateTimeField("告知时间", null=True, blank=True, editable=False)
    statement_due = models.DateField("陈述申辩截止日期", null=True, blank=True, editable=False)
    statement = models.TextField("陈述申辩", blank=True)
    stated_at = models.DateTimeField("陈述申辩时间", null=True, blank=True, editable=False)
    stated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="陈述申辩人",
                                  on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人",
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decision_reason = models.TextField("决定理由", blank=True)
    effective_on = models.DateField("撤销日期", null=True, blank=True, editable=False)
    published_at = models.DateTimeField("对外公布时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "撤销资格"
        verbose_name_plural = "撤销资格"
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "ground"],
                                    condition=Q(status__in=OPEN_REVOCATION_STATUSES),
                                    name="revocation_one_open_per_ground"),
            models.UniqueConstraint(fields=["center", "ground", "cycle"],
                                    condition=Q(cycle__isnull=False),
                                    name="revocation_once_per_cycle"),
            models.UniqueConstraint(fields=["change_report"],
                                    condition=Q(change_report__isnull=False),
                                    name="revocation_once_per_change_report"),
        ]
        indexes = [
            models.Index(fields=["status", "-proposed_at"], name="revocation_status"),
            models.Index(fields=["center", "status"], name="revocation_center"),
            models.Index(fields=["-published_at"], condition=Q(published_at__isnull=False),
                         name="revocation_published"),
        ]

    def __str__(self):
        return f"{self.center} · {self.get_ground_display()}"


class RevocationFile(EvidenceFile):
    """A file of a revocation: evidence, the authority's decision, the signed request or the
    center's statement (enums.RevocationFileKind)."""

    revocation = models.ForeignKey(Revocation, verbose_name="撤销资格", on_delete=models.CASCADE,
                                   related_name="files")
    kind = models.CharField("类别", max_length=20, choices=RevocationFileKind.choices,
                            default=RevocationFileKind.EVIDENCE)
    file = models.FileField("文件", upload_to=evaluation_file_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人",
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    class Meta:
        verbose_name = "撤销资格材料"
        verbose_name_plural = "撤销资格材料"
        ordering = ["revocation", "kind", "id"]
