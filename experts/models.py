"""The expert committee (第四条) and the commission's expert review (第九条（三）).

Committee: `Expert`, the ties they declare (`ExpertTie`) and their membership history
(`CommitteeMembership`). Review: a `ReviewRound` of one call with its rubric (`Criterion`),
the applications in it (`RoundEntry`, which also keeps the stored result), `Assignment`s of
experts, their `ScoreSheet`s of `Score`s, `SiteVisit`s, and the call's proposed list
(`ProposedList`, 拟评定名单). Conflicts (回避) are computed from structured data
(experts.conflicts); the commission's own rulings and the applicant's 回避申请 rulings are kept
here.
"""

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import Department
from accounts.validators import normalize_uscc, validate_uscc
from applications.models import Application, Call, IndustryField

from .enums import (
    Aggregation,
    AssignmentMethod,
    AssignmentStatus,
    AvoidanceStatus,
    ConflictRulingKind,
    MembershipStatus,
    ProposedListStatus,
    RoundKind,
    RoundPurpose,
    RoundStatus,
    SheetStatus,
    SiteVerdict,
    TieKind,
)


def normalize_unit_name(value: str) -> str:
    """A unit's name as conflicts compare it: NFKC (full-width to half-width), every space
    removed, Latin letters upper case. Exact comparison only, never fuzzy."""
    return normalize_uscc(value)


class Expert(models.Model):
    """A committee expert (第四条). The employer is a unit, identified by its 统一社会信用代码 where
    known; `user` links the expert's login account."""

    name = models.CharField("姓名", max_length=50)
    employer_name = models.CharField("工作单位", max_length=200)
    employer_uscc = models.CharField("工作单位统一社会信用代码", max_length=18, blank=True,
                                     validators=[validate_uscc])
    title = models.CharField("职称/职务", max_length=100, blank=True)
    fields = models.ManyToManyField(IndustryField, verbose_name="专业领域", blank=True,
                                    related_name="experts")
    mobile = models.CharField("手机号码", max_length=20, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="登录账号",
                                on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="expert_profile")
    note = models.TextField("备注", blank=True)
    # normalize_unit_name(employer_name), kept for exact matching.
    employer_key = models.CharField("工作单位（规范化）", max_length=200, editable=False,
                                    db_index=True, blank=True)
    created_at = models.DateTimeField("入库时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "专家"
        verbose_name_plural = "专家库"
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["employer_uscc"], name="expert_employer_uscc"),
                   # The roster list's order.
                   models.Index(fields=["name", "id"], name="expert_name_id")]

    def __str__(self):
        return f"{self.name}（{self.employer_name}）"

    def save(self, *args, **kwargs):
        self.employer_uscc = normalize_uscc(self.employer_uscc)
        self.employer_key = normalize_unit_name(self.employer_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "employer_uscc", "employer_key"}
        super().save(*args, **kwargs)


class ExpertTie(models.Model):
    """A relation the expert declared with a unit: employment or consulting (counted within 36
    months of its end), a close relative there, or another interest. `ended_on` empty: ongoing."""

    expert = models.ForeignKey(Expert, verbose_name="专家", on_delete=models.CASCADE,
                               related_name="ties")
    kind = models.CharField("关系类型", max_length=20, choices=TieKind.choices)
    unit_name = models.CharField("单位名称", max_length=200)
    unit_uscc = models.CharField("单位统一社会信用代码", max_length=18, blank=True,
                                 validators=[validate_uscc])
    unit_key = models.CharField("单位名称（规范化）", max_length=200, editable=False, blank=True,
                                db_index=True)
    started_on = models.DateField("开始日期", null=True, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True,
                                help_text="仍在继续的关系不填。")
    note = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField("申报时间", auto_now_add=True)

    class Meta:
        verbose_name = "专家申报的关联关系"
        verbose_name_plural = "专家申报的关联关系"
        ordering = ["expert", "-ended_on", "id"]
        indexes = [models.Index(fields=["unit_uscc"], name="expert_tie_unit_uscc")]

    def __str__(self):
        return f"{self.expert.name} · {self.get_kind_display()} · {self.unit_name}"

    def save(self, *args, **kwargs):
        self.unit_uscc = normalize_uscc(self.unit_uscc)
        self.unit_key = normalize_unit_name(self.unit_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "unit_uscc", "unit_key"}
        super().save(*args, **kwargs)


