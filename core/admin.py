from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .audit import action_codes_matching, action_label
from .formtokens import form_once
from .forms import PortalForm
from .models import (
    AuditEvent,
    HolidayOverride,
    Notification,
    OutgoingMail,
    StatusChange,
    WorkdayYear,
)
from .notifications import purpose_label
from .services import (
    WorkdayYearError,
    holiday_override_changed,
    workday_year_confirm,
    workday_year_enter,
    workday_year_reopen,
)
from .workdays import ScheduleTableInvalid, schedule_estimate, schedule_table_parse


class ReadOnlyMixin:
    """For admins and inlines of records nobody may add, change or delete, not even a
    superuser."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class AuditActionFilter(admin.SimpleListFilter):
    """Filters by action, listing each action that occurs by its Chinese label."""

    title = "操作"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        codes = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(((code, action_label(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "actor_label", "action_display", "object_repr", "ip_address")
    list_filter = (AuditActionFilter,)
    search_fields = ("actor_label", "action", "object_repr", "note")
    date_hierarchy = "occurred_at"
    list_select_related = ("actor", "content_type")
    exclude = ("action",)
    readonly_fields = ("action_display",)

    @admin.display(description="操作", ordering="action")
    def action_display(self, obj):
        return obj.action_label

    def get_search_results(self, request, queryset, search_term):
        # Staff search by the label they read (发布申报通知) as well as by the stored code.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        codes = action_codes_matching(search_term.strip())
        if codes:
            results = results | queryset.filter(action__in=codes)
        return results, may_have_duplicates


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "content_type", "object_id", "transition_display",
                    "from_status_display", "to_status_display", "actor")
    list_filter = (("content_type", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("actor", "content_type")
    exclude = ("transition", "from_status", "to_status")
    readonly_fields = ("transition_display", "from_status_display", "to_status_display")

    @admin.display(description="操作", ordering="transition")
    def transition_display(self, obj):
        return obj.transition_label

    @admin.display(description="原状态")
    def from_status_display(self, obj):
        return obj.status_label(obj.from_status)

    @admin.display(description="新状态")
    def to_status_display(self, obj):
        return obj.status_label(obj.to_status)


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"

    # Every change of a day is audited; a change in a confirmed year needs a new confirmation.
    def _recorded(self, request, *, before=None, after=None):
        for year in holiday_override_changed(actor=request.user, request=request,
                                             before=before, after=after):
            self.message_user(request, f"{year} 年的节假日安排已改动，需重新确认后才用于计算工作日。",
                              messages.WARNING)

    def save_model(self, request, obj, form, change):
        before = HolidayOverride.objects.get(pk=obj.pk) if change else None
        super().save_model(request, obj, form, change)
        self._recorded(request, before=before, after=obj)

    def delete_model(self, request, obj):
        before = HolidayOverride.objects.get(pk=obj.pk)
        super().delete_model(request, obj)
        self._recorded(request, before=before)

    def delete_queryset(self, request, queryset):
        days = list(queryset)
        super().delete_queryset(request, queryset)
        for day in days:
            self._recorded(request, before=day)


class ScheduleEntryForm(PortalForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    source = forms.CharField(
        label="依据", max_length=200,
        help_text="国务院办公厅通知的标题和文号，如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）")
    table = forms.CharField(
        label="全年安排", widget=forms.Textarea(attrs={"rows": 20, "cols": 60}),
        help_text="每行一天：日期、休或班、名称，以空格、制表符或逗号分隔，可直接从表格中复制粘贴。"
                  "例如：2027-02-06 休 春节；2027-02-14 班 春节调休上班。")


@admin.action(description="确认所选年度的节假日安排完整", permissions=["change"])
def confirm_workday_years(modeladmin, request, queryset):
    for schedule in queryset:
        try:
            workday_year_confirm(schedule=schedule, actor=request.user, request=request)
        except WorkdayYearError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
        else:
            modeladmin.message_user(
                request, f"{schedule.year} 年的节假日安排已确认，此后按其计算工作日。",
                messages.SUCCESS)


@admin.register(WorkdayYear)
class WorkdayYearAdmin(admin.ModelAdmin):
    """A year is entered as a whole from a pasted table (录入全年安排), checked, previewed and
    saved; then confirmed with the list action. Single days stay editable in 节假日调整."""

    list_display = ("year", "source", "day_count", "is_complete", "confirmed_by", "confirmed_at")
    list_select_related = ("confirmed_by",)
    readonly_fields = ("year", "is_complete", "confirmed_by", "confirmed_at")
    fields = ("year", "source", "is_complete", "confirmed_by", "confirmed_at")
    actions = [confirm_workday_years]

    @admin.display(description="已录入天数")
    def day_count(self, obj):
        return HolidayOverride.objects.filter(date__year=obj.year).count()

    def get_urls(self):
        return [
            path("enter/", self.admin_site.admin_view(self.enter_view),
                 name="core_workdayyear_enter"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:core_workdayyear_enter")

    def save_model(self, request, obj, form, change):
        # Only the source is editable here; a changed source needs a fresh confirmation.
        if change and "source" in form.changed_data and obj.is_complete:
            super().save_model(request, obj, form, change)
            workday_year_reopen(year=obj.year, actor=request.user, request=request,
                                reason="修改了节假日安排的依据")
            return
        super().save_model(request, obj, form, change)

    def enter_view(self, request):
        """录入全年安排: 预览 parses and shows the rows (or every faulty line); 保存 saves them."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        rows, errors, estimated = None, [], False
        data = request.POST.copy() if request.method == "POST" else None
        if data is not None and "_estimate" in data:
            # Pre-fill by rule; the clerk corrects it against the notice, then previews.
            year = data.get("year", "")
            if year.isdigit() and 2000 <= int(year) <= 2100:
                data["table"] = schedule_estimate(int(year))
                estimated = True
        if estimated:  # shown, not yet checked: an empty 依据 is no error at this point
            form = ScheduleEntryForm(initial={key: data.get(key)
                                              for key in ("year", "source", "table")})
        else:
            form = ScheduleEntryForm(data, initial={"year": request.GET.get("year")})
        if not estimated and data is not None and form.is_valid():
            year = form.cleaned_data["year"]
            try:
                rows = schedule_table_parse(form.cleaned_data["table"], year=year)
            except ScheduleTableInvalid as invalid:
                errors = invalid.errors
            if rows and "_save" in request.POST:
                schedule = workday_year_enter(year=year, rows=rows, actor=request.user,
                                              source=form.cleaned_data["source"],
                                              request=request)
                self.message_user(
                    request, f"已保存 {year} 年的 {len(rows)} 天安排。请核对后在列表中选择该年度，"
                             "执行“确认所选年度的节假日安排完整”。", messages.SUCCESS)
                return redirect(reverse("admin:core_workdayyear_change", args=[schedule.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "录入全年节假日安排",
            "form": form,
            "rows": [{"row": row, "weekday": "一二三四五六日"[row.date.weekday()]}
                     for row in rows or []],
            "errors": errors,
            "estimated": estimated,
        }
        return TemplateResponse(request, "admin/core/workdayyear/enter.html", context)


class PurposeFilter(admin.SimpleListFilter):
    """Filters notices or mails by purpose, listing each purpose that occurs by its Chinese
    name."""

    title = "用途"
    parameter_name = "purpose"

    def lookups(self, request, model_admin):
        purposes = model_admin.model.objects.order_by().values_list("purpose",
                                                                    flat=True).distinct()
        return sorted(((p, purpose_label(p)) for p in purposes), key=lambda p: p[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(purpose=self.value())
        return queryset


class PurposeDisplayMixin:
    """Shows a notice's or mail's purpose by its Chinese name, never its code."""

    exclude = ("purpose",)
    readonly_fields = ("purpose_display",)

    @admin.display(description="用途", ordering="purpose")
    def purpose_display(self, obj):
        return purpose_label(obj.purpose)


@admin.register(Notification)
class NotificationAdmin(PurposeDisplayMixin, ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "purpose_display", "title", "read_at")
    list_filter = (PurposeFilter,)
    list_select_related = ("recipient",)


@admin.register(OutgoingMail)
class OutgoingMailAdmin(PurposeDisplayMixin, ReadOnlyAdmin):
    list_display = ("created_at", "to_address", "purpose_display", "subject", "status",
                    "attempts")
    list_filter = ("status", PurposeFilter)


_PERMISSION_VERBS = {"add": "增加", "change": "修改", "delete": "删除", "view": "查看"}


def permission_label(permission: Permission) -> str:
    """A model permission as staff read it: 申报 | 申报通知 | 可修改申报通知.

    Django stores the names of its default permissions in English (Can change call); custom
    permissions keep their own (Chinese) name.
    """
    model = permission.content_type.model_class()
    if model is None:
        return permission.name
    opts = model._meta
    verb, _, model_name = permission.codename.partition("_")
    if verb in _PERMISSION_VERBS and model_name == opts.model_name:
        name = f"可{_PERMISSION_VERBS[verb]}{opts.verbose_name}"
    else:
        name = permission.name
    return f"{opts.app_config.verbose_name} | {opts.verbose_name} | {name}"


admin.site.unregister(Group)


@admin.register(Group)
class PortalGroupAdmin(GroupAdmin):
    """Django's group admin, with its permissions listed in Chinese."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "permissions":
            field.label_from_instance = permission_label
        return field


def action_once(request, *, action: str):
    """For an admin action posted from `action_form_page` that creates something (a request
    to a unit, a new plaque): runs the block once for the page's one-time token, in one
    transaction. A second click on the same page (a double click: admin pages have no
    disable-on-submit script) is sent back to the list with 该表单已提交过一次，未重复处理,
    never acting twice (`core.formtokens`)."""
    here = request.get_full_path()
    return form_once(request, purpose=f"admin:{action}", fallback_url=here)


def action_form_page(modeladmin, request, *, action: str, title: str, intro: str, rows, form,
                     submit: str, describe=str) -> TemplateResponse:
    """The page between ticking rows and running an admin action that needs input (a reason,
    a new status): `intro`, the ticked `rows` (each shown as `describe(row)`), `form`, and a
    button labelled `submit` that posts the action again with `apply`."""
    return TemplateResponse(request, "admin/action_form.html", {
        **modeladmin.admin_site.each_context(request),
        "title": title, "opts": modeladmin.model._meta, "intro": intro,
        "rows": [(row.pk, describe(row)) for row in rows], "form": form, "action": action,
        "submit": submit, "action_checkbox_name": ACTION_CHECKBOX_NAME,
    })
