"""`make run` shows a notice open for objections today, drawn from the demo's frozen list."""

import io

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from centers.enums import DEFAULT_NOTICE_WORKING_DAYS, NoticeStatus
from centers.models import PublicNotice
from centers.notices import NoticeError, notice_end, notice_is_open


def test_the_demo_publishes_a_notice_open_today(db, client, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with override_settings(DEBUG=True), django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=out)
        call_command("seed_demo", stdout=out)  # idempotent
    try:
        notice_end(timezone.localdate(), DEFAULT_NOTICE_WORKING_DAYS)
    except NoticeError:
        # Late in December the period reaches a year whose schedule is not entered yet.
        assert not PublicNotice.objects.exists() and "未生成演示公示" in out.getvalue()
        return
    [notice] = PublicNotice.objects.all()
    assert notice.status == NoticeStatus.PUBLISHED and notice_is_open(notice)
    assert notice.entries.count() == notice.proposed_list.entries.count() > 0
    assert notice.title in client.get(reverse("home")).content.decode()


def test_the_demo_notice_has_one_objection_received(db, django_capture_on_commit_callbacks):
    from centers.enums import ObjectionStatus
    from centers.models import Objection

    with override_settings(DEBUG=True), django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=io.StringIO())
    if not PublicNotice.objects.exists():
        return  # late December: no demo notice (see above)
    [objection] = Objection.objects.all()
    assert objection.status == ObjectionStatus.RECEIVED and objection.entries.count() == 1