class CommitteeMembership(models.Model):
    """One term of an expert on the committee (第四条, 动态调整). A change of status starts a new
    row; the old rows are the history."""

    expert = models.ForeignKey(Expert, verbose_name="专家", on_delete=models.CASCADE,
                               related_name="memberships")
    term_start = models.DateField("聘期开始")
    term_end = models.DateField("聘期结束", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=MembershipStatus.choices,
                              default=MembershipStatus.ACTIVE)
    reason = models.CharField("调整原因", max_length=300, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人",
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "专家委员会聘任记录"
        verbose_name_plural = "专家委员会聘任记录"
        ordering = ["expert", "-term_start", "-id"]
        indexes = [models.Index(fields=["status", "term_end"], name="membership_status_end"),
                   # The membership in force on a day (experts.selectors.active_experts).
                   models.Index(fields=["expert", "-term_start", "-id"],
                                name="membership_expert_latest")]

    def __str__(self):
        return f"{self.expert.name} · {self.term_start} · {self.get_status_display()}"


class ReviewRound(models.Model):
    """One round of the commission's expert review of a call (第九条（三）): 材料评审 or 现场考察,
    its rubric, deadline, experts per application, aggregation method (Aggregation) and the
    disagreement threshold in points of the weighted total (0–100)."""

    # Empty only for an evaluation round (`purpose`), whose centers come from several calls.
    call = models.ForeignKey(Call, verbose_name="申报通知", on_delete=models.PROTECT,
                             related_name="review_rounds", null=True, blank=True)
    purpose = models.CharField("评审对象", max_length=20, choices=RoundPurpose.choices,
                               default=RoundPurpose.APPLICATION)
    title = models.CharField("名称", max_length=100)
    kind = models.CharField("评审方式", max_length=20, choices=RoundKind.choices,
                            default=RoundKind.MATERIAL)
    deadline = models.DateTimeField("评分截止时间")
    experts_per_application = models.PositiveSmallIntegerField(
        "每份申报评审专家数", default=5, validators=[MinValueValidator(1), MaxValueValidator(15)])
    aggregation = models.CharField("汇总方法", max_length=20, choices=Aggregation.choices,
                                   default=Aggregation.TRIMMED_MEAN)
    disagreement_threshold = models.DecimalField(
        "分歧阈值（分）", max_digits=5, decimal_places=2, default=Decimal("15.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="同一申报各专家加权总分的最高分与最低分之差达到此值时标记分歧。")
    # 委托第三方机构: its staff manage this round's assignments and site visits, nothing else.
    agency = models.ForeignKey(Department, verbose_name="受托第三方机构",
                               on_delete=models.PROTECT, null=True, blank=True,
                               related_name="entrusted_rounds",
                               limit_choices_to={"kind": "third_party"})
    # 第三条、第九条（三）: industry authorities invited to read the round and give opinions.
    invited_authorities = models.ManyToManyField(
        Department, verbose_name="会同的行业主管部门", blank=True, related_name="invited_rounds",
        limit_choices_to={"kind": "industry_authority"})
    status = models.CharField("状态", max_length=20, choices=RoundStatus.choices,
                              default=RoundStatus.PREPARING, db_index=True)
    # Set when the first sheet is opened: the rubric is frozen from then on.
    rubric_frozen_at = models.DateTimeField("评分标准锁定时间", null=True, blank=True,
                                            editable=False)
    opened_at = models.DateTimeField("开始评审时间", null=True, blank=True, editable=False)
    closed_at = models.DateTimeField("结束评审时间", null=True, blank=True, editable=False)
    reminders_sent = models.JSONField("已发送的截止提醒", default=list, blank=True,
                                      editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "专家评审轮次"
        verbose_name_plural = "专家评审轮次"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["call", "-created_at"], name="round_call_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose="evaluation") | Q(call__isnull=False),
                name="round_call_unless_evaluation"),
        ]

    def __str__(self):
        return self.title

    @property
    def rubric_is_frozen(self) -> bool:
        return self.rubric_frozen_at is not None


class Criterion(models.Model):
    """One line of a round's rubric: a maximum score and a weight (the weights of a rubric sum
    to 100). A sheet's weighted total is Σ score / max × weight, on 0–100."""

    round = models.ForeignKey(ReviewRound, verbose_name="评审轮次", on_delete=models.CASCADE,
                              related_name="criteria")
    order = models.PositiveSmallIntegerField("序号", default=1)
    name = models.CharField("评分项", max_length=100)
    description = models.TextField("评分要点", blank=True)
    max_score = models.DecimalField("满分", max_digits=6, decimal_places=2,
                                    validators=[MinValueValidator(Decimal("0.01"))])
    weight = models.DecimalField("权重（%）", max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])

    class Meta:
        verbose_name = "评分项"
        verbose_name_plural = "评分标准"
        ordering = ["round", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "order"], name="criterion_unique_order"),
        ]

    def __str__(self):
        return self.name


