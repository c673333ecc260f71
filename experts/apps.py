from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = "专家"

    def ready(self):
        from core.audit import register_action_labels

        from . import results  # noqa: F401  (registers the sweep of pending summaries)
        from .audit_labels_results import AUDIT_ACTION_LABELS as RESULTS_LABELS

        register_action_labels(RESULTS_LABELS)
