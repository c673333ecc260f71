"""Pieces every app uses: the audit log, status changes, the holiday calendar, notifications."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("审计记录只能追加，不能修改。")

    def delete(self):
        raise PermissionDenied("审计记录只能追加，不能删除。")


class AppendOnlyModel(models.Model):
    """Rows are written once; the ORM refuses to change or delete them."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("审计记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("审计记录只能追加，不能删除。")


class AuditEvent(AppendOnlyModel):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    actor_label = models.CharField("操作人（登记时）", max_length=150, blank=True)
    occurred_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    action = models.CharField("操作", max_length=60, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name="对象类型", on_delete=models.PROTECT, null=True, blank=True
    )
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计日志"
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        # Beijing time, as every page of the portal shows it (the column is stored in UTC).
        return (f"{timezone.localtime(self.occurred_at):%Y-%m-%d %H:%M} {self.actor_label} "
                f"{self.action_label}")

    @property
    def action_label(self) -> str:
        """The action as staff read it (发布申报通知), never its code."""
        from .audit import action_label

        return action_label(self.action)


class StatusChange(AppendOnlyModel):
    """One move of a workflow: who moved what from which status to which, when and why."""

    content_type = models.ForeignKey(ContentType, verbose_name="对象类型", on_delete=models.PROTECT)
    object_id = models.CharField("对象编号", max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    transition = models.CharField("操作", max_length=60)
    from_status = models.CharField("原状态", max_length=40)
    to_status = models.CharField("新状态", max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    reason = models.TextField("理由", blank=True)
    occurred_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "状态变更"
        verbose_name_plural = "状态变更"
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "occurred_at"])]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.transition_label}"

    @property
    def transition_label(self) -> str:
        """The move as staff read it: the audit label of `<model>.<move>`."""
        from .audit import action_label

        return action_label(f"{self.content_type.model}.{self.transition}")

    def status_label(self, status: str) -> str:
        model = self.content_type.model_class()
        try:
            choices = dict(model._meta.get_field("status").choices or [])
        except Exception:  # a model without a `status` field
            choices = {}
        return choices.get(status, "未知状态")


class HolidayOverride(models.Model):
    """A day the commission marks as holiday or make-up working day (调休).

    Overrides win over the bundled calendar; entering a year's days also makes that year known
    when the bundled calendar does not cover it yet.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "法定节假日（休息）"
        WORKDAY = "workday", "调休上班日"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("说明", max_length=50, blank=True, help_text="如：春节、国庆节调休")

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()


class WorkdayYear(models.Model):
    """A year's holiday arrangement as the State Council published it, entered by the commission.

    A year the bundled calendar (`chinese-calendar`) does not know counts working days only once
    its schedule is marked complete: every holiday and make-up working day (调休) entered as
    `HolidayOverride` rows, then confirmed as a whole. Until then `core.workdays` refuses to
    count in it (第十三条's 30 working days must not be guessed from weekends).
    """

    year = models.PositiveSmallIntegerField("年度", unique=True)
    source = models.CharField(
        "依据", max_length=200, blank=True,
        help_text="国务院办公厅通知的标题和文号，如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）",
    )
    is_complete = models.BooleanField("已确认全年安排", default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = "年度节假日安排"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年节假日安排"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE,
        related_name="notifications",
    )
    purpose = models.CharField("用途", max_length=60)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


class OutgoingMail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    to_address = models.EmailField("收件地址")
    purpose = models.CharField("用途", max_length=60)
    subject = models.CharField("主题", max_length=200)
    body = models.TextField("正文")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    error = models.TextField("错误信息", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # When the sweep last handed the mail to the queue again (core.mail.requeue_unsent_mail).
    requeued_at = models.DateTimeField("重新排队时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "邮件记录"
        verbose_name_plural = "邮件记录"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.to_address} {self.subject}"


class ReminderSent(models.Model):
    """Marks that one reminder went out, so a sweep never sends the same reminder twice."""

    key = models.CharField("提醒标识", max_length=200, unique=True)
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "已发送提醒"
        verbose_name_plural = "已发送提醒"


class FormSubmission(models.Model):
    """A one-time form token that was used: a second submission of the same form (a double
    click, a resent request) finds it and is answered with where the first one led."""

    token = models.CharField("表单标识", max_length=64, unique=True)
    purpose = models.CharField("用途", max_length=60)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人",
                             on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    result_url = models.CharField("结果页面", max_length=300, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "表单提交记录"
        verbose_name_plural = "表单提交记录"

    def __str__(self):
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"