class RoundEntry(models.Model):
    """An application in a round, with its stored result: the aggregate by the round's method
    (two places, half up; `method` records which), the disagreement flag and its resolution,
    and its ranks in the call and in its field."""

    round = models.ForeignKey(ReviewRound, verbose_name="评审轮次", on_delete=models.CASCADE,
                              related_name="entries")
    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.PROTECT,
                                    related_name="round_entries")
    aggregate = models.DecimalField("汇总得分", max_digits=6, decimal_places=2, null=True,
                                    blank=True, editable=False)
    method = models.CharField("汇总方法", max_length=20, choices=Aggregation.choices,
                              blank=True, editable=False)
    sheet_count = models.PositiveSmallIntegerField("计入的评分表数", default=0, editable=False)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True, editable=False)
    flagged = models.BooleanField("评分分歧", default=False, editable=False)
    flag_reason = models.CharField("分歧说明", max_length=300, blank=True, editable=False)
    resolution_note = models.TextField("分歧处理意见", blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="分歧处理人",
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    resolved_at = models.DateTimeField("分歧处理时间", null=True, blank=True)
    rank_in_call = models.PositiveIntegerField("通知内排名", null=True, blank=True,
                                               editable=False)
    rank_in_field = models.PositiveIntegerField("领域内排名", null=True, blank=True,
                                                editable=False)

    class Meta:
        verbose_name = "参评申报"
        verbose_name_plural = "参评申报"
        ordering = ["round", "rank_in_call", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "application"],
                                    name="round_entry_once_per_round"),
        ]

    def __str__(self):
        return str(self.application)

    @property
    def flag_open(self) -> bool:
        """A flagged result without the commission's resolution note blocks the proposed list."""
        return self.flagged and not self.resolution_note.strip()


class AvoidanceRuling(models.Model):
    """The commission's ruling on one expert named in an applicant's 回避申请
    (applications.AvoidanceRequest): an accepted one, linked to the roster expert, is a hard
    conflict."""

    request = models.OneToOneField("applications.AvoidanceRequest", verbose_name="回避申请",
                                   on_delete=models.CASCADE, related_name="ruling")
    status = models.CharField("审核结果", max_length=20, choices=AvoidanceStatus.choices)
    expert = models.ForeignKey(Expert, verbose_name="对应专家库专家", on_delete=models.PROTECT,
                               null=True, blank=True, related_name="avoidance_rulings")
    reason = models.TextField("理由", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人",
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审核时间", auto_now_add=True)

    class Meta:
        verbose_name = "回避申请审核"
        verbose_name_plural = "回避申请审核"
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(expert__isnull=False),
                name="accepted_avoidance_names_expert",
                violation_error_message="同意回避须选择专家库中的对应专家。"),
        ]

    def __str__(self):
        return f"{self.request} · {self.get_status_display()}"


