from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .auth_views import PortalLoginView
from .enums import Role
from .forms_auth import (
    PortalAuthenticationForm,
    PortalPasswordChangeForm,
    PortalPasswordResetForm,
    PortalSetPasswordForm,
)

urlpatterns = [
    path("accounts/register/", views.register, name="register"),
    path("accounts/register/done/", views.register_done, name="register_done"),
    path("accounts/register/confirm/<uidb64>/<token>/", views.register_confirm,
         name="register_confirm"),
    path("accounts/login/", PortalLoginView.as_view(
        redirect_authenticated_user=True, authentication_form=PortalAuthenticationForm),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/",
         auth_views.PasswordChangeView.as_view(form_class=PortalPasswordChangeForm),
         name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("accounts/password/reset/",
         auth_views.PasswordResetView.as_view(form_class=PortalPasswordResetForm),
         name="password_reset"),
    path("accounts/password/reset/done/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/",
         auth_views.PasswordResetConfirmView.as_view(form_class=PortalSetPasswordForm),
         name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("accounts/organisation/members/", views.organisation_members,
         name="organisation_members"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/applicant/", views.role_dashboard(Role.APPLICANT, "applicant"),
         name="dashboard_applicant"),
    path("dashboard/district/", views.role_dashboard(Role.DISTRICT_OFFICIAL, "district"),
         name="dashboard_district"),
    path("dashboard/commission/", views.role_dashboard(Role.COMMISSION_STAFF, "commission"),
         name="dashboard_commission"),
    path("dashboard/industry/", views.role_dashboard(Role.INDUSTRY_STAFF, "industry"),
         name="dashboard_industry"),
    path("dashboard/third-party/", views.role_dashboard(Role.THIRD_PARTY_STAFF, "third_party"),
         name="dashboard_third_party"),
    path("dashboard/expert/", views.role_dashboard(Role.EXPERT, "expert"),
         name="dashboard_expert"),
    path("dashboard/auditor/", views.role_dashboard(Role.AUDITOR, "auditor"),
         name="dashboard_auditor"),
]
