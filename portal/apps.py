from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The home page, each role's dashboard and the demo data: the one app that composes the
    domain apps (applications, reviews, …), so that `core` and `accounts` need none of them."""

    name = "portal"
    verbose_name = "门户与工作台"

    def ready(self):
        from centers.map import staff_center_facts_register

        from .map_facts import center_grades

        # The staff map shows each center's latest published grade (第十七条).
        staff_center_facts_register(center_grades)
