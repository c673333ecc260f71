"""Assignments in the commission's admin: read only (an assignment is history), filtered by
round, status and method; the withdrawal is an action calling the portal's service. Adding is
off here: assignments are made on the round's assignment page (experts:assignments), which
checks conflicts and membership through the same services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html

from core.admin import ReadOnlyAdmin, action_form_page
from core.forms import PortalForm
from core.transitions import TransitionNotAllowed

from .assignment import AssignmentError, assignment_withdraw
from .models import Assignment


class WithdrawForm(PortalForm):
    reason = forms.CharField(label="撤回理由", max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))


@admin.action(description="撤回所选评审分配", permissions=["withdraw"])
def withdraw_assignments(modeladmin, request, queryset):
    """Withdraws the ticked live assignments with one reason (`assignment_withdraw`); others
    are refused one by one."""
    form = WithdrawForm(request.POST if "apply" in request.POST else None)
    rows = queryset.select_related("expert", "application", "round")
    if form.is_bound and form.is_valid():
        for assignment in rows.order_by("pk"):
            try:
                assignment_withdraw(assignment=assignment, actor=request.user,
                                    reason=form.cleaned_data["reason"])
            except (AssignmentError, TransitionNotAllowed, PermissionDenied) as error:
                modeladmin.message_user(request, f"“{assignment}”：{error}", messages.ERROR)
            else:
                modeladmin.message_user(request, f"“{assignment}”已撤回。", messages.SUCCESS)
        return None
    return action_form_page(
        modeladmin, request, action="withdraw_assignments", title="撤回评审分配", rows=rows,
        form=form, submit="确认撤回",
        intro="以下评审分配将撤回，空出的名额可在评审轮次的专家分配页面重新分配。撤回记入审计日志；"
              "已提交评分表的分配不能撤回。",
        describe=lambda a: f"{a}（{a.round}，{a.get_status_display()}）")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("expert", "application", "round", "status", "method", "assigned_by",
                    "assigned_at", "committed_at", "recused_at", "page_link")
    list_filter = ("round", "status", "method")
    search_fields = ("expert__name", "application__center_name",
                     "application__receipt_number", "application__organisation__name")
    list_select_related = ("expert", "application__organisation", "application__call", "round",
                           "assigned_by")
    ordering = ("round", "application", "id")
    actions = [withdraw_assignments]

    @admin.display(description="分配页面")
    def page_link(self, obj):
        return format_html('<a href="{}">专家分配</a>',
                           reverse("experts:assignments", args=[obj.round_id]))

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("experts.manage_assignments")

    def has_withdraw_permission(self, request):
        return request.user.has_perm("experts.manage_assignments")
