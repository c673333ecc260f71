"""Supervision (第十一条) and data duties (第十四条) in the commission's admin: the periods, set
and changed through the same services as the portal (with an action creating the next
half-year); the 主管部门's reports and the centers' data-security records, read-only."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError

from core.admin import ReadOnlyAdmin, ReadOnlyMixin
from core.forms import PortalModelForm

from . import supervision
from .models import (
    DataAgreement,
    DataSecurityRecord,
    DataSelfCheck,
    OperationAssessment,
    OperationReport,
    SupervisionPeriod,
)

MANAGE = "centers.manage_supervision"


class _CommissionReads:
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(MANAGE)

    def has_module_permission(self, request):
        return request.user.has_perm(MANAGE)


@admin.action(description="设置下一个半年报告期")
def create_next_period(modeladmin, request, queryset):
    """Creates the half-year after the latest period (`supervision.period_create_next`);
    needs no ticked row."""
    try:
        period = supervision.period_create_next(actor=request.user)
    except (supervision.SupervisionError, PermissionDenied) as error:
        modeladmin.message_user(request, str(error), messages.ERROR)
    else:
        modeladmin.message_user(
            request, f"已设置报告期“{period.name}”（{period.starts_on:%Y-%m-%d}至"
                     f"{period.ends_on:%Y-%m-%d}，报送截止{period.due_on:%Y-%m-%d}）。",
            messages.SUCCESS)


class SupervisionPeriodForm(PortalModelForm):
    class Meta:
        model = SupervisionPeriod
        fields = ("name", "starts_on", "ends_on", "due_on")

    def clean(self):
        data = super().clean()
        try:
            if all(data.get(k) for k in ("starts_on", "ends_on", "due_on")):
                supervision._check_dates(data["starts_on"], data["ends_on"], data["due_on"])
        except supervision.SupervisionError as error:
            raise ValidationError(str(error)) from None
        return data


@admin.register(SupervisionPeriod)
class SupervisionPeriodAdmin(_CommissionReads, admin.ModelAdmin):
    form = SupervisionPeriodForm
    list_display = ("name", "starts_on", "ends_on", "due_on", "created_at")
    ordering = ("-starts_on", "-id")
    actions = [create_next_period]

    def has_add_permission(self, request):
        return request.user.has_perm(MANAGE)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(MANAGE)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        return supervision.period_next_defaults()

    def changelist_view(self, request, extra_context=None):
        # The action creates a period from the latest one: it runs with no row ticked.
        if (request.method == "POST" and request.POST.get("action") == "create_next_period"
                and not request.POST.getlist(ACTION_CHECKBOX_NAME)):
            post = request.POST.copy()
            post.setlist(ACTION_CHECKBOX_NAME, ["0"])  # ignored: select_across takes all
            post["select_across"] = "1"
            post["index"] = "0"
            request.POST = post
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        fields = {k: form.cleaned_data[k] for k in ("name", "starts_on", "ends_on", "due_on")}
        if change:
            saved = supervision.period_update(period=SupervisionPeriod.objects.get(pk=obj.pk),
                                              actor=request.user, **fields)
        else:
            saved = supervision.period_create(actor=request.user, **fields)
        obj.pk = saved.pk
        obj.created_by_id, obj.created_at = saved.created_by_id, saved.created_at


class OperationAssessmentInline(ReadOnlyMixin, admin.TabularInline):
    model = OperationAssessment
    fields = ("center", "rating", "opinion")
    readonly_fields = fields
    extra = 0


class OverdueFilter(admin.SimpleListFilter):
    title = "是否逾期"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return (("yes", "逾期未报送"), ("no", "未逾期"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(overdue_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(overdue_at__isnull=True)
        return queryset


@admin.register(OperationReport)
class OperationReportAdmin(_CommissionReads, ReadOnlyAdmin):
    """The 主管部门 write their reports in the portal; here they are read."""

    list_display = ("period", "department", "status", "submitted_at", "overdue_at")
    list_filter = ("period", "department", "status", OverdueFilter)
    list_select_related = ("period", "department")
    fields = readonly_fields = ("period", "department", "status", "summary", "submitted_at",
                                "submitted_by", "overdue_at", "updated_at")
    inlines = [OperationAssessmentInline]


@admin.register(DataSecurityRecord)
class DataSecurityRecordAdmin(_CommissionReads, ReadOnlyAdmin):
    list_display = ("center", "responsible_person", "responsible_phone", "updated_at")
    list_select_related = ("center",)
    search_fields = ("center__name", "responsible_person")
    fields = readonly_fields = ("center", "responsible_person", "responsible_title",
                                "responsible_phone", "shared_data", "updated_at")


@admin.register(DataAgreement)
class DataAgreementAdmin(_CommissionReads, ReadOnlyAdmin):
    # The file is read on the center's data page, where reading it is audited.
    list_display = ("title", "center", "counterparty", "signed_on")
    list_select_related = ("center",)
    search_fields = ("title", "center__name", "counterparty")
    fields = readonly_fields = ("center", "title", "counterparty", "signed_on", "original_name",
                                "size", "uploaded_at")


@admin.register(DataSelfCheck)
class DataSelfCheckAdmin(_CommissionReads, ReadOnlyAdmin):
    list_display = ("center", "year", "submitted_at", "submitted_by")
    list_filter = ("year",)
    list_select_related = ("center", "submitted_by")
    fields = readonly_fields = ("center", "year", "findings", "rectification", "submitted_at",
                                "submitted_by")

