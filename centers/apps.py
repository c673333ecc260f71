from django.apps import AppConfig


class CentersConfig(AppConfig):
    name = "centers"
    verbose_name = "赋能中心"

    def ready(self):
        from core.audit import register_action_labels

        from . import notices  # noqa: F401  (registers the sweep that closes ended notices)
        from . import changes  # noqa: F401  (第十三条: change-report reminders and overdue sweep)
        from . import supervision  # noqa: F401  (operation report reminders and overdue marking)
        from . import plaques  # noqa: F401  (registers the sweep that renders missing certificates)
        from .audit_labels import AUDIT_ACTION_LABELS

        register_action_labels(AUDIT_ACTION_LABELS)
