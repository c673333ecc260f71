from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "公共服务"

    def ready(self):
        from django.contrib.admin.options import BaseModelAdmin

        from . import signals  # noqa: F401  (login/logout audit)
        from . import formtokens, mail  # noqa: F401  (sweep checks: used tokens, unsent mail)
        from .forms import PortalModelForm
        from .session_store import connect_signals

        # A deleted session row takes its cache entry with it (core.session_store).
        connect_signals()

        # Every admin page and inline that names no form of its own normalises text like the
        # portal's forms do (core/forms.py); tests/core/test_forms.py checks every admin.
        BaseModelAdmin.form = PortalModelForm

