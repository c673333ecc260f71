from django.conf import settings
from django.db import models

from accounts.models import Department
from applications.models import Application, Call

from .bundle_models import BundleKind, ReviewBundle  # noqa: F401  (bulk downloads, own module)
from .enums import (
    BatchStatus,
    CheckResult,
    LetterStatus,
    OverdueResolution,
    ReviewOutcome,
    ReviewStatus,
)


class DistrictReview(models.Model):
    """One round of a 主管部门's preliminary review of one application (第八条、第九条（二）).

    A round starts when the official first saves the checklist and ends with a decision
    (退回修改, 不予推荐, 推荐); a resubmission after a return is reviewed in the next round.
    The decision keeps a snapshot of the content and files it was made on (`snapshot`), so a
    later dispute sees what the official saw.
    """

    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.PROTECT,
                                    related_name="district_reviews")
    round = models.PositiveSmallIntegerField("审查轮次", default=1)
    department = models.ForeignKey(Department, verbose_name="审查主管部门",
                                   on_delete=models.PROTECT, related_name="district_reviews")
    call = models.ForeignKey(Call, verbose_name="申报通知", on_delete=models.PROTECT,
                             related_name="district_reviews")
    official = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审查人",
                                 on_delete=models.PROTECT, related_name="+")

    # 第九条（二）: 真实性、准确性、规范性, each passed or failed, with a note.
    authenticity = models.CharField("真实性", max_length=10, choices=CheckResult.choices,
                                    blank=True)
    authenticity_note = models.TextField("真实性说明", blank=True)
    accuracy = models.CharField("准确性", max_length=10, choices=CheckResult.choices, blank=True)
    accuracy_note = models.TextField("准确性说明", blank=True)
    conformity = models.CharField("规范性", max_length=10, choices=CheckResult.choices,
                                  blank=True)
    conformity_note = models.TextField("规范性说明", blank=True)
    opinion = models.TextField("审查推荐意见", blank=True)
    # What the unit reads with a return or a 不予推荐.
    applicant_reasons = models.TextField("退回修改或不予推荐的理由（申报单位可见）", blank=True)
    # The district's own remarks: never shown to the applicant.
    internal_note = models.TextField("内部备注（不向申报单位显示）", blank=True)
    resubmit_by = models.DateField("重新提交期限", null=True, blank=True)

    status = models.CharField("状态", max_length=20, choices=ReviewStatus.choices,
                              default=ReviewStatus.DRAFT)
    outcome = models.CharField("审查结论", max_length=20, choices=ReviewOutcome.choices,
                               blank=True)
    # 择优推荐: the place among this department's recommendations for the call (1 = first).
    rank = models.PositiveIntegerField("推荐排序", null=True, blank=True)

    # What the decision was made on: the application's fields and files (snapshots.py), its
    # digest, and the content hash of the full-package PDF (ApplicationDocument.content_hash).
    snapshot = models.JSONField("审查时的申报内容", null=True, blank=True, editable=False)
    snapshot_sha256 = models.CharField("审查内容摘要", max_length=64, blank=True, editable=False)
    package_hash = models.CharField("完整申报材料文档摘要", max_length=64, blank=True,
                                    editable=False)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("保存时间", auto_now=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)

    class Meta:
        verbose_name = "主管部门初审"
        verbose_name_plural = "主管部门初审"
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "round"],
                                    name="district_review_one_per_round"),
            models.UniqueConstraint(fields=["department", "call", "rank"],
                                    name="district_review_unique_rank"),
            models.CheckConstraint(
                condition=models.Q(rank__isnull=True)
                | models.Q(outcome=ReviewOutcome.RECOMMENDED, rank__gte=1),
                name="district_review_rank_only_when_recommended"),
        ]
        indexes = [
            models.Index(fields=["department", "call", "outcome", "rank"],
                         name="district_review_ranking"),
        ]

    def __str__(self):
        return f"{self.application} · 第{self.round}轮初审"

    @property
    def is_decided(self) -> bool:
        return self.status == ReviewStatus.DECIDED


