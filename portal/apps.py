from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The home page, each role's dashboard and the demo data: the one app that composes the
    domain apps (applications, reviews, …), so that `core` and `accounts` need none of them."""

    name = "portal"
    verbose_name = "门户与工作台"
