"""The committee's roster (第四条): membership changes kept as history, who is active on a day,
the secretariat's list and record pages, expert accounts, the admin actions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import Role
from accounts.models import RoleAssignment
from core.models import AuditEvent, OutgoingMail
from experts import roster
from experts.enums import MembershipStatus
from experts.models import CommitteeMembership, Expert
from experts.selectors import active_experts, expert_is_active
from tests.factories import make_uscc, staff

from .conftest import make_expert

pytestmark = pytest.mark.django_db

D = datetime.date


# --- membership history and the active selector ---------------------------------------------

def test_a_change_closes_the_current_row_and_starts_a_new_one(commission_staff):
    expert = make_expert("钱磊")
    new = roster.membership_change(expert=expert, status=MembershipStatus.SUSPENDED,
                                   reason="本人申请暂停", actor=commission_staff,
                                   term_start=D(2026, 3, 1))
    rows = list(expert.memberships.order_by("term_start", "id"))
    assert [r.status for r in rows] == [MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED]
    assert rows[0].term_end == D(2026, 2, 28)
    assert new.term_start == D(2026, 3, 1) and new.term_end == D(2027, 12, 31)
    assert new.changed_by == commission_staff and new.reason == "本人申请暂停"
    event = AuditEvent.objects.get(action="expert.membership_change")
    assert event.before["status"] == "active" and event.after["status"] == "suspended"


def test_active_on_a_day_follows_the_history(commission_staff):
    expert = make_expert("钱磊")
    roster.membership_change(expert=expert, status=MembershipStatus.SUSPENDED, reason="暂停",
                             actor=commission_staff, term_start=D(2026, 3, 1))
    roster.membership_change(expert=expert, status=MembershipStatus.ACTIVE, reason="恢复",
                             actor=commission_staff, term_start=D(2026, 5, 1))
    roster.membership_change(expert=expert, status=MembershipStatus.LEFT, reason="退出",
                             actor=commission_staff, term_start=D(2026, 9, 1))
    assert expert_is_active(expert, on=D(2026, 2, 28))
    assert not expert_is_active(expert, on=D(2026, 3, 1))
    assert expert_is_active(expert, on=D(2026, 5, 1))
    assert expert_is_active(expert, on=D(2026, 8, 31))
    assert not expert_is_active(expert, on=D(2026, 9, 1))
    assert not expert_is_active(expert, on=D(2024, 12, 31))  # before the first term
    assert expert.memberships.count() == 4


def test_active_experts_leaves_out_ended_terms_and_the_never_appointed(commission_staff):
    active = make_expert("在库专家")
    ended = make_expert("期满专家")
    ended.memberships.update(term_end=D(2025, 12, 31))
    never = Expert.objects.create(name="未聘任专家", employer_name="某单位")
    on = D(2026, 6, 1)
    assert set(active_experts(on)) == {active}
    assert never not in active_experts(on) and ended in active_experts(D(2025, 12, 31))


def test_a_same_day_change_supersedes_the_row_that_started_that_day(commission_staff):
    expert = make_expert("钱磊")
    day = D(2025, 1, 1)
    roster.membership_change(expert=expert, status=MembershipStatus.SUSPENDED, reason="误聘",
                             actor=commission_staff, term_start=day)
    assert not expert_is_active(expert, on=day)
    assert expert.memberships.order_by("id").first().term_end == day


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"status": "active", "reason": "再次"}, "当前已是"),
    ({"status": "suspended", "reason": " "}, "调整原因"),
    ({"status": "vanished", "reason": "x"}, "状态不正确"),
    ({"status": "suspended", "reason": "x", "term_start": D(2024, 1, 1)}, "不能早于"),
    ({"status": "active", "reason": "x", "term_start": D(2026, 1, 1),
      "term_end": D(2025, 1, 1)}, "不能早于开始日期"),
])
def test_a_change_is_refused_with_a_reason(commission_staff, kwargs, message):
    expert = make_expert("钱磊")
    with pytest.raises(ValidationError, match=message):
        roster.membership_change(expert=expert, actor=commission_staff, **kwargs)
    assert expert.memberships.count() == 1


def test_only_the_secretariat_changes_a_membership(superuser_no_role, industry_staff):
    expert = make_expert("钱磊")
    for actor in (superuser_no_role, industry_staff):
        with pytest.raises(PermissionDenied):
            roster.membership_change(expert=expert, status="suspended", reason="x", actor=actor)


# --- the roster pages ------------------------------------------------------------------------

def test_the_list_filters_by_field_status_and_text(role_client, commission_staff):
    make_expert("钱磊", employer_name="青岛大学", fields=("人工智能",))
    sun = make_expert("孙悦", employer_name="中国海洋大学", fields=("海洋装备",),
                      employer_uscc=make_uscc(700_001))
    roster.membership_change(expert=sun, status="suspended", reason="暂停",
                             actor=commission_staff)
    client = role_client("commission_staff")
    url = reverse("experts:roster_list")
    from applications.models import IndustryField

    ocean = IndustryField.objects.get(name="海洋装备")
    page = client.get(url, {"field": ocean.pk}).content.decode()
    assert "孙悦" in page and "钱磊" not in page
    page = client.get(url, {"status": "active"}).content.decode()
    assert "钱磊" in page and "孙悦" not in page
    page = client.get(url, {"status": "suspended"}).content.decode()
    assert "孙悦" in page and "暂停" in page
    page = client.get(url, {"q": make_uscc(700_001).lower()}).content.decode()
    assert "孙悦" in page and "钱磊" not in page
    page = client.get(url, {"q": "青岛大学"}).content.decode()
    assert "钱磊" in page and "孙悦" not in page


def _list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_query_count_is_fixed(role_client):
    client = role_client("commission_staff")
    url = reverse("experts:roster_list")
    make_expert("首位专家", fields=("人工智能", "智能家电"))
    client.get(url)  # sessions, content types
    one = _list_queries(client, url)
    for n in range(29):
        make_expert(f"专家{n:02d}", fields=("人工智能", "智能家电"))
    thirty = _list_queries(client, url)
    assert thirty == one and one <= 12


def test_the_list_pages_by_fifty(role_client):
    for n in range(51):
        Expert.objects.create(name=f"专家{n:02d}", employer_name="某单位")
    client = role_client("commission_staff")
    first = client.get(reverse("experts:roster_list"))
    assert first.context["page"].paginator.num_pages == 2
    assert len(first.context["page"].object_list) == 50


def test_the_record_shows_ties_and_history(role_client, commission_staff):
    from experts.models import ExpertTie

    expert = make_expert("钱磊")
    ExpertTie.objects.create(expert=expert, kind="consulting", unit_name="青岛某科技有限公司",
                             started_on=D(2024, 1, 1), ended_on=D(2025, 1, 1))
    roster.membership_change(expert=expert, status="left", reason="工作调动",
                             actor=commission_staff)
    page = role_client("commission_staff").get(
        reverse("experts:roster_detail", args=[expert.pk])).content.decode()
    assert "青岛某科技有限公司" in page and "工作调动" in page and "退出" in page
    assert "今日不在库" in page


# --- expert accounts -------------------------------------------------------------------------

def test_an_account_is_created_linked_and_invited(commission_staff,
                                                  django_capture_on_commit_callbacks):
    expert = make_expert("钱磊", email="qianlei@example.cn", mobile="13905320001")
    with django_capture_on_commit_callbacks(execute=True):
        user = roster.expert_account_create(expert=expert, username="qianlei",
                                            actor=commission_staff)
    expert.refresh_from_db()
    assert expert.user == user and not user.has_usable_password()
    assignment = RoleAssignment.objects.get(user=user)
    assert assignment.role == Role.EXPERT and assignment.department is None
    letter = OutgoingMail.objects.get(recipient=user)
    assert letter.purpose == "expert_account_invited" and "设置登录密码" in letter.body
    assert letter.to_address == "qianlei@example.cn" and "qianlei" in letter.body
    assert AuditEvent.objects.filter(action="expert.account_create").exists()


@pytest.mark.parametrize(("setup", "username", "message"), [
    ({"email": ""}, "qianlei", "电子邮箱"),
    ({"email": "q@example.cn"}, "expert_qian", "不可用"),
    ({"email": "q@example.cn", "linked": True}, "qianlei2", "已有登录账号"),
])
def test_an_account_is_refused(commission_staff, setup, username, message):
    user = staff(Role.EXPERT, username="someone") if setup.get("linked") else None
    expert = make_expert("钱磊", email=setup["email"], user=user)
    with pytest.raises(ValidationError, match=message):
        roster.expert_account_create(expert=expert, username=username, actor=commission_staff)


def test_an_expert_account_without_a_record_sees_why(role_client, expert):
    page = role_client("expert").get(reverse("dashboard_expert")).content.decode()
    assert 'id="expert-record-missing"' in page and "我的评审任务" not in page


def test_an_expert_account_with_a_record_sees_its_work(role_client, expert_record):
    page = role_client("expert").get(reverse("dashboard_expert")).content.decode()
    assert 'id="expert-record-missing"' not in page


# --- admin -----------------------------------------------------------------------------------

@pytest.fixture
def admin_client(client, commission_staff):
    from accounts.services import commission_admin_group_sync

    commission_staff.is_staff = True
    commission_staff.save(update_fields=["is_staff"])
    commission_staff.groups.add(commission_admin_group_sync())
    client.force_login(commission_staff)
    return client


def test_admin_lists_and_filters_the_roster(admin_client, commission_staff):
    make_expert("钱磊")
    sun = make_expert("孙悦")
    roster.membership_change(expert=sun, status="suspended", reason="暂停",
                             actor=commission_staff)
    url = reverse("admin:experts_expert_changelist")
    page = admin_client.get(url).content.decode()
    assert "钱磊" in page and "孙悦" in page and "暂停" in page
    page = admin_client.get(url, {"membership": "suspended"}).content.decode()
    assert "孙悦" in page and "钱磊" not in page
    page = admin_client.get(reverse("admin:experts_expert_change", args=[sun.pk])).content
    assert "聘任记录" in page.decode()


def test_admin_action_changes_the_status_through_the_service(admin_client):
    expert = make_expert("钱磊")
    url = reverse("admin:experts_expert_changelist")
    form = admin_client.post(url, {"action": "change_membership", "_selected_action": [expert.pk]})
    assert "调整委员状态" in form.content.decode()
    admin_client.post(url, {"action": "change_membership", "_selected_action": [expert.pk],
                            "apply": "1", "status": "suspended", "reason": "本人申请"})
    assert expert.memberships.count() == 2
    assert not expert_is_active(expert)


def test_admin_action_opens_an_account(admin_client):
    expert = make_expert("钱磊", email="q@example.cn")
    url = reverse("admin:experts_expert_changelist")
    admin_client.post(url, {"action": "create_account", "_selected_action": [expert.pk],
                            "apply": "1", "username": "qianlei"})
    expert.refresh_from_db()
    assert expert.user is not None and expert.user.username == "qianlei"


def test_the_membership_history_is_read_only_in_admin(admin_client):
    from experts.admin_roster import CommitteeMembershipInline

    from django.contrib import admin

    inline = CommitteeMembershipInline(Expert, admin.site)
    assert not inline.has_change_permission(None) and not inline.has_delete_permission(None)
    assert not inline.has_add_permission(None)
    assert CommitteeMembership in {type(i).model for i in
                                   admin.site._registry[Expert].get_inline_instances(None)}


def test_the_demo_roster(django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command
    from django.test import override_settings

    with override_settings(DEBUG=True), django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())  # idempotent
    from experts.demo_roster import EXPERTS, LEFT, SUSPENDED

    assert Expert.objects.filter(name__in=[e[0] for e in EXPERTS]).count() == len(EXPERTS)
    assert not expert_is_active(Expert.objects.get(name=SUSPENDED))
    assert not expert_is_active(Expert.objects.get(name=LEFT))
    assert active_experts().filter(name__in=[e[0] for e in EXPERTS]).count() == len(EXPERTS) - 2
    assert Expert.objects.get(name="赵敏").user.username == "expert_zhao"
    assert Expert.objects.get(name="李航").ties.exists()


def test_admin_searches_by_name_employer_and_code(admin_client):
    make_expert("钱磊", employer_name="青岛大学", employer_uscc=make_uscc(600_001))
    make_expert("孙悦", employer_name="中国海洋大学")
    url = reverse("admin:experts_expert_changelist")
    for q in ("钱磊", "青岛大学", make_uscc(600_001)):
        page = admin_client.get(url, {"q": q}).content.decode()
        assert "钱磊" in page and "孙悦" not in page, q
