"""The home page and each role's dashboard, composed of the panels the domain apps offer as
selectors (counts and the few most recent or most urgent rows, each with a link to its full
list)."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from accounts.enums import Role
from accounts.selectors import organisation_claims_pending_count, user_role_assignments
from applications.enums import ApplicationStatus
from applications.filters import DIRECT_TO_COMMISSION
from applications.selectors import (
    applicant_dashboard_applications,
    calls_listed,
    call_status_overview,
    commission_direct_applications,
    dashboard_rows,
    district_dashboard_applications,
    district_status_counts,
)
from centers.directory import home_centers
from centers.records import centers_of_user
from centers.selectors import current_public_notices, open_explanations_for_applicant
from core.selectors import audit_events_search, next_year_schedule_missing
from experts.results_selectors import rounds_for_dashboard
from experts.selectors_assignment import third_party_rounds
from experts.sheet_selectors import expert_assignment_rows

from .timetable import year_timetable

# Each role's dashboard, by URL name; a user with several roles is sent to the first one's.
DASHBOARD_URL_NAMES = {
    Role.APPLICANT: "dashboard_applicant",
    Role.DISTRICT_OFFICIAL: "dashboard_district",
    Role.COMMISSION_STAFF: "dashboard_commission",
    Role.INDUSTRY_STAFF: "dashboard_industry",
    Role.THIRD_PARTY_STAFF: "dashboard_third_party",
    Role.EXPERT: "dashboard_expert",
    Role.AUDITOR: "dashboard_auditor",
}

AUDIT_PAGE_SIZE = 50


def home(request):
    """首页: the calls published and not yet closed, the notices in their period, the active
    centers (count and the latest designated) and the year's timetable (portal.timetable),
    for everyone."""
    now = timezone.now()
    return render(request, "portal/home.html",
                  {"open_calls": calls_listed(), "now": now,
                   "current_notices": current_public_notices(),
                   "centers": home_centers(),
                   "timetable": year_timetable(now)})


@login_required
def dashboard(request):
    """Send each user to the dashboard of their first role (staff without a role: Django
    admin; nobody else: a page saying no role is assigned yet)."""
    url = dashboard_url_for(request.user)
    if url is not None:
        return redirect(url)
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "portal/no_role.html")


def dashboard_url_for(user) -> str | None:
    """The path of `user`'s first role's dashboard, or None when they hold no role."""
    for assignment in user_role_assignments(user):
        return reverse(DASHBOARD_URL_NAMES[Role(assignment.role)])
    return None


class RoleDashboard(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """One role's dashboard; permission `accounts.view_<suffix>_dashboard` (accounts/rules.py),
    template `portal/dashboards/<suffix>.html`."""

    role: Role
    permission_suffix: str

    def get_permission_required(self):
        return [f"accounts.view_{self.permission_suffix}_dashboard"]

    def get_template_names(self):
        return [f"portal/dashboards/{self.permission_suffix}.html"]

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
    """审计日志: the audit trail, searched and paginated (50 a page)."""

    role = Role.AUDITOR
    permission_suffix = "auditor"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "").strip()
        context["q"] = q
        context["query"] = urlencode({"q": q}) if q else ""
        context["page"] = Paginator(audit_events_search(q), AUDIT_PAGE_SIZE).get_page(
            self.request.GET.get("page"))
        return context


class ApplicantDashboard(RoleDashboard):
    """The calls open now or soon, the commission's questions waiting for the unit's
    explanation (情况说明), and the unit's latest applications (at most `DASHBOARD_ROWS`, with
    a link to 我的申报, the full list)."""

    role = Role.APPLICANT
    permission_suffix = "applicant"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = dashboard_rows(applicant_dashboard_applications(self.request.user))
        context["applications"], context["applications_total"] = shown["rows"], shown["total"]
        context["full_list_url"] = reverse("applications:mine")
        context["my_centers"] = centers_of_user(self.request.user)  # 赋能中心运行管理
        # 第九条（四）: the commission's questions about an objection, waiting for an answer.
        context["open_explanations"] = open_explanations_for_applicant(self.request.user)
        context["open_calls"] = calls_listed()
        context["now"] = timezone.now()
        return context


class DistrictDashboard(RoleDashboard):
    """第八条: the 主管部门's submissions counted by status, and those waiting longest for its
    review (at most `DASHBOARD_ROWS`)."""

    role = Role.DISTRICT_OFFICIAL
    permission_suffix = "district"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_counts"] = district_status_counts(self.request.user)
        shown = dashboard_rows(district_dashboard_applications(self.request.user))
        context["applications"], context["applications_total"] = shown["rows"], shown["total"]
        return context


class CommissionDashboard(RoleDashboard):
    """Counts per call and status, the direct submissions (第八条) with a link to the full
    list, the claims waiting and next year's working-day schedule."""

    role = Role.COMMISSION_STAFF
    permission_suffix = "commission"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["call_overview"] = call_status_overview()
        shown = dashboard_rows(commission_direct_applications())
        context["applications"], context["applications_total"] = shown["rows"], shown["total"]
        context["direct_list_query"] = urlencode(
            {"district": DIRECT_TO_COMMISSION, "status": ApplicationStatus.SUBMITTED})
        context["pending_claims"] = organisation_claims_pending_count()
        context["workday_year_missing"] = next_year_schedule_missing()
        context["expert_rounds"] = rounds_for_dashboard()
        return context


