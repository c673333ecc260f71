from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html

from core.admin import ReadOnlyMixin
from core.forms import NormalisedTextMixin

from . import services
from .models import (
    Department,
    LockedAccount,
    Organisation,
    OrganisationClaim,
    RoleAssignment,
    User,
)
from .selectors import organisation_route_status, organisations_with_route_state
from .services import (
    organisation_admin_save,
    organisation_route_confirm,
    role_assignment_delete,
    role_assignment_save,
    user_admin_flags_record,
)


class AuditedRoleAssignmentsMixin:
    """Roles given, changed or removed in admin (on a user's or a unit's page) are audited."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        assignments = formset.save(commit=False)
        for assignment in formset.deleted_objects:
            role_assignment_delete(assignment=assignment, actor=request.user, request=request)
        for assignment in assignments:
            role_assignment_save(assignment=assignment, actor=request.user, request=request)
        formset.save_m2m()
        return None


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ("organisation",)
    fk_name = "user"


class UserAdminChangeForm(NormalisedTextMixin, UserChangeForm):
    pass


class UserAdminCreationForm(NormalisedTextMixin, AdminUserCreationForm):
    pass


@admin.register(User)
class UserAdmin(AuditedRoleAssignmentsMixin, DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("联系方式", {"fields": ("real_name", "mobile", "awaiting_email_confirmation")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        ("基本信息", {"fields": ("real_name", "mobile", "email")}),
    )
    list_display = ("username", "real_name", "email", "mobile", "is_active", "is_staff")
    search_fields = ("username", "real_name", "email", "mobile")
    inlines = [RoleAssignmentInline]

    def get_readonly_fields(self, request, obj=None):
        # Commission staff open and correct accounts; only a superuser makes superusers or
        # grants single permissions, so nobody raises their own rights.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields

    def has_change_permission(self, request, obj=None):
        # A superuser's account (its password above all) is changed by a superuser only, or
        # whoever may change users could take its rights.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        user = form.instance
        before = getattr(form, "admin_flags_before", None)
        super().save_related(request, form, formsets, change)
        if before is not None:
            user_admin_flags_record(user=user, before=before, actor=request.user,
                                    request=request)

    def save_model(self, request, obj, form, change):
        if change and obj.pk:
            stored = User.objects.get(pk=obj.pk)
            form.admin_flags_before = {
                "is_staff": stored.is_staff, "is_superuser": stored.is_superuser,
                "groups": sorted(stored.groups.values_list("name", flat=True))}
        else:
            form.admin_flags_before = {"is_staff": False, "is_superuser": False, "groups": []}
        super().save_model(request, obj, form, change)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region_code", "sort_order", "is_active")
    list_filter = ("kind", "is_active")
    list_editable = ("sort_order", "is_active")
    search_fields = ("name", "short_name")


class OrganisationMemberInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ("user", "role", "is_administrator")
    autocomplete_fields = ("user",)
    verbose_name = "成员"
    verbose_name_plural = "成员"


class RouteConfirmedFilter(admin.SimpleListFilter):
    title = "报送路径（第八条）"
    parameter_name = "route"

    def lookups(self, request, model_admin):
        return (("pending", "待确认"), ("confirmed", "已确认"))

    def queryset(self, request, queryset):
        if self.value() in ("pending", "confirmed"):
            return organisations_with_route_state(queryset).filter(
                route_confirmed_now=self.value() == "confirmed")
        return queryset


@admin.action(description="确认所选单位的报送路径（市直、中央及省驻青、主管部门）")
def confirm_routes(modeladmin, request, queryset):
    for organisation in queryset:
        try:
            organisation_route_confirm(organisation=organisation, actor=request.user,
                                       request=request)
        except PermissionDenied as error:
            modeladmin.message_user(request, f"“{organisation}”：{error}", messages.ERROR)
            return
        modeladmin.message_user(request, f"已确认“{organisation}”的报送路径。",
                                messages.SUCCESS)


@admin.register(Organisation)
class OrganisationAdmin(AuditedRoleAssignmentsMixin, admin.ModelAdmin):
    list_display = ("name", "uscc", "kind", "competent_department", "registered_in_qingdao",
                    "is_city_level", "is_central_or_provincial", "route_status",
                    "registration_expires_at")
    list_filter = (RouteConfirmedFilter, "kind", "competent_department", "registered_in_qingdao",
                   "is_city_level", "is_central_or_provincial")
    search_fields = ("name", "uscc")
    list_select_related = ("competent_department",)
    readonly_fields = ("route_status", "route_confirmed_at", "route_confirmed_by")
    inlines = [OrganisationMemberInline]
    actions = [confirm_routes]

    @admin.display(description="报送路径")
    def route_status(self, obj):
        return organisation_route_status(obj) if obj and obj.pk else ""

    def save_model(self, request, obj, form, change):
        # Name and 统一社会信用代码 change only here, and every change leaves an audit row.
        organisation_admin_save(organisation=obj, actor=request.user,
                                changed_fields=form.changed_data if change else [],
                                request=request)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organisation", "department", "is_administrator")
    list_filter = ("role", "department")
    search_fields = ("user__username", "user__real_name", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    list_select_related = ("user", "organisation", "department")

    def save_model(self, request, obj, form, change):
        role_assignment_save(assignment=obj, actor=request.user, request=request)

    def delete_model(self, request, obj):
        role_assignment_delete(assignment=obj, actor=request.user, request=request)

    def delete_queryset(self, request, queryset):
        for assignment in queryset.select_related("user", "organisation", "department"):
            role_assignment_delete(assignment=assignment, actor=request.user, request=request)

class ClaimDecisionForm(NormalisedTextMixin, ActionForm):
    reason = forms.CharField(label="未通过理由", required=False,
                             widget=forms.TextInput(attrs={"size": 40}))


@admin.register(OrganisationClaim)
class OrganisationClaimAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The commission checks the business licence, then transfers the unit to the claimant or
    refuses with a reason (the actions call `accounts.services`). Claims are never edited."""

    list_display = ("created_at", "organisation_name", "uscc", "organisation", "real_name",
                    "username", "status", "licence_link")
    list_filter = ("status",)
    search_fields = ("organisation_name", "uscc", "username", "real_name", "email")
    list_select_related = ("organisation",)
    date_hierarchy = "created_at"
    action_form = ClaimDecisionForm
    actions = ["approve", "refuse"]
    exclude = ("password_hash", "licence")
    readonly_fields = ("licence_link",)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("accounts.view_organisation_claim") or \
            super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return self.has_view_permission(request) or super().has_module_permission(request)

    def has_decide_permission(self, request):
        return request.user.has_perm("accounts.decide_organisation_claim")

    @admin.display(description="营业执照")
    def licence_link(self, claim):
        return format_html('<a href="{}">下载营业执照</a>',
                           reverse("organisation_claim_licence", args=[claim.pk]))

    @admin.action(description="核实营业执照无误，将单位转移给认领人", permissions=["decide"])
    def approve(self, request, queryset):
        for claim in queryset.order_by("pk"):
            try:
                services.organisation_claim_approve(claim=claim, actor=request.user,
                                                    request=request)
            except (services.ClaimError, PermissionDenied) as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"“{claim}”已转移给认领人{claim.real_name}。",
                                  messages.SUCCESS)

    @admin.action(description="认领不通过（请在“未通过理由”中填写理由）", permissions=["decide"])
    def refuse(self, request, queryset):
        reason = request.POST.get("reason", "")
        for claim in queryset.order_by("pk"):
            try:
                services.organisation_claim_refuse(claim=claim, actor=request.user,
                                                   reason=reason, request=request)
            except (services.ClaimError, PermissionDenied) as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"“{claim}”的认领申请未通过，已通知申请人。",
                                  messages.SUCCESS)


