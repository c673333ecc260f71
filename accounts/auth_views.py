"""Django's authentication views with the portal's name on their pages."""

from django.contrib.auth import views as auth_views

from core.context_processors import SITE_NAME


class PortalLoginView(auth_views.LoginView):
    """Django's `LoginView` puts the request's host name into `site_name` (shown in the page
    title as e.g. 127.0.0.1); the portal's pages show its Chinese name instead."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"site_name": SITE_NAME}
