from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = "专家"

    def ready(self):
        from core.audit import register_action_labels

        from .avoidance import AUDIT_ACTION_LABELS as AVOIDANCE_LABELS

        register_action_labels(AVOIDANCE_LABELS)