class ConflictRuling(models.Model):
    """The commission pins a conflict (a hard conflict from then on) or dismisses a suggested
    one, with a reason. A dismissal never lifts a hard conflict computed from structured data."""

    expert = models.ForeignKey(Expert, verbose_name="专家", on_delete=models.CASCADE,
                               related_name="conflict_rulings")
    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.CASCADE,
                                    related_name="conflict_rulings")
    kind = models.CharField("认定", max_length=20, choices=ConflictRulingKind.choices)
    reason = models.TextField("理由")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="认定人",
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("认定时间", auto_now_add=True)

    class Meta:
        verbose_name = "回避认定"
        verbose_name_plural = "回避认定"
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["expert", "application"],
                                    name="conflict_ruling_once_per_pair"),
        ]

    def __str__(self):
        return f"{self.expert.name} · {self.application} · {self.get_kind_display()}"


class ExpertDeclaration(models.Model):
    """What an expert declares of one application: a conflict of interest, or that they helped
    prepare it. Either is a hard conflict."""

    class Kind(models.TextChoices):
        CONFLICT = "conflict", "存在利益冲突"
        PREPARED = "prepared", "参与编制申报材料"

    expert = models.ForeignKey(Expert, verbose_name="专家", on_delete=models.CASCADE,
                               related_name="declarations")
    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.CASCADE,
                                    related_name="expert_declarations")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField("申报时间", auto_now_add=True)

    class Meta:
        verbose_name = "专家利益冲突申报"
        verbose_name_plural = "专家利益冲突申报"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["expert", "application", "kind"],
                                    name="expert_declaration_once"),
        ]

    def __str__(self):
        return f"{self.expert.name} · {self.application} · {self.get_kind_display()}"


class Assignment(models.Model):
    """One expert asked to review one application in one round. Before opening it the expert
    confirms the no-conflict and confidentiality commitment (`committed_at`); they may recuse
    themselves with a reason, which frees the slot for the commission to reassign."""

    round = models.ForeignKey(ReviewRound, verbose_name="评审轮次", on_delete=models.CASCADE,
                              related_name="assignments")
    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.PROTECT,
                                    related_name="expert_assignments")
    expert = models.ForeignKey(Expert, verbose_name="专家", on_delete=models.PROTECT,
                               related_name="assignments")
    status = models.CharField("状态", max_length=20, choices=AssignmentStatus.choices,
                              default=AssignmentStatus.ASSIGNED)
    method = models.CharField("分配方式", max_length=20, choices=AssignmentMethod.choices,
                              default=AssignmentMethod.MANUAL)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="分配人",
                                    on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField("分配时间", auto_now_add=True)
    committed_at = models.DateTimeField("确认承诺时间", null=True, blank=True)
    recusal_reason = models.TextField("回避理由", blank=True)
    recused_at = models.DateTimeField("回避时间", null=True, blank=True)

    class Meta:
        verbose_name = "评审分配"
        verbose_name_plural = "评审分配"
        ordering = ["round", "application", "id"]
        constraints = [
            # One live slot per expert and application in a round (a recused or withdrawn
            # row stays as history and does not count).
            models.UniqueConstraint(fields=["round", "application", "expert"],
                                    condition=Q(status__in=["assigned", "committed"]),
                                    name="assignment_one_live_per_pair"),
        ]
        indexes = [
            models.Index(fields=["expert", "status", "round"], name="assignment_expert_status"),
            models.Index(fields=["round", "application", "status"],
                         name="assignment_round_app"),
        ]

    def __str__(self):
        return f"{self.expert.name} · {self.application}"

    @property
    def is_live(self) -> bool:
        return self.status in (AssignmentStatus.ASSIGNED, AssignmentStatus.COMMITTED)


