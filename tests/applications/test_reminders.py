"""Call-closing reminders: 7, 3 and 1 days ahead, one per organisation and threshold."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from applications.deadlines import remind_unsubmitted_drafts
from applications.models import Call
from core.models import Notification, OutgoingMail
from core.sweep import run_deadline_sweep

pytestmark = pytest.mark.django_db


def _closing_in(call, delta):
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() + delta)


def _sweep(now=None, execute=True):
    return remind_unsubmitted_drafts(now or timezone.now())


def test_one_reminder_per_threshold_never_twice(draft_a, applicant_a, celery_eager,
                                                django_capture_on_commit_callbacks):
    _closing_in(draft_a.call, datetime.timedelta(days=6, hours=23))
    with django_capture_on_commit_callbacks(execute=True):
        assert _sweep() == 1
        assert _sweep() == 0  # the same sweep again sends nothing
    notices = Notification.objects.filter(recipient=applicant_a, purpose="call_closing_reminder")
    assert notices.count() == 1 and "7天" in notices.get().title
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [applicant_a.email]
    assert OutgoingMail.objects.get().status == "sent"

    _closing_in(draft_a.call, datetime.timedelta(days=2, hours=12))
    with django_capture_on_commit_callbacks(execute=True):
        assert _sweep() == 1
        assert _sweep() == 0
    _closing_in(draft_a.call, datetime.timedelta(hours=20))
    with django_capture_on_commit_callbacks(execute=True):
        assert _sweep() == 1
    titles = sorted(n.title for n in Notification.objects.filter(recipient=applicant_a))
    assert [("7天" in t, "3天" in t, "1天" in t) for t in titles].count((False, False, True)) == 1
    assert Notification.objects.filter(recipient=applicant_a).count() == 3


def test_a_late_sweep_sends_only_the_nearest_threshold(draft_a, applicant_a):
    _closing_in(draft_a.call, datetime.timedelta(hours=12))
    assert _sweep() == 1
    assert _sweep(now=timezone.now() + datetime.timedelta(hours=1)) == 0
    assert Notification.objects.filter(recipient=applicant_a).count() == 1
    assert "1天" in Notification.objects.get(recipient=applicant_a).title


def test_no_reminder_far_from_the_deadline_or_once_submitted(submitted_a, draft_b, applicant_a,
                                                             applicant_b):
    _closing_in(submitted_a.call, datetime.timedelta(days=10))
    assert _sweep() == 0
    _closing_in(submitted_a.call, datetime.timedelta(days=2))
    assert _sweep() == 1  # org B's draft only
    # The submitted unit has its receipt notice, and no reminder.
    assert not Notification.objects.filter(recipient=applicant_a).exclude(
        purpose="application_submitted").exists()
    assert Notification.objects.filter(recipient=applicant_b).count() == 1


def test_the_deadline_sweep_runs_the_reminders(draft_a):
    _closing_in(draft_a.call, datetime.timedelta(days=1))
    result = run_deadline_sweep()
    assert result["applications.deadlines.remind_unsubmitted_drafts"] == 1
