from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = "专家"

    def ready(self):
        from core.audit import register_action_labels

        from .audit_labels_assignment import AUDIT_ACTION_LABELS as ASSIGNMENT_LABELS

        register_action_labels(ASSIGNMENT_LABELS)
