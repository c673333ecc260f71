from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "公共服务"

    def ready(self):
        from . import signals  # noqa: F401  (login/logout audit)
        from . import formtokens, mail  # noqa: F401  (sweep checks: used tokens, unsent mail)
