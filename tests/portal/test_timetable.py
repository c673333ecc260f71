"""年度工作日程 on the home page: the year's calls, district deadlines, notice periods and
evaluation dates from the records, published ones only, ordered by date, the past marked, in a
fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import CallStatus
from centers.models import PublicNotice
from evaluations.enums import CycleStatus
from evaluations.indicators import table_install_default
from evaluations.models import EvaluationCycle
from experts.models import ProposedList, ReviewRound
from portal.timetable import year_timetable
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db

TZ = timezone.get_fixed_timezone(8 * 60)
NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=TZ)


def at(month, day, hour=9, year=2026):
    return datetime.datetime(year, month, day, hour, 0, tzinfo=TZ)


def _call(title, opens, closes, deadline, **extra):
    return CallFactory(title=title, opens_at=opens, closes_at=closes,
                       district_review_deadline=deadline, materials=False, **extra)


def _notice(call, commission, title, starts, ends, status):
    round_ = ReviewRound.objects.create(call=call, title="材料评审", created_by=commission,
                                        deadline=at(4, 1))
    proposed = ProposedList.objects.create(call=call, round=round_, status="frozen")
    return PublicNotice.objects.create(
        call=call, proposed_list=proposed, title=title, basis="依据", steps_completed="程序",
        starts_on=starts, ends_on=ends, objection_channel="渠道", contact="联系人",
        issuer="发布单位", issued_on=starts, status=status, created_by=commission)


def _cycle(year, status, materials_due, district_due, commission, table, published_at=None):
    return EvaluationCycle.objects.create(
        year=year, title=f"{year}年度赋能中心运行评估评价", window_start=datetime.date(year - 1, 1, 1),
        window_end=datetime.date(year - 1, 12, 31), table=table, materials_due=materials_due,
        district_due=district_due, status=status, published_at=published_at,
        created_by=commission)


@pytest.fixture
def records(commission_staff):
    spring = _call("春季申报通知", at(3, 1), at(7, 1, 17), datetime.date(2026, 7, 20))
    _call("草稿申报通知", at(8, 1), at(9, 1), datetime.date(2026, 9, 20), status=CallStatus.DRAFT,
          published_at=None)
    # Last year's call, closing this January: only its closing and deadline are this year's.
    _call("上年度申报通知", at(12, 1, year=2025), at(1, 10, 17), datetime.date(2026, 1, 31),
          status=CallStatus.CLOSED)
    _notice(spring, commission_staff, "拟评定名单公示", datetime.date(2026, 6, 10),
            datetime.date(2026, 6, 16), "published")
    _notice(CallFactory(materials=False, unpublished=True), commission_staff, "草稿公示", datetime.date(2026, 6, 1),
            datetime.date(2026, 6, 5), "draft")
    table = table_install_default(actor=commission_staff)
    _cycle(2026, CycleStatus.OPEN, at(5, 31, 17), at(6, 30, 17), commission_staff, table)
    _cycle(2027, CycleStatus.DRAFT, at(11, 30), at(12, 15), commission_staff, table)


def test_the_year_in_order_with_the_past_marked(records):
    timetable = year_timetable(NOW)
    assert timetable["year"] == 2026
    shown = [(e.item.on.isoformat(), e.item.title, e.item.subject, e.past)
             for e in timetable["entries"]]
    assert shown == [
        ("2026-01-10", "申报受理截止", "上年度申报通知", True),
        ("2026-01-31", "主管部门初审推荐报送截止", "上年度申报通知", True),
        ("2026-03-01", "开始受理申报", "春季申报通知", True),
        ("2026-05-31", "赋能中心评价材料报送截止", "2026年度赋能中心运行评估评价", True),
        # A notice period ending tomorrow is not past yet.
        ("2026-06-10", "公示期", "拟评定名单公示", False),
        ("2026-06-30", "主管部门初审意见报送截止", "2026年度赋能中心运行评估评价", False),
        ("2026-07-01", "申报受理截止", "春季申报通知", False),
        ("2026-07-20", "主管部门初审推荐报送截止", "春季申报通知", False),
    ]
    assert timetable["upcoming"] == 4


def test_drafts_never_reach_the_public_page(records, client):
    html = client.get(reverse("home")).content.decode()
    assert 'id="timetable"' in html
    assert "草稿申报通知" not in html and "草稿公示" not in html
    assert "2027年度赋能中心运行评估评价" not in html


def test_the_home_page_shows_the_current_year(client, commission_staff):
    now = timezone.now()
    call = CallFactory(title="本年度申报通知", materials=False)
    html = client.get(reverse("home")).content.decode()
    assert f"{timezone.localtime(now).year}年工作日程" in html
    if timezone.localtime(call.opens_at).year == timezone.localtime(now).year:
        assert "本年度申报通知" in html
        assert reverse("applications:call_detail", args=[call.pk]) in html


@pytest.mark.parametrize("n", [1, 30])
def test_the_timetable_runs_three_queries(n, commission_staff, django_assert_num_queries):
    for i in range(n):
        _call(f"申报通知{i}", at(3, 1), at(7, 1), datetime.date(2026, 7, 20))
    with django_assert_num_queries(3):
        timetable = year_timetable(NOW)
    assert len(timetable["entries"]) == 3 * n


@pytest.mark.parametrize("n", [1, 30])
def test_the_home_page_queries_do_not_grow(n, client, commission_staff,
                                           django_assert_max_num_queries):
    for i in range(n):
        _call(f"申报通知{i}", timezone.now() - datetime.timedelta(days=1),
              timezone.now() + datetime.timedelta(days=5), timezone.localdate())
    with django_assert_max_num_queries(12):
        assert client.get(reverse("home")).status_code == 200


def test_a_published_cycle_links_its_results(commission_staff):
    table = table_install_default(actor=commission_staff)
    _cycle(2026, CycleStatus.PUBLISHED, at(3, 31, 17), at(4, 30, 17), commission_staff, table,
           published_at=at(6, 1))
    entries = year_timetable(NOW)["entries"]
    assert [e.item.title for e in entries] == ["赋能中心评价材料报送截止", "主管部门初审意见报送截止",
                                               "公布评价结果"]
    assert all(e.item.url == reverse("evaluations:results_cycle", args=[2026]) for e in entries)


@pytest.mark.parametrize("n", [1, 30])
def test_the_home_page_counts_the_active_centers_and_lists_the_latest(
        n, client, django_assert_max_num_queries):
    from centers.enums import CenterStatus
    from centers.models import Center
    from tests.centers.test_map import make_centers

    for i in range(n):
        make_centers(1, designated_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=i))
    revoked = make_centers(1, status=CenterStatus.REVOKED,
                           designated_on=datetime.date(2027, 1, 1))[0]
    with django_assert_max_num_queries(12):
        page = client.get(reverse("home")).content.decode()
    assert f'已认定赋能中心<span class="fw-semibold">{n}</span>家' in page
    assert "尚无已认定的赋能中心" not in page and revoked.name not in page
    active = list(Center.objects.filter(status="active").order_by("-designated_on"))
    linked = [c.pk for c in active if f'href="{reverse("centers:center_detail", args=[c.pk])}"' in page]
    assert linked == [c.pk for c in active[:5]]


def test_the_home_page_says_when_no_center_is_designated_yet(client):
    assert "尚无已认定的赋能中心" in client.get(reverse("home")).content.decode()
