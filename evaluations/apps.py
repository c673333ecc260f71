from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "运行评价"

    def ready(self):
        from core.audit import register_action_labels

        from .audit_labels import AUDIT_ACTION_LABELS

        register_action_labels(AUDIT_ACTION_LABELS)
        # --- D: revocation sweeps (逾期未报送评价材料, 依法终止) ---
        from . import revocations  # noqa: F401
