from importlib import import_module

from django.apps import AppConfig

# Each part of the expert review names its audit actions in its own module.
AUDIT_LABEL_MODULES = ("audit_labels_committee", "avoidance", "audit_labels_assignment",
                       "audit_labels_sheets", "audit_labels_results")


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = "专家"

    def ready(self):
        from core.audit import register_action_labels

        # Both register deadline sweeps: pending summaries, the scoring deadline's reminders.
        from . import reminders, results  # noqa: F401
        from .suggestions import suggestion_sources_connect

        suggestion_sources_connect()

        for module in AUDIT_LABEL_MODULES:
            register_action_labels(import_module(f"{self.name}.{module}").AUDIT_ACTION_LABELS)
