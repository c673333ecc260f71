"""第九条（四）, every page the unit or its 主管部门 reads: before the call's notice no 拟评定 /
未列入拟评定名单 shows anywhere (dashboards, receipts, notifications, counts, filters); after
it the counts and filters carry them (they are not lost from the totals)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from applications.enums import ApplicationStatus
from applications.models import Application
from centers import notices
from tests.factories import applicant, staff

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _unit_pages(application, unit):
    urls = [reverse("applications:mine"), reverse("dashboard_applicant"),
            reverse("applications:receipt", args=[application.pk]),
            reverse("notification_list"),
            reverse("applications:mine") + "?status=" + ApplicationStatus.EXPERT_REVIEW]
    return {url: unit.get(url) for url in urls}


def _official_pages(application, official):
    urls = [reverse("dashboard_district"), reverse("reviews:inbox"),
            reverse("reviews:inbox") + "?status=" + ApplicationStatus.EXPERT_REVIEW,
            reverse("reviews:inbox") + "?status=" + ApplicationStatus.PROPOSED,
            reverse("notification_list")]
    return {url: official.get(url) for url in urls}


def test_no_page_of_the_unit_or_its_district_shows_the_list_before_the_notice(
        make_notice, commission_staff, expert_review_apps):
    make_notice(starts_on=timezone.localdate() + datetime.timedelta(days=1))
    proposed = Application.objects.get(pk=expert_review_apps[0].pk)
    unit = _client(applicant(proposed.organisation))
    official = _client(staff(Role.DISTRICT_OFFICIAL, proposed.routed_department))
    for url, response in {**_unit_pages(proposed, unit),
                          **_official_pages(proposed, official)}.items():
        assert "拟评定" not in response.content.decode(), url


def test_after_the_notice_the_district_counts_and_unit_filter_carry_the_list(
        make_notice, commission_staff, expert_review_apps):
    notice = make_notice(starts_on=timezone.localdate() + datetime.timedelta(days=1))
    proposed = Application.objects.get(pk=expert_review_apps[0].pk)
    unit = _client(applicant(proposed.organisation))
    official = _client(staff(Role.DISTRICT_OFFICIAL, proposed.routed_department))
    notices.notice_publish(notice=notice, actor=commission_staff)
    n = Application.objects.filter(routed_department=proposed.routed_department,
                                   status=ApplicationStatus.PROPOSED).count()

    dashboard = official.get(reverse("dashboard_district"))
    counts = dict(dashboard.context["status_counts"])
    assert counts.get(ApplicationStatus.PROPOSED.label) == n
    inbox = official.get(reverse("reviews:inbox"))
    counts = {c["value"]: c["count"] for c in inbox.context["counts"]}
    assert counts.get(ApplicationStatus.PROPOSED) == n
    filtered = official.get(reverse("reviews:inbox"), {"status": ApplicationStatus.PROPOSED})
    assert reverse("reviews:review", args=[proposed.pk]) in filtered.content.decode()
    mine = unit.get(reverse("applications:mine"), {"status": ApplicationStatus.PROPOSED})
    assert proposed.pk in [a.pk for a in mine.context["page"].object_list]
    assert all(a.status == ApplicationStatus.PROPOSED for a in mine.context["page"].object_list)
