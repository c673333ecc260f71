"""The yearly evaluation in the commission's admin (第十七条). Every commission act here calls
the same service as the portal: indicator tables (editable until a cycle using them opens,
then read-only; a change is a new version), cycles (set up, open, start scoring, compute
grades, confirm, publish), evaluations (confirm computed grades, record false materials, issue
a 通报) and 通报 (read-only)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet

from core.admin import ReadOnlyAdmin, action_form_page, action_once
from core.audit import audit_record
from core.forms import PortalForm, PortalModelForm

from . import bulletins, cycles, grades, indicators
from .admin_materials import MATERIALS_FIELDS, MATERIALS_INLINES
from .admin_scoring import create_expert_round
from .enums import CycleStatus, HardRule
from .errors import EvaluationError
from .models import Bulletin, Evaluation, EvaluationCycle, Indicator, IndicatorTable

MANAGE = "evaluations.manage_cycle"


def _report(modeladmin, request, obj, call, done):
    try:
        call()
    except (EvaluationError, PermissionDenied) as error:
        modeladmin.message_user(request, f"“{obj}”：{error}", messages.ERROR)
    else:
        modeladmin.message_user(request, f"“{obj}”：{done}", messages.SUCCESS)


# --- 评价指标体系 --------------------------------------------------------------------------------

class IndicatorFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        weights = [form.cleaned_data["weight"] for form in self.forms
                   if form.cleaned_data and not form.cleaned_data.get("DELETE")
                   and form.cleaned_data.get("weight") is not None]
        problem = indicators.weights_problem(weights)
        if problem:
            raise forms.ValidationError(problem)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    formset = IndicatorFormSet
    fields = ("order", "name", "weight", "description", "evidence_required", "figure")
    extra = 0

    def _editable(self, request, obj):
        return request.user.has_perm(MANAGE) and not (obj and indicators.table_is_locked(obj))

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


class IndicatorTableForm(PortalModelForm):
    hard_rules = forms.MultipleChoiceField(label="直接评为不合格的情形", required=False,
                                           choices=HardRule.choices,
                                           widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = IndicatorTable
        fields = ("name", "excellent_from", "good_from", "pass_from", "hard_rules")

    def clean(self):
        data = super().clean()
        if self.instance.pk and indicators.table_is_locked(self.instance):
            raise forms.ValidationError(indicators.FROZEN_REFUSAL)
        problem = indicators.thresholds_problem(data.get("excellent_from"),
                                                data.get("good_from"), data.get("pass_from"))
        if problem:
            raise forms.ValidationError(problem)
        return data


@admin.action(description="生成所选指标体系的新版本（可修改）")
def new_table_versions(modeladmin, request, queryset):
    """For IndicatorTableAdmin: `indicators.table_new_version` of each ticked table."""
    for table in queryset.order_by("pk"):
        _report(modeladmin, request, table,
                lambda t=table: indicators.table_new_version(table=t, actor=request.user),
                "已生成新版本，请在列表中修改新版本。")


@admin.register(IndicatorTable)
class IndicatorTableAdmin(admin.ModelAdmin):
    form = IndicatorTableForm
    list_display = ("name", "version", "excellent_from", "good_from", "pass_from", "frozen_at",
                    "created_at")
    list_filter = ("name",)
    readonly_fields = ("version", "frozen_at", "created_by", "created_at")
    inlines = [IndicatorInline]
    actions = [new_table_versions]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(MANAGE) and super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return request.user.has_perm(MANAGE)

    def has_add_permission(self, request):
        return request.user.has_perm(MANAGE) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        # 第十七条: once a cycle using the table has opened, the table never changes.
        if obj is not None and indicators.table_is_locked(obj):
            return False
        return request.user.has_perm(MANAGE) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.cycles.exists():
            return False
        return request.user.has_perm(MANAGE) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            latest = IndicatorTable.objects.filter(name=obj.name).order_by("-version").first()
            obj.version = latest.version + 1 if latest else 1
            obj.created_by = request.user
            obj.hard_rules = list(data["hard_rules"])
            super().save_model(request, obj, form, change)
            audit_record(action="indicator_table.create", actor=request.user, target=obj,
                         after={"name": obj.name, "version": obj.version,
                                "hard_rules": obj.hard_rules})
            return
        # The same service as everywhere: refuses a table an opened cycle uses.
        indicators.table_settings_save(
            table=obj, actor=request.user, excellent_from=data["excellent_from"],
            good_from=data["good_from"], pass_from=data["pass_from"],
            hard_rules=data["hard_rules"])
        if "name" in form.changed_data:
            IndicatorTable.objects.filter(pk=obj.pk).update(name=obj.name)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Indicator:
            return super().save_formset(request, form, formset, change)
        rows = sorted(
            (f.cleaned_data for f in formset.forms
             if f.cleaned_data and not f.cleaned_data.get("DELETE")),
            key=lambda row: (row.get("order") or 0))
        indicators.indicators_replace(table=form.instance, actor=request.user, rows=rows)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        return None


# --- 运行评估评价 ----------------------------------------------------------------------------------

class EvaluationCycleForm(PortalModelForm):
    class Meta:
        model = EvaluationCycle
        fields = ("year", "title", "window_start", "window_end", "table", "materials_due",
                  "district_due", "agency", "invited_authorities")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" not in self.fields:  # read-only once opened
            return
        self.fields["title"].required = False
        self.fields["title"].help_text = "不填写的，按“某年度赋能中心运行评估评价”命名。"
        self.fields["window_start"].required = False
        self.fields["window_end"].required = False
        self.fields["window_start"].help_text = "不填写的，默认为上一自然年度。"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if self.instance.pk and self.instance.status != CycleStatus.DRAFT:
            raise forms.ValidationError("评价已启动，设置不能再修改。")
        problem = cycles.cycle_problem(
            year=data["year"], table=data.get("table"), materials_due=data.get("materials_due"),
            district_due=data.get("district_due"), window_start=data.get("window_start"),
            window_end=data.get("window_end"), agency=data.get("agency"),
            invited_authorities=list(data.get("invited_authorities") or []),
            cycle=self.instance if self.instance.pk else None)
        if problem:
            raise forms.ValidationError(problem)
        return data


def _cycle_action(name, description, call, done):
    @admin.action(description=description)
    def act(modeladmin, request, queryset):
        for cycle in queryset.select_related("table").order_by("pk"):
            _report(modeladmin, request, cycle, lambda c=cycle: call(c, request.user), done)

    act.__name__ = name
    return act


@admin.register(EvaluationCycle)
class EvaluationCycleAdmin(admin.ModelAdmin):
    form = EvaluationCycleForm
    list_display = ("title", "year", "status", "table", "window_start", "window_end",
                    "materials_due", "district_due", "agency")
    list_filter = ("status",)
    list_select_related = ("table", "agency")
    filter_horizontal = ("invited_authorities",)
    readonly_fields = ("status", "opened_at", "confirmed_at", "published_at", "created_by",
                       "created_at")
    actions = [
        _cycle_action("open_cycles", "启动所选评价（锁定指标体系并通知赋能中心）",
                      lambda c, u: cycles.cycle_open(cycle=c, actor=u), "评价已启动。"),
        _cycle_action("start_scoring", "开始评估评分",
                      lambda c, u: cycles.cycle_start_scoring(cycle=c, actor=u),
                      "已开始评估评分。"),
        create_expert_round,
        _cycle_action("compute_grades", "计算评价等级",
                      lambda c, u: grades.grades_compute(cycle=c, actor=u), "等级已计算。"),
        _cycle_action("confirm_cycles", "确认所选年度的全部等级",
                      lambda c, u: grades.cycle_confirm(cycle=c, actor=u), "等级已确认。"),
        _cycle_action("publish_cycles", "公布评价结果",
                      lambda c, u: grades.cycle_publish(cycle=c, actor=u), "结果已公布。"),
    ]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(MANAGE) and super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return request.user.has_perm(MANAGE)

    def has_add_permission(self, request):
        return request.user.has_perm(MANAGE) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != CycleStatus.DRAFT:
            return False
        return request.user.has_perm(MANAGE) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Saved by the services (with the M2M), in save_related.
        self._pending = (obj, form, change)

    def save_related(self, request, form, formsets, change):
        obj, form, change = self._pending
        data = form.cleaned_data
        settings = {name: data.get(name) for name in cycles.CYCLE_SETTINGS}
        invited = list(data.get("invited_authorities") or [])
        if change:
            saved = cycles.cycle_update(cycle=obj, actor=request.user,
                                        invited_authorities=invited, **settings)
        else:
            saved = cycles.cycle_create(actor=request.user, year=data["year"],
                                        invited_authorities=invited, **settings)
        form.instance = saved
        obj.pk = saved.pk


# --- 赋能中心年度评价 ------------------------------------------------------------------------------

class NoteForm(PortalForm):
    note = forms.CharField(label="查实情况", widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=grades.FALSE_NOTE_MAX_CHARS)


class ReasonsForm(PortalForm):
    reasons = forms.CharField(label="通报事由", widget=forms.Textarea(attrs={"rows": 5}),
                              max_length=bulletins.REASONS_MAX_CHARS)


@admin.action(description="按计算等级确认")
def confirm_computed_grades(modeladmin, request, queryset):
    """For EvaluationAdmin: `grades.grade_confirm` with the computed grade of each ticked
    evaluation (a different grade needs a note: the portal's evaluation page)."""
    for evaluation in queryset.select_related("cycle", "center").order_by("pk"):
        _report(modeladmin, request, evaluation,
                lambda e=evaluation: grades.grade_confirm(evaluation=e, actor=request.user),
                "等级已确认。")


@admin.action(description="认定提供虚假材料")
def record_false_materials(modeladmin, request, queryset):
    """For EvaluationAdmin: `grades.false_materials_record` with one note for the ticked
    evaluations."""
    form = NoteForm(request.POST if "apply" in request.POST else None)
    chosen = queryset.select_related("cycle", "center").order_by("pk")
    if form.is_bound and form.is_valid():
        with action_once(request, action="record_false_materials"):
            for evaluation in chosen:
                _report(modeladmin, request, evaluation,
                        lambda e=evaluation: grades.false_materials_record(
                            e, request.user, form.cleaned_data["note"]),
                        "已认定提供虚假材料，评价为不合格。")
        return None
    return action_form_page(
        modeladmin, request, action="record_false_materials", title="认定提供虚假材料",
        rows=chosen, form=form, submit="认定",
        intro="经查实提供虚假材料、数据的，评价结果为不合格（管理办法第十七条）；撤销资格另行启动。"
              "等级确认后不能再认定。")


@admin.action(description="发布不合格通报")
def issue_bulletins(modeladmin, request, queryset):
    """For EvaluationAdmin: `bulletins.bulletin_issue` of each ticked evaluation with the same
    reasons; refusals are reported one by one."""
    form = ReasonsForm(request.POST if "apply" in request.POST else None)
    chosen = queryset.select_related("cycle", "center").order_by("pk")
    if form.is_bound and form.is_valid():
        with action_once(request, action="issue_bulletins"):
            for evaluation in chosen:
                _report(modeladmin, request, evaluation,
                        lambda e=evaluation: bulletins.bulletin_issue(
                            evaluation=e, actor=request.user,
                            reasons=form.cleaned_data["reasons"]),
                        "通报已发布，文件正在生成。")
        return None
    return action_form_page(
        modeladmin, request, action="issue_bulletins", title="发布不合格通报", rows=chosen,
        form=form, submit="发布通报",
        intro="只对等级已确认为不合格的赋能中心发布通报，通报编号按年度顺序生成，发布后不能撤回；"
              "赋能中心及其主管部门将收到通知（管理办法第十七条）。")


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ("center", "cycle", "department", "status", "score", "computed_grade",
                    "grade", "false_materials_found", "confirmed_at")
    list_filter = ("cycle", "grade", "computed_grade", "department", "status")
    search_fields = ("center__name",)
    list_select_related = ("center", "cycle", "department")
    ordering = ("cycle", "center__name", "id")
    fields = readonly_fields = (*MATERIALS_FIELDS, "false_materials_found",
                                "false_materials_note", "score", "hard_rules_hit",
                                "computed_grade", "computed_at", "grade", "grade_note",
                                "confirmed_at", "confirmed_by")
    inlines = MATERIALS_INLINES
    actions = [confirm_computed_grades, record_false_materials, issue_bulletins]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("evaluations.confirm_grade")

    def has_module_permission(self, request):
        return request.user.has_perm("evaluations.confirm_grade")


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdmin):
    list_display = ("number", "evaluation", "issued_at", "issued_by", "pdf_rendered_at")
    list_select_related = ("evaluation__center", "evaluation__cycle", "issued_by")
    search_fields = ("number", "evaluation__center__name")
    ordering = ("-issued_at", "-id")
    fields = readonly_fields = ("number", "evaluation", "reasons", "issued_at", "issued_by",
                                "pdf", "pdf_rendered_at")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("evaluations.issue_bulletin")

    def has_module_permission(self, request):
        return request.user.has_perm("evaluations.issue_bulletin")


# --- the other parts' admin modules ---
from . import admin_materials  # noqa: E402,F401  (self-scores, files, forwardings)
from . import admin_revocations  # noqa: E402,F401  (撤销资格: notify, revoke, drop)
