from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from core.transitions import TransitionNotAllowed

from . import services
from .models import (
    Application,
    ApplicationDocument,
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


def _run_transition(modeladmin, request, queryset, service, done_label):
    for call in queryset:
        try:
            service(call=call, actor=request.user)
        except (TransitionNotAllowed, PermissionDenied) as error:
            modeladmin.message_user(request, f"“{call}”：{error}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"“{call}”已{done_label}。", messages.SUCCESS)


@admin.action(description="发布所选申报通知")
def publish_calls(modeladmin, request, queryset):
    _run_transition(modeladmin, request, queryset, services.call_publish, "发布")


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
    actions = [publish_calls, close_calls]
    # Status moves only through the actions, so they are checked and recorded.
    readonly_fields = ("status", "published_at")


class ApplicationUnitInline(admin.StackedInline):
    model = ApplicationUnit
    extra = 0
    can_delete = False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    fields = ("kind", "original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "call", "industry_field", "status",
                    "routed_department", "routed_to_commission", "submitted_at")
    list_filter = ("call", "status", "industry_field", "routed_department",
                   "routed_to_commission")
    search_fields = ("center_name", "organisation__name", "organisation__uscc")
    list_select_related = ("organisation", "call", "industry_field", "routed_department")
    readonly_fields = ("status", "submitted_at", "routed_department", "routed_to_commission",
                       "created_by", "lead_commitment_at", "joint_commitment_at")
    inlines = [ApplicationUnitInline, AttachmentInline]


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(admin.ModelAdmin):
    list_display = ("application", "variant", "status", "is_draft", "rendered_at")
    list_filter = ("variant", "status")
    readonly_fields = [f.name for f in ApplicationDocument._meta.fields]

    def has_add_permission(self, request):
        return False
