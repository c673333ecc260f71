"""第九条（四）: the 拟评定名单 is the commission's until its public notice. Before it, the unit
and its 主管部门 read 专家评审 for 拟评定 / 未列入拟评定名单 (status, history, inbox, counts);
from the notice's publication (`Call.list_noticed_at`, set by `notices.notice_publish`) they
read the real status, so a designated center's unit never reads 专家评审 for ever."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from applications.enums import ApplicationStatus
from applications.models import Application, Call
from centers import notices
from tests.factories import applicant, staff

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _readers(application):
    official = staff(Role.DISTRICT_OFFICIAL, application.routed_department)
    return _client(applicant(application.organisation)), _client(official)


def _pages(application, unit, official):
    detail = reverse("applications:detail", args=[application.pk])
    return {
        "unit detail": unit.get(detail).content.decode(),
        "unit list": unit.get(reverse("applications:mine")).content.decode(),
        "official detail": official.get(detail).content.decode(),
        "official review": official.get(
            reverse("reviews:review", args=[application.pk])).content.decode(),
        "official inbox": official.get(reverse("reviews:inbox")).content.decode(),
    }


def test_the_unit_and_its_district_read_the_list_only_from_its_notice(
        make_notice, commission_staff, expert_review_apps):
    notice = make_notice(starts_on=timezone.localdate() + datetime.timedelta(days=1))
    proposed = Application.objects.get(pk=expert_review_apps[0].pk)
    not_proposed = Application.objects.get(pk=expert_review_apps[2].pk)
    assert proposed.status == ApplicationStatus.PROPOSED
    assert not_proposed.status == ApplicationStatus.NOT_PROPOSED
    readers = {app.pk: _readers(app) for app in (proposed, not_proposed)}

    for application in (proposed, not_proposed):
        for name, html in _pages(application, *readers[application.pk]).items():
            assert "拟评定" not in html, name
            assert "专家评审" in html, name
    commission = _client(commission_staff).get(
        reverse("applications:detail", args=[proposed.pk])).content.decode()
    assert "列入拟评定名单" in commission

    notices.notice_publish(notice=notice, actor=commission_staff)
    assert Call.objects.get(pk=proposed.call_id).list_noticed_at == \
        type(notice).objects.get(pk=notice.pk).published_at

    pages = _pages(proposed, *readers[proposed.pk])
    for name, html in pages.items():
        assert "拟评定" in html, name
    assert "列入拟评定名单" in pages["unit detail"]  # the history's move
    pages = _pages(not_proposed, *readers[not_proposed.pk])
    assert "未列入拟评定名单" in pages["unit detail"] and "未列入拟评定名单" in pages["unit list"]
    assert "未列入拟评定名单" in pages["official review"]


def test_the_filters_and_counts_read_expert_review_until_the_notice(
        make_notice, commission_staff, expert_review_apps):
    notice = make_notice(starts_on=timezone.localdate() + datetime.timedelta(days=1))
    proposed = Application.objects.get(pk=expert_review_apps[0].pk)
    unit, official = _readers(proposed)

    def mine(status):
        response = unit.get(reverse("applications:mine"), {"status": status})
        return [a.pk for a in response.context["page"].object_list]

    def inbox(status):
        response = official.get(reverse("reviews:inbox"), {"status": status})
        return reverse("reviews:review", args=[proposed.pk]) in response.content.decode()

    assert mine(ApplicationStatus.EXPERT_REVIEW) == [proposed.pk]
    assert inbox(ApplicationStatus.EXPERT_REVIEW)
    notices.notice_publish(notice=notice, actor=commission_staff)
    assert mine(ApplicationStatus.EXPERT_REVIEW) == []
    assert not inbox(ApplicationStatus.EXPERT_REVIEW)


def test_a_second_notice_of_the_call_keeps_the_first_moment(make_notice, commission_staff):
    notice = make_notice(starts_on=timezone.localdate() + datetime.timedelta(days=1))
    notices.notice_publish(notice=notice, actor=commission_staff)
    first = Call.objects.get(pk=notice.call_id).list_noticed_at
    from applications.services import call_list_noticed

    call_list_noticed(call_id=notice.call_id, at=timezone.now())
    assert Call.objects.get(pk=notice.call_id).list_noticed_at == first
