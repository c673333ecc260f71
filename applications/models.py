import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from accounts.enums import OrganisationKind
from accounts.models import Department, Organisation
from accounts.fields import PhoneNumberField
from accounts.validators import normalize_uscc, validate_uscc
from core.indexes import ListOrderIndex

from .enums import (
    EDITABLE_STATUSES,
    HELD_UNTIL_NOTICE,
    ApplicationStatus,
    AttachmentKind,
    CallStatus,
    DocumentStatus,
    DocumentVariant,
    RoutingBasis,
    UnitRole,
)

# 三、四 of the 申报表: "500字以内".
SUMMARY_MAX_CHARS = 500


class PolicyDocument(models.Model):
    """The measures a call runs under, with their validity (第二十条)."""

    title = models.CharField("文件名称", max_length=200)
    document_number = models.CharField("文号", max_length=100, blank=True)
    effective_from = models.DateField("施行日期")
    effective_until = models.DateField("有效期至", null=True, blank=True)
    summary = models.TextField("摘要", blank=True)

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"
        ordering = ["-effective_from"]

    def __str__(self):
        return self.title

    def is_valid_on(self, day):
        return self.effective_from <= day and (self.effective_until is None
                                               or day <= self.effective_until)


class IndustryField(models.Model):
    """A key industry field (重点产业领域); each call offers a selection."""

    name = models.CharField("名称", max_length=50, unique=True)
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "重点产业领域"
        verbose_name_plural = "重点产业领域"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class Call(models.Model):
    """申报通知 (第五条): fields, required materials, acceptance window."""

    year = models.PositiveIntegerField("年度")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("通知正文")
    policy = models.ForeignKey(PolicyDocument, verbose_name="依据政策文件",
                               on_delete=models.PROTECT, related_name="calls")
    industry_fields = models.ManyToManyField(IndustryField, verbose_name="重点产业领域",
                                             related_name="calls")
    opens_at = models.DateTimeField("受理开始时间")
    closes_at = models.DateTimeField("受理截止时间")
    district_review_deadline = models.DateField("主管部门初审报送截止日期")
    # 第九条（二）: a return for revision gives the unit this many working days by default,
    # never past the district deadline.
    resubmit_working_days = models.PositiveSmallIntegerField(
        "退回修改默认期限（工作日）", default=5,
        help_text="主管部门退回修改时默认给申报单位的修改期限，按工作日计算，不超过初审报送截止日期。")
    status = models.CharField("状态", max_length=20, choices=CallStatus.choices,
                              default=CallStatus.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    # 第九条（四）: the 拟评定名单 is the commission's until its public notice; from this moment
    # units and 主管部门 read 拟评定 / 未列入拟评定名单 (set by centers.notices.notice_publish).
    list_noticed_at = models.DateTimeField("拟评定名单公示发布时间", null=True, blank=True,
                                           editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "申报通知"
        verbose_name_plural = "申报通知"
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")),
                                   name="call_window_closes_after_opening",
                                   violation_error_message="受理截止时间须晚于开始时间。"),
        ]

    def __str__(self):
        return self.title



class ReceiptCounter(models.Model):
    """The last 申报编号 sequence handed out in one year; the row is locked while the next number
    is taken, so racing submissions get consecutive, distinct numbers.

    Counted per year, not per call: the number reads <year>-<destination>-<sequence>, so two
    calls of one year (a 第二批) counting separately would hand out the same number twice."""

    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    last_sequence = models.PositiveIntegerField("已发放序号", default=0)

    class Meta:
        verbose_name = "申报编号计数"
        verbose_name_plural = "申报编号计数"


class CallMaterial(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField("材料类型", max_length=30, choices=AttachmentKind.choices)
    description = models.CharField("说明", max_length=200, blank=True)
    is_mandatory = models.BooleanField("必须提交", default=False)

    class Meta:
        verbose_name = "申报材料要求"
        verbose_name_plural = "申报材料要求"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "kind"], name="one_requirement_per_kind"),
        ]

    def __str__(self):
        return self.get_kind_display()


