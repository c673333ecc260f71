"""The experts' score sheets and the site visits in the commission's admin: read only (history
must not change); a submitted sheet is reopened with a reason (`reopen_sheets`, the same
service as the portal page, experts.sheets.sheet_reopen)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from core.admin import ReadOnlyAdmin, action_form_page
from core.forms import PortalForm
from core.transitions import TransitionNotAllowed, status_history

from . import sheets
from .enums import SheetStatus
from .models import ScoreSheet, SiteVisit


class SheetReopenForm(PortalForm):
    reason = forms.CharField(label="重新开放理由（专家可见，记入办理记录）", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


@admin.action(description="重新开放所选评分表（须填写理由）", permissions=["reopen"])
def reopen_sheets(modeladmin, request, queryset):
    form = SheetReopenForm(request.POST if "apply" in request.POST else None)
    chosen = queryset.select_related("assignment__expert", "assignment__application")
    if form.is_bound and form.is_valid():
        for sheet in chosen:
            try:
                sheets.sheet_reopen(sheet=sheet, actor=request.user,
                                    reason=form.cleaned_data["reason"])
            except (TransitionNotAllowed, PermissionDenied) as error:
                modeladmin.message_user(request, f"“{sheet}”：{error}", messages.ERROR)
            else:
                modeladmin.message_user(request, f"“{sheet}”已重新开放，已通知该专家。",
                                        messages.SUCCESS)
        return None
    return action_form_page(
        modeladmin, request, action="reopen_sheets", title="重新开放评分表", rows=chosen,
        form=form, submit="确认重新开放",
        intro="以下已提交的评分表将重新开放为草稿，专家可修改后重新提交。理由记入办理记录和审计日志，"
              "并通知该专家。",
        describe=lambda sheet: f"{sheet}（{sheet.get_status_display()}）")


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnlyAdmin):
    list_display = ("assignment", "expert_name", "round_title", "status", "total",
                    "submitted_at", "updated_at", "portal_link")
    list_filter = ("status", "assignment__round", "assignment__round__kind")
    search_fields = ("assignment__expert__name", "assignment__application__center_name",
                     "assignment__application__receipt_number")
    list_select_related = ("assignment__expert", "assignment__application",
                           "assignment__round")
    ordering = ("-updated_at", "-id")
    actions = [reopen_sheets]
    fields = readonly_fields = ("assignment", "status", "total", "overall_comment",
                                "opened_at", "updated_at", "submitted_at", "version",
                                "history")

    @admin.display(description="专家", ordering="assignment__expert__name")
    def expert_name(self, obj):
        return obj.assignment.expert.name

    @admin.display(description="评审轮次", ordering="assignment__round__title")
    def round_title(self, obj):
        return obj.assignment.round.title

    @admin.display(description="评分表页面")
    def portal_link(self, obj):
        return format_html('<a href="{}">查看{}</a>', reverse("experts:sheet_reopen", args=[obj.pk]),
                           "、重新开放" if obj.status == SheetStatus.SUBMITTED else "")

    @admin.display(description="办理记录")
    def history(self, obj):
        labels = {"submit": "提交评分表", "reopen": "重新开放评分表"}
        rows = [(f"{change.occurred_at:%Y-%m-%d %H:%M}",
                 change.actor.display_name if change.actor else "系统",
                 labels.get(change.transition, "其他操作"),
                 f"（{change.reason}）" if change.reason else "")
                for change in status_history(obj)]
        return format_html_join("", "<div>{} {}：{}{}</div>", rows) or "暂无记录"

    def has_reopen_permission(self, request):
        return request.user.has_perm("experts.reopen_sheet")

    # Sheets are confidential (第九条（三）): the commission's results staff read them, not
    # every account that may open the admin.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("experts.view_results")

    def has_module_permission(self, request):
        return request.user.has_perm("experts.view_results")


@admin.register(SiteVisit)
class SiteVisitAdmin(ReadOnlyAdmin):
    list_display = ("application", "round", "visited_on", "verdict", "updated_at")
    list_filter = ("verdict", "round")
    search_fields = ("application__center_name", "application__receipt_number")
    list_select_related = ("application", "round")
    ordering = ("-visited_on", "-id")
    fields = readonly_fields = ("round", "application", "visited_on", "findings", "verdict",
                                "recorded_by", "updated_at")
