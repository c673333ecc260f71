"""The secretariat's admin of the roster (第四条): experts with their declared ties and their
membership history. The history is read only; a change of status (动态调整) and an expert's
login account are admin actions calling the services of experts.roster.

`InvitedAuthoritiesAdminMixin` is for the review round's admin (admin_rounds): it saves the
round's invited industry authorities through `roster.round_authorities_set` (audited)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery

from core.admin import ReadOnlyMixin, action_form_page

from . import roster
from .enums import MembershipStatus
from .models import CommitteeMembership, Expert, ExpertTie
from .roster_forms import ExpertAccountForm, MembershipChangeForm


class MembershipStatusFilter(admin.SimpleListFilter):
    """By the status of the expert's latest membership row."""

    title = "委员状态"
    parameter_name = "membership"

    def lookups(self, request, model_admin):
        return [*MembershipStatus.choices, ("none", "未聘任")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(current_status__isnull=True)
        if self.value() in MembershipStatus.values:
            return queryset.filter(current_status=self.value())
        return queryset


class ExpertTieInline(admin.TabularInline):
    model = ExpertTie
    extra = 0
    fields = ("kind", "unit_name", "unit_uscc", "started_on", "ended_on", "note")


class CommitteeMembershipInline(ReadOnlyMixin, admin.TabularInline):
    """The membership history: never edited; 调整委员状态 adds a row."""

    model = CommitteeMembership
    extra = 0
    fields = ("status", "term_start", "term_end", "reason", "changed_by", "created_at")
    readonly_fields = fields
    ordering = ("-term_start", "-id")
    verbose_name_plural = "聘任记录（通过“调整委员状态”操作变更）"


@admin.action(description="调整委员状态（动态调整）", permissions=["manage_roster"])
def change_membership(modeladmin, request, queryset):
    """动态调整 of the ticked experts with one new status, through
    `roster.membership_change`; refusals are reported expert by expert."""
    form = MembershipChangeForm(request.POST if "apply" in request.POST else None)
    experts = queryset.order_by("name", "pk")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        for expert in experts:
            try:
                roster.membership_change(expert=expert, status=data["status"],
                                         reason=data["reason"], actor=request.user,
                                         term_start=data["term_start"],
                                         term_end=data["term_end"], request=request)
            except (ValidationError, PermissionDenied) as error:
                text = error.messages[0] if isinstance(error, ValidationError) else str(error)
                modeladmin.message_user(request, f"“{expert}”：{text}", messages.ERROR)
            else:
                modeladmin.message_user(
                    request, f"“{expert}”已调整为“{MembershipStatus(data['status']).label}”。",
                    messages.SUCCESS)
        return None
    return action_form_page(
        modeladmin, request, action="change_membership", title="调整委员状态", rows=experts,
        form=form, submit="确认调整",
        intro="专家委员会实行动态调整（管理办法第四条）。调整后，当前聘任记录在生效日期前一日结束，"
              "自生效日期起新增一条记录；原记录保留，调整记入审计日志。只有“在库”的专家可以被分配评审。")


@admin.action(description="开通专家登录账号", permissions=["manage_roster"])
def create_account(modeladmin, request, queryset):
    """Opens a login account for one ticked expert (`roster.expert_account_create`); the
    expert receives the password-set mail."""
    if queryset.count() != 1:
        modeladmin.message_user(request, "请只勾选一位专家开通账号。", messages.ERROR)
        return None
    expert = queryset.get()
    form = ExpertAccountForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        try:
            user = roster.expert_account_create(expert=expert,
                                                username=form.cleaned_data["username"],
                                                actor=request.user, request=request)
        except ValidationError as error:
            form.add_error("username", error.messages[0])
        except PermissionDenied as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
            return None
        else:
            modeladmin.message_user(
                request, f"已为“{expert}”开通账号“{user.username}”，设置密码的邮件已发送至 {user.email}。",
                messages.SUCCESS)
            return None
    return action_form_page(
        modeladmin, request, action="create_account", title="开通专家登录账号", rows=[expert],
        form=form, submit="确认开通",
        intro="为以下专家开通评审专家登录账号。账号与专家库记录关联；设置密码的链接将发送到专家登记的"
              "电子邮箱。",
        describe=lambda e: f"{e}（{e.email or '未登记电子邮箱'}）")


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ("name", "employer_name", "title", "field_names", "membership_display",
                    "has_account")
    list_filter = ("fields", MembershipStatusFilter)
    search_fields = ("name", "employer_name", "employer_uscc")
    ordering = ("name", "id")
    filter_horizontal = ("fields",)
    readonly_fields = ("user", "created_at", "updated_at")
    fields = ("name", "employer_name", "employer_uscc", "title", "fields", "mobile", "email",
              "note", "user", "created_at", "updated_at")
    inlines = [CommitteeMembershipInline, ExpertTieInline]
    actions = [change_membership, create_account]

    def has_manage_roster_permission(self, request):
        return request.user.has_perm("experts.manage_roster")

    def has_delete_permission(self, request, obj=None):
        # 第四条: the committee is adjusted, never erased: a member leaves (退出) and the
        # record stays, with the assignments and sheets that name it.
        return False

    def get_queryset(self, request):
        latest = CommitteeMembership.objects.filter(expert=OuterRef("pk")).order_by(
            "-term_start", "-id")
        return (super().get_queryset(request)
                .annotate(current_status=Subquery(latest.values("status")[:1]))
                .prefetch_related("fields"))

    @admin.display(description="专业领域")
    def field_names(self, obj):
        return "、".join(f.name for f in obj.fields.all()) or "—"

    @admin.display(description="委员状态", ordering="current_status")
    def membership_display(self, obj):
        status = getattr(obj, "current_status", None)
        return MembershipStatus(status).label if status else "未聘任"

    @admin.display(description="登录账号", boolean=True)
    def has_account(self, obj):
        return obj.user_id is not None


class InvitedAuthoritiesAdminMixin:
    """For ReviewRoundAdmin: the `invited_authorities` field is saved through
    `roster.round_authorities_set`, so every invitation and withdrawal is audited and checked
    against `experts.manage_round`."""

    def save_related(self, request, form, formsets, change):
        authorities = form.cleaned_data.pop("invited_authorities", None) \
            if "invited_authorities" in form.cleaned_data else None
        super().save_related(request, form, formsets, change)
        if authorities is not None:
            roster.round_authorities_set(round_=form.instance, departments=list(authorities),
                                         actor=request.user, request=request)
