from importlib import import_module

from django.apps import AppConfig

# Each part of the expert review names its audit actions in its own module.
AUDIT_LABEL_MODULES = ("audit_labels_committee", "avoidance", "audit_labels_assignment",
                       "audit_labels_results")


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = "专家"

    def ready(self):
        from core.audit import register_action_labels

        from . import results  # noqa: F401  (registers the sweep of pending summaries)

        for module in AUDIT_LABEL_MODULES:
            register_action_labels(import_module(f"{self.name}.{module}").AUDIT_ACTION_LABELS)