class RecommendationList(models.Model):
    """The lock of one department's recommendations for one call: every change of their ranks
    locks this row first, so two officials reordering at once are served one after the other
    and neither's move is lost (择优推荐, 第八条)."""

    department = models.ForeignKey(Department, verbose_name="主管部门", on_delete=models.PROTECT,
                                   related_name="+")
    call = models.ForeignKey(Call, verbose_name="申报通知", on_delete=models.PROTECT,
                             related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "推荐排序"
        verbose_name_plural = "推荐排序"
        constraints = [
            models.UniqueConstraint(fields=["department", "call"],
                                    name="recommendation_list_one_per_department_call"),
        ]

    def __str__(self):
        return f"{self.department} · {self.call}"


class OverdueReview(models.Model):
    """未按期审查 (第八条): an application routed to a 主管部门 and still undecided after the
    last day it had (`deadline`: the call's district deadline, or the date the commission
    allowed when it extended an earlier mark). The deadline sweep writes one row per
    application and deadline (never twice); the commission then decides: 允许主管部门补审 with a
    new date (`extended_until`), or 直接转入形式审查 by the commission. The district is never
    blocked from still deciding."""

    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.PROTECT,
                                    related_name="overdue_reviews")
    department = models.ForeignKey(Department, verbose_name="主管部门", on_delete=models.PROTECT,
                                   related_name="+")
    call = models.ForeignKey(Call, verbose_name="申报通知", on_delete=models.PROTECT,
                             related_name="+")
    deadline = models.DateField("应完成初审日期")
    marked_at = models.DateTimeField("标记时间")
    resolution = models.CharField("处理结果", max_length=20, choices=OverdueResolution.choices,
                                  default=OverdueResolution.PENDING)
    extended_until = models.DateField("补审期限", null=True, blank=True)
    resolution_note = models.TextField("处理说明", blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人",
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "未按期审查"
        verbose_name_plural = "未按期审查"
        ordering = ["-marked_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "deadline"],
                                    name="overdue_review_once_per_deadline"),
        ]
        indexes = [
            models.Index(fields=["resolution", "call", "department"],
                         name="overdue_review_open"),
        ]

    def __str__(self):
        return f"{self.application} · 未按期审查（{self.deadline:%Y-%m-%d}）"


def letter_path(batch, filename):
    """Each sending's 推荐函 in its own file: an earlier one stays readable in storage."""
    return (f"recommendation_letters/{batch.call_id}/{batch.department_id}/"
            f"{batch.submission_count}.pdf")


class RecommendationBatch(models.Model):
    """One 主管部门's recommendations for one call, sent to the commission as one batch before
    the call's district deadline (第八条: 择优推荐, 在规定时间上报). Sending it locks the
    department's decisions for the call; the commission may send it back (reopen, with a
    reason) and the department sends it again. Its moves and their reasons are the
    `core.transitions` history; `letter_*` is the 推荐函 of the latest sending."""

    department = models.ForeignKey(Department, verbose_name="主管部门", on_delete=models.PROTECT,
                                   related_name="+")
    call = models.ForeignKey(Call, verbose_name="申报通知", on_delete=models.PROTECT,
                             related_name="+")
    status = models.CharField("状态", max_length=20, choices=BatchStatus.choices,
                              default=BatchStatus.DRAFT)
    first_submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人",
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    submission_count = models.PositiveSmallIntegerField("报送次数", default=0)
    reopened_at = models.DateTimeField("退回重新报送时间", null=True, blank=True)
    reopen_reason = models.TextField("退回重新报送理由", blank=True)

    # What the 推荐函 of the latest sending shows (batches.letter_content), and its PDF.
    letter_content = models.JSONField("推荐函内容", null=True, blank=True, editable=False)
    letter_status = models.CharField("推荐函状态", max_length=20, choices=LetterStatus.choices,
                                     default=LetterStatus.PENDING)
    letter_file = models.FileField("推荐函", upload_to=letter_path, blank=True, max_length=300)
    letter_error = models.TextField("推荐函生成错误", blank=True)
    letter_rendered_at = models.DateTimeField("推荐函生成时间", null=True, blank=True)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "推荐报送批次"
        verbose_name_plural = "推荐报送批次"
        ordering = ["call", "department__sort_order", "department_id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "call"],
                                    name="recommendation_batch_one_per_department_call"),
        ]
        indexes = [models.Index(fields=["call", "status"], name="recommendation_batch_call")]

    def __str__(self):
        return f"{self.department} · {self.call}"
