from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "运行评价"

    def ready(self):
        from core.audit import register_action_labels

        from . import bulletins  # noqa: F401  (registers the sweep that renders missing 通报 PDFs)
        from . import district  # noqa: F401  (the requeue sweep of the 审查意见 PDFs)
        from . import reminders  # noqa: F401  (materials and 初审 reminders)
        from . import revocations  # noqa: F401  (sweeps: 逾期未报送评价材料, 依法终止)
        from .audit_labels import AUDIT_ACTION_LABELS
        # What an evaluation round's expert sheet and results show (experts.subjects).
        from .scoring import subject_register

        register_action_labels(AUDIT_ACTION_LABELS)
        subject_register()
