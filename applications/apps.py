from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "申报"

    def ready(self):
        from core.audit import register_action_labels

        from . import deadlines  # noqa: F401  (registers the call-closing reminders)
        # Sweep checks: unfinished PDFs and exports queued again, old held drafts deleted,
        # superseded PDFs and old export files removed.
        from . import backlog, drafts, retention  # noqa: F401
        from .audit_labels import AUDIT_ACTION_LABELS

        register_action_labels(AUDIT_ACTION_LABELS)

        from accounts.models import Department
        from core.caching import choices_sources

        from .models import Call, IndustryField

        # The list pages' filter choices (calls, 主管部门, fields) are kept in the cache.
        choices_sources(Call, IndustryField, Department)
