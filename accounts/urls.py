from django.contrib.auth import views as auth_views
from django.urls import path

from . import profile_views, views
from .forms_auth import PortalPasswordChangeForm, PortalPasswordResetForm

urlpatterns = [
    path("accounts/register/", views.register, name="register"),
    path("accounts/register/done/", views.register_done, name="register_done"),
    path("accounts/register/confirm/<uidb64>/<token>/", views.register_confirm,
         name="register_confirm"),
    path("accounts/register/resend/", views.confirmation_resend_view,
         name="register_confirmation_resend"),
    path("accounts/organisation/claim/", views.organisation_claim, name="organisation_claim"),
    path("accounts/organisation/claim/done/", views.organisation_claim_done,
         name="organisation_claim_done"),
    path("accounts/organisation/claims/<int:pk>/licence/", views.organisation_claim_licence,
         name="organisation_claim_licence"),
    path("accounts/lockouts/", views.lockout_list, name="lockout_list"),
    path("accounts/lockouts/unlock/", views.lockout_unlock, name="lockout_unlock"),
    path("accounts/login/", views.PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/",
         auth_views.PasswordChangeView.as_view(form_class=PortalPasswordChangeForm),
         name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("accounts/password/reset/",
         views.PortalPasswordResetView.as_view(form_class=PortalPasswordResetForm),
         name="password_reset"),
    path("accounts/password/reset/done/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", views.PortalPasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("accounts/organisation/members/", views.organisation_members,
         name="organisation_members"),
    path("accounts/organisation/", profile_views.organisation_profile,
         name="organisation_profile"),
]