class IndustryDashboard(RoleDashboard):
    """第三条、第九条（三）: the review rounds the authority was invited to (at most
    `DASHBOARD_ROWS`, with a link to the full list)."""

    role = Role.INDUSTRY_STAFF
    permission_suffix = "industry"

    def get_context_data(self, **kwargs):
        from experts.selectors import authority_dashboard_rounds

        context = super().get_context_data(**kwargs)
        shown = authority_dashboard_rounds(self.request.user)
        context["rounds"], context["rounds_total"] = shown["rows"], shown["total"]
        return context


class ThirdPartyDashboard(RoleDashboard):
    """The rounds entrusted to the agency (at most 10, with a link to the full list)."""

    role = Role.THIRD_PARTY_STAFF
    permission_suffix = "third_party"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = third_party_rounds(self.request.user)
        context["rounds"], context["rounds_total"] = shown["rows"], shown["total"]
        return context


class ExpertDashboard(RoleDashboard):
    """第九条（三）: the expert's own live assignments, the nearest deadline first (at most
    `DASHBOARD_ROWS`, with a link to the full list); nothing of other experts."""

    role = Role.EXPERT
    permission_suffix = "expert"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = dashboard_rows(expert_assignment_rows(self.request.user))
        context["applications"], context["applications_total"] = shown["rows"], shown["total"]
        context["full_list_url"] = reverse("experts:my_assignments")
        context["rows_word"] = "截止时间最近的"
        return context


DASHBOARD_VIEWS = {
    Role.INDUSTRY_STAFF: IndustryDashboard,
    Role.THIRD_PARTY_STAFF: ThirdPartyDashboard,
    Role.COMMISSION_STAFF: CommissionDashboard,
    Role.AUDITOR: AuditorDashboard,
    Role.APPLICANT: ApplicantDashboard,
    Role.DISTRICT_OFFICIAL: DistrictDashboard,
    Role.EXPERT: ExpertDashboard,
}


def role_dashboard(role: Role, suffix: str):
    """The view of `role`'s dashboard: its own class, or a plain one (a heading and an empty
    panel) for the roles whose work comes in later features."""
    if role in DASHBOARD_VIEWS:
        return DASHBOARD_VIEWS[role].as_view()
    return type(f"{suffix.title()}Dashboard", (RoleDashboard,),
                {"role": role, "permission_suffix": suffix}).as_view()
