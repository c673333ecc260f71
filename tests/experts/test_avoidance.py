"""The commission rules on 回避申请 and on suggested conflicts (回避, 第九条（三）)."""

import datetime
import re

import pytest
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.models import AvoidanceRequest
from core.models import AuditEvent
from experts import avoidance
from experts.avoidance import RulingError, avoidance_ruling_decide, conflict_ruling_record
from experts.avoidance_selectors import avoidance_expert_choices
from experts.enums import AvoidanceStatus, ConflictRulingKind, TieKind
from experts.models import AvoidanceRuling, ConflictRuling, ExpertTie
from experts.suggestions import months_before, suggested_conflicts
from tests.factories import ApplicationFactory, CallFactory

from .conftest import expert_review_application, make_expert

pytestmark = pytest.mark.django_db

LIST = reverse("experts:avoidance_list")
CONFLICTS = reverse("experts:conflict_list")
RULE_CONFLICT = reverse("experts:conflict_rule")


def request_on(application, name="周正", employer="青岛某研究院", reason="曾与本单位竞争。"):
    return AvoidanceRequest.objects.create(application=application, expert_name=name,
                                           expert_employer=employer, reason=reason)


def rule_url(request):
    return reverse("experts:avoidance_rule", args=[request.pk])


def token_of(page: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


@pytest.fixture
def secretariat(role_client):
    return role_client("commission_staff")


# --- 回避申请 ------------------------------------------------------------------------------------


def test_the_list_shows_pending_requests_filtered_by_call_and_status(
        secretariat, expert_review_apps, commission_staff):
    first = request_on(expert_review_apps[0], name="甲专家")
    second = request_on(expert_review_apps[1], name="乙专家")
    other_call = expert_review_application(CallFactory(closed=True))
    request_on(other_call, name="丙专家")
    request_on(ApplicationFactory(), name="草稿中的专家")  # a draft: not the commission's yet
    avoidance_ruling_decide(request=second, actor=commission_staff,
                            status=AvoidanceStatus.REJECTED, reason="理由不成立。")

    page = secretariat.get(LIST).content.decode()
    assert "甲专家" in page and "丙专家" in page
    assert "乙专家" not in page and "草稿中的专家" not in page
    by_call = secretariat.get(LIST, {"call": first.application.call_id, "status": "all"})
    body = by_call.content.decode()
    assert "甲专家" in body and "乙专家" in body and "丙专家" not in body
    rejected = secretariat.get(LIST, {"status": "rejected"}).content.decode()
    assert "乙专家" in rejected and "甲专家" not in rejected


@pytest.mark.parametrize("rows", [1, 30])
def test_the_list_query_count_is_fixed(secretariat, review_call, rows,
                                       django_assert_max_num_queries):
    for n in range(rows):
        request_on(expert_review_application(review_call), name=f"专家{n}")
    with django_assert_max_num_queries(12):
        response = secretariat.get(LIST, {"status": "all"})
    assert response.status_code == 200
    assert response.content.decode().count('href="/commission/avoidance/') == rows


def test_suggested_experts_come_first_exact_name_then_employer(expert_review_apps):
    request = request_on(expert_review_apps[0], name=" 周 正", employer="青岛某研究院 ")
    elsewhere = make_expert("周正", employer_name="青岛另一家单位")
    matching = make_expert("周正", employer_name="青岛某研究院")
    make_expert("周正明", employer_name="青岛某研究院")
    choices = avoidance_expert_choices(request)
    assert [(e.pk, s) for e, s in choices] == [(matching.pk, True), (elsewhere.pk, True)]
    searched = avoidance_expert_choices(request, "周")
    assert [e.name for e, s in searched if not s] == ["周正明"]


def test_accepting_requires_an_expert_and_rules_once(secretariat, expert_review_apps,
                                                     commission_staff):
    request = request_on(expert_review_apps[0])
    roster = make_expert("周正", employer_name="青岛某研究院")
    page = secretariat.get(rule_url(request)).content.decode()
    assert "【建议】周正（青岛某研究院）" in page

    refused = secretariat.post(rule_url(request), {"status": "accepted", "reason": "",
                                                  "form_token": token_of(page)})
    assert refused.status_code == 200
    assert "同意回避须选择专家库中对应的专家。" in refused.content.decode()
    assert not AvoidanceRuling.objects.exists()

    page = secretariat.get(rule_url(request)).content.decode()
    token = token_of(page)
    posted = {"status": "accepted", "expert": roster.pk, "reason": "", "form_token": token}
    first = secretariat.post(rule_url(request), posted)
    again = secretariat.post(rule_url(request), posted)  # the double click
    assert first.status_code == again.status_code == 302
    ruling = AvoidanceRuling.objects.get()
    assert ruling.status == AvoidanceStatus.ACCEPTED and ruling.expert == roster
    assert AuditEvent.objects.filter(action="avoidance_ruling.decide").count() == 1
    with pytest.raises(RulingError, match="已审核"):
        avoidance_ruling_decide(request=request, actor=commission_staff,
                                status=AvoidanceStatus.REJECTED, reason="再次审核。")
    # A fresh form on a ruled request decides nothing either.
    secretariat.post(rule_url(request), {"status": "rejected", "reason": "改主意。"})
    assert AvoidanceRuling.objects.get().status == AvoidanceStatus.ACCEPTED


def test_the_service_refuses_what_the_form_would(expert_review_apps, commission_staff,
                                                 official_laoshan):
    request = request_on(expert_review_apps[0])
    with pytest.raises(RulingError, match="须选择专家库"):
        avoidance_ruling_decide(request=request, actor=commission_staff,
                                status=AvoidanceStatus.ACCEPTED)
    with pytest.raises(RulingError, match="须填写理由"):
        avoidance_ruling_decide(request=request, actor=commission_staff,
                                status=AvoidanceStatus.REJECTED, reason="  ")
    with pytest.raises(avoidance.PermissionDenied):
        avoidance_ruling_decide(request=request, actor=official_laoshan,
                                status=AvoidanceStatus.REJECTED, reason="不成立。")
    assert not AvoidanceRuling.objects.exists()


def test_a_request_of_an_application_still_in_the_districts_hands_is_not_found(secretariat):
    submitted = ApplicationFactory(submitted=True)
    request = request_on(submitted)
    assert secretariat.get(rule_url(request)).status_code == 404


def test_the_applicant_sees_each_outcome_but_not_the_matched_expert(
        role_client, applicant_a, commission_staff, review_call):
    organisation = applicant_a.role_assignments.first().organisation
    application = expert_review_application(review_call, organisation=organisation,
                                            created_by=applicant_a)
    accepted = request_on(application, name="周正", employer="青岛某研究院")
    rejected = request_on(application, name="钱多", employer="青岛某公司")
    pending = request_on(application, name="孙少", employer="青岛某大学")
    roster = make_expert("周正", employer_name="青岛某研究院（集团）总部", title="首席科学家")
    avoidance_ruling_decide(request=accepted, actor=commission_staff,
                            status=AvoidanceStatus.ACCEPTED, expert=roster,
                            reason="存在直接竞争关系。")
    avoidance_ruling_decide(request=rejected, actor=commission_staff,
                            status=AvoidanceStatus.REJECTED, reason="所述情形不构成回避事由。")
    page = role_client("applicant").get(
        reverse("applications:detail", args=[application.pk])).content.decode()
    section = page[page.index('id="avoidance-requests"'):]
    assert "同意回避" in section and "存在直接竞争关系。" in section
    assert "不同意回避" in section and "所述情形不构成回避事由。" in section
    assert "待审核" in section and pending.expert_name in section
    assert "集团" not in page and "首席科学家" not in page


# --- suggested conflicts -----------------------------------------------------------------------


ON = datetime.date(2026, 11, 29)


def _lead(application):
    return application.units.get(role="lead")


def test_suggestions_name_what_is_worth_a_look_and_no_hard_conflict(expert_review_apps):
    application = expert_review_apps[0]
    lead = _lead(application)
    branch = make_expert("分公司专家", employer_name=f"{lead.name}研发中心")
    same = make_expert("同单位专家", employer_name=f"{lead.name} ")  # hard: not suggested
    old = make_expert("旧关系专家")
    recent = make_expert("近关系专家")
    too_old = make_expert("更早关系专家")
    for expert, ended in ((old, months_before(ON, 36) - datetime.timedelta(days=1)),
                          (recent, months_before(ON, 36)),
                          (too_old, months_before(ON, 60) - datetime.timedelta(days=1))):
        ExpertTie.objects.create(expert=expert, kind=TieKind.EMPLOYMENT, unit_name=lead.name,
                                 ended_on=ended)
    named = make_expert("周正")
    request_on(application, name="周 正")

    found = suggested_conflicts(applications=type(application).objects.filter(
        pk=application.pk), experts=type(named).objects.all(), on=ON)
    pairs = {(s.expert_id, s.kind) for s in found}
    assert pairs == {(branch.pk, "employer_similar"), (old.pk, "old_tie"),
                     (named.pk, "avoidance_name")}
    assert same.pk not in {s.expert_id for s in found}


def test_a_ruled_pair_is_not_suggested_again(expert_review_apps, commission_staff):
    application = expert_review_apps[0]
    branch = make_expert("分公司专家", employer_name=f"{_lead(application).name}研发中心")
    conflict_ruling_record(expert=branch, application=application, actor=commission_staff,
                           kind=ConflictRulingKind.DISMISSED, reason="研发中心为独立法人。")
    found = suggested_conflicts(applications=type(application).objects.all(),
                                experts=type(branch).objects.all(), on=ON)
    assert branch.pk not in {s.expert_id for s in found}


@pytest.mark.parametrize("count", [1, 30])
def test_suggestions_take_a_fixed_number_of_queries(expert_review_apps, count,
                                                    django_assert_num_queries):
    application = expert_review_apps[0]
    for n in range(count):
        expert = make_expert(f"专家{n}", employer_name=f"{_lead(application).name}分部{n}")
        ExpertTie.objects.create(expert=expert, kind=TieKind.CONSULTING,
                                 unit_name=_lead(application).name,
                                 ended_on=months_before(ON, 40))
        request_on(application, name=f"专家{n}")
    apps = type(application).objects.filter(status=ApplicationStatus.EXPERT_REVIEW)
    experts = type(expert).objects.all()
    with django_assert_num_queries(5):
        found = suggested_conflicts(applications=apps, experts=experts, on=ON)
    assert len(found) == 3 * count


@pytest.mark.parametrize("count", [1, 30])
def test_the_conflicts_page_query_count_is_fixed(secretariat, expert_review_apps, count,
                                                 django_assert_max_num_queries):
    application = expert_review_apps[0]
    for n in range(count):
        make_expert(f"专家{n}", employer_name=f"{_lead(application).name}分部{n}")
    with django_assert_max_num_queries(14):
        response = secretariat.get(CONFLICTS, {"call": application.call_id})
    assert response.content.decode().count('value="pinned"') == count


def test_pin_and_dismiss_need_a_reason_and_happen_once(secretariat, expert_review_apps):
    application = expert_review_apps[0]
    branch = make_expert("分公司专家", employer_name=f"{_lead(application).name}研发中心")
    other = make_expert("另一专家", employer_name=f"{_lead(application).name}分公司")
    page = secretariat.get(CONFLICTS, {"call": application.call_id}).content.decode()
    assert "分公司专家" in page and "相互包含" in page

    no_reason = secretariat.post(RULE_CONFLICT, {"expert": branch.pk, "application":
                                                application.pk, "kind": "pinned",
                                                "reason": " "}, follow=True)
    assert "请填写理由" in no_reason.content.decode() or "请填写认定理由" in \
        no_reason.content.decode()
    assert not ConflictRuling.objects.exists()

    token = token_of(page)
    posted = {"expert": branch.pk, "application": application.pk, "kind": "pinned",
              "reason": "该专家所在研发中心参与了申报材料编制。", "form_token": token}
    assert secretariat.post(RULE_CONFLICT, posted).status_code == 302
    assert secretariat.post(RULE_CONFLICT, posted).status_code == 302  # the double click
    secretariat.post(RULE_CONFLICT, {**posted, "form_token": "", "kind": "dismissed"})
    ruling = ConflictRuling.objects.get()
    assert ruling.kind == ConflictRulingKind.PINNED
    secretariat.post(RULE_CONFLICT, {"expert": other.pk, "application": application.pk,
                                    "kind": "dismissed", "reason": "分公司与申报单位无关联。"})
    assert ConflictRuling.objects.get(expert=other).kind == ConflictRulingKind.DISMISSED
    assert set(AuditEvent.objects.filter(action__startswith="conflict_ruling.")
               .values_list("action", flat=True)) == {"conflict_ruling.pin",
                                                      "conflict_ruling.dismiss"}
    after = secretariat.get(CONFLICTS, {"call": application.call_id}).content.decode()
    assert 'value="pinned"' not in after  # nothing left to rule
    assert "认定回避" in after and "该专家所在研发中心参与了申报材料编制。" in after


def test_only_the_commission_rules(expert_review_apps, official_laoshan):
    expert = make_expert("某专家")
    with pytest.raises(avoidance.PermissionDenied):
        conflict_ruling_record(expert=expert, application=expert_review_apps[0],
                               actor=official_laoshan, kind=ConflictRulingKind.PINNED,
                               reason="理由。")


# --- admin ---------------------------------------------------------------------------------------


def test_the_admin_shows_the_records_read_only(client, commission_admin, expert_review_apps):
    request_on(expert_review_apps[0])
    expert = make_expert("某专家")
    from experts.models import ExpertDeclaration

    ExpertDeclaration.objects.create(expert=expert, application=expert_review_apps[0],
                                     kind=ExpertDeclaration.Kind.PREPARED)
    client.force_login(commission_admin)
    for model in ("applications_avoidancerequest", "experts_avoidanceruling",
                  "experts_conflictruling", "experts_expertdeclaration"):
        assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200, model
    assert client.get(reverse("admin:experts_expertdeclaration_add")).status_code == 403
    response = client.post(reverse("admin:experts_conflictruling_add"), {
        "expert": expert.pk, "application": expert_review_apps[0].pk, "kind": "pinned",
        "reason": "在管理后台认定。"})
    assert response.status_code == 302
    ruling = ConflictRuling.objects.get()
    assert ruling.decided_by == commission_admin
    assert AuditEvent.objects.filter(action="conflict_ruling.pin").count() == 1
    change = client.get(reverse("admin:experts_conflictruling_change", args=[ruling.pk]))
    assert b'name="reason"' not in change.content


def test_the_conflicts_page_keeps_its_suggestions_until_a_source_changes(
        secretariat, expert_review_apps, django_assert_max_num_queries):
    """Computed once per call and day; a new expert, a tie, a unit's new name or a ruling
    shows on the next request."""
    application = expert_review_apps[0]
    lead = _lead(application)
    make_expert("分公司专家", employer_name=f"{lead.name}研发中心")
    query = {"call": application.call_id}
    assert "分公司专家" in secretariat.get(CONFLICTS, query).content.decode()
    with django_assert_max_num_queries(9):  # the five queries of the suggestions are kept
        assert "分公司专家" in secretariat.get(CONFLICTS, query).content.decode()

    make_expert("第二位专家", employer_name=f"{lead.name}分公司")
    assert "第二位专家" in secretariat.get(CONFLICTS, query).content.decode()
    old = make_expert("旧关系专家")
    ExpertTie.objects.create(expert=old, kind=TieKind.EMPLOYMENT, unit_name=lead.name,
                             ended_on=months_before(datetime.date.today(), 40))
    assert "旧关系专家" in secretariat.get(CONFLICTS, query).content.decode()
    lead.name = "另一家公司"
    lead.save()
    page = secretariat.get(CONFLICTS, query).content.decode()
    assert "分公司专家" not in page and "第二位专家" not in page
