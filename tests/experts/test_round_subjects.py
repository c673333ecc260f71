"""A round that scores something other than a call's applications (RoundPurpose 运行评价): no
call, entries made by whoever made the round, no proposed list, and the subject a later app
registers (experts.subjects) shown on the expert's pages and the results."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from experts import results, subjects
from experts.enums import RoundPurpose, RoundStatus
from experts.models import ReviewRound, RoundEntry
from experts.rounds import round_entries_enter
from experts.rubrics import rubric_install_default
from experts.selectors import authority_rounds

from .scoring import assign, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation_round(expert_review_apps, commission_staff, industry_authority):
    round_ = ReviewRound.objects.create(
        purpose=RoundPurpose.EVALUATION, call=None, title="年度运行评价专家评分",
        deadline=timezone.now() + datetime.timedelta(days=7), experts_per_application=3,
        created_by=commission_staff)
    round_.invited_authorities.add(industry_authority)
    rubric_install_default(round_)
    RoundEntry.objects.create(round=round_, application=expert_review_apps[0])
    return round_


@pytest.fixture
def registered():
    """A subject registered for the evaluation purpose, restored afterwards."""
    saved = subjects._SUBJECTS.copy()
    calls = []

    def panel(round_, application_id, values):
        calls.append((round_.pk, application_id, dict(values)))
        criteria = list(round_.criteria.order_by("order"))
        return {"template": "experts/expert/_heading.html", "summary": "对象材料",
                "beside_label": "对照分", "note": "对照规则说明。",
                "beside": {criteria[0].pk: {"text": "9分", "flag": "差异较大"}}}

    def results_of(round_, application_ids):
        return {a: {"note": "对照提示", "detail": "", "opinions": [("某部门", "某意见")]}
                for a in application_ids}

    subjects.register_round_subject(RoundPurpose.EVALUATION, panel=panel, results=results_of,
                                    rule="对照规则。")
    yield calls
    subjects._SUBJECTS.clear()
    subjects._SUBJECTS.update(saved)


def test_the_applications_purpose_cannot_be_registered():
    with pytest.raises(ValueError):
        subjects.register_round_subject(RoundPurpose.APPLICATION, panel=lambda *a: None)


def test_a_round_without_a_call_enters_nothing_by_itself(evaluation_round):
    assert round_entries_enter(evaluation_round) == 0
    assert evaluation_round.entries.count() == 1


def test_an_evaluation_round_makes_no_proposed_list(evaluation_round, commission_staff):
    assert not subjects.makes_proposed_list(evaluation_round)
    ReviewRound.objects.filter(pk=evaluation_round.pk).update(status=RoundStatus.CLOSED)
    evaluation_round.refresh_from_db()
    with pytest.raises(results.ResultsError, match="不形成拟评定名单"):
        results.proposed_list_save(round=evaluation_round, actor=commission_staff, chosen=[])
    assert results.results_snapshot(evaluation_round)["call"] == "运行评价"


def test_the_authorities_pages_of_experts_list_only_a_calls_rounds(evaluation_round,
                                                                    review_round,
                                                                    industry_authority,
                                                                    industry_staff):
    review_round.invited_authorities.add(industry_authority)
    assert list(authority_rounds(industry_staff)) == [review_round]


def test_the_sheet_and_results_show_the_registered_subject(client, registered,
                                                           evaluation_round,
                                                           expert_review_apps, expert,
                                                           expert_record, commission_staff):
    open_round(evaluation_round)
    mine = assign(evaluation_round, expert_review_apps[0], expert_record, commission_staff,
                  committed=True)
    client.force_login(expert)
    text = client.get(reverse("experts:sheet", args=[mine.pk])).content.decode()
    assert "对照分" in text and "9分" in text and "差异较大" in text and "对照规则说明。" in text
    assert registered and registered[-1][1] == expert_review_apps[0].pk
    client.force_login(commission_staff)
    text = client.get(reverse("experts:round_results", args=[evaluation_round.pk])).content.decode()
    assert "对照提示" in text and "某部门" in text and "对照规则。" in text
    assert "proposed-link" not in text


def test_a_calls_round_shows_no_subject(client, registered, review_round, expert_review_apps,
                                        expert, expert_record, commission_staff):
    open_round(review_round)
    mine = assign(review_round, expert_review_apps[0], expert_record, commission_staff,
                  committed=True)
    client.force_login(expert)
    text = client.get(reverse("experts:sheet", args=[mine.pk])).content.decode()
    assert "对照分" not in text and not registered


# --- the commission's admin -----------------------------------------------------------------

@pytest.fixture
def admin_client_(commission_admin, client):
    client.force_login(commission_admin)
    return client


def test_admin_refuses_a_calls_round_without_a_call(admin_client_):
    from .test_rounds import _admin_data

    round_ = ReviewRound(call=None, title="无通知", deadline=timezone.now()
                         + datetime.timedelta(days=5))
    response = admin_client_.post(reverse("admin:experts_reviewround_add"),
                                  _admin_data(round_, [], call=""))
    assert response.status_code == 200 and "请选择申报通知" in response.content.decode()
    assert not ReviewRound.objects.filter(title="无通知").exists()


def test_admin_shows_an_evaluation_round_and_keeps_it_without_a_call(admin_client_,
                                                                      evaluation_round,
                                                                      review_call):
    from .test_rounds import _admin_data

    url = reverse("admin:experts_reviewround_change", args=[evaluation_round.pk])
    page = admin_client_.get(url)
    assert page.status_code == 200 and 'name="call"' not in page.content.decode()
    data = _admin_data(evaluation_round, [], call=review_call.pk, title="改名后的评分")
    criteria = list(evaluation_round.criteria.order_by("order"))
    data.update({"criteria-INITIAL_FORMS": str(len(criteria)),
                 "criteria-TOTAL_FORMS": str(len(criteria))})
    for i, c in enumerate(criteria):
        data.update({f"criteria-{i}-id": str(c.pk), f"criteria-{i}-round": str(
            evaluation_round.pk), f"criteria-{i}-order": str(c.order),
            f"criteria-{i}-name": c.name, f"criteria-{i}-description": c.description,
            f"criteria-{i}-max_score": str(c.max_score), f"criteria-{i}-weight": str(c.weight)})
    answer = admin_client_.post(url, data)
    assert answer.status_code == 302
    evaluation_round.refresh_from_db()
    assert evaluation_round.call_id is None and evaluation_round.title == "改名后的评分"
    listing = admin_client_.get(reverse("admin:experts_reviewround_changelist"))
    assert listing.status_code == 200
