"""The rounds list and a round's assignment page: what managers see and do, what another
agency gets (404), and query counts that stay fixed with 1 and 30 applications."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.admin_access import COMMISSION_ADMIN_GROUP
from accounts.enums import Role
from applications.enums import UnitRole
from experts import selectors_assignment
from experts.assignment import assignment_add
from experts.enums import AssignmentStatus
from experts.models import Assignment, ExpertDeclaration, ReviewRound, RoundEntry
from tests.factories import CallFactory, DepartmentFactory, staff

from .conftest import expert_review_application, make_expert


def page_url(round_, **query):
    url = reverse("experts:assignments", args=[round_.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def entrusted(review_round, third_party_agency):
    review_round.agency = third_party_agency
    review_round.save()
    return review_round


def test_page_marks_conflicts_and_offers_only_eligible_experts(review_round, role_client,
                                                               expert_review_apps):
    app = expert_review_apps[0]
    lead = app.units.get(role=UnitRole.LEAD)
    employee = make_expert("钱员工", employer_uscc=lead.uscc.lower())
    helper = make_expert("孙编写")
    ExpertDeclaration.objects.create(expert=helper, application=app,
                                     kind=ExpertDeclaration.Kind.PREPARED)
    free = make_expert("李自由")
    response = role_client("commission_staff").get(page_url(review_round))
    assert response.status_code == 200
    html = response.content.decode()
    row = html.split(f'data-application="{app.pk}"')[1].split("</tr>")[0]
    assert "钱员工：专家工作单位为承建或联合承建单位" in row
    assert "孙编写：专家参与编制申报材料" in row
    select = row.split('name="expert"')[1].split("</select>")[0]
    assert f'value="{free.pk}"' in select
    assert f'value="{employee.pk}"' not in select and f'value="{helper.pk}"' not in select


def test_manual_add_of_a_conflicted_expert_is_refused_with_the_reason(review_round,
                                                                      role_client,
                                                                      expert_review_apps):
    app = expert_review_apps[0]
    employee = make_expert("钱员工", employer_uscc=app.units.get(role=UnitRole.LEAD).uscc)
    client = role_client("commission_staff")
    response = client.post(reverse("experts:assignment_add", args=[review_round.pk]),
                           {"application": app.pk, "expert": employee.pk}, follow=True)
    assert "不能分配：钱员工与该申报存在回避情形（专家工作单位为承建或联合承建单位）" in (
        response.content.decode())
    assert not Assignment.objects.exists()


def test_manual_add_then_withdraw(review_round, role_client, expert_review_apps):
    app = expert_review_apps[0]
    e = make_expert("周可用")
    client = role_client("commission_staff")
    response = client.post(reverse("experts:assignment_add", args=[review_round.pk]),
                           {"application": app.pk, "expert": e.pk}, follow=True)
    assert "已将周可用分配评审" in response.content.decode()
    a = Assignment.objects.get()
    page = client.get(reverse("experts:assignments", args=[review_round.pk])).content.decode()
    # One withdraw form for the page; each row's button names its assignment.
    assert page.count('id="withdraw-form"') == 1
    assert page.count('name="form_token"') == 2 + page.count(" add-form")  # + the auto form
    assert f'name="assignment" value="{a.pk}"' in page and f'name="reason_{a.pk}"' in page
    url = reverse("experts:assignment_withdraw", args=[review_round.pk])
    response = client.post(url, {"assignment": a.pk, f"reason_{a.pk}": ""}, follow=True)
    assert "请填写理由" in response.content.decode()
    client.post(url, {"assignment": a.pk, f"reason_{a.pk}": "专家出差"})
    a.refresh_from_db()
    assert a.status == AssignmentStatus.WITHDRAWN


def test_auto_infeasible_shows_the_report_in_chinese_and_saves_nothing(review_round,
                                                                       role_client,
                                                                       expert_review_apps):
    make_expert()
    make_expert()
    response = role_client("commission_staff").post(
        reverse("experts:assignment_auto", args=[review_round.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "自动分配无法完成，未保存任何分配" in html
    report = html.split('id="infeasible-report"')[1].split("</div>")[0]
    for app in expert_review_apps:
        assert f"“{app}”尚缺3名专家" in report
    assert report.count("还差1名") == 3
    assert not Assignment.objects.exists()


def test_auto_twice_assigns_once(review_round, role_client):
    for _ in range(4):
        make_expert()
    client = role_client("commission_staff")
    url = reverse("experts:assignment_auto", args=[review_round.pk])
    response = client.post(url, follow=True)
    assert "自动分配完成，新增9条分配" in response.content.decode()
    client.post(url)
    assert Assignment.objects.count() == 9


def test_freed_slot_after_recusal_is_shown_and_filled(review_round, role_client,
                                                      expert_review_apps, commission_staff):
    app = expert_review_apps[0]
    experts = [make_expert() for _ in range(4)]
    for e in experts[:3]:
        assignment_add(round=review_round, application=app, expert=e, actor=commission_staff)
    Assignment.objects.filter(expert=experts[0]).update(
        status=AssignmentStatus.RECUSED, recusal_reason="近亲属在该单位任职",
        recused_at=timezone.now())
    client = role_client("commission_staff")
    html = client.get(page_url(review_round, gaps="1")).content.decode()
    row = html.split(f'data-application="{app.pk}"')[1].split("</tr>")[0]
    assert "已回避（近亲属在该单位任职）" in row and "缺1名（含回避空出）" in row
    select = row.split('name="expert"')[1].split("</select>")[0]
    assert f'value="{experts[3].pk}"' in select and f'value="{experts[0].pk}"' not in select
    client.post(reverse("experts:assignment_add", args=[review_round.pk]),
                {"application": app.pk, "expert": experts[3].pk})
    assert Assignment.objects.filter(application=app, status="assigned").count() == 3


def test_agency_sees_only_its_rounds(entrusted, review_call, commission_staff, role_client,
                                     third_party_staff):
    other = ReviewRound.objects.create(call=review_call, title="另一轮次现场考察",
                                       deadline=timezone.now(), created_by=commission_staff)
    client = role_client("third_party_staff")
    html = client.get(reverse("experts:round_list")).content.decode()
    assert entrusted.title in html and "另一轮次现场考察" not in html
    assert client.get(page_url(entrusted)).status_code == 200
    assert client.get(page_url(other)).status_code == 404
    dashboard = client.get(reverse("dashboard_third_party")).content.decode()
    assert entrusted.title in dashboard and "另一轮次现场考察" not in dashboard
    commission = role_client("commission_staff").get(reverse("experts:round_list"))
    assert "另一轮次现场考察" in commission.content.decode()


def test_another_agency_gets_404(entrusted, role_client):
    other_agency = DepartmentFactory(name="另一评估机构", short_name="另一评估机构",
                                     kind="third_party")
    outsider = staff(Role.THIRD_PARTY_STAFF, other_agency, username="other_agency_staff")
    client = Client()
    client.force_login(outsider)
    assert client.get(page_url(entrusted)).status_code == 404
    assert client.post(reverse("experts:assignment_auto", args=[entrusted.pk])).status_code == 404
    assert not Assignment.objects.exists()


def test_dashboard_shows_ten_rounds_and_a_link(third_party_agency, role_client,
                                               commission_staff):
    call = CallFactory(closed=True)
    for i in range(12):
        ReviewRound.objects.create(call=call, title=f"受托轮次{i:02d}", deadline=timezone.now(),
                                   created_by=commission_staff, agency=third_party_agency)
    html = role_client("third_party_staff").get(reverse("dashboard_third_party")).content.decode()
    assert html.count("受托轮次") == 10
    assert "共 12 个评审轮次" in html and reverse("experts:round_list") in html


def _rounds_with(n, commission_staff):
    call = CallFactory(closed=True)
    round_ = ReviewRound.objects.create(call=call, title="查询次数", deadline=timezone.now()
                                        + datetime.timedelta(days=3), experts_per_application=2,
                                        created_by=commission_staff)
    experts = [make_expert(), make_expert(), make_expert()]
    for i in range(n):
        app = expert_review_application(call)
        RoundEntry.objects.create(round=round_, application=app)
        assignment_add(round=round_, application=app, expert=experts[i % 3],
                       actor=commission_staff)
    Assignment.objects.filter(expert=experts[0]).update(status=AssignmentStatus.RECUSED)
    ExpertDeclaration.objects.create(expert=experts[1], application=app,
                                     kind=ExpertDeclaration.Kind.CONFLICT)
    return round_


@pytest.mark.parametrize("n", [1, 30])
@pytest.mark.parametrize("gaps", [False, True])
def test_assignment_page_queries_fixed(n, gaps, commission_staff, role_client,
                                       django_assert_max_num_queries):
    round_ = _rounds_with(n, commission_staff)
    client = role_client("commission_staff")
    with django_assert_max_num_queries(21):
        response = client.get(page_url(round_, gaps="1") if gaps else page_url(round_))
    assert response.status_code == 200
    # Bounded: at most a page of applications, however many there are.
    assert response.content.decode().count("data-application=") == min(
        n, selectors_assignment.ASSIGNMENT_PAGE_SIZE)


@pytest.mark.parametrize("n", [1, 30])
def test_round_list_queries_fixed(n, commission_staff, role_client,
                                  django_assert_max_num_queries):
    call = CallFactory(closed=True)
    for i in range(n):
        ReviewRound.objects.create(call=call, title=f"轮次{i}", deadline=timezone.now(),
                                   created_by=commission_staff)
    client = role_client("commission_staff")
    with django_assert_max_num_queries(9):
        response = client.get(reverse("experts:round_list"))
    assert response.content.decode().count("专家分配</a>") == n


def test_admin_lists_and_withdraws_through_the_service(review_round, commission_staff,
                                                       expert_review_apps, client,
                                                       superuser_no_role):
    a = assignment_add(round=review_round, application=expert_review_apps[0],
                       expert=make_expert(), actor=commission_staff)
    commission_staff.is_staff = True
    commission_staff.save()
    commission_staff.groups.add(Group.objects.get(name=COMMISSION_ADMIN_GROUP))
    client.force_login(commission_staff)
    changelist = reverse("admin:experts_assignment_changelist")
    response = client.get(changelist, {"round__id__exact": review_round.pk})
    assert response.status_code == 200 and "专家分配" in response.content.decode()
    assert client.get(reverse("admin:experts_assignment_add")).status_code == 403
    response = client.post(changelist, {"action": "withdraw_assignments",
                                        "_selected_action": [a.pk], "apply": "1",
                                        "reason": "后台撤回"})
    a.refresh_from_db()
    assert a.status == AssignmentStatus.WITHDRAWN
    # A superuser without a role reads nothing here and withdraws nothing.
    client.force_login(superuser_no_role)
    assert client.get(changelist).status_code == 403
