"""The commission's admin of 回避 (conflicts of interest): the applicants' 回避申请 and their
rulings, the commission's conflict rulings, the experts' declarations. Everything here is a
record: read only, except that a conflict may be pinned or dismissed here through the same
service as the 疑似利益冲突 page (experts.avoidance)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from applications.models import AvoidanceRequest
from core.admin import ReadOnlyAdmin
from core.forms import PortalModelForm

from .avoidance import RulingError, conflict_ruling_record
from .models import AvoidanceRuling, ConflictRuling, ExpertDeclaration


class CommissionRulesMixin:
    """Open to those who rule on conflicts (experts.rule_conflicts): commission staff."""

    def _may(self, request):
        return request.user.has_perm("experts.rule_conflicts")

    def has_module_permission(self, request):
        return self._may(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request)


@admin.register(AvoidanceRequest)
class AvoidanceRequestAdmin(CommissionRulesMixin, ReadOnlyAdmin):
    """回避申请 as the applicant filled them; the ruling is made on the 回避申请审核 page."""

    list_display = ("expert_name", "expert_employer", "application", "created_at", "outcome")
    list_filter = ("application__call", "ruling__status")
    search_fields = ("expert_name", "expert_employer", "application__center_name",
                     "application__organisation__name")
    list_select_related = ("application", "ruling")

    @admin.display(description="审核结果")
    def outcome(self, obj):
        ruling = getattr(obj, "ruling", None)
        return ruling.get_status_display() if ruling else "待审核"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application", "ruling")


@admin.register(AvoidanceRuling)
class AvoidanceRulingAdmin(CommissionRulesMixin, ReadOnlyAdmin):
    list_display = ("request", "status", "expert", "decided_by", "decided_at")
    list_filter = ("status", "request__application__call")
    search_fields = ("request__expert_name", "expert__name", "reason")
    list_select_related = ("request", "expert", "decided_by")


class ConflictRulingForm(PortalModelForm):
    class Meta:
        model = ConflictRuling
        fields = ["expert", "application", "kind", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        expert, application = data.get("expert"), data.get("application")
        if expert and application and ConflictRuling.objects.filter(
                expert=expert, application=application).exists():
            raise forms.ValidationError("该专家与该申报的回避事项已认定，不能重复认定。")
        return data


@admin.register(ConflictRuling)
class ConflictRulingAdmin(CommissionRulesMixin, admin.ModelAdmin):
    """Pinned conflicts and dismissed suggestions: added through the service (once per pair,
    with a reason, audited), never changed or deleted."""

    form = ConflictRulingForm
    list_display = ("expert", "application", "kind", "decided_by", "decided_at")
    list_filter = ("kind", "application__call")
    search_fields = ("expert__name", "application__center_name", "reason")
    list_select_related = ("expert", "application", "decided_by")
    raw_id_fields = ("expert", "application")

    def has_add_permission(self, request):
        return self._may(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            raise PermissionDenied
        try:
            saved = conflict_ruling_record(expert=obj.expert, application=obj.application,
                                           actor=request.user, kind=obj.kind, reason=obj.reason)
        except RulingError as error:
            self.message_user(request, str(error), messages.ERROR)
            raise PermissionDenied(str(error)) from None
        obj.pk = saved.pk
        obj.decided_by = saved.decided_by
        obj.decided_at = saved.decided_at


@admin.register(ExpertDeclaration)
class ExpertDeclarationAdmin(CommissionRulesMixin, ReadOnlyAdmin):
    """What experts declared on their own pages (a conflict, or having helped prepare the
    application): hard conflicts, read only here."""

    list_display = ("expert", "application", "kind", "note", "created_at")
    list_filter = ("kind", "application__call")
    search_fields = ("expert__name", "application__center_name", "note")
    list_select_related = ("expert", "application")
