from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = "专家"

    def ready(self):
        from core.audit import register_action_labels

        from . import reminders  # noqa: F401  (registers the scoring deadline's reminders)
        from .audit_labels_sheets import AUDIT_ACTION_LABELS as SHEET_LABELS

        register_action_labels(SHEET_LABELS)
