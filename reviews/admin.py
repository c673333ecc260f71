from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.html import format_html_join

from core.admin import ReadOnlyAdmin
from core.transitions import status_history

from . import batches, intake
from .batch_forms import BatchReopenForm
from .intake_forms import OverdueExtendForm
from .models import DistrictReview, OverdueReview, RecommendationBatch, ReviewBundle
from .enums import ReviewOutcome, ReviewStatus
from .services import ReviewError


def _formal_review_action(outcome: str, description: str):
    """An admin action deciding the commission's saved 形式审查 drafts among the ticked rounds
    with `outcome`, through the intake page's service (`intake.commission_review_decide`);
    rounds that are not such drafts, or not complete, are refused one by one."""

    @admin.action(description=description, permissions=["formal_review"])
    def decide(modeladmin, request, queryset):
        for review in queryset.select_related("application").order_by("pk"):
            try:
                if review.status != ReviewStatus.DRAFT:
                    raise ReviewError("该审查已作出结论。")
                intake.commission_review_decide(application=review.application,
                                                actor=request.user, outcome=outcome)
            except (ReviewError, PermissionDenied) as error:
                modeladmin.message_user(request, f"“{review.application}”：{error}",
                                        messages.ERROR)
            else:
                modeladmin.message_user(request, f"“{review.application}”：{description}。",
                                        messages.SUCCESS)

    decide.__name__ = f"formal_review_{outcome}"
    return decide


@admin.register(DistrictReview)
class DistrictReviewAdmin(ReadOnlyAdmin):
    """The 主管部门's review rounds, read only: a decision and what it was made on are history
    (第九条（二）); drafts change only on the reviewer's own page. The commission decides its
    saved 形式审查 drafts here too, through the same service as its intake page."""

    actions = [
        _formal_review_action(ReviewOutcome.PASSED, "形式审查结论：通过所选草稿"),
        _formal_review_action(ReviewOutcome.RETURNED, "形式审查结论：退回修改（按草稿中的理由和期限）"),
        _formal_review_action(ReviewOutcome.NOT_RECOMMENDED, "形式审查结论：不予推荐"),
    ]

    def has_formal_review_permission(self, request):
        return request.user.has_perm("reviews.view_intake")

    list_display = ("application", "round", "department", "call", "status", "outcome", "rank",
                    "official", "decided_at")
    list_filter = ("status", "outcome", "department", "call")
    search_fields = ("application__center_name", "application__receipt_number",
                     "application__organisation__name")
    list_select_related = ("application", "department", "call", "official")
    readonly_fields = ("snapshot", "snapshot_sha256", "package_hash")
    ordering = ("-updated_at", "-id")


@admin.register(ReviewBundle)
class ReviewBundleAdmin(ReadOnlyAdmin):
    """The officials' bulk downloads, read only: a record of material that left the portal."""

    list_display = ("__str__", "kind", "department", "requested_by", "status", "item_count",
                    "finished_at")
    list_filter = ("kind", "status", "department")
    list_select_related = ("department", "requested_by")
    ordering = ("-created_at", "-id")
@admin.action(description="由市发展改革委直接转入形式审查", permissions=["take_over"])
def take_over_overdue(modeladmin, request, queryset):
    """直接转入形式审查 of the ticked 未按期审查 marks (`intake.overdue_take_over`, the intake
    page's act); marks already decided are refused one by one."""
    for mark in queryset.select_related("application").order_by("pk"):
        try:
            intake.overdue_take_over(mark=mark, actor=request.user, request=request)
        except (ReviewError, PermissionDenied) as error:
            modeladmin.message_user(request, f"“{mark.application}”：{error}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"“{mark.application}”已转入形式审查。",
                                    messages.SUCCESS)


