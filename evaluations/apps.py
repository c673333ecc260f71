from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "运行评价"

    def ready(self):
        from core.audit import register_action_labels

        from .audit_labels import AUDIT_ACTION_LABELS

        register_action_labels(AUDIT_ACTION_LABELS)
        # --- C: what an evaluation round's expert sheet and results show (experts.subjects)
        from .scoring import subject_register

        subject_register()
