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
    CenterStatus,
    NoticeStatus,
    ObjectionStatus,
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


def objection_file_path(instance, filename):
    # The user's file name is kept only as data; the stored name is random.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"objections/{instance.objection_id}/{uuid.uuid4().hex}{suffix}"


class ObjectionFile(models.Model):
    """Evidence of an objection, under the application's upload rules."""

    objection = models.ForeignKey(Objection, verbose_name="异议", on_delete=models.CASCADE,
                                  related_name="files")
    file = models.FileField("文件", upload_to=objection_file_path)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "异议证明材料"
        verbose_name_plural = "异议证明材料"
        ordering = ["objection", "id"]

    def __str__(self):
        return self.original_name


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
