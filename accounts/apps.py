from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _sync_commission_admin_group(sender, using="default", **kwargs):
    from django.contrib.auth.models import Group, Permission

    from .services import commission_admin_group_sync

    tables = connections[using].introspection.table_names()
    if Group._meta.db_table in tables and Permission._meta.db_table in tables:
        commission_admin_group_sync()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "用户与单位"

    def ready(self):
        from core.audit import register_action_labels

        from . import sweeps  # noqa: F401  (registers the release of lapsed registrations)
        from .audit_labels import AUDIT_ACTION_LABELS

        register_action_labels(AUDIT_ACTION_LABELS)
        # For every app, after Django's own handler made that app's permissions: once the last
        # app has migrated, the group holds all of them. Idempotent.
        post_migrate.connect(_sync_commission_admin_group,
                             dispatch_uid="accounts.commission_admin_group")