class Application(models.Model):
    """One lead organisation's application to one call: the 申报表 and the 建设方案."""

    call = models.ForeignKey(Call, verbose_name="申报通知", on_delete=models.PROTECT,
                             related_name="applications")
    organisation = models.ForeignKey(Organisation, verbose_name="承建单位",
                                     on_delete=models.PROTECT, related_name="applications")
    status = models.CharField("状态", max_length=20, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.DRAFT, db_index=True)
    current_step = models.CharField("当前步骤", max_length=30, default="lead")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    # 第八条: where the submission went.
    routed_department = models.ForeignKey(
        Department, verbose_name="报送主管部门", on_delete=models.PROTECT,
        null=True, blank=True, related_name="applications",
    )
    routed_to_commission = models.BooleanField("直接报送市发展改革委", default=False)
    # The public 申报编号 (e.g. 2026-崂山-0007), given once at the first submission and kept
    # through withdrawal and resubmission; never derived from the database id.
    receipt_number = models.CharField("申报编号", max_length=40, null=True, blank=True,
                                      unique=True, editable=False)
    receipt_sequence = models.PositiveIntegerField("通知内序号", null=True, blank=True,
                                                   editable=False)
    routing_basis = models.CharField("报送依据", max_length=20, choices=RoutingBasis.choices,
                                     blank=True)
    # 第九条（二）: the last day (Beijing time) a returned application may be resubmitted, set by
    # the 主管部门's return; the server refuses edits and resubmission after it.
    resubmit_by = models.DateField("退回修改重新提交期限", null=True, blank=True, editable=False)
    # 第八条: the unit learns of 推荐 / 不予推荐 when its 主管部门 sends the batch of its
    # recommendations to the commission; until then its pages show the application as 已提交.
    outcome_released_at = models.DateTimeField("初审结论告知申报单位时间", null=True, blank=True,
                                               editable=False)

    # None until the applicant chooses: a new applicant must actively say 有 or 无.
    has_joint_unit = models.BooleanField("有联合承建主体", null=True, blank=True, default=None)

    # 二、赋能中心基本情况
    center_name = models.CharField("赋能中心名称", max_length=100, blank=True)
    industry_field = models.ForeignKey(IndustryField, verbose_name="产业方向/领域",
                                       on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="applications")
    director_name = models.CharField("赋能中心负责人姓名", max_length=50, blank=True)
    director_title = models.CharField("赋能中心负责人职务/职称", max_length=50, blank=True)
    director_phone = PhoneNumberField("赋能中心负责人联系方式", blank=True)
    director_email = models.EmailField("赋能中心负责人邮箱", blank=True)
    tech_lead_name = models.CharField("中心技术团队牵头人姓名", max_length=50, blank=True)
    tech_lead_title = models.CharField("中心技术团队牵头人职称", max_length=50, blank=True)
    tech_lead_phone = PhoneNumberField("中心技术团队牵头人联系方式", blank=True)
    tech_lead_email = models.EmailField("中心技术团队牵头人邮箱", blank=True)
    service_lead_name = models.CharField("中心服务团队牵头人姓名", max_length=50, blank=True)
    service_lead_title = models.CharField("中心服务团队牵头人职称", max_length=50, blank=True)
    service_lead_phone = PhoneNumberField("中心服务团队牵头人联系方式", blank=True)
    service_lead_email = models.EmailField("中心服务团队牵头人邮箱", blank=True)

    # 三、四
    service_summary = models.TextField(
        "三、赋能中心行业服务情况（产业数字化诊断服务、应用场景及解决方案）", blank=True)
    construction_content = models.TextField("四、赋能中心建设内容（三年内）", blank=True)

    # 五、赋能中心建设目标（三年内）
    goal_key_technologies = models.PositiveIntegerField("（一）关键技术突破（项）", null=True,
                                                        blank=True)
    goal_key_technologies_note = models.TextField("关键技术突破简述", blank=True)
    goal_scenarios = models.PositiveIntegerField("（二）应用场景落地（个）", null=True, blank=True)
    goal_scenarios_note = models.TextField("应用场景落地简述", blank=True)
    goal_solutions = models.PositiveIntegerField("（三）行业解决方案（个）", null=True, blank=True)
    goal_solutions_note = models.TextField("行业解决方案简述", blank=True)
    goal_patents = models.PositiveIntegerField("（四）相关有效专利（个）", null=True, blank=True)
    goal_patents_note = models.TextField("相关有效专利简述", blank=True)
    goal_other = models.TextField("（五）其他", blank=True)

    # 建设方案: one text per heading of the outline (applications/plan.py).
    plan_unit_overview = models.TextField("一（一）单位概况（含联合申报单位情况）", blank=True)
    plan_tech_achievements = models.TextField("一（二）技术成果创新与行业应用情况", blank=True)
    plan_tech_support = models.TextField("一（三）技术成果支撑赋能中心建设情况", blank=True)
    plan_competitiveness = models.TextField("一（四）综合竞争力分析", blank=True)
    plan_development_goals = models.TextField("二（一）建设与发展目标", blank=True)
    plan_main_content = models.TextField("二（二）主要建设内容", blank=True)
    plan_three_year_schedule = models.TextField("二（三）三年推进计划", blank=True)
    plan_organisation = models.TextField("三（一）组织架构与运行机制", blank=True)
    plan_team = models.TextField("三（二）主要技术带头人、管理人员及技术队伍概况", blank=True)
    plan_sustainability = models.TextField("三（三）可持续发展的保障措施", blank=True)
    plan_outcome_targets = models.TextField("三（四）成果目标", blank=True)
    plan_site = models.TextField("四（一）建设地点与设置描述", blank=True)
    plan_funding = models.TextField("四（二）资金来源与预算方案", blank=True)
    plan_benefits = models.TextField("四（三）经济社会效益说明", blank=True)
    plan_other = models.TextField("五、其它需说明的问题", blank=True)

    # The 申报表 PDF of the content as last submitted: the copy the reviewers read. The
    # retention sweep never removes a render referred to like this (applications.retention).
    submitted_document = models.ForeignKey(
        "ApplicationDocument", verbose_name="提交时的申报表", on_delete=models.RESTRICT,
        null=True, blank=True, editable=False, related_name="+",
    )

    # 承建单位意见 / 联合申报单位意见 (第七条（八）（九）)
    lead_commitment_at = models.DateTimeField("承建单位承诺时间", null=True, blank=True)
    joint_commitment_at = models.DateTimeField("联合申报单位承诺时间", null=True, blank=True)

    class Meta:
        verbose_name = "申报"
        verbose_name_plural = "申报"
        ordering = ["-updated_at", "-id"]
        # The list pages' orders and filters (selectors.STAFF_LIST_ORDERING, the dashboards):
        # the first page is read from an index, never sorted from all rows.
        indexes = [
            ListOrderIndex(fields=[*prefix, "-submitted_at", "-updated_at", "-id"],
                           name=f"application_{name}_order")
            for name, prefix in (("list", []), ("status", ["status"]), ("call", ["call"]),
                                 ("department", ["routed_department"]),
                                 ("field", ["industry_field"]))
        ] + [models.Index(fields=["call", "status"], name="application_call_status")]
        constraints = [
            models.UniqueConstraint(fields=["call", "organisation"],
                                    name="one_application_per_organisation_per_call",
                                    violation_error_message="本单位已在该通知下申报。"),
            models.UniqueConstraint(fields=["call", "receipt_sequence"],
                                    name="one_receipt_sequence_per_call"),
        ]

    def __str__(self):
        return self.center_name or f"{self.organisation} · {self.call.year}年申报"

    @property
    def outcome_hidden_from_applicant(self) -> bool:
        """推荐 / 不予推荐 not yet sent to the commission in the department's batch (第八条):
        the unit still reads 已提交. A direct submission has no batch: the commission's
        decision is not held back."""
        return (self.status in (ApplicationStatus.RECOMMENDED, ApplicationStatus.NOT_RECOMMENDED)
                and self.outcome_released_at is None and not self.routed_to_commission)

    @property
    def status_for_applicant(self) -> str:
        """The status the unit's own pages show (see `outcome_hidden_from_applicant`). The
        拟评定名单 is the commission's until its public notice (第九条（四）): until then the unit
        reads 专家评审. Reads `call.list_noticed_at` (select the call with the rows)."""
        if self.outcome_hidden_from_applicant:
            return ApplicationStatus.SUBMITTED
        if self.held_until_notice:
            return ApplicationStatus.EXPERT_REVIEW
        return self.status

    def status_for_reader(self, user) -> str:
        """The status `user` reads: the unit's own members `status_for_applicant`; the
        commission's staff and auditors the real one; everyone else (a 主管部门) the real one
        with 拟评定 / 未列入 as 专家评审 until the public notice (第九条（四））."""
        from accounts.enums import Role
        from accounts.selectors import user_organisation_ids, user_roles

        if self.organisation_id in user_organisation_ids(user):
            return self.status_for_applicant
        if self.held_until_notice and not user_roles(user) & {Role.COMMISSION_STAFF,
                                                               Role.AUDITOR}:
            return ApplicationStatus.EXPERT_REVIEW
        return self.status

    @property
    def held_until_notice(self) -> bool:
        """拟评定 / 未列入拟评定名单 of a call whose 拟评定名单 is not yet publicly noticed
        (第九条（四））: read as 专家评审 by everyone but the commission."""
        return self.status in HELD_UNTIL_NOTICE and self.call.list_noticed_at is None

    @property
    def status_for_department_display(self) -> str:
        """The status a 主管部门's pages show: 拟评定 / 未列入拟评定名单 read 专家评审 until the
        public notice (第九条（四）)."""
        if self.held_until_notice:
            return ApplicationStatus.EXPERT_REVIEW.label
        return self.get_status_display()

    @property
    def status_for_applicant_display(self) -> str:
        return ApplicationStatus(self.status_for_applicant).label

    @property
    def current_step_title(self) -> str:
        """The step the applicant was last on, by its title (never the step's key)."""
        from .steps import STEP_TITLES

        return STEP_TITLES.get(self.current_step, "未知步骤")

    @property
    def is_editable_status(self):
        return self.status in EDITABLE_STATUSES

    @property
    def lead_unit(self):
        return self._unit(UnitRole.LEAD)

    @property
    def joint_unit(self):
        return self._unit(UnitRole.JOINT) if self.has_joint_unit else None

    def _unit(self, role):
        for unit in self.units.all():
            if unit.role == role:
                return unit
        return None

    @property
    def destination_label(self):
        return destination_label(
            routed_to_commission=self.routed_to_commission, routing_basis=self.routing_basis,
            department_name=self.routed_department.name if self.routed_department else "")


