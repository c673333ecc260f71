"""The expert scoring and the invited authorities' opinions in the commission's admin (第十七条):
`create_expert_round`, an action for the EvaluationCycle admin calling the portal's service
(scoring.round_for_cycle), and the opinions read-only (they are part of the record)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from core.admin import ReadOnlyAdmin

from . import scoring
from .errors import EvaluationError
from .models import EvaluationOpinion


@admin.action(description="组织专家评分（创建或补充评分轮次）")
def create_expert_round(modeladmin, request, queryset):
    """For EvaluationCycleAdmin.actions: makes each ticked cycle's expert round, or enters the
    centers forwarded since (idempotent); refusals are reported cycle by cycle."""
    for cycle in queryset.order_by("pk"):
        try:
            round_ = scoring.round_for_cycle(cycle=cycle, actor=request.user)
        except (EvaluationError, PermissionDenied) as error:
            modeladmin.message_user(request, f"“{cycle}”：{error}", messages.ERROR)
        else:
            modeladmin.message_user(
                request, f"“{cycle}”：专家评分轮次“{round_.title}”已就绪，"
                f"共{round_.entries.count()}个赋能中心。", messages.SUCCESS)


@admin.register(EvaluationOpinion)
class EvaluationOpinionAdmin(ReadOnlyAdmin):
    list_display = ("evaluation", "department", "author", "updated_at")
    list_filter = ("evaluation__cycle", "department")
    search_fields = ("evaluation__center__name", "department__name", "text")
    list_select_related = ("evaluation__cycle", "evaluation__center", "department", "author")
    fields = ("evaluation", "department", "author", "text", "updated_at")
    readonly_fields = fields