@admin.register(LockedAccount)
class LockedAccountAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """django-axes' failure records in Chinese (its own admin is switched off); unlocking calls
    the same service as the commission's 账号锁定管理 page."""

    list_display = ("username_label", "address", "failures", "attempted_at")
    search_fields = ("username", "ip_address")
    actions = ["unlock"]
    fields = ("username_label", "address", "failures", "attempted_at")
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("accounts.unlock_account") or \
            super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return self.has_view_permission(request) or super().has_module_permission(request)

    def has_unlock_permission(self, request):
        return request.user.has_perm("accounts.unlock_account")

    @admin.display(description="用户名", ordering="username")
    def username_label(self, row):
        return row.username

    @admin.display(description="网络地址", ordering="ip_address")
    def address(self, row):
        return row.ip_address or "—"

    @admin.display(description="失败次数", ordering="failures_since_start")
    def failures(self, row):
        return row.failures_since_start

    @admin.display(description="最近一次尝试", ordering="attempt_time")
    def attempted_at(self, row):
        return row.attempt_time

    @admin.action(description="解除所选账号的登录锁定", permissions=["unlock"])
    def unlock(self, request, queryset):
        for username in sorted(set(queryset.values_list("username", flat=True))):
            services.account_unlock(username=username, actor=request.user, request=request,
                                    reason="市发展改革委在管理后台解除锁定。")
        self.message_user(request, "已解除所选账号的登录锁定。", messages.SUCCESS)