class ScoreSheet(models.Model):
    """An expert's score sheet for one assignment: a draft until submitted, then locked; the
    commission may reopen it with a logged reason (core.transitions). `total` is the weighted
    total on 0–100 (two places, half up), stored on submit. `version` guards concurrent saves."""

    assignment = models.OneToOneField(Assignment, verbose_name="评审分配",
                                      on_delete=models.CASCADE, related_name="sheet")
    status = models.CharField("状态", max_length=20, choices=SheetStatus.choices,
                              default=SheetStatus.DRAFT)
    overall_comment = models.TextField("总体评价意见", blank=True)
    total = models.DecimalField("加权总分", max_digits=6, decimal_places=2, null=True,
                                blank=True, editable=False)
    opened_at = models.DateTimeField("首次打开时间", auto_now_add=True)
    updated_at = models.DateTimeField("保存时间", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=0, editable=False)
    # The page (one rendering of the sheet form) that saved last: its later saves (an autosave
    # still in flight when 保存草稿 is pressed) are not stale, since nothing came in between.
    last_page = models.CharField("最后保存的页面", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "专家评分表"
        verbose_name_plural = "专家评分表"
        ordering = ["-updated_at", "-id"]

    def __str__(self):
        return f"{self.assignment}"


class Score(models.Model):
    """One criterion's score on a sheet (Decimal, 0 to the criterion's maximum). A score under
    60% of the maximum, or at the maximum, needs a comment."""

    sheet = models.ForeignKey(ScoreSheet, verbose_name="评分表", on_delete=models.CASCADE,
                              related_name="scores")
    criterion = models.ForeignKey(Criterion, verbose_name="评分项", on_delete=models.PROTECT,
                                  related_name="scores")
    value = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField("评分说明", blank=True)

    class Meta:
        verbose_name = "评分"
        verbose_name_plural = "评分"
        ordering = ["sheet", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_once_per_criterion"),
        ]

    def __str__(self):
        return f"{self.criterion} · {self.value}"


class SiteVisit(models.Model):
    """现场考察 of one application in a site-visit round: the date, the experts present, the
    findings and the verdict; the score is the round's aggregate of the present experts'
    sheets."""

    round = models.ForeignKey(ReviewRound, verbose_name="评审轮次", on_delete=models.CASCADE,
                              related_name="site_visits")
    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.PROTECT,
                                    related_name="site_visits")
    visited_on = models.DateField("考察日期")
    experts_present = models.ManyToManyField(Expert, verbose_name="到场专家",
                                             related_name="site_visits")
    findings = models.TextField("考察情况")
    verdict = models.CharField("考察结论", max_length=20, choices=SiteVerdict.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人",
                                    on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "现场考察记录"
        verbose_name_plural = "现场考察记录"
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "application"],
                                    name="site_visit_once_per_round"),
        ]

    def __str__(self):
        return f"{self.application} · {self.visited_on}"


def site_visit_file_path(instance, filename):
    # The user's file name is kept only as data; the stored name is random.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"site_visits/{instance.visit_id}/{uuid.uuid4().hex}{suffix}"


class SiteVisitFile(models.Model):
    """A photo or file of a site visit, under the application's upload rules."""

    visit = models.ForeignKey(SiteVisit, verbose_name="现场考察", on_delete=models.CASCADE,
                              related_name="files")
    file = models.FileField("文件", upload_to=site_visit_file_path)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人",
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "现场考察照片和文件"
        verbose_name_plural = "现场考察照片和文件"
        ordering = ["visit", "id"]

    def __str__(self):
        return self.original_name


