"""The commission's admin of review rounds, their rubric, entries and the proposed list
(第九条（三）). Every change goes through experts.rounds / experts.results; results and a
frozen list are read only."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from core.admin import ReadOnlyAdmin
from core.audit import audit_record
from core.forms import PortalModelForm

from . import results, rounds
from .admin_roster import InvitedAuthoritiesAdminMixin
from .enums import ProposedListStatus, RoundPurpose
from .models import Criterion, ProposedList, ProposedListEntry, ReviewRound, RoundEntry
from .rubrics import RubricError, rubric_install_default


def _manages(request, obj=None) -> bool:
    return request.user.has_perm("experts.manage_round", obj)


class CriterionFormSet(BaseInlineFormSet):
    """The rubric as one whole: the rows kept must pass `rounds.rubric_problem` (weights
    summing to 100, the rubric not frozen)."""

    def rows(self) -> list[dict]:
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        kept.sort(key=lambda f: (f.cleaned_data.get("order") or 0))
        return [{"name": f.cleaned_data.get("name", ""),
                 "description": f.cleaned_data.get("description", ""),
                 "max_score": f.cleaned_data.get("max_score"),
                 "weight": f.cleaned_data.get("weight")} for f in kept]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = self.rows()
        if not rows and (self.instance.pk is None or not self.instance.criteria.exists()):
            return  # a new round without rows gets the default rubric
        if self.instance.pk is None:
            from .rubrics import weights_problem

            problem = weights_problem([Decimal(r["weight"]) for r in rows])
        else:
            problem = rounds.rubric_problem(round=self.instance, rows=rows)
        if problem:
            raise ValidationError(problem)


class ReviewRoundForm(PortalModelForm):
    """A round of the review of a call names its call; only an evaluation round (made by the
    evaluation's service) has none."""

    class Meta:
        model = ReviewRound
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        purpose = self.instance.purpose if self.instance.pk else RoundPurpose.APPLICATION
        if "call" in self.fields and purpose == RoundPurpose.APPLICATION and not cleaned.get(
                "call"):
            self.add_error("call", "请选择申报通知。")
        return cleaned


class CriterionInline(admin.TabularInline):
    model = Criterion
    formset = CriterionFormSet
    fields = ("order", "name", "description", "max_score", "weight")
    extra = 0

    def _editable(self, request, obj):
        return _manages(request, obj) and (obj is None or not obj.rubric_is_frozen)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("experts.list_rounds")

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj)


