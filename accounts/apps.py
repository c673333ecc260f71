from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "用户与单位"

    def ready(self):
        from . import sweeps  # noqa: F401  (registers the release of lapsed registrations)
