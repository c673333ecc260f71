from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "审核评审"

    def ready(self):
        from core.audit import register_action_labels

        from . import intake  # noqa: F401  (registers the 未按期审查 sweep)
        from . import batches  # noqa: F401  (the district deadline's reminders and notices)
        from .audit_labels import AUDIT_ACTION_LABELS

        register_action_labels(AUDIT_ACTION_LABELS)
        from . import bulk  # noqa: F401  (registers the retention of bulk downloads)
