"""Public notice (公示, 第九条（四）) of a call's proposed list, the objections to it (异议),
and the centers it designates (授牌) with their plaques.

A `PublicNotice` is made from a frozen 拟评定名单 (experts.ProposedList) and lists it as
`NoticeEntry` rows, copied when the notice is drawn up, so the published text never changes
with later edits of an application. Its period runs from `starts_on` for `working_days`
working days (`ends_on`, computed with core.workdays across holidays and 调休).
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from accounts.fields import PhoneNumberField
from applications.models import Application, Call

from .enums import (
    DEFAULT_NOTICE_WORKING_DAYS,
    ArticleKind,
    ArticleStatus,
    CaseStudyStatus,
    CenterStatus,
    ChangeKind,
    ChangeReportStatus,
    EntityChange,
    NoticeStatus,
    ObjectionStatus,
    OperationRating,
    OperationReportStatus,
    ProjectStatus,
    ServiceKind,
)


class PublicNotice(models.Model):
    """公示: the proposed list made public for objections (第九条（四）)."""

    call = models.ForeignKey(Call, verbose_name="申报通知", on_delete=models.PROTECT,
                             related_name="public_notices")
    proposed_list = models.OneToOneField("experts.ProposedList", verbose_name="拟评定名单",
                                         on_delete=models.PROTECT, related_name="public_notice")
    title = models.CharField("标题", max_length=200)
    basis = models.TextField("公示依据")
    steps_completed = models.TextField("已完成的评定程序")
    starts_on = models.DateField("公示开始日期")
    working_days = models.PositiveSmallIntegerField(
        "公示期（工作日）", default=DEFAULT_NOTICE_WORKING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(30)])
    ends_on = models.DateField("公示截止日期", editable=False)
    objection_channel = models.TextField("异议受理方式")
    contact = models.CharField("联系人及电话", max_length=200)
    issuer = models.CharField("发布单位", max_length=100)
    issued_on = models.DateField("发布日期")
    status = models.CharField("状态", max_length=20, choices=NoticeStatus.choices,
                              default=NoticeStatus.DRAFT, db_index=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)
    closed_at = models.DateTimeField("公示期满时间", null=True, blank=True, editable=False)
    finalised_at = models.DateTimeField("确定认定结果时间", null=True, blank=True,
                                        editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="拟稿人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["status", "-starts_on", "-id"],
                                name="notice_status_order")]

    def __str__(self):
        return self.title


class NoticeEntry(models.Model):
    """One application on a notice, as published: unit, center, field and 主管部门."""

    notice = models.ForeignKey(PublicNotice, verbose_name="公示", on_delete=models.CASCADE,
                               related_name="entries")
    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.PROTECT,
                                    related_name="notice_entries")
    position = models.PositiveIntegerField("序号")
    unit_name = models.CharField("承建单位", max_length=200)
    joint_unit_name = models.CharField("联合承建单位", max_length=200, blank=True)
    center_name = models.CharField("赋能中心名称", max_length=100)
    field_name = models.CharField("产业领域", max_length=50, blank=True)
    department_name = models.CharField("主管部门", max_length=100, blank=True)
    # An upheld objection takes the application off the list (it is not designated).
    removed_at = models.DateTimeField("移出名单时间", null=True, blank=True, editable=False)
    removal_reason = models.TextField("移出名单理由", blank=True, editable=False)

    class Meta:
        verbose_name = "公示名单条目"
        verbose_name_plural = "公示名单"
        ordering = ["notice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "application"], name="notice_entry_once"),
            models.UniqueConstraint(fields=["notice", "position"], name="notice_entry_position"),
        ]

    def __str__(self):
        return self.center_name


class Objection(models.Model):
    """异议 against one or more applications of a notice (第九条（四）), by a named person.
    The objector's identity (name, organisation, phone, e-mail) is the commission's alone: no
    page, notification, export or PDF of anyone else shows it. `number` is the public
    acknowledgement number; with the phone it looks the status up."""

    notice = models.ForeignKey(PublicNotice, verbose_name="公示", on_delete=models.PROTECT,
                               related_name="objections")
    entries = models.ManyToManyField(NoticeEntry, verbose_name="异议对象",
                                     related_name="objections")
    number = models.CharField("受理编号", max_length=32, unique=True, editable=False)
    real_name = models.CharField("异议人姓名", max_length=50)
    organisation = models.CharField("异议人单位（以单位名义提出时）", max_length=200, blank=True)
    phone = PhoneNumberField("联系电话")
    email = models.EmailField("电子邮箱", blank=True)
    facts = models.TextField("异议事实和理由")
    truthful = models.BooleanField("承诺所反映情况真实", default=False)
    ip_address = models.GenericIPAddressField("提交地址", null=True, blank=True, editable=False)
    status = models.CharField("办理状态", max_length=20, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.RECEIVED, db_index=True)
    investigation = models.TextField("调查核实情况", blank=True)
    decision_reason = models.TextField("处理结论及理由", blank=True)
    decided_at = models.DateTimeField("办结时间", null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人",
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", editable=False)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["notice", "status"], name="objection_notice_status"),
                   models.Index(fields=["phone", "-submitted_at"], name="objection_phone")]

    def __str__(self):
        return self.number


def operation_file_path(instance, filename):
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"centers/{instance.__class__.__name__.lower()}/{uuid.uuid4().hex}{suffix}"


class EvidenceFile(models.Model):
    """A file kept as evidence (upload rules checked before saving): its stored file, the
    name the user gave it and its size in bytes."""

    file = models.FileField("文件", upload_to=operation_file_path)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name


def objection_file_path(instance, filename):
    # The user's file name is kept only as data; the stored name is random.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"objections/{instance.objection_id}/{uuid.uuid4().hex}{suffix}"


class ObjectionFile(EvidenceFile):
    """Evidence of an objection, under the application's upload rules."""

    objection = models.ForeignKey(Objection, verbose_name="异议", on_delete=models.CASCADE,
                                  related_name="files")
    file = models.FileField("文件", upload_to=objection_file_path)

    class Meta:
        verbose_name = "异议证明材料"
        verbose_name_plural = "异议证明材料"
        ordering = ["objection", "id"]


