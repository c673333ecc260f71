"""服务记录 in the commission's admin (第十二条): read only, since the center keeps its own
records; the commission closes an evaluation year here (第十七条), which locks that year's
records, through the same service as everywhere (`records.year_close`)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from core.admin import ReadOnlyAdmin, ReadOnlyMixin
from core.forms import PortalModelForm

from . import records
from .models import RecordYearClosure, ServedEnterprise, ServiceRecord, ServiceRecordFile


class ServedEnterpriseInline(ReadOnlyMixin, admin.TabularInline):
    model = ServedEnterprise
    fields = readonly_fields = ("name", "uscc")
    extra = 0


class ServiceRecordFileInline(ReadOnlyMixin, admin.TabularInline):
    model = ServiceRecordFile
    fields = readonly_fields = ("original_name", "size", "uploaded_at")
    extra = 0


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ReadOnlyAdmin):
    list_display = ("occurred_on", "center", "kind", "title", "year", "created_at")
    list_filter = ("kind", "year", "center")
    search_fields = ("title", "center__name", "enterprises__name", "enterprises__uscc",
                     "patent_number")
    list_select_related = ("center",)
    ordering = ("-occurred_on", "-id")
    fields = readonly_fields = ("center", "kind", "occurred_on", "year", "title",
                                "industry_field", "description", "hours", "participants",
                                "provided_to", "amount", "project_status", "accepted_on",
                                "patent_number", "created_by", "created_at", "updated_at")
    inlines = [ServedEnterpriseInline, ServiceRecordFileInline]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("centers.close_record_year")

    def has_module_permission(self, request):
        return request.user.has_perm("centers.close_record_year")


class YearClosureForm(PortalModelForm):
    year = forms.IntegerField(label="年度", min_value=2020, max_value=2100,
                              help_text="关闭后，该年度的服务记录锁定，各赋能中心不能再新增、修改或删除。")

    class Meta:
        model = RecordYearClosure
        fields = ("year",)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if RecordYearClosure.objects.filter(year=year).exists():
            raise forms.ValidationError(f"{year}年度已关闭。")
        return year


@admin.register(RecordYearClosure)
class RecordYearClosureAdmin(admin.ModelAdmin):
    """关闭评价年度: added here (the year), through `records.year_close`; never changed or
    deleted (a closed year stays closed)."""

    form = YearClosureForm
    list_display = ("year", "closed_at", "closed_by")
    list_select_related = ("closed_by",)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("centers.close_record_year")

    def has_module_permission(self, request):
        return request.user.has_perm("centers.close_record_year")

    def has_add_permission(self, request):
        return request.user.has_perm("centers.close_record_year")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            closure = records.year_close(year=form.cleaned_data["year"], actor=request.user)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        obj.pk, obj.closed_at, obj.closed_by = closure.pk, closure.closed_at, closure.closed_by
