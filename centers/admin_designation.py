"""认定 and 授牌 in the commission's admin (第九条（四））: the finalise action on 公示 (the same
service as everywhere, `designation.notice_finalise`), and the centers and their plaques,
read-only (the history of a designation does not change here)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html

from core.admin import ReadOnlyAdmin, ReadOnlyMixin

from . import designation
from .admin import PublicNoticeAdmin
from .models import Center, Plaque
from .notices import NoticeError


@admin.action(description="确定认定结果（发布认定公告并授牌）")
def finalise_notices(modeladmin, request, queryset):
    for notice in queryset.order_by("pk"):
        try:
            centers = designation.notice_finalise(notice=notice, actor=request.user)
        except (NoticeError, PermissionDenied) as error:
            modeladmin.message_user(request, f"“{notice}”：{error}", messages.ERROR)
        else:
            modeladmin.message_user(
                request, f"“{notice}”已确定认定结果，认定赋能中心{len(centers)}家，授牌证书正在生成。",
                messages.SUCCESS)


PublicNoticeAdmin.actions = [*PublicNoticeAdmin.actions, finalise_notices]


class PlaqueInline(ReadOnlyMixin, admin.TabularInline):
    model = Plaque
    fields = ("number", "issued_on", "replaced_at", "certificate_link")
    readonly_fields = fields
    extra = 0

    @admin.display(description="授牌证书")
    def certificate_link(self, plaque):
        if not plaque.certificate:
            return "生成中"
        return format_html('<a href="{}">下载</a>',
                           reverse("centers:certificate_download", args=[plaque.pk]))


@admin.register(Center)
class CenterAdmin(ReadOnlyAdmin):
    list_display = ("name", "lead_unit_name", "industry_field", "department", "designated_on",
                    "status")
    list_filter = ("status", "industry_field", "department")
    search_fields = ("name", "lead_unit_name", "joint_unit_name", "plaques__number")
    list_select_related = ("industry_field", "department")
    ordering = ("-designated_on", "name", "id")
    fields = readonly_fields = (
        "name", "application", "notice", "lead_unit_name", "lead_unit_uscc", "joint_unit_name",
        "industry_field", "department", "designated_on", "goal_key_technologies",
        "goal_scenarios", "goal_solutions", "goal_patents", "goal_other", "status",
        "revoked_on")
    inlines = [PlaqueInline]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("centers.publish_notice")

    def has_module_permission(self, request):
        return request.user.has_perm("centers.publish_notice")
