"""A file built for a 主管部门 official from several applications at once: the ZIP of their
files or the Excel list of the inbox (第八条). Built in the background (`reviews.bulk`)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Department
from applications.enums import DocumentStatus


class BundleKind(models.TextChoices):
    FILES = "zip", "申报材料压缩包"
    LIST = "xlsx", "申报清单"


def bundle_path(instance, filename):
    return f"exports/reviews/{uuid.uuid4().hex}.{instance.kind}"


class ReviewBundle(models.Model):
    """A ZIP of the selected applications' files (`application_ids`) or an Excel list of the
    inbox's filtered rows (`params`), for one official of one department. The rows are chosen
    again when the file is built, from what the department may see then."""

    kind = models.CharField("类型", max_length=10, choices=BundleKind.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="请求人",
                                     on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, verbose_name="主管部门",
                                   on_delete=models.PROTECT, related_name="+")
    application_ids = models.JSONField("所选申报", default=list, blank=True)
    params = models.JSONField("筛选条件", default=dict, blank=True)
    status = models.CharField("状态", max_length=20, choices=DocumentStatus.choices,
                              default=DocumentStatus.PENDING)
    file = models.FileField("文件", upload_to=bundle_path, blank=True, max_length=300)
    items_total = models.PositiveIntegerField("应处理申报数", null=True, blank=True)
    items_done = models.PositiveIntegerField("已处理申报数", default=0)
    item_count = models.PositiveIntegerField("申报数", null=True, blank=True)
    error = models.TextField("错误信息", blank=True)
    created_at = models.DateTimeField("请求时间", auto_now_add=True)
    # When the sweep last handed the bundle to the queue again (`bulk.review_bundles_requeue`).
    requeued_at = models.DateTimeField("重新排队时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "初审批量下载"
        verbose_name_plural = "初审批量下载"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "finished_at"], name="reviewbundle_expiry")]

    def __str__(self):
        return f"{self.get_kind_display()} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    @property
    def download_name(self) -> str:
        stamp = f"{timezone.localtime(self.created_at):%Y%m%d_%H%M}"
        if self.kind == BundleKind.FILES:
            return f"申报材料_{stamp}.zip"
        return f"初审申报清单_{stamp}.xlsx"
