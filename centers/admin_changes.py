"""变更报告 in the commission's admin (第十三条): the reports read-only (their history does not
change here), filtered by kind, status, 主管部门 and overdue; accepting or refusing a forwarded
report is an action calling the same service as the portal page, `changes.change_report_decide`."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from core.admin import ReadOnlyAdmin, ReadOnlyMixin, action_form_page
from core.forms import PortalForm

from . import changes
from .models import ChangeReport, ChangeReportFile


class ChangeReasonForm(PortalForm):
    reason = forms.CharField(label="市发展改革委意见（理由）",
                             widget=forms.Textarea(attrs={"rows": 4}))


def _decide_action(accepted: bool, name: str, description: str):
    @admin.action(description=description)
    def decide(modeladmin, request, queryset):
        """For ChangeReportAdmin: the decision of the portal's page, with one reason for the
        ticked reports; refusals are reported report by report."""
        form = ChangeReasonForm(request.POST if "apply" in request.POST else None)
        chosen = queryset.select_related("center").order_by("pk")
        if form.is_bound and form.is_valid():
            for report in chosen:
                try:
                    changes.change_report_decide(report=report, actor=request.user,
                                                 accepted=accepted,
                                                 reason=form.cleaned_data["reason"])
                except (changes.ChangeError, PermissionDenied) as error:
                    modeladmin.message_user(request, f"“{report}”：{error}", messages.ERROR)
                else:
                    modeladmin.message_user(request, f"“{report}”已办结。", messages.SUCCESS)
            return None
        return action_form_page(
            modeladmin, request, action=name, title=description, rows=chosen, form=form,
            submit=description,
            intro="只能办理主管部门已报送的变更报告，办理结果作出后不能更改。同意更名的，赋能中心名称随之"
                  "变更并换发牌匾；同意服务内容和目标任务调整的，调整后的目标自起始日期起执行；同意注销的，"
                  "应启动依法终止程序（管理办法第十三条）。")

    decide.__name__ = name
    return decide


class OverdueFilter(admin.SimpleListFilter):
    title = "是否逾期"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("1", "逾期未报送"), ("0", "未逾期")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(overdue_at__isnull=False)
        if self.value() == "0":
            return queryset.filter(overdue_at__isnull=True)
        return queryset


class ChangeReportFileInline(ReadOnlyMixin, admin.TabularInline):
    model = ChangeReportFile
    fields = readonly_fields = ("original_name", "size", "uploaded_at")
    extra = 0


@admin.register(ChangeReport)
class ChangeReportAdmin(ReadOnlyAdmin):
    list_display = ("center", "department", "kind", "entity_change", "status",
                    "licence_changed_on", "due_on", "overdue_at", "created_at")
    list_filter = ("kind", "status", "department", OverdueFilter)
    search_fields = ("center__name", "summary", "new_name")
    list_select_related = ("center", "department")
    ordering = ("-created_at", "-id")
    fields = readonly_fields = (
        "center", "department", "kind", "entity_change", "licence_changed_on", "due_on",
        "summary", "new_name", "new_content", "new_key_technologies", "new_scenarios",
        "new_solutions", "new_patents", "new_targets_from", "status", "created_by",
        "created_at", "submitted_at", "district_opinion", "forwarded_at", "forwarded_by",
        "decision_reason", "decided_at", "decided_by", "overdue_at")
    inlines = [ChangeReportFileInline]
    actions = [_decide_action(True, "accept_changes", "同意变更"),
               _decide_action(False, "refuse_changes", "不予同意")]

    def get_queryset(self, request):
        # A draft is the center's own until it is sent.
        return super().get_queryset(request).exclude(status=changes.S.DRAFT)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("centers.decide_change")

    def has_module_permission(self, request):
        return request.user.has_perm("centers.decide_change")
