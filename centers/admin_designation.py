"""认定 and 授牌 in the commission's admin (第九条（四））: the finalise action on 公示 (the same
service as everywhere, `designation.notice_finalise`), and the centers and their plaques,
read-only (the history of a designation does not change here)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html

from core.admin import ReadOnlyAdmin, ReadOnlyMixin, action_form_page, action_once
from core.forms import PortalForm

from . import designation, plaques
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


class ReissueForm(PortalForm):
    reason = forms.CharField(label="换发原因", max_length=200)


@admin.action(description="换发牌匾（原编号，新核验码和证书）")
def reissue_plaques(modeladmin, request, queryset):
    """For CenterAdmin: 换发 through `plaques.plaque_reissue` (same number, new token, new
    certificate; the old QR code then says it was replaced), one reason for the ticked."""
    form = ReissueForm(request.POST if "apply" in request.POST else None)
    chosen = queryset.order_by("pk")
    if form.is_bound and form.is_valid():
        # A second click would reissue again, voiding the plaque just issued: once per page.
        with action_once(request, action="reissue_plaques"):
            for center in chosen:
                try:
                    plaque = plaques.plaque_reissue(center=center, actor=request.user,
                                                    reason=form.cleaned_data["reason"])
                except PermissionDenied as error:
                    modeladmin.message_user(request, f"“{center}”：{error}", messages.ERROR)
                else:
                    modeladmin.message_user(
                        request, f"“{center}”已换发牌匾{plaque.number}，新证书正在生成。",
                        messages.SUCCESS)
        return None
    return action_form_page(
        modeladmin, request, action="reissue_plaques", title="换发牌匾", rows=chosen,
        form=form, submit="换发",
        intro="换发后牌匾编号不变，核验二维码和授牌证书重新生成；原牌匾的二维码核验时显示“已换发”。")


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
    actions = [reissue_plaques]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("centers.publish_notice")

    def has_module_permission(self, request):
        return request.user.has_perm("centers.publish_notice")
