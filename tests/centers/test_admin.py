"""The commission draws up a notice from the proposed list's admin and publishes it from the
notice's admin: the same services as everywhere, nothing editable once written."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from centers.enums import NoticeStatus
from centers.models import PublicNotice

pytestmark = pytest.mark.django_db


def test_draw_up_from_the_list_and_publish(frozen_list, commission_admin, client, monkeypatch):
    client.force_login(commission_admin)
    lists = reverse("admin:experts_proposedlist_changelist")
    asked = client.post(lists, {"action": "draw_up_notices",
                                "_selected_action": [frozen_list.pk]})
    assert "公示期按工作日计算" in asked.content.decode()
    monkeypatch.setattr(timezone, "now",
                        lambda: datetime.datetime(2026, 9, 25, 9, 0, tzinfo=datetime.UTC))
    client.post(lists, {"action": "draw_up_notices", "_selected_action": [frozen_list.pk],
                        "apply": "1", "starts_on": "2026-09-28", "working_days": "5",
                        "contact": "张科长 0532-85911234"})
    notice = PublicNotice.objects.get()
    assert notice.ends_on == datetime.date(2026, 10, 9) and notice.status == NoticeStatus.DRAFT
    client.post(reverse("admin:centers_publicnotice_changelist"),
                {"action": "publish_notices", "_selected_action": [notice.pk]})
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED
    change = client.get(reverse("admin:centers_publicnotice_change", args=[notice.pk]))
    assert change.status_code == 200 and 'name="title"' not in change.content.decode()


def test_no_role_no_notice_admin(superuser_no_role, client):
    client.force_login(superuser_no_role)
    assert client.get(reverse("admin:centers_publicnotice_changelist")).status_code == 403


def test_objections_are_read_and_decided_in_admin(frozen_list, commission_admin, client,
                                                  monkeypatch, commission_staff):
    from centers import notices, objections
    from centers.enums import ObjectionStatus

    beijing = datetime.timezone(datetime.timedelta(hours=8))
    monkeypatch.setattr(timezone, "now",
                        lambda: datetime.datetime(2026, 5, 29, 9, 0, tzinfo=beijing))
    notice = notices.notice_create(proposed_list=frozen_list, actor=commission_staff,
                                   starts_on=datetime.date(2026, 6, 1), contact="张科长")
    notice = notices.notice_publish(notice=notice, actor=commission_staff)
    monkeypatch.setattr(timezone, "now",
                        lambda: datetime.datetime(2026, 6, 2, 9, 0, tzinfo=beijing))
    objection = objections.objection_file(
        notice=notice, entry_ids=[notice.entries.first().pk], real_name="李四",
        phone="13912345678", facts="所报专利数量与实际不符，已有检索报告为证。", truthful=True)
    client.force_login(commission_admin)
    listing = reverse("admin:centers_objection_changelist")
    assert "李四" in client.get(listing).content.decode()
    asked = client.post(listing, {"action": "dismiss_objections",
                                  "_selected_action": [objection.pk]})
    assert "处理结论作出后不能更改" in asked.content.decode()
    client.post(listing, {"action": "dismiss_objections", "_selected_action": [objection.pk],
                          "apply": "1", "reason": "经核实不属实。"})
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED
    change = client.get(reverse("admin:centers_objection_change", args=[objection.pk]))
    assert change.status_code == 200 and 'name="facts"' not in change.content.decode()


def test_no_role_no_objection_admin(superuser_no_role, client):
    client.force_login(superuser_no_role)
    assert client.get(reverse("admin:centers_objection_changelist")).status_code == 403


def test_every_commission_act_has_its_admin_action():
    from django.contrib import admin as django_admin

    from centers.models import Center, Objection
    from experts.models import ProposedList

    def names(model):
        return {getattr(a, "__name__", a) for a in django_admin.site._registry[model].actions}

    assert "draw_up_notices" in names(ProposedList)
    assert {"publish_notices", "finalise_notices"} <= names(PublicNotice)
    assert {"record_investigation", "ask_explanation", "uphold_objections",
            "dismiss_objections"} <= names(Objection)
    assert "reissue_plaques" in names(Center)


def test_an_objection_is_investigated_and_explained_in_admin(frozen_list, commission_admin,
                                                             client, monkeypatch,
                                                             commission_staff):
    from centers import notices, objections
    from centers.enums import ObjectionStatus
    from centers.models import ExplanationRequest
    from core.models import Notification

    beijing = datetime.timezone(datetime.timedelta(hours=8))
    monkeypatch.setattr(timezone, "now",
                        lambda: datetime.datetime(2026, 5, 29, 9, 0, tzinfo=beijing))
    notice = notices.notice_publish(notice=notices.notice_create(
        proposed_list=frozen_list, actor=commission_staff, starts_on=datetime.date(2026, 6, 1),
        contact="张科长"), actor=commission_staff)
    monkeypatch.setattr(timezone, "now",
                        lambda: datetime.datetime(2026, 6, 2, 9, 0, tzinfo=beijing))
    entry = notice.entries.first()
    objection = objections.objection_file(
        notice=notice, entry_ids=[entry.pk], real_name="李四", phone="13912345678",
        facts="所报专利数量与实际不符，已有检索报告为证。", truthful=True)
    client.force_login(commission_admin)
    listing = reverse("admin:centers_objection_changelist")
    form = client.post(listing, {"action": "ask_explanation",
                                 "_selected_action": [objection.pk]}).content.decode()
    assert "不向申报单位透露异议人" in form
    client.post(listing, {"action": "ask_explanation", "_selected_action": [objection.pk],
                          "apply": "1", "question": "请说明专利数量。"})
    asked = ExplanationRequest.objects.get()
    assert asked.application_id == entry.application_id and asked.question == "请说明专利数量。"
    told = Notification.objects.filter(purpose="objection_explanation_asked").get()
    assert "李四" not in told.title + told.body
    client.post(listing, {"action": "record_investigation", "_selected_action": [objection.pk],
                          "apply": "1", "investigation": "已调取专利检索报告。"})
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.INVESTIGATING
    assert objection.investigation == "已调取专利检索报告。"


def test_a_plaque_is_reissued_in_admin(frozen_list, commission_admin, client,
                                       commission_staff, django_capture_on_commit_callbacks):
    from centers import designation, notices
    from centers.models import Plaque

    notice = notices.notice_create(proposed_list=frozen_list, actor=commission_staff,
                                   starts_on=datetime.date(2026, 6, 1), contact="张科长")
    PublicNotice.objects.filter(pk=notice.pk).update(status=NoticeStatus.CLOSED)
    with django_capture_on_commit_callbacks(execute=False):
        center = designation.notice_finalise(notice=notice, actor=commission_staff)[0]
    old = center.plaques.get()
    client.force_login(commission_admin)
    listing = reverse("admin:centers_center_changelist")
    assert "换发原因" in client.post(listing, {"action": "reissue_plaques",
                                            "_selected_action": [center.pk]}).content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        client.post(listing, {"action": "reissue_plaques", "_selected_action": [center.pk],
                              "apply": "1", "reason": "牌匾损坏"})
    new = Plaque.objects.get(center=center, replaced_at__isnull=True)
    old.refresh_from_db()
    assert old.replaced_at is not None and new.number == old.number and new.token != old.token


def test_a_second_click_on_the_reissue_page_reissues_nothing(frozen_list, commission_admin,
                                                            client, commission_staff,
                                                            django_capture_on_commit_callbacks):
    """Admin pages have no disable-on-submit script: the same action page sent twice (a double
    click) must not issue a second plaque that voids the one just issued."""
    from centers import designation, notices
    from centers.models import Plaque

    notice = notices.notice_create(proposed_list=frozen_list, actor=commission_staff,
                                   starts_on=datetime.date(2026, 6, 1), contact="张科长")
    PublicNotice.objects.filter(pk=notice.pk).update(status=NoticeStatus.CLOSED)
    with django_capture_on_commit_callbacks(execute=False):
        center = designation.notice_finalise(notice=notice, actor=commission_staff)[0]
    client.force_login(commission_admin)
    listing = reverse("admin:centers_center_changelist")
    page = client.post(listing, {"action": "reissue_plaques",
                                 "_selected_action": [center.pk]}).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    sent = {"action": "reissue_plaques", "_selected_action": [center.pk], "apply": "1",
            "reason": "牌匾损坏", "form_token": token}
    with django_capture_on_commit_callbacks(execute=False):
        client.post(listing, sent)
        again = client.post(listing, sent, follow=True)
    assert Plaque.objects.filter(center=center).count() == 2
    assert "未重复处理" in again.content.decode()


def test_a_second_click_on_the_ask_page_asks_nothing_twice(frozen_list, commission_admin, client,
                                                          monkeypatch, commission_staff):
    from centers import notices, objections
    from centers.models import ExplanationRequest
    from core.models import Notification

    beijing = datetime.timezone(datetime.timedelta(hours=8))
    monkeypatch.setattr(timezone, "now",
                        lambda: datetime.datetime(2026, 5, 29, 9, 0, tzinfo=beijing))
    notice = notices.notice_publish(notice=notices.notice_create(
        proposed_list=frozen_list, actor=commission_staff, starts_on=datetime.date(2026, 6, 1),
        contact="张科长"), actor=commission_staff)
    monkeypatch.setattr(timezone, "now",
                        lambda: datetime.datetime(2026, 6, 2, 9, 0, tzinfo=beijing))
    objection = objections.objection_file(
        notice=notice, entry_ids=[notice.entries.first().pk], real_name="李四",
        phone="13912345678", facts="所报专利数量与实际不符，已有检索报告为证。", truthful=True)
    client.force_login(commission_admin)
    listing = reverse("admin:centers_objection_changelist")
    page = client.post(listing, {"action": "ask_explanation",
                                 "_selected_action": [objection.pk]}).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    sent = {"action": "ask_explanation", "_selected_action": [objection.pk], "apply": "1",
            "question": "请说明专利数量。", "form_token": token}
    client.post(listing, sent)
    client.post(listing, sent)
    assert ExplanationRequest.objects.count() == 1
    assert Notification.objects.filter(purpose="objection_explanation_asked").count() == 1
