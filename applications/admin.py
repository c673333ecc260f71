from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header

from accounts.enums import COMPETENT_DEPARTMENT_KINDS
from accounts.models import Department
from core.admin import ReadOnlyMixin
from core.downloads import private_response
from core.forms import PortalForm
from core.transitions import TransitionNotAllowed

from . import routing, services
from .enums import CallStatus
from .exporters import XLSX_CONTENT_TYPE
from .models import (
    Application,
    ApplicationDocument,
    ApplicationExport,
    ApplicationUnit,
    Attachment,
    Call,
    CallMaterial,
    IndustryField,
    PolicyDocument,
)


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "document_number", "effective_from", "effective_until")


@admin.register(IndustryField)
class IndustryFieldAdmin(admin.ModelAdmin):
    list_display = ("name", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")


class CallMaterialInline(admin.TabularInline):
    model = CallMaterial
    extra = 1


def _run_transition(modeladmin, request, queryset, service, done_label, **kwargs):
    for call in queryset:
        try:
            service(call=call, actor=request.user, **kwargs)
        except (TransitionNotAllowed, PermissionDenied, services.ApplicationError) as error:
            modeladmin.message_user(request, f"“{call}”：{error}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"“{call}”已{done_label}。", messages.SUCCESS)


@admin.action(description="发布所选申报通知")
def publish_calls(modeladmin, request, queryset):
    """Publishes at once, unless a call's policy document is out of force: then an intermediate
    page lists the problems and publishing needs an explicit confirmation."""
    calls = list(queryset.select_related("policy"))
    problems = [(call, problem) for call in calls if call.status == CallStatus.DRAFT
                and (problem := services.call_policy_problem(call))]
    if problems and request.POST.get("confirm_policy") != "1":
        return TemplateResponse(request, "admin/applications/call/publish_confirm.html", {
            **modeladmin.admin_site.each_context(request),
            "title": "确认发布申报通知",
            "opts": modeladmin.model._meta,
            "calls": calls,
            "problems": problems,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        })
    _run_transition(modeladmin, request, queryset, services.call_publish, "发布",
                    policy_confirmed=bool(problems))
    return None


@admin.action(description="变更受理时间（延期或提前截止）")
def change_call_window(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(request, "请只选择一个申报通知变更受理时间。", messages.WARNING)
        return None
    return redirect("admin:applications_call_change_window", queryset.get().pk)


class CallWindowForm(PortalForm):
    opens_at = forms.SplitDateTimeField(label="受理开始时间", widget=AdminSplitDateTime,
                                        help_text="受理开始后不能再变更。")
    closes_at = forms.SplitDateTimeField(label="新的受理截止时间", widget=AdminSplitDateTime)
    reason = forms.CharField(label="变更理由", widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=500)


@admin.action(description="截止受理所选申报通知")
def close_calls(modeladmin, request, queryset):
    _run_transition(modeladmin, request, queryset, services.call_close, "截止受理")


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "status", "opens_at", "closes_at", "district_review_deadline")
    list_filter = ("status", "year")
    search_fields = ("title",)
    filter_horizontal = ("industry_fields",)
    inlines = [CallMaterialInline]
    actions = [publish_calls, close_calls, change_call_window]
    # Status moves only through the actions, so they are checked and recorded.
    readonly_fields = ("status", "published_at", "list_noticed_at")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status != CallStatus.DRAFT:
            # Once published, the window changes only through call_change_window (reason,
            # audit row, reopening, reminders, notices to the units).
            fields += ["opens_at", "closes_at", "window_change_link"]
        return fields

    @admin.display(description="变更受理时间")
    def window_change_link(self, obj):
        return format_html('<a href="{}">延期或提前截止（需填写理由）</a>',
                           reverse("admin:applications_call_change_window", args=[obj.pk]))

    def get_urls(self):
        extra = [path("<int:pk>/change-window/",
                      self.admin_site.admin_view(self.change_window_view),
                      name="applications_call_change_window")]
        return extra + super().get_urls()

    def change_window_view(self, request, pk):
        call = self.get_object(request, str(pk))
        if call is None:
            raise Http404
        if not request.user.has_perm("applications.change_call_window", call):
            raise PermissionDenied("只有市发展改革委工作人员可以变更受理时间。")
        form = CallWindowForm(request.POST or None, initial={
            "opens_at": timezone.localtime(call.opens_at),
            "closes_at": timezone.localtime(call.closes_at)})
        if request.method == "POST" and form.is_valid():
            try:
                services.call_change_window(
                    call=call, actor=request.user, reason=form.cleaned_data["reason"],
                    closes_at=form.cleaned_data["closes_at"],
                    opens_at=form.cleaned_data["opens_at"])
            except services.ApplicationError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, f"“{call}”的受理时间已变更。", messages.SUCCESS)
                return redirect("admin:applications_call_change", call.pk)
        return TemplateResponse(request, "admin/applications/call/change_window.html", {
            **self.admin_site.each_context(request),
            "title": "变更受理时间",
            "opts": self.model._meta,
            "original": call,
            "form": form,
            "media": self.media + form.media,
        })


class ApplicationUnitInline(ReadOnlyMixin, admin.StackedInline):
    model = ApplicationUnit
    extra = 0


class AttachmentInline(ReadOnlyMixin, admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ("kind", "original_name", "served_name", "file_format", "size", "uploaded_by",
              "uploaded_at")
    readonly_fields = fields

    @admin.display(description="下载文件名（按识别出的类型）")
    def served_name(self, attachment):
        return attachment.served_name

    @admin.display(description="文件格式")
    def file_format(self, attachment):
        # The detected type as offices name it (DOCX, OFD), not its MIME type.
        name = attachment.served_name or ""
        return name.rsplit(".", 1)[-1].upper() if "." in name else "—"


# Ticked rows up to a changelist page (100) are exported in the request and sent straight back:
# a few seconds' work, and the clerk gets the file without a detour. "Select all" across pages
# can mean every application of every year; that goes to the worker like the staff export.
ADMIN_DIRECT_EXPORT_LIMIT = 100


@admin.action(description="导出所选申报（Excel）", permissions=["export"])
def export_applications(modeladmin, request, queryset):
    if queryset.count() <= ADMIN_DIRECT_EXPORT_LIMIT:
        content = services.application_export_direct(actor=request.user, queryset=queryset)
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            True, "赋能中心申报（所选）.xlsx")
        return private_response(response)
    export = services.application_export_request(
        actor=request.user, params={},
        application_ids=list(queryset.values_list("pk", flat=True)))
    modeladmin.message_user(request, format_html(
        "所选申报较多，正在后台生成 Excel：<a href=\"{}\">查看进度并下载</a>。",
        reverse("applications:export_detail", args=[export.pk])), messages.INFO)
    return None


class RerouteForm(PortalForm):
    department = forms.ModelChoiceField(
        label="改派至", required=False,
        queryset=Department.objects.filter(kind__in=COMPETENT_DEPARTMENT_KINDS, is_active=True),
        empty_label="市发展改革委直接受理（已确认的市直、中央及省驻青单位）")
    reason = forms.CharField(label="改派理由", widget=forms.Textarea(attrs={"rows": 3}))


@admin.action(description="改派所选申报的主管部门（第八条）", permissions=["reroute"])
def reroute_applications(modeladmin, request, queryset):
    form = RerouteForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        for application in queryset:
            try:
                rerouted = routing.application_reroute(
                    application=application, department=form.cleaned_data["department"],
                    actor=request.user, reason=form.cleaned_data["reason"], request=request)
            except (services.ApplicationError, PermissionDenied) as error:
                modeladmin.message_user(request, f"“{application}”：{error}", messages.ERROR)
            else:
                modeladmin.message_user(
                    request, f"“{application}”已改派至{rerouted.destination_label}。",
                    messages.SUCCESS)
        return None
    return TemplateResponse(request, "admin/applications/application/reroute.html", {
        **modeladmin.admin_site.each_context(request),
        "title": "改派申报的主管部门",
        "opts": modeladmin.model._meta,
        "applications": queryset.select_related("organisation", "routed_department"),
        "form": form,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
    })


@admin.action(description="所选申报转入专家评审", permissions=["expert_review"])
def start_expert_review(modeladmin, request, queryset):
    """第九条（三）: the intake page's move (`services.application_start_expert_review`):
    applications already in 专家评审 are left as they are."""
    moved = 0
    for application in queryset.order_by("pk"):
        try:
            _, done = services.application_start_expert_review(application=application,
                                                               actor=request.user)
        except (services.ApplicationError, PermissionDenied) as error:
            modeladmin.message_user(request, f"“{application}”：{error}", messages.ERROR)
        else:
            moved += done
    if moved:
        modeladmin.message_user(request, f"已将 {moved} 件申报转入专家评审。", messages.SUCCESS)


class CommissionRecordsMixin:
    """Applications and what was made from them are read in admin by the commission (its role),
    not by whoever holds an admin flag: a superuser maintains the platform, it does not read
    units' applications."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("applications.list_all_applications")

    def has_change_permission(self, request, obj=None):
        return (self.has_view_permission(request, obj)
                and super().has_change_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        return (self.has_view_permission(request, obj)
                and super().has_delete_permission(request, obj))


# What an applicant submitted is its own record: staff read it here, change it through the
# review services (which check and record every move), and never delete it.
@admin.register(Application)
class ApplicationAdmin(CommissionRecordsMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("__str__", "receipt_number", "organisation", "call", "industry_field",
                    "status", "routed_department", "routed_to_commission", "routing_basis",
                    "submitted_at")
    list_filter = ("call", "status", "industry_field", "routed_department",
                   "routed_to_commission", "routing_basis")
    search_fields = ("center_name", "receipt_number", "organisation__name",
                     "organisation__uscc")
    list_select_related = ("organisation", "call", "industry_field", "routed_department")
    readonly_fields = ("receipt_number", "status", "submitted_at", "routed_department",
                       "routed_to_commission", "routing_basis", "created_by",
                       "lead_commitment_at", "joint_commitment_at", "current_step_display")
    exclude = ("current_step",)
    inlines = [ApplicationUnitInline, AttachmentInline]
    actions = [export_applications, reroute_applications, start_expert_review]

    @admin.display(description="当前步骤")
    def current_step_display(self, obj):
        return obj.current_step_title

    def has_export_permission(self, request):
        return request.user.has_perm("applications.list_all_applications")

    def has_reroute_permission(self, request):
        return request.user.has_perm("applications.reroute_application")

    def has_expert_review_permission(self, request):
        return request.user.has_perm("applications.start_expert_review")


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(CommissionRecordsMixin, admin.ModelAdmin):
    list_display = ("application", "variant", "status", "is_draft", "rendered_at")
    list_filter = ("variant", "status")
    readonly_fields = [f.name for f in ApplicationDocument._meta.fields if not f.primary_key]

    def has_add_permission(self, request):
        return False


@admin.register(ApplicationExport)
class ApplicationExportAdmin(CommissionRecordsMixin, admin.ModelAdmin):
    list_display = ("__str__", "requested_by", "status", "row_count", "finished_at")
    list_filter = ("status",)
    list_select_related = ("requested_by",)
    # An export is a record of data that left the portal: nobody edits it.
    readonly_fields = [f.name for f in ApplicationExport._meta.fields if not f.primary_key]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
