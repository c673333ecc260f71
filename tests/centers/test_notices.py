"""公示 (第九条（四））: drawn up from a frozen proposed list, its end date in working days across
holidays and 调休, published for anyone to read, closed by the sweep exactly once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from centers import notices
from centers.enums import NoticeStatus
from centers.models import PublicNotice
from core.models import AuditEvent, HolidayOverride, Notification, WorkdayYear

pytestmark = pytest.mark.django_db

BEIJING = datetime.timezone(datetime.timedelta(hours=8))


# --- the period -------------------------------------------------------------------------------

def test_the_end_date_skips_national_day_and_counts_the_make_up_saturday():
    # 2026: 10月1日–7日 放假; 10月10日（星期六）调休上班.
    assert notices.notice_end(datetime.date(2026, 9, 28), 5) == datetime.date(2026, 10, 9)
    assert notices.notice_end(datetime.date(2026, 9, 30), 5) == datetime.date(2026, 10, 12)
    # A start on a holiday: the period begins with the next working day.
    assert notices.notice_end(datetime.date(2026, 10, 3), 1) == datetime.date(2026, 10, 8)


def test_a_period_into_an_unknown_year_stops_until_its_schedule_is_complete():
    with pytest.raises(notices.NoticeError, match="2027"):
        notices.notice_end(datetime.date(2026, 12, 28), 5)
    HolidayOverride.objects.create(date=datetime.date(2027, 1, 1), kind="holiday", name="元旦")
    with pytest.raises(notices.NoticeError, match="2027"):
        notices.notice_end(datetime.date(2026, 12, 28), 5)  # a few rows are not a schedule
    WorkdayYear.objects.create(year=2027, is_complete=True)
    # 12月28日–31日, 1月1日 元旦, 1月2日–3日 weekend, 1月4日.
    assert notices.notice_end(datetime.date(2026, 12, 28), 5) == datetime.date(2027, 1, 4)


def _published(make_notice, commission_staff, monkeypatch):
    """A notice of 2026-06-01 to 06-05, published on 05-29."""
    monkeypatch.setattr(timezone, "now",
                        lambda: datetime.datetime(2026, 5, 29, 10, 0, tzinfo=BEIJING))
    notice = notices.notice_publish(notice=make_notice(), actor=commission_staff)
    monkeypatch.undo()
    return notice


def test_the_objection_window_is_beijing_to_the_second(make_notice, commission_staff,
                                                      monkeypatch):
    notice = _published(make_notice, commission_staff, monkeypatch)
    start, end = notices.notice_period(notice)
    assert start == datetime.datetime(2026, 6, 1, 0, 0, 0, tzinfo=BEIJING)
    assert end == datetime.datetime(2026, 6, 5, 23, 59, 59, tzinfo=BEIJING)
    assert notices.notice_is_open(notice, now=end)
    assert not notices.notice_is_open(notice, now=end + datetime.timedelta(seconds=1))
    assert not notices.notice_is_open(notice, now=start - datetime.timedelta(seconds=1))


# --- drawing up and publishing ------------------------------------------------------------

def test_a_notice_lists_the_frozen_list_as_it_stood(make_notice, frozen_list):
    notice = make_notice()
    assert notice.status == NoticeStatus.DRAFT and notice.ends_on == datetime.date(2026, 6, 5)
    entries = list(notice.entries.order_by("position"))
    assert [e.application_id for e in entries] == [
        e.application_id for e in frozen_list.entries.order_by("position")]
    first = entries[0].application
    assert entries[0].center_name == first.center_name
    assert entries[0].unit_name == first.lead_unit.name
    assert entries[0].department_name == first.destination_label
    assert "第九条" in notice.basis and frozen_list.call.title in notice.basis
    assert AuditEvent.objects.filter(action="public_notice.create").exists()


def test_only_the_commission_draws_up_one_notice_of_a_frozen_list(
        frozen_list, make_notice, superuser_no_role, official_laoshan):
    for someone in (superuser_no_role, official_laoshan):
        with pytest.raises(PermissionDenied):
            notices.notice_create(proposed_list=frozen_list, actor=someone,
                                  starts_on=datetime.date(2026, 6, 1), contact="—")
    make_notice()
    with pytest.raises(notices.NoticeError, match="已有公示"):
        make_notice()


def test_an_unfrozen_list_is_not_noticed(frozen_list, commission_staff):
    from experts.models import ProposedList

    ProposedList.objects.filter(pk=frozen_list.pk).update(status="draft")
    with pytest.raises(notices.NoticeError, match="确定后"):
        notices.notice_create(proposed_list=frozen_list, actor=commission_staff,
                              starts_on=datetime.date(2026, 6, 1), contact="—")
    assert not PublicNotice.objects.exists()


def test_the_public_reads_a_published_notice_never_a_draft(make_notice, commission_staff,
                                                           client, monkeypatch):
    monkeypatch.setattr(timezone, "now",
                        lambda: datetime.datetime(2026, 6, 2, 9, 0, tzinfo=BEIJING))
    notice = make_notice()
    detail = reverse("centers:notice_detail", args=[notice.pk])
    assert client.get(detail).status_code == 404
    assert notice.title not in client.get(reverse("centers:notice_list")).content.decode()
    notices.notice_publish(notice=notice, actor=commission_staff)
    page = client.get(detail).content.decode()
    assert notice.title in page and "正在公示" in page
    assert notice.entries.first().center_name in page and "data-print" in page
    listing = client.get(reverse("centers:notice_list")).content.decode()
    assert listing.index(notice.title) < listing.index('id="past-notices"')
    assert notice.title in client.get(reverse("home")).content.decode()


def test_a_notice_whose_period_has_passed_is_not_published(make_notice, commission_staff,
                                                          monkeypatch):
    notice = make_notice()
    monkeypatch.setattr(timezone, "now",
                        lambda: datetime.datetime(2026, 6, 6, 0, 0, tzinfo=BEIJING))
    with pytest.raises(notices.NoticeError, match="公示期已过"):
        notices.notice_publish(notice=notice, actor=commission_staff)


# --- closing ------------------------------------------------------------------------------

def test_the_sweep_closes_a_notice_once_after_its_last_second(make_notice, commission_staff,
                                                             monkeypatch):
    notice = _published(make_notice, commission_staff, monkeypatch)
    last = datetime.datetime(2026, 6, 5, 23, 59, 59, tzinfo=BEIJING)
    assert notices.close_ended_notices(last) == 0
    assert notices.close_ended_notices(last + datetime.timedelta(seconds=1)) == 1
    assert notices.close_ended_notices(last + datetime.timedelta(seconds=2)) == 0
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED
    told = Notification.objects.filter(purpose="public_notice_closed")
    assert list(told.values_list("recipient", flat=True)) == [commission_staff.pk]


def test_the_notice_list_reads_a_fixed_number_of_queries(frozen_list, commission_staff,
                                                         client, django_assert_max_num_queries):
    from experts.models import ProposedList
    from tests.factories import CallFactory

    def notices_of(n):
        for k in range(n):
            call = CallFactory(closed=True, materials=False)
            copy = ProposedList.objects.create(call=call, round=frozen_list.round,
                                               status="frozen")
            PublicNotice.objects.create(
                call=call, proposed_list=copy, title=f"公示{k}", basis="依据",
                steps_completed="程序", starts_on=datetime.date(2026, 1, 5), ends_on=
                datetime.date(2026, 1, 9), objection_channel="渠道", contact="联系人",
                issuer="发布单位", issued_on=datetime.date(2026, 1, 5), status="closed",
                created_by=commission_staff)

    notices_of(1)
    with django_assert_max_num_queries(6):
        client.get(reverse("centers:notice_list"))
    notices_of(29)
    with django_assert_max_num_queries(6):
        assert "公示28" in client.get(reverse("centers:notice_list")).content.decode()