class AuthorityOpinion(models.Model):
    """An invited industry authority's opinion on one application of a round (第三条), read by
    the commission beside the scores."""

    round = models.ForeignKey(ReviewRound, verbose_name="评审轮次", on_delete=models.CASCADE,
                              related_name="authority_opinions")
    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.PROTECT,
                                    related_name="authority_opinions")
    department = models.ForeignKey(Department, verbose_name="行业主管部门",
                                   on_delete=models.PROTECT, related_name="+")
    opinion = models.TextField("意见")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填写人",
                               on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "行业主管部门意见"
        verbose_name_plural = "行业主管部门意见"
        ordering = ["round", "application", "department"]
        constraints = [
            models.UniqueConstraint(fields=["round", "application", "department"],
                                    name="authority_opinion_once"),
        ]

    def __str__(self):
        return f"{self.department} · {self.application}"


class ProposedList(models.Model):
    """拟评定名单 of a call (第九条（三）): decided by the commission from a closed round's
    results, with notes; frozen together with the results and handed to the public notice."""

    call = models.OneToOneField(Call, verbose_name="申报通知", on_delete=models.PROTECT,
                                related_name="proposed_list")
    round = models.ForeignKey(ReviewRound, verbose_name="依据的评审轮次",
                              on_delete=models.PROTECT, related_name="proposed_lists")
    status = models.CharField("状态", max_length=20, choices=ProposedListStatus.choices,
                              default=ProposedListStatus.DRAFT)
    note = models.TextField("说明", blank=True)
    frozen_at = models.DateTimeField("确定时间", null=True, blank=True, editable=False)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确定人",
                                  on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    # The round's results as they stood when the list was frozen (entries, sheets, totals).
    results_snapshot = models.JSONField("确定时的评审结果", null=True, blank=True,
                                        editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "拟评定名单"
        verbose_name_plural = "拟评定名单"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.call} · 拟评定名单"


class ProposedListEntry(models.Model):
    """One application on the proposed list, with its aggregate and the commission's note."""

    proposed_list = models.ForeignKey(ProposedList, verbose_name="拟评定名单",
                                      on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.PROTECT,
                                    related_name="proposed_entries")
    aggregate = models.DecimalField("汇总得分", max_digits=6, decimal_places=2, null=True,
                                    blank=True)
    position = models.PositiveIntegerField("序号")
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "拟评定名单条目"
        verbose_name_plural = "拟评定名单条目"
        ordering = ["proposed_list", "position"]
        constraints = [
            models.UniqueConstraint(fields=["proposed_list", "application"],
                                    name="proposed_entry_once"),
            models.UniqueConstraint(fields=["proposed_list", "position"],
                                    name="proposed_entry_position"),
        ]

    def __str__(self):
        return str(self.application)


def results_document_path(instance, filename):
    return f"expert_review/{instance.round_id}/{uuid.uuid4().hex}.pdf"


class ResultsDocument(models.Model):
    """The 专家评分汇总表 PDF of a round, rendered by a worker from `content` (the results as
    they stood when it was asked for): pending until rendered, then ready or failed."""

    class Status(models.TextChoices):
        PENDING = "pending", "生成中"
        READY = "ready", "已生成"
        FAILED = "failed", "生成失败"

    round = models.ForeignKey(ReviewRound, verbose_name="评审轮次", on_delete=models.CASCADE,
                              related_name="results_documents")
    status = models.CharField("状态", max_length=20, choices=Status.choices,
                              default=Status.PENDING)
    content = models.JSONField("汇总表内容", editable=False)
    file = models.FileField("文件", upload_to=results_document_path, blank=True,
                            max_length=300)
    error = models.TextField("生成错误", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人",
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    rendered_at = models.DateTimeField("生成时间", null=True, blank=True)

    class Meta:
        verbose_name = "专家评分汇总表"
        verbose_name_plural = "专家评分汇总表"
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["round", "-requested_at"], name="results_doc_round")]

    def __str__(self):
        return f"{self.round} · 专家评分汇总表"