@admin.action(description="开始评审", permissions=["manage"])
def open_rounds(modeladmin, request, queryset):
    """开始评审 of the ticked rounds (rounds.round_open); refused ones are named."""
    for round_ in queryset.order_by("pk"):
        try:
            rounds.round_open(round=round_, actor=request.user)
        except (rounds.RoundError, PermissionDenied) as error:
            modeladmin.message_user(request, f"“{round_}”：{error}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"“{round_}”：已开始评审。", messages.SUCCESS)


@admin.action(description="结束评审并计算结果", permissions=["manage"])
def close_rounds(modeladmin, request, queryset):
    """结束评审 of the ticked rounds (rounds.round_close: results computed and stored)."""
    for round_ in queryset.order_by("pk"):
        try:
            rounds.round_close(round=round_, actor=request.user)
        except (rounds.RoundError, PermissionDenied) as error:
            modeladmin.message_user(request, f"“{round_}”：{error}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"“{round_}”：已结束评审，评审结果已计算。",
                                    messages.SUCCESS)


@admin.register(ReviewRound)
class ReviewRoundAdmin(InvitedAuthoritiesAdminMixin, admin.ModelAdmin):
    form = ReviewRoundForm
    list_display = ("title", "call", "kind", "status", "deadline", "experts_per_application",
                    "aggregation", "results_link")
    list_filter = ("status", "kind", "call")
    search_fields = ("title", "call__title")
    list_select_related = ("call",)
    ordering = ("-created_at", "-id")
    fields = ("call", "title", "kind", "deadline", "experts_per_application", "aggregation",
              "disagreement_threshold", "agency", "invited_authorities", "status",
              "rubric_frozen_at", "opened_at", "closed_at")
    readonly_fields = ("status", "rubric_frozen_at", "opened_at", "closed_at")
    filter_horizontal = ("invited_authorities",)
    inlines = [CriterionInline]
    actions = [open_rounds, close_rounds]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.purpose != RoundPurpose.APPLICATION:
            # An evaluation round scores its cycle's centers: it never gets a call.
            extra = ("call",) if obj.status == "preparing" else (
                "call", "kind", "aggregation", "disagreement_threshold",
                "experts_per_application")
            return (*self.readonly_fields, *extra)
        if obj is not None and obj.status != "preparing":
            # A round under way keeps its call, kind and method: its results depend on them.
            return (*self.readonly_fields, "call", "kind", "aggregation",
                    "disagreement_threshold", "experts_per_application")
        return self.readonly_fields

    @admin.display(description="评审结果")
    def results_link(self, obj):
        return format_html('<a href="{}">查看</a>',
                           reverse("experts:round_results", args=[obj.pk]))

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("experts.list_rounds")

    def has_module_permission(self, request):
        return request.user.has_perm("experts.list_rounds")

    def has_add_permission(self, request):
        return _manages(request)

    def has_change_permission(self, request, obj=None):
        return _manages(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_manage_permission(self, request):
        return _manages(request)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            audit_record(action="review_round.create", actor=request.user, target=obj,
                         after={"call": obj.call_id, "title": obj.title})

    def save_formset(self, request, form, formset, change):
        if formset.model is not Criterion:
            return super().save_formset(request, form, formset, change)
        # The service writes the rubric; the admin's change message reads these.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        round_ = form.instance
        rows = formset.rows()
        if not rows:
            rubric_install_default(round_)
            return
        current = [(c.name, c.description, c.max_score, c.weight)
                   for c in round_.criteria.order_by("order")]
        wanted = [(r["name"], r["description"], Decimal(r["max_score"]), Decimal(r["weight"]))
                  for r in rows]
        if current == wanted:
            return
        try:
            rounds.rubric_save(round=round_, actor=request.user, rows=rows)
        except RubricError as error:
            self.message_user(request, str(error), messages.ERROR)


class RoundEntryFlagFilter(admin.SimpleListFilter):
    title = "评分分歧"
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return (("open", "待处理"), ("resolved", "已处理"), ("none", "无分歧"))

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(flagged=True, resolution_note="")
        if self.value() == "resolved":
            return queryset.filter(flagged=True).exclude(resolution_note="")
        if self.value() == "none":
            return queryset.filter(flagged=False)
        return queryset


@admin.register(RoundEntry)
class RoundEntryAdmin(ReadOnlyAdmin):
    """Entries and their stored results, read only: results change only by computing them
    again (experts.scoring) and a resolution only on the results page."""

    list_display = ("application", "round", "aggregate", "method", "sheet_count",
                    "rank_in_call", "rank_in_field", "flagged", "resolution_note")
    list_filter = ("round", RoundEntryFlagFilter)
    search_fields = ("application__center_name", "application__receipt_number",
                     "application__organisation__name")
    list_select_related = ("application", "round")
    ordering = ("round", "rank_in_call", "id")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("experts.view_results")

    def has_module_permission(self, request):
        return request.user.has_perm("experts.view_results")


class ProposedListEntryInline(admin.TabularInline):
    model = ProposedListEntry
    fields = ("position", "application", "aggregate", "note")
    readonly_fields = ("position", "application", "aggregate", "note")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.action(description="确定并锁定所选拟评定名单", permissions=["decide"])
def freeze_lists(modeladmin, request, queryset):
    """Freezes the ticked draft lists (results.proposed_list_freeze)."""
    for proposed in queryset.order_by("pk"):
        try:
            results.proposed_list_freeze(proposed_list=proposed, actor=request.user)
        except (results.ResultsError, PermissionDenied) as error:
            modeladmin.message_user(request, f"“{proposed}”：{error}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"“{proposed}”：已确定。", messages.SUCCESS)


@admin.register(ProposedList)
class ProposedListAdmin(ReadOnlyAdmin):
    """拟评定名单, read here; decided on the round's results page (experts:proposed_list)
    and frozen there or by the action. A frozen list never changes."""

    list_display = ("call", "round", "status", "frozen_at", "frozen_by", "page_link")
    list_filter = ("status", "call")
    list_select_related = ("call", "round", "frozen_by")
    fields = readonly_fields = ("call", "round", "status", "note", "frozen_at", "frozen_by",
                                "snapshot_table")
    inlines = [ProposedListEntryInline]
    actions = [freeze_lists]

    @admin.display(description="确定时的评审结果")
    def snapshot_table(self, obj):
        snapshot = obj.results_snapshot or {}
        rows = [(e["rank_in_call"] or "—", e["receipt_number"], e["center_name"],
                 e["aggregate"] or "—", e["sheet_count"], "列入" if e["proposed"] else "—")
                for e in snapshot.get("entries", [])]
        if not rows:
            return "尚未确定"
        head = format_html("<p>{}，汇总方法：{}</p>", snapshot.get("round", ""),
                           snapshot.get("method_label", ""))
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                                    "<td>{}</td><td>{}</td></tr>", rows)
        return format_html("{}<table><thead><tr><th>排名</th><th>申报编号</th><th>赋能中心名称</th>"
                           "<th>汇总得分</th><th>计入份数</th><th>拟评定名单</th></tr></thead>"
                           "<tbody>{}</tbody></table>", head, body)

    @admin.display(description="拟定页面")
    def page_link(self, obj):
        return format_html('<a href="{}">打开</a>',
                           reverse("experts:proposed_list", args=[obj.round_id]))

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("experts.view_results")

    def has_module_permission(self, request):
        return request.user.has_perm("experts.view_results")

    def has_decide_permission(self, request):
        return request.user.has_perm("experts.decide_proposed_list")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if request.GET.get("status__exact") == ProposedListStatus.FROZEN:
            actions.pop("freeze_lists", None)
        return actions
