from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "申报"

    def ready(self):
        from . import deadlines  # noqa: F401  (registers the call-closing reminders)
        from . import backlog  # noqa: F401  (the sweep queues unfinished PDFs and exports again)
