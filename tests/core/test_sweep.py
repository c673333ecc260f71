import datetime

import pytest
from celery.schedules import crontab
from django.utils import timezone

from config.celery import app as celery_app
from core import sweep
from core.models import Notification, OutgoingMail, ReminderSent
from core.notifications import notify
from core.sweep import deadline_check, reminder_claim, run_deadline_sweep
from core.tasks import deadline_sweep

pytestmark = pytest.mark.django_db


def test_reminder_claim_is_true_once_then_false():
    assert reminder_claim("call-closing:1:7") is True
    assert reminder_claim("call-closing:1:7") is False
    assert reminder_claim("call-closing:1:7") is False
    assert reminder_claim("call-closing:1:3") is True
    assert ReminderSent.objects.count() == 2


def test_a_refused_claim_leaves_the_surrounding_transaction_usable():
    reminder_claim("k")
    reminder_claim("k")  # the IntegrityError stays inside its savepoint

    assert ReminderSent.objects.filter(key="k").count() == 1


def test_the_sweep_runs_every_fifteen_minutes():
    entry = celery_app.conf.beat_schedule["deadline-sweep"]

    assert entry["task"] == "core.tasks.deadline_sweep"
    assert entry["schedule"] == crontab(minute="*/15")
    assert deadline_sweep.name == "core.tasks.deadline_sweep"


def test_the_sweep_task_runs_every_registered_check():
    result = deadline_sweep.delay().get()

    assert set(result) == {f"{c.__module__}.{c.__name__}" for c in sweep.registered_checks()}


def test_registered_checks_send_nothing_twice(applicant_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        deadline_sweep.delay().get()
        before = (Notification.objects.count(), OutgoingMail.objects.count(),
                  ReminderSent.objects.count())
        deadline_sweep.delay().get()

    assert (Notification.objects.count(), OutgoingMail.objects.count(),
            ReminderSent.objects.count()) == before


@pytest.fixture
def only_check(monkeypatch):
    """Replace the registry with the given checks for one test."""

    def install(*checks):
        monkeypatch.setattr(sweep, "_checks", [])
        for check in checks:
            deadline_check(check)

    return install


def test_a_check_that_claims_its_reminders_sends_each_once(
    only_check, applicant_a, django_capture_on_commit_callbacks
):
    deadline = timezone.now() + datetime.timedelta(days=2)

    def remind_applicant(now):
        if deadline - now > datetime.timedelta(days=3):
            return 0
        if not reminder_claim(f"demo-deadline:{applicant_a.pk}:3"):
            return 0
        notify(recipient=applicant_a, purpose="account_confirm",
               context={"organisation": "测试单位", "confirm_url": "/"}, in_app=True)
        return 1

    only_check(remind_applicant)

    with django_capture_on_commit_callbacks(execute=True):
        first = deadline_sweep.delay().get()
        second = deadline_sweep.delay().get()
        late = run_deadline_sweep(now=timezone.now() + datetime.timedelta(hours=5))

    name = f"{__name__}.remind_applicant"
    assert first == {name: 1}
    assert second == {name: 0} and late == {name: 0}
    assert Notification.objects.filter(recipient=applicant_a).count() == 1
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).count() == 1


def test_each_check_receives_the_sweep_time(only_check):
    seen = []
    only_check(lambda now: seen.append(now) or 0)
    moment = timezone.now() - datetime.timedelta(hours=3)  # catching up after downtime

    run_deadline_sweep(now=moment)
    deadline_sweep.delay().get()

    assert seen[0] == moment
    assert abs(seen[1] - timezone.now()) < datetime.timedelta(minutes=1)