def destination_label(*, routed_to_commission: bool, routing_basis: str,
                      department_name: str) -> str:
    """Where a submission went (第八条), as the pages and the export say it: "" before routing.
    A function of the columns, so the export can say it from a row without a model instance."""
    if routed_to_commission and routing_basis == RoutingBasis.INTAKE:
        return "市发展改革委（市新旧动能办）受理登记（待确定主管部门）"
    if routed_to_commission:
        return "市发展改革委（市新旧动能办）"
    return department_name or ""


class ApplicationUnit(models.Model):
    """一、单位基本情况 for the lead unit (承建主体) or the joint unit (联合承建主体)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="units")
    role = models.CharField("身份", max_length=10, choices=UnitRole.choices)
    name = models.CharField("单位名称", max_length=200, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True,
                            validators=[validate_uscc])
    kind = models.CharField("单位类型", max_length=30, choices=OrganisationKind.choices,
                            blank=True)
    registered_in_qingdao = models.BooleanField("在青岛市注册", default=True)
    located_in_qingdao = models.BooleanField("位于青岛市（在青运营）", default=True)
    registered_on = models.DateField("注册时间", null=True, blank=True)
    registered_capital = models.DecimalField("注册资金（万元）", max_digits=14, decimal_places=2,
                                             null=True, blank=True,
                                             validators=[MinValueValidator(Decimal("0"))])
    revenue_last_year = models.DecimalField("上一年度主营业务收入（亿元）", max_digits=12,
                                            decimal_places=4, null=True, blank=True,
                                            validators=[MinValueValidator(Decimal("0"))])
    rd_investment_last_year = models.DecimalField("上一年度研发投入（万元）", max_digits=14,
                                                  decimal_places=2, null=True, blank=True,
                                                  validators=[MinValueValidator(Decimal("0"))])
    enterprise_qualification = models.CharField("企业资质", max_length=300, blank=True)
    industry_qualification = models.CharField("行业资质", max_length=300, blank=True)
    legal_representative = models.CharField("法人代表", max_length=50, blank=True)
    phone = PhoneNumberField("联系电话", blank=True)

    class Meta:
        verbose_name = "单位基本情况"
        verbose_name_plural = "单位基本情况"
        constraints = [
            models.UniqueConstraint(fields=["application", "role"], name="one_unit_per_role"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.uscc = normalize_uscc(self.uscc)

    @property
    def rd_ratio_percent(self) -> Decimal | None:
        """研发投入占营业收入比例: 万元 over 亿元 × 10 000, computed so the two cannot disagree."""
        return rd_ratio_percent(self.rd_investment_last_year, self.revenue_last_year)


def rd_ratio_percent(rd_investment: Decimal | None, revenue: Decimal | None) -> Decimal | None:
    """研发投入 (万元) over 主营业务收入 (亿元) in per cent, two decimals; None when either is
    missing or the revenue is 0."""
    if rd_investment is None or not revenue:
        return None
    ratio = rd_investment / (revenue * 10000) * 100
    return ratio.quantize(Decimal("0.01"))


def attachment_path(instance, filename):
    # The user's file name is kept only as data; the stored name is random.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="attachments")
    kind = models.CharField("材料类型", max_length=30, choices=AttachmentKind.choices)
    file = models.FileField("文件", upload_to=attachment_path, max_length=300)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人",
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["kind", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name

    @property
    def served_name(self) -> str:
        """The user's file name with the extension of the detected type (the stored file's):
        a JPEG uploaded as z.html is served as z.jpg, never as an HTML page."""
        stem = PurePosixPath(self.original_name).stem.strip() or "附件"
        return f"{stem}{PurePosixPath(self.file.name).suffix}"


def document_path(instance, filename):
    return f"documents/{instance.application_id}/{instance.variant}-{instance.content_hash}.pdf"


class ApplicationDocument(models.Model):
    """A rendered PDF of an application, cached by the hash of the content it shows."""

    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.CASCADE,
                                    related_name="documents")
    variant = models.CharField("文档", max_length=20, choices=DocumentVariant.choices)
    content_hash = models.CharField("内容摘要", max_length=64)
    is_draft = models.BooleanField("草稿", default=True)
    status = models.CharField("状态", max_length=20, choices=DocumentStatus.choices,
                              default=DocumentStatus.PENDING)
    file = models.FileField("文件", upload_to=document_path, blank=True, max_length=300)
    error = models.TextField("错误信息", blank=True)
    requested_at = models.DateTimeField("请求时间", auto_now_add=True)
    rendered_at = models.DateTimeField("生成时间", null=True, blank=True)

    class Meta:
        verbose_name = "申报文档"
        verbose_name_plural = "申报文档"
        constraints = [
            models.UniqueConstraint(fields=["application", "variant", "content_hash"],
                                    name="one_document_per_content"),
        ]

    def __str__(self):
        return f"{self.application} · {self.get_variant_display()}"


def export_path(instance, filename):
    return f"exports/applications/{uuid.uuid4().hex}.xlsx"


class ApplicationExport(models.Model):
    """An Excel export of the commission's filtered list, built in the background."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导出人",
                                     on_delete=models.PROTECT, related_name="+")
    # The filter values as submitted (see filters.ApplicationFilter), or the admin's selection
    # under "ids"; the rows are chosen when the file is built.
    params = models.JSONField("筛选条件", default=dict, blank=True)
    status = models.CharField("状态", max_length=20, choices=DocumentStatus.choices,
                              default=DocumentStatus.PENDING)
    file = models.FileField("文件", upload_to=export_path, blank=True, max_length=300)
    row_count = models.PositiveIntegerField("申报数", null=True, blank=True)
    # Progress while the file is built, saved after every chunk of rows for the export's page.
    rows_total = models.PositiveIntegerField("应导出申报数", null=True, blank=True)
    rows_done = models.PositiveIntegerField("已导出申报数", default=0)
    error = models.TextField("错误信息", blank=True)
    created_at = models.DateTimeField("请求时间", auto_now_add=True)
    # When the sweep last handed the export to the queue again (applications.backlog).
    requeued_at = models.DateTimeField("重新排队时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "申报导出"
        verbose_name_plural = "申报导出"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"申报导出 {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    @property
    def download_name(self):
        return f"赋能中心申报汇总_{timezone.localtime(self.created_at):%Y%m%d_%H%M}.xlsx"


class HeldDraft(models.Model):
    """What an applicant posted on a step after their session had ended, held for them until
    they sign in again and the step page puts it back into the form (`drafts`). Never part of
    the application itself: only a save under a live session writes there."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填写人",
                             on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.CASCADE,
                                     related_name="held_drafts")
    step = models.CharField("步骤", max_length=20)
    # The posted fields as lists of values, by field name (QueryDict.lists()).
    data = models.JSONField("填写内容", default=dict)
    held_at = models.DateTimeField("保留时间")
    restored_at = models.DateTimeField("恢复时间", null=True, blank=True)

    class Meta:
        verbose_name = "登录超时时保留的填写内容"
        verbose_name_plural = "登录超时时保留的填写内容"
        constraints = [
            models.UniqueConstraint(fields=["user", "application", "step"],
                                    name="held_draft_one_per_user_step"),
        ]

    def __str__(self):
        return f"{self.application_id} {self.step} {self.held_at:%Y-%m-%d %H:%M}"


# 第九条（三）: an applicant may ask that up to three experts not review it.
AVOIDANCE_REQUEST_LIMIT = 3


class AvoidanceRequest(models.Model):
    """回避申请: an expert the applicant asks to be kept from its application, named as the
    applicant knows them (name and employer, never picked from the confidential roster), with a
    reason. The commission rules on each (experts.AvoidanceRuling); at most
    AVOIDANCE_REQUEST_LIMIT per application."""

    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.CASCADE,
                                    related_name="avoidance_requests")
    expert_name = models.CharField("申请回避的专家姓名", max_length=50)
    expert_employer = models.CharField("该专家工作单位", max_length=200)
    reason = models.TextField("回避理由")
    created_at = models.DateTimeField("填写时间", auto_now_add=True)

    class Meta:
        verbose_name = "回避申请"
        verbose_name_plural = "回避申请"
        ordering = ["application", "id"]

    def __str__(self):
        return f"{self.expert_name}（{self.expert_employer}）"


def held_until_notice_q() -> models.Q:
    """The applications `Application.held_until_notice` describes, as a filter: 拟评定 /
    未列入拟评定名单 of a call whose 拟评定名单 is not yet publicly noticed (第九条（四））."""
    return models.Q(status__in=HELD_UNTIL_NOTICE, call__list_noticed_at__isnull=True)
