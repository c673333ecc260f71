"""撤销资格 in the commission's admin (第十七条): the revocations read-only (their history does
not change here), filtered by status and ground; telling the center, revoking and dropping are
actions calling the same services as the portal pages (evaluations.revocations)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from core.admin import ReadOnlyAdmin, ReadOnlyMixin, action_form_page, action_once
from core.forms import PortalForm

from . import revocations
from .errors import EvaluationError
from .models import Revocation, RevocationFile
from .revocations import FACTS_MAX_CHARS


class DecisionReasonForm(PortalForm):
    reason = forms.CharField(label="决定理由", widget=forms.Textarea(attrs={"rows": 4}),
                             max_length=FACTS_MAX_CHARS,
                             error_messages={"required": "请填写决定理由。",
                                             "max_length": f"决定理由不超过{FACTS_MAX_CHARS}字。"})


def _each(modeladmin, request, chosen, act, done):
    for revocation in chosen:
        try:
            act(revocation)
        except (EvaluationError, PermissionDenied) as error:
            modeladmin.message_user(request, f"“{revocation}”：{error}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"“{revocation}”{done}", messages.SUCCESS)


@admin.action(description="告知赋能中心（听取陈述申辩）")
def notify_revocations(modeladmin, request, queryset):
    """For RevocationAdmin: `revocations.revocation_notify` for each ticked proposal."""
    _each(modeladmin, request, queryset.select_related("center").order_by("pk"),
          lambda r: revocations.revocation_notify(revocation=r, actor=request.user),
          "已告知赋能中心。")


def _decide_action(revoke: bool, name: str, description: str):
    @admin.action(description=description)
    def decide(modeladmin, request, queryset):
        """For RevocationAdmin: `revocations.revocation_decide` with one reason for the ticked
        proposals; refusals are reported proposal by proposal."""
        form = DecisionReasonForm(request.POST if "apply" in request.POST else None)
        chosen = queryset.select_related("center").order_by("pk")
        if form.is_bound and form.is_valid():
            with action_once(request, action=name):
                _each(modeladmin, request, chosen,
                      lambda r: revocations.revocation_decide(
                          revocation=r, actor=request.user, revoke=revoke,
                          reason=form.cleaned_data["reason"]),
                      "已作出决定。")
            return None
        return action_form_page(
            modeladmin, request, action=name, title=description, rows=chosen, form=form,
            submit=description,
            intro="撤销须在告知赋能中心且陈述申辩期满或收到陈述申辩后作出；撤销后赋能中心状态改为"
                  "已撤销，牌匾核验显示已撤销，并在已撤销名单中对外公布撤销事由和日期。不予撤销可在"
                  "任一办理阶段作出。决定作出后不能更改（管理办法第十七条）。")

    decide.__name__ = name
    return decide


class RevocationFileInline(ReadOnlyMixin, admin.TabularInline):
    model = RevocationFile
    fields = readonly_fields = ("kind", "original_name", "size", "uploaded_at")
    extra = 0


@admin.register(Revocation)
class RevocationAdmin(ReadOnlyAdmin):
    list_display = ("center", "ground", "status", "proposed_at", "statement_due",
                    "decided_at", "effective_on")
    list_filter = ("status", "ground")
    search_fields = ("center__name", "facts")
    list_select_related = ("center",)
    ordering = ("-proposed_at", "-id")
    fields = readonly_fields = (
        "center", "ground", "status", "facts", "cycle", "change_report",
        "legal_representative", "proposed_at", "proposed_by", "notified_at", "statement_due",
        "statement", "stated_at", "stated_by", "decision_reason", "decided_at", "decided_by",
        "effective_on", "published_at")
    inlines = [RevocationFileInline]
    actions = [notify_revocations,
               _decide_action(True, "revoke_centers", "决定撤销资格"),
               _decide_action(False, "drop_revocations", "决定不予撤销")]


@admin.register(RevocationFile)
class RevocationFileAdmin(ReadOnlyAdmin):
    list_display = ("revocation", "kind", "original_name", "size", "uploaded_at")
    list_filter = ("kind",)
    list_select_related = ("revocation__center",)
    fields = readonly_fields = ("revocation", "kind", "original_name", "size", "uploaded_by",
                                "uploaded_at")
