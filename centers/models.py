"""Public notice (公示, 第九条（四）) of a call's proposed list.

A `PublicNotice` is made from a frozen 拟评定名单 (experts.ProposedList) and lists it as
`NoticeEntry` rows, copied when the notice is drawn up, so the published text never changes
with later edits of an application. Its period runs from `starts_on` for `working_days`
working days (`ends_on`, computed with core.workdays across holidays and 调休).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from applications.models import Application, Call

from .enums import DEFAULT_NOTICE_WORKING_DAYS, NoticeStatus


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
