from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import DistrictReview, ReviewBundle


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
