import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every timer of the portal hangs off one sweep; each reminder it sends is recorded so that
# running the sweep twice (or catching up after downtime) never sends anything twice.
app.conf.beat_schedule = {
    "deadline-sweep": {
        "task": "core.tasks.deadline_sweep",
        "schedule": crontab(minute="*/15"),
    },
}