@admin.action(description="允许主管部门补审（设定补审期限）", permissions=["take_over"])
def extend_overdue(modeladmin, request, queryset):
    """允许主管部门补审 of the ticked 未按期审查 marks with one new last day, through the
    intake page's service (`intake.overdue_extend`); marks already decided are refused one by
    one."""
    form = OverdueExtendForm(request.POST if "apply" in request.POST else None)
    marks = queryset.select_related("application", "department")
    if form.is_bound and form.is_valid():
        for mark in marks.order_by("pk"):
            try:
                intake.overdue_extend(mark=mark, actor=request.user,
                                      until=form.cleaned_data["until"],
                                      reason=form.cleaned_data["reason"])
            except (ReviewError, PermissionDenied) as error:
                modeladmin.message_user(request, f"“{mark.application}”：{error}", messages.ERROR)
            else:
                modeladmin.message_user(
                    request, f"“{mark.application}”已允许{mark.department}补审，主管部门已收到通知。",
                    messages.SUCCESS)
        return None
    return TemplateResponse(request, "admin/reviews/overduereview/extend.html", {
        **modeladmin.admin_site.each_context(request),
        "title": "允许主管部门补审",
        "opts": modeladmin.model._meta,
        "marks": marks,
        "form": form,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
    })


@admin.register(OverdueReview)
class OverdueReviewAdmin(ReadOnlyAdmin):
    """未按期审查 (第八条): marked by the deadline sweep, decided by the commission on the intake
    page (允许补审 with a date) or here (直接转入形式审查)."""

    list_display = ("application", "department", "call", "deadline", "marked_at", "resolution",
                    "extended_until", "resolved_by", "resolved_at")
    list_filter = ("resolution", "department", "call")
    search_fields = ("application__center_name", "application__receipt_number",
                     "application__organisation__name")
    list_select_related = ("application", "department", "call", "resolved_by")
    ordering = ("-marked_at", "-id")
    actions = [extend_overdue, take_over_overdue]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("reviews.view_intake")

    def has_take_over_permission(self, request):
        return request.user.has_perm("reviews.view_intake")
@admin.action(description="退回所选推荐名单重新报送（第八条）", permissions=["reopen"])
def reopen_batches(modeladmin, request, queryset):
    """The commission's sending back, through the same service as its portal page."""
    form = BatchReopenForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        for batch in queryset.select_related("department", "call"):
            try:
                batches.batch_reopen(batch=batch, actor=request.user,
                                     reason=form.cleaned_data["reason"])
            except (batches.BatchError, PermissionDenied) as error:
                modeladmin.message_user(request, f"“{batch}”：{error}", messages.ERROR)
            else:
                modeladmin.message_user(request, f"“{batch}”已退回重新报送，主管部门已收到通知。",
                                        messages.SUCCESS)
        return None
    return TemplateResponse(request, "admin/reviews/recommendationbatch/reopen.html", {
        **modeladmin.admin_site.each_context(request),
        "title": "退回推荐名单重新报送",
        "opts": modeladmin.model._meta,
        "batches": queryset.select_related("department", "call"),
        "form": form,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
    })


@admin.register(RecommendationBatch)
class RecommendationBatchAdmin(ReadOnlyAdmin):
    """The departments' batches (第八条), read only with their history; the commission sends
    one back with `reopen_batches`."""

    list_display = ("department", "call", "status", "submitted_at", "first_submitted_at",
                    "submission_count", "letter_status")
    list_filter = ("status", "call", "department")
    list_select_related = ("department", "call")
    ordering = ("-submitted_at", "-id")
    actions = [reopen_batches]
    fields = readonly_fields = ("department", "call", "status", "first_submitted_at",
                                "submitted_at", "submitted_by", "submission_count",
                                "reopened_at", "reopen_reason", "letter_status",
                                "letter_rendered_at", "history")

    @admin.display(description="报送记录")
    def history(self, obj):
        rows = [(f"{change.occurred_at:%Y-%m-%d %H:%M}",
                 change.actor.display_name if change.actor else "系统",
                 "报送推荐名单" if change.transition == "submit" else "退回重新报送",
                 f"（{change.reason}）" if change.reason else "")
                for change in status_history(obj)]
        return format_html_join("", "<div>{} {}：{}{}</div>", rows) or "暂无记录"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("reviews.list_batches")

    def has_reopen_permission(self, request):
        return request.user.has_perm("reviews.reopen_batch")
