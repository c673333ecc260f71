from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from core.admin import ReadOnlyAdmin

from . import intake
from .models import DistrictReview, OverdueReview, ReviewBundle
from .services import ReviewError


@admin.register(DistrictReview)
class DistrictReviewAdmin(ReadOnlyAdmin):
    """The 主管部门's review rounds, read only: a decision and what it was made on are history
    (第九条（二）); drafts change only on the official's own page."""

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
    actions = [take_over_overdue]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("reviews.view_intake")

    def has_take_over_permission(self, request):
        return request.user.has_perm("reviews.view_intake")
