"""The centers' materials and the 主管部门's 初审 in the commission's admin (第十八条): the
evaluations' materials, self-scores, evidence files and forwarded batches, read-only (their
history does not change here), filtered by cycle, status and 主管部门; rendering a batch's PDF
again is an action calling `district.forwarding_rerender`.

The evaluation's own admin (evaluations/admin.py) shows `MATERIALS_INLINES` and
`MATERIALS_FIELDS`."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html

from core.admin import ReadOnlyAdmin, ReadOnlyMixin

from . import district
from .models import DistrictForwarding, EvaluationFile, SelfScore


def _commission(request) -> bool:
    return request.user.has_perm("evaluations.manage_cycle")


class CommissionOnly:
    """Shown to the commission's staff only (the rules' `evaluations.manage_cycle`)."""

    def has_view_permission(self, request, obj=None):
        return _commission(request) and super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return _commission(request) and super().has_module_permission(request)


class SelfScoreInline(ReadOnlyMixin, admin.TabularInline):
    model = SelfScore
    fields = readonly_fields = ("indicator", "value", "note")
    extra = 0


class EvaluationFileInline(ReadOnlyMixin, admin.TabularInline):
    model = EvaluationFile
    fields = readonly_fields = ("indicator", "original_name", "size", "uploaded_at",
                                "uploaded_by")
    extra = 0


MATERIALS_INLINES = [SelfScoreInline, EvaluationFileInline]
MATERIALS_FIELDS = ("cycle", "center", "department", "status", "report", "figures",
                    "submitted_at", "submitted_by", "returned_at", "return_reason",
                    "district_opinion", "district_reviewed_by", "forwarding", "version",
                    "reminders_sent", "updated_at")


@admin.register(SelfScore)
class SelfScoreAdmin(CommissionOnly, ReadOnlyAdmin):
    list_display = ("evaluation", "indicator", "value")
    list_filter = ("evaluation__cycle", "indicator__name")
    search_fields = ("evaluation__center__name", "note")
    list_select_related = ("evaluation__center", "evaluation__cycle", "indicator")
    fields = readonly_fields = ("evaluation", "indicator", "value", "note")


@admin.register(EvaluationFile)
class EvaluationFileAdmin(CommissionOnly, ReadOnlyAdmin):
    list_display = ("original_name", "evaluation", "indicator", "size", "uploaded_at")
    list_filter = ("evaluation__cycle", "evaluation__department")
    search_fields = ("original_name", "evaluation__center__name")
    list_select_related = ("evaluation__center", "evaluation__cycle", "indicator")
    fields = readonly_fields = ("evaluation", "indicator", "original_name", "size",
                                "uploaded_at", "uploaded_by", "download")

    @admin.display(description="下载")
    def download(self, evidence):
        return format_html('<a href="{}">下载</a>', reverse(
            "evaluations:materials_file", args=[evidence.evaluation_id, evidence.pk]))


@admin.action(description="重新生成审查意见PDF")
def rerender_pdf(modeladmin, request, queryset):
    """For DistrictForwardingAdmin: queues the ticked batches' PDFs to be rendered again."""
    for forwarding in queryset.order_by("pk"):
        try:
            district.forwarding_rerender(forwarding=forwarding, actor=request.user)
        except PermissionDenied as error:
            modeladmin.message_user(request, f"“{forwarding}”：{error}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"“{forwarding}”的审查意见PDF已重新生成。",
                                    messages.SUCCESS)


class LateFilter(admin.SimpleListFilter):
    """Forwarded on time or after the 主管部门's deadline."""

    title = "是否逾期"
    parameter_name = "late"

    def lookups(self, request, model_admin):
        return [("1", "逾期报送"), ("0", "按期报送")]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(late=self.value() == "1")
        return queryset


@admin.register(DistrictForwarding)
class DistrictForwardingAdmin(CommissionOnly, ReadOnlyAdmin):
    list_display = ("department", "cycle", "forwarded_at", "late", "pdf_rendered_at")
    list_filter = ("cycle", "department", LateFilter)
    list_select_related = ("cycle", "department")
    fields = readonly_fields = ("cycle", "department", "summary", "forwarded_at",
                                "forwarded_by", "late", "pdf_rendered_at", "pdf_link")
    actions = [rerender_pdf]

    @admin.display(description="审查意见PDF")
    def pdf_link(self, forwarding):
        if not forwarding.pdf:
            return "正在生成"
        return format_html('<a href="{}">下载</a>',
                           reverse("evaluations:forwarding_pdf", args=[forwarding.pk]))
