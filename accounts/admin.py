from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from core.forms import NormalisedTextMixin

from .models import Department, Organisation, RoleAssignment, User


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
class UserAdmin(DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    fieldsets = DjangoUserAdmin.fieldsets + (("联系方式", {"fields": ("real_name", "mobile")}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        ("基本信息", {"fields": ("real_name", "mobile", "email")}),
    )
    list_display = ("username", "real_name", "email", "mobile", "is_active", "is_staff")
    search_fields = ("username", "real_name", "email", "mobile")
    inlines = [RoleAssignmentInline]


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


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "kind", "competent_department", "registered_in_qingdao",
                    "is_city_level", "is_central_or_provincial")
    list_filter = ("kind", "competent_department", "registered_in_qingdao", "is_city_level",
                   "is_central_or_provincial")
    search_fields = ("name", "uscc")
    list_select_related = ("competent_department",)
    inlines = [OrganisationMemberInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organisation", "department", "is_administrator")
    list_filter = ("role", "department")
    search_fields = ("user__username", "user__real_name", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    list_select_related = ("user", "organisation", "department")
