"""Invited industry authorities (会同, 第十七条): they read the cycle's materials and, once the
round closed, its results, and give one opinion per center; nobody else may; the commission
reads the opinions beside the expert scores."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.enums import DepartmentKind, Role
from core.models import AuditEvent
from evaluations import opinions, scoring
from evaluations.enums import CycleStatus
from evaluations.errors import EvaluationError
from evaluations.models import EvaluationCycle, EvaluationOpinion
from experts.enums import RoundStatus
from experts.models import ReviewRound, RoundEntry
from tests.factories import DepartmentFactory, staff

from .scoring_helpers import centers_in, forward

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_authority_staff(db):
    """Staff of an industry authority NOT invited to the cycle."""
    department = DepartmentFactory(name="青岛市商务局", short_name="市商务局",
                                   kind=DepartmentKind.INDUSTRY_AUTHORITY)
    return staff(Role.INDUSTRY_STAFF, department, username="commerce_staff")


def test_an_invited_authority_gives_one_opinion_per_center(forwarded, industry_staff,
                                                           industry_authority):
    evaluation = forwarded[0]
    first = opinions.opinion_save(evaluation=evaluation, actor=industry_staff,
                                  text="  服务成效明显。 ")
    assert first.text == "服务成效明显。" and first.department == industry_authority
    second = opinions.opinion_save(evaluation=evaluation, actor=industry_staff,
                                   text="服务成效明显，建议加强数据安全。")
    assert second.pk == first.pk
    assert EvaluationOpinion.objects.filter(evaluation=evaluation).count() == 1
    events = AuditEvent.objects.filter(action="evaluation.opinion_save").order_by("pk")
    assert events.count() == 2 and events.last().before == {"text": "服务成效明显。"}


def test_nobody_else_gives_an_opinion(forwarded, other_authority_staff, commission_staff,
                                      third_party_staff, applicant_a, expert, official_laoshan):
    for user in (other_authority_staff, commission_staff, third_party_staff, applicant_a,
                 expert, official_laoshan):
        with pytest.raises(PermissionDenied):
            opinions.opinion_save(evaluation=forwarded[0], actor=user, text="意见")
    assert not EvaluationOpinion.objects.exists()


def test_an_opinion_needs_text_and_closes_with_the_grades(forwarded, industry_staff, open_cycle):
    with pytest.raises(EvaluationError, match="请填写"):
        opinions.opinion_save(evaluation=forwarded[0], actor=industry_staff, text="   ")
    with pytest.raises(EvaluationError, match="不能超过"):
        opinions.opinion_save(evaluation=forwarded[0], actor=industry_staff,
                              text="字" * (opinions.OPINION_MAX_CHARS + 1))
    EvaluationCycle.objects.filter(pk=open_cycle.pk).update(status=CycleStatus.CONFIRMED)
    with pytest.raises(EvaluationError, match="等级已确认"):
        opinions.opinion_save(evaluation=forwarded[0], actor=industry_staff, text="意见")


# --- the pages -------------------------------------------------------------------------------

def test_the_invited_authority_reads_materials_and_saves_its_opinion(client, forwarded,
                                                                     open_cycle, industry_staff):
    client.force_login(industry_staff)
    cycles = client.get(reverse("evaluations:opinion_cycles")).content.decode()
    assert open_cycle.title in cycles
    listing = client.get(reverse("evaluations:opinion_cycle", args=[open_cycle.pk]))
    assert listing.status_code == 200 and "未填写" in listing.content.decode()
    url = reverse("evaluations:opinion_evaluation", args=[open_cycle.pk, forwarded[0].pk])
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200 and forwarded[0].report in text and "服务合同汇总.pdf" in text
    assert "专家评分结束后显示" in text

    # An empty opinion is refused and what was typed stays.
    refused = client.post(url, {"text": ""})
    assert refused.status_code == 400 and "请填写评价意见" in refused.content.decode()
    saved = client.post(url, {"text": "建议评为良好。"})
    assert saved.status_code == 302 and saved["Location"] == url
    assert EvaluationOpinion.objects.get().text == "建议评为良好。"
    assert "已填写" in client.get(reverse("evaluations:opinion_cycle",
                                           args=[open_cycle.pk])).content.decode()

    evidence = forwarded[0].files.first()
    download = client.get(reverse("evaluations:opinion_file",
                                  args=[open_cycle.pk, forwarded[0].pk, evidence.pk]))
    assert download.status_code == 200
    assert AuditEvent.objects.filter(action="evaluation.file_read_authority").count() == 1


def test_others_are_refused_the_pages(client, forwarded, open_cycle, other_authority_staff,
                                      commission_staff, applicant_a, third_party_staff):
    urls = [reverse("evaluations:opinion_cycle", args=[open_cycle.pk]),
            reverse("evaluations:opinion_evaluation", args=[open_cycle.pk, forwarded[0].pk])]
    for user in (other_authority_staff, commission_staff, applicant_a, third_party_staff):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        assert client.post(urls[1], {"text": "意见"}).status_code == 403
    client.force_login(other_authority_staff)
    assert open_cycle.title not in client.get(
        reverse("evaluations:opinion_cycles")).content.decode()
    assert not EvaluationOpinion.objects.exists()


def test_results_show_once_the_round_closed(client, forwarded, open_cycle, industry_staff,
                                            commission_staff):
    round_ = scoring.round_for_cycle(cycle=open_cycle, actor=commission_staff)
    RoundEntry.objects.filter(round=round_, application=forwarded[0].center.application).update(
        aggregate="81.50", sheet_count=3, computed_at=timezone.now())
    client.force_login(industry_staff)
    url = reverse("evaluations:opinion_cycle", args=[open_cycle.pk])
    assert "81.50" not in client.get(url).content.decode()
    ReviewRound.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED)
    listing = client.get(url).content.decode()
    assert "81.50" in listing, listing[listing.find("invited-evaluations"):][:1500]
    detail = client.get(reverse("evaluations:opinion_evaluation",
                                args=[open_cycle.pk, forwarded[0].pk])).content.decode()
    assert "81.50" in detail


def test_the_commission_reads_the_opinions_beside_the_scores(client, forwarded, open_cycle,
                                                              industry_staff, commission_staff):
    round_ = scoring.round_for_cycle(cycle=open_cycle, actor=commission_staff)
    opinions.opinion_save(evaluation=forwarded[0], actor=industry_staff, text="运行规范，成效突出。")
    client.force_login(commission_staff)
    text = client.get(reverse("experts:round_results", args=[round_.pk])).content.decode()
    assert "运行规范，成效突出。" in text and "青岛市工业和信息化局" in text
    from evaluations.selectors_scoring import cycle_opinions

    assert [o.text for o in cycle_opinions(open_cycle)[forwarded[0].pk]] == ["运行规范，成效突出。"]


def test_files_of_a_center_that_has_not_submitted_are_not_served(client, open_cycle,
                                                                 designated_centers,
                                                                 evaluation_of, industry_staff):
    from django.core.files.base import ContentFile

    from evaluations.models import EvaluationFile

    evaluation = evaluation_of(designated_centers[0])
    draft = EvaluationFile(evaluation=evaluation, original_name="草稿.pdf", size=10,
                           uploaded_by_id=open_cycle.created_by_id)
    draft.file.save("d.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    client.force_login(industry_staff)
    assert client.get(reverse("evaluations:opinion_file",
                              args=[open_cycle.pk, evaluation.pk, draft.pk])).status_code == 404
    page = client.get(reverse("evaluations:opinion_evaluation", args=[open_cycle.pk,
                                                                      evaluation.pk]))
    assert "草稿.pdf" not in page.content.decode() and "尚未报送" in page.content.decode()


# --- query counts -----------------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 30])
def test_the_centers_list_reads_in_fixed_queries(client, n, open_cycle, designated_centers,
                                                 industry_staff, django_assert_max_num_queries):
    open_cycle.evaluations.all().delete()
    made = centers_in(open_cycle, n, designated_centers[0].notice)
    for evaluation in made[:3]:
        forward(evaluation, with_file=False)
    client.force_login(industry_staff)
    url = reverse("evaluations:opinion_cycle", args=[open_cycle.pk])
    with django_assert_max_num_queries(14):
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count("/centers/") >= n


@pytest.mark.parametrize("n", [1, 30])
def test_the_cycles_list_reads_in_fixed_queries(client, n, commission_staff, industry_authority,
                                                industry_staff, indicator_table,
                                                django_assert_max_num_queries):
    from .scoring_helpers import make_cycle

    for year in range(2040, 2040 + n):
        make_cycle(commission_staff, year=year, authorities=[industry_authority],
                   table=indicator_table)
    client.force_login(industry_staff)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("evaluations:opinion_cycles"))
    assert page.status_code == 200 and page.content.decode().count("年度赋能中心运行评估评价") >= n


def test_opinion_deadline_is_the_confirmation_not_a_date(forwarded, industry_staff, open_cycle):
    # Scoring may run past the materials deadline: an opinion is still accepted then.
    EvaluationCycle.objects.filter(pk=open_cycle.pk).update(
        materials_due=timezone.now() - datetime.timedelta(days=1), status=CycleStatus.SCORING)
    assert opinions.opinion_save(evaluation=forwarded[0], actor=industry_staff, text="意见").pk


def test_the_dashboards_lead_to_the_evaluation_pages(client, industry_staff, third_party_staff):
    client.force_login(industry_staff)
    assert reverse("evaluations:opinion_cycles") in client.get(
        reverse("dashboard_industry")).content.decode()
    client.force_login(third_party_staff)
    assert reverse("evaluations:scoring_agency") in client.get(
        reverse("dashboard_third_party")).content.decode()