class ExplanationRequest(models.Model):
    """The commission asks the applicant to explain, without naming the objector."""

    objection = models.ForeignKey(Objection, verbose_name="异议", on_delete=models.CASCADE,
                                  related_name="explanation_requests")
    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.PROTECT,
                                    related_name="explanation_requests")
    question = models.TextField("需说明的问题")
    answer = models.TextField("申报单位说明", blank=True)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人",
                                 on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField("提出时间", auto_now_add=True)
    answered_at = models.DateTimeField("说明时间", null=True, blank=True)

    class Meta:
        verbose_name = "情况说明"
        verbose_name_plural = "情况说明"
        ordering = ["-asked_at", "-id"]

    def __str__(self):
        return f"{self.application} · 情况说明"


class Center(models.Model):
    """A designated 赋能中心 (第九条（四）): made when its notice is finalised."""

    application = models.OneToOneField(Application, verbose_name="申报", on_delete=models.PROTECT,
                                       related_name="center")
    notice = models.ForeignKey(PublicNotice, verbose_name="公示", on_delete=models.PROTECT,
                               related_name="centers")
    name = models.CharField("赋能中心名称", max_length=100)
    lead_unit_name = models.CharField("承建单位", max_length=200)
    lead_unit_uscc = models.CharField("承建单位统一社会信用代码", max_length=18, blank=True)
    joint_unit_name = models.CharField("联合承建单位", max_length=200, blank=True)
    industry_field = models.ForeignKey("applications.IndustryField", verbose_name="产业领域",
                                       on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="centers")
    department = models.ForeignKey("accounts.Department", verbose_name="主管部门",
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="centers")
    designated_on = models.DateField("认定日期")
    # 五、建设目标（三年内）, as promised in the application.
    goal_key_technologies = models.PositiveIntegerField("关键技术突破（项）", null=True, blank=True)
    goal_scenarios = models.PositiveIntegerField("应用场景落地（个）", null=True, blank=True)
    goal_solutions = models.PositiveIntegerField("行业解决方案（个）", null=True, blank=True)
    goal_patents = models.PositiveIntegerField("相关有效专利（个）", null=True, blank=True)
    goal_other = models.TextField("其他目标", blank=True)
    status = models.CharField("状态", max_length=20, choices=CenterStatus.choices,
                              default=CenterStatus.ACTIVE, db_index=True)
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    # 第十七条 对外公布: the ground of the revocation as published, in words (set with the
    # status by designation.center_revoke; centers never reads the revocation record itself).
    revocation_ground = models.CharField("撤销事由", max_length=100, blank=True)
    # 第十五条 一张图: where the center works, as its unit enters it (never looked up online).
    address = models.CharField("运营地址", max_length=200, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = "赋能中心"
        verbose_name_plural = "赋能中心"
        ordering = ["-designated_on", "name", "id"]
        indexes = [models.Index(fields=["status", "-designated_on", "name", "id"],
                                name="center_status_order")]

    def __str__(self):
        return self.name


class PlaqueCounter(models.Model):
    """The last plaque sequence of a year; locked while the next is taken, so numbers are
    unique and gapless even when two notices are finalised at once."""

    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    last_sequence = models.PositiveIntegerField("已发放序号", default=0)

    class Meta:
        verbose_name = "牌匾编号计数"
        verbose_name_plural = "牌匾编号计数"


class Plaque(models.Model):
    """A center's plaque (授牌): its printed number (青数赋-2026-001) and the random token of
    its verification link (≥128 bits, never derived from the number). A reissue makes a new
    plaque with a new token; the old one stays, marked replaced."""

    center = models.ForeignKey(Center, verbose_name="赋能中心", on_delete=models.PROTECT,
                               related_name="plaques")
    number = models.CharField("牌匾编号", max_length=30, db_index=True)
    token = models.CharField("核验码", max_length=64, unique=True, editable=False)
    issued_on = models.DateField("颁发日期")
    replaced_at = models.DateTimeField("被换发时间", null=True, blank=True)
    certificate = models.FileField("证书文件", upload_to="plaques/", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "牌匾"
        verbose_name_plural = "牌匾"
        ordering = ["center", "-created_at", "-id"]

    def __str__(self):
        return self.number


# --- Operation (第十至十四条): targets in force, service records, change reports, the
# 主管部门's periodic reports and the data-security record. ---


class TargetSet(models.Model):
    """The 建设目标 (三年) in force for a center from `effective_from`. The first is copied
    from the application at designation (第九条（四）); a 服务内容和目标任务重大变化 accepted by
    the commission (第十三条) adds a new one from its date; earlier sets stay as history."""

    center = models.ForeignKey("Center", verbose_name="赋能中心", on_delete=models.CASCADE,
                               related_name="target_sets")
    effective_from = models.DateField("起始日期")
    key_technologies = models.PositiveIntegerField("关键技术突破（项）", null=True, blank=True)
    scenarios = models.PositiveIntegerField("应用场景落地（个）", null=True, blank=True)
    solutions = models.PositiveIntegerField("行业解决方案（个）", null=True, blank=True)
    patents = models.PositiveIntegerField("相关有效专利（个）", null=True, blank=True)
    other = models.TextField("其他目标", blank=True)
    change_report = models.ForeignKey("ChangeReport", verbose_name="依据的变更报告",
                                      on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "建设目标"
        verbose_name_plural = "建设目标"
        ordering = ["center", "-effective_from", "-id"]
        indexes = [models.Index(fields=["center", "-effective_from", "-id"],
                                name="targetset_center_from")]

    def __str__(self):
        return f"{self.center} · {self.effective_from:%Y-%m-%d}起"


class ServiceRecord(models.Model):
    """One service or achievement of a center (第十二条): a training, a 诊断书 or 解决方案 for an
    enterprise, an industry report (第七条（八）), a project, or an achievement counted
    against its targets. Editable by the center's users until its year is closed
    (`RecordYearClosure`). Kind-specific fields are blank for the other kinds."""

    center = models.ForeignKey("Center", verbose_name="赋能中心", on_delete=models.PROTECT,
                               related_name="service_records")
    kind = models.CharField("类别", max_length=30, choices=ServiceKind.choices)
    occurred_on = models.DateField("日期")
    year = models.PositiveSmallIntegerField("年度", editable=False)
    title = models.CharField("名称或主题", max_length=200)
    industry_field = models.ForeignKey("applications.IndustryField", verbose_name="行业领域",
                                       on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+")
    description = models.TextField("内容说明", blank=True)
    # 数字化转型培训
    hours = models.DecimalField("学时（小时）", max_digits=6, decimal_places=1, null=True,
                                blank=True)
    participants = models.PositiveIntegerField("参训人数", null=True, blank=True)
    # 行业数字化诊断咨询报告: to whom it was provided (市发展改革委、行业主管部门).
    provided_to = models.CharField("报送对象", max_length=200, blank=True)
    # 数字化转型项目 (万元)
    amount = models.DecimalField("合同金额（万元）", max_digits=12, decimal_places=2, null=True,
                                 blank=True)
    project_status = models.CharField("项目状态", max_length=20, choices=ProjectStatus.choices,
                                      blank=True)
    accepted_on = models.DateField("验收日期", null=True, blank=True)
    # 相关有效专利: ZL + application number with its check digit, normalised.
    patent_number = models.CharField("专利号", max_length=20, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("填报时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "服务记录"
        verbose_name_plural = "服务记录"
        ordering = ["center", "-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["center", "-occurred_on", "-id"], name="servicerecord_center"),
            models.Index(fields=["center", "kind", "year"], name="servicerecord_kind_year"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.title}"

    def save(self, *args, **kwargs):
        self.year = self.occurred_on.year
        super().save(*args, **kwargs)


class ServedEnterprise(models.Model):
    """An enterprise or institution a service record served (name and normalised 统一社会信用代码)."""

    record = models.ForeignKey(ServiceRecord, verbose_name="服务记录", on_delete=models.CASCADE,
                               related_name="enterprises")
    name = models.CharField("企业（机构）名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, db_index=True)

    class Meta:
        verbose_name = "服务对象"
        verbose_name_plural = "服务对象"
        ordering = ["record", "id"]

    def __str__(self):
        return self.name


class ServiceRecordFile(EvidenceFile):
    """Evidence of a service record, under the application's upload rules."""

    record = models.ForeignKey(ServiceRecord, verbose_name="服务记录", on_delete=models.CASCADE,
                               related_name="files")

    class Meta:
        verbose_name = "服务记录证明材料"
        verbose_name_plural = "服务记录证明材料"
        ordering = ["record", "id"]


class RecordYearClosure(models.Model):
    """A year whose evaluation is closed (第十七条): its service records are locked."""

    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    closed_at = models.DateTimeField("关闭时间", auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人",
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "已关闭的评价年度"
        verbose_name_plural = "已关闭的评价年度"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年度"


class ChangeReport(models.Model):
    """A change of a center (第十三条). An entity change (更名、股权变更、破产重组、注销) carries the
    licence change date; its 主管部门 forwards it to the commission by `due_on`, 30 working
    days after that date (null while that year's holiday schedule is not complete). A content
    change is forwarded and then accepted or refused by the commission; an 其他调整 only
    informs the 主管部门. `department` is the center's 主管部门 when the report was made."""

    center = models.ForeignKey("Center", verbose_name="赋能中心", on_delete=models.PROTECT,
                               related_name="change_reports")
    department = models.ForeignKey("accounts.Department", verbose_name="主管部门",
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    kind = models.CharField("变更类别", max_length=20, choices=ChangeKind.choices)
    entity_change = models.CharField("法人实体调整事项", max_length=20,
                                     choices=EntityChange.choices, blank=True)
    licence_changed_on = models.DateField("营业执照变更（注销）日期", null=True, blank=True)
    due_on = models.DateField("报送截止日期", null=True, blank=True, editable=False)
    summary = models.TextField("变更情况")
    new_name = models.CharField("变更后名称", max_length=100, blank=True)
    # 服务内容和目标任务重大变化: the new content and targets proposed.
    new_content = models.TextField("调整后的服务内容", blank=True)
    new_key_technologies = models.PositiveIntegerField("调整后关键技术突破（项）", null=True,
                                                       blank=True)
    new_scenarios = models.PositiveIntegerField("调整后应用场景落地（个）", null=True, blank=True)
    new_solutions = models.PositiveIntegerField("调整后行业解决方案（个）", null=True, blank=True)
    new_patents = models.PositiveIntegerField("调整后相关有效专利（个）", null=True, blank=True)
    new_targets_from = models.DateField("调整后目标起始日期", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=ChangeReportStatus.choices,
                              default=ChangeReportStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    submitted_at = models.DateTimeField("报主管部门时间", null=True, blank=True, editable=False)
    district_opinion = models.TextField("主管部门意见", blank=True)
    forwarded_at = models.DateTimeField("报送时间", null=True, blank=True, editable=False)
    forwarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人",
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    decision_reason = models.TextField("市发展改革委意见", blank=True)
    decided_at = models.DateTimeField("办结时间", null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人",
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    overdue_at = models.DateTimeField("标记逾期时间", null=True, blank=True, editable=False)
    # The smallest reminder threshold (working days left) already sent, so each goes once.
    reminded_at_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "变更报告"
        verbose_name_plural = "变更报告"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["center", "-created_at", "-id"], name="changereport_center"),
            models.Index(fields=["department", "status", "-created_at"],
                         name="changereport_department"),
            models.Index(fields=["status", "due_on"], name="changereport_due"),
        ]

    def __str__(self):
        return f"{self.center} · {self.get_kind_display()}"


class ChangeReportFile(EvidenceFile):
    """Evidence of a change (the licence change or cancellation, decisions), upload rules."""

    report = models.ForeignKey(ChangeReport, verbose_name="变更报告", on_delete=models.CASCADE,
                               related_name="files")

    class Meta:
        verbose_name = "变更证明材料"
        verbose_name_plural = "变更证明材料"
        ordering = ["report", "id"]


class SupervisionPeriod(models.Model):
    """A period of the 主管部门's reports on their centers' operation (第十一条): half-yearly by
    default, set by the commission, each with its report deadline."""

    name = models.CharField("名称", max_length=50)
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("截止日期")
    due_on = models.DateField("报送截止日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="设置人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = "运行情况报告期"
        verbose_name_plural = "运行情况报告期"
        ordering = ["-starts_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["starts_on", "ends_on"],
                                               name="supervisionperiod_unique_dates")]

    def __str__(self):
        return self.name


class OperationReport(models.Model):
    """A 主管部门's report on its centers' 建设运行情况 for a period (第十一条)."""

    period = models.ForeignKey(SupervisionPeriod, verbose_name="报告期", on_delete=models.PROTECT,
                               related_name="reports")
    department = models.ForeignKey("accounts.Department", verbose_name="主管部门",
                                   on_delete=models.PROTECT, related_name="+")
    summary = models.TextField("总体情况", blank=True)
    status = models.CharField("状态", max_length=20, choices=OperationReportStatus.choices,
                              default=OperationReportStatus.DRAFT)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人",
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    overdue_at = models.DateTimeField("标记逾期时间", null=True, blank=True, editable=False)
    reminded_at_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "运行情况报告"
        verbose_name_plural = "运行情况报告"
        ordering = ["-period__starts_on", "department", "id"]
        constraints = [models.UniqueConstraint(fields=["period", "department"],
                                               name="operationreport_one_per_period")]

    def __str__(self):
        return f"{self.period} · {self.department}"


class OperationAssessment(models.Model):
    """The 主管部门's assessment of one center in its period report."""

    report = models.ForeignKey(OperationReport, verbose_name="运行情况报告",
                               on_delete=models.CASCADE, related_name="assessments")
    center = models.ForeignKey("Center", verbose_name="赋能中心", on_delete=models.PROTECT,
                               related_name="operation_assessments")
    rating = models.CharField("评估", max_length=20, choices=OperationRating.choices)
    opinion = models.TextField("运行情况及意见")

    class Meta:
        verbose_name = "赋能中心运行评估"
        verbose_name_plural = "赋能中心运行评估"
        ordering = ["report", "center__name", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "center"],
                                               name="operationassessment_one_per_center")]

    def __str__(self):
        return f"{self.center} · {self.get_rating_display()}"


class DataSecurityRecord(models.Model):
    """A center's data-security record (第七条（八）、第十四条): the responsible person and what
    it shares with the 青岛市公共数据服务平台."""

    center = models.OneToOneField("Center", verbose_name="赋能中心", on_delete=models.CASCADE,
                                  related_name="data_security")
    responsible_person = models.CharField("数据安全负责人", max_length=50)
    responsible_title = models.CharField("职务", max_length=50, blank=True)
    responsible_phone = PhoneNumberField("联系电话")
    shared_data = models.TextField("向青岛市公共数据服务平台共享的数据", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "数据安全管理"
        verbose_name_plural = "数据安全管理"

    def __str__(self):
        return f"{self.center} · 数据安全管理"


class DataAgreement(EvidenceFile):
    """A data-use agreement a center signed (第十四条), with its file."""

    center = models.ForeignKey("Center", verbose_name="赋能中心", on_delete=models.CASCADE,
                               related_name="data_agreements")
    title = models.CharField("协议名称", max_length=200)
    counterparty = models.CharField("协议对方", max_length=200)
    signed_on = models.DateField("签订日期")
    file = models.FileField("协议文件", upload_to=operation_file_path)

    class Meta:
        verbose_name = "数据使用协议"
        verbose_name_plural = "数据使用协议"
        ordering = ["center", "-signed_on", "-id"]

    def __str__(self):
        return self.title


class DataSelfCheck(models.Model):
    """A center's yearly data-security self-check (第十四条)."""

    center = models.ForeignKey("Center", verbose_name="赋能中心", on_delete=models.CASCADE,
                               related_name="data_self_checks")
    year = models.PositiveSmallIntegerField("年度")
    findings = models.TextField("自查情况")
    rectification = models.TextField("整改措施", blank=True)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人",
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "数据安全年度自查"
        verbose_name_plural = "数据安全年度自查"
        ordering = ["center", "-year"]
        constraints = [models.UniqueConstraint(fields=["center", "year"],
                                               name="dataselfcheck_one_per_year")]

    def __str__(self):
        return f"{self.center} · {self.year}年度自查"


class Article(models.Model):
    """A news item or announcement of the commission (新闻动态、通知公告, 第十五条、第十九条).

    `body` is HTML that `centers.publicity.sanitise` has cleaned (nh3) before it was stored."""

    kind = models.CharField("栏目", max_length=20, choices=ArticleKind.choices)
    title = models.CharField("标题", max_length=200)
    summary = models.CharField("摘要", max_length=300, blank=True)
    body = models.TextField("正文")
    status = models.CharField("状态", max_length=20, choices=ArticleStatus.choices,
                              default=ArticleStatus.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撰稿人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "新闻公告"
        verbose_name_plural = "新闻公告"
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "kind", "-published_at", "-id"],
                                name="article_public_order")]

    def __str__(self):
        return self.title


class CaseStudy(models.Model):
    """A 典型案例 of a center (第十九条): its unit writes and submits it, the commission
    approves it for the public page or returns it with a reason.

    `body` is HTML cleaned by `centers.publicity.sanitise`; `version` guards autosave."""

    center = models.ForeignKey(Center, verbose_name="赋能中心", on_delete=models.PROTECT,
                               related_name="case_studies")
    title = models.CharField("案例名称", max_length=200)
    summary = models.CharField("案例摘要", max_length=300, blank=True)
    body = models.TextField("案例正文", blank=True)
    status = models.CharField("状态", max_length=20, choices=CaseStudyStatus.choices,
                              default=CaseStudyStatus.DRAFT)
    return_reason = models.TextField("退回理由", blank=True, editable=False)
    version = models.PositiveIntegerField("版本", default=0, editable=False)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True, editable=False)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人",
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   editable=False, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "典型案例"
        verbose_name_plural = "典型案例"
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at", "-id"],
                                name="casestudy_public_order"),
                   models.Index(fields=["center", "-updated_at"], name="casestudy_center_order")]

    def __str__(self):
        return self.title
