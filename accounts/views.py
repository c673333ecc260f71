from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlencode, urlsafe_base64_decode
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from core.selectors import audit_events_search, next_year_schedule_missing

from .enums import Role
from .forms import MemberForm, RegistrationForm
from .models import User
from .selectors import (
    organisation_administrator_hints,
    user_primary_organisation,
    user_role_assignments,
)
from .selectors import organisation_members as organisation_members_of
from .services import (
    DuplicateOrganisation,
    organisation_member_add,
    organisation_register,
    user_confirm_email,
)

DASHBOARD_URL_NAMES = {
    Role.APPLICANT: "dashboard_applicant",
    Role.DISTRICT_OFFICIAL: "dashboard_district",
    Role.COMMISSION_STAFF: "dashboard_commission",
    Role.INDUSTRY_STAFF: "dashboard_industry",
    Role.THIRD_PARTY_STAFF: "dashboard_third_party",
    Role.EXPERT: "dashboard_expert",
    Role.AUDITOR: "dashboard_auditor",
}


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = RegistrationForm(request.POST or None)
    duplicate_admins = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation_register(
                organisation_data=form.organisation_data(),
                username=data["username"], password=data["password1"],
                real_name=data["real_name"], mobile=data["mobile"], email=data["email"],
                request=request,
            )
        except DuplicateOrganisation as duplicate:
            duplicate_admins = organisation_administrator_hints(duplicate.organisation)
            form.add_error(
                "uscc",
                f"统一社会信用代码 {duplicate.organisation.uscc} 已由“{duplicate.organisation.name}”"
                "注册，请不要重复注册。请联系该单位的账号管理员在“本单位账号”页面"
                "为您开通账号。",
            )
        else:
            return redirect("register_done")
    return render(request, "accounts/register.html",
                  {"form": form, "duplicate_admins": duplicate_admins})


def register_done(request):
    return render(request, "accounts/register_done.html")


def register_confirm(request, uidb64, token):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    confirmed = user is not None and user_confirm_email(user=user, token=token)
    if confirmed:
        messages.success(request, "邮箱已确认，账号已激活，请登录。")
        return redirect("login")
    return render(request, "accounts/register_invalid.html", status=400)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_members(request):
    organisation = user_primary_organisation(request.user)
    if organisation is None or not request.user.has_perm("accounts.view_organisation_members"):
        raise PermissionDenied("只有申报单位用户可以查看本单位账号。")
    can_add = request.user.has_perm("accounts.add_organisation_member", organisation)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied("只有本单位的账号管理员可以开通账号。")
        if form.is_valid():
            member = organisation_member_add(organisation=organisation, actor=request.user,
                                             request=request, **form.cleaned_data)
            messages.success(request, f"已为{member.display_name}开通账号，设置密码的链接已发送到"
                                      f"{member.email}。")
            return redirect("organisation_members")
    return render(request, "accounts/organisation_members.html", {
        "organisation": organisation,
        "members": organisation_members_of(organisation),
        "form": form if can_add else None,
    })


@login_required
def dashboard(request):
    """Send each user to the dashboard of their first role."""
    for assignment in user_role_assignments(request.user):
        return redirect(DASHBOARD_URL_NAMES[Role(assignment.role)])
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "accounts/no_role.html")


class RoleDashboard(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    role: Role

    def get_permission_required(self):
        return [f"accounts.view_{self.permission_suffix}_dashboard"]

    def get_template_names(self):
        return [f"dashboards/{self.permission_suffix}.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignments = [a for a in user_role_assignments(self.request.user) if a.role == self.role]
        context["role"] = self.role
        context["assignments"] = assignments
        return context

    def handle_no_permission(self):
        # Anonymous visitors (an idle session that expired, a bookmarked dashboard) go to the
        # login page and come back; only a signed-in user without the role is refused.
        if not self.request.user.is_authenticated:
            return super().handle_no_permission()
        raise PermissionDenied("您的账号没有访问此页面的权限。")


class AuditorDashboard(RoleDashboard):
    role = Role.AUDITOR
    permission_suffix = "auditor"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "").strip()
        context["q"] = q
        context["query"] = urlencode({"q": q}) if q else ""
        context["page"] = Paginator(audit_events_search(q), 50).get_page(
            self.request.GET.get("page")
        )
        return context


class ApplicantDashboard(RoleDashboard):
    role = Role.APPLICANT
    permission_suffix = "applicant"

    def get_context_data(self, **kwargs):
        from applications.selectors import applicant_dashboard_applications, calls_listed

        context = super().get_context_data(**kwargs)
        context["applications"] = applicant_dashboard_applications(self.request.user)
        context["open_calls"] = calls_listed()
        return context


class DistrictDashboard(RoleDashboard):
    role = Role.DISTRICT_OFFICIAL
    permission_suffix = "district"

    def get_context_data(self, **kwargs):
        from applications.selectors import district_dashboard_applications

        context = super().get_context_data(**kwargs)
        context["applications"] = district_dashboard_applications(self.request.user)
        return context


class CommissionDashboard(RoleDashboard):
    role = Role.COMMISSION_STAFF
    permission_suffix = "commission"

    def get_context_data(self, **kwargs):
        from applications.selectors import call_status_overview, commission_direct_applications

        context = super().get_context_data(**kwargs)
        context["call_overview"] = call_status_overview()
        context["applications"] = commission_direct_applications()
        context["workday_year_missing"] = next_year_schedule_missing()
        return context


DASHBOARD_VIEWS = {
    Role.COMMISSION_STAFF: CommissionDashboard,
    Role.AUDITOR: AuditorDashboard,
    Role.APPLICANT: ApplicantDashboard,
    Role.DISTRICT_OFFICIAL: DistrictDashboard,
}


def role_dashboard(role: Role, suffix: str):
    if role in DASHBOARD_VIEWS:
        return DASHBOARD_VIEWS[role].as_view()
    return type(f"{suffix.title()}Dashboard", (RoleDashboard,),
                {"role": role, "permission_suffix": suffix}).as_view()


def dashboard_url_for(user) -> str | None:
    for assignment in user_role_assignments(user):
        return reverse(DASHBOARD_URL_NAMES[Role(assignment.role)])
    return None
