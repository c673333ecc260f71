"""Expert scoring of an evaluation cycle (第十七条) through the expert-review machinery: the
round made once from the indicator table, conflicts with the center's unit, the expert's own
assignments, the sheet with the self-score and the gap flag, aggregation and disagreement,
cycle_scores, the results page, the agency's entry point and the admin action."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from evaluations import scoring
from evaluations.admin_scoring import create_expert_round
from evaluations.enums import CycleStatus, EvaluationStatus
from evaluations.errors import EvaluationError
from evaluations.models import Evaluation, EvaluationCycle
from experts import results, sheets
from experts.assignment import ConflictError, assignment_add
from experts.enums import RoundPurpose, RoundStatus
from experts.models import ReviewRound, RoundEntry
from experts.rounds import round_close, round_open
from experts.scoring import round_results_compute
from experts.subjects import makes_proposed_list, round_subject
from tests.experts.conftest import make_expert
from tests.experts.scoring import assign, open_round

from .scoring_helpers import centers_in, forward, lead_uscc, make_cycle

pytestmark = pytest.mark.django_db


def _share(criteria, shares, comment="说明") -> dict:
    """Entries scoring each criterion at the given share of its maximum (one share or a list)."""
    if not isinstance(shares, (list, tuple)):
        shares = [shares] * len(criteria)
    return {c.pk: {"value": str((c.max_score * Decimal(s)).quantize(Decimal("0.01"))),
                   "comment": comment} for c, s in zip(criteria, shares, strict=True)}


def _submit(assignment, user, shares):
    sheet = sheets.sheet_open(assignment=assignment, actor=user)
    criteria = sheets.round_criteria(assignment.round)
    return sheets.sheet_save(sheet=sheet, actor=user, entries=_share(criteria, shares),
                             overall_comment="总体评价。", version=sheet.version, submit=True)


# --- the round ---------------------------------------------------------------------------------

def test_the_round_is_made_once_with_the_indicators_as_its_rubric(
        scoring_round, open_cycle, forwarded, commission_staff, third_party_agency,
        industry_authority):
    assert scoring_round.purpose == RoundPurpose.EVALUATION and scoring_round.call_id is None
    assert scoring_round.status == RoundStatus.PREPARING
    assert scoring_round.agency == third_party_agency
    assert list(scoring_round.invited_authorities.all()) == [industry_authority]
    assert scoring_round.deadline == open_cycle.district_due + datetime.timedelta(
        days=scoring.SCORING_DAYS)
    indicators = list(open_cycle.table.indicators.order_by("order"))
    criteria = list(scoring_round.criteria.order_by("order"))
    assert [(c.order, c.name, c.max_score, c.weight) for c in criteria] == [
        (i.order, i.name, i.weight, i.weight) for i in indicators]
    assert sum(c.weight for c in criteria) == 100
    assert set(scoring_round.entries.values_list("application_id", flat=True)) == {
        e.center.application_id for e in forwarded}
    open_cycle.refresh_from_db()
    assert open_cycle.review_round_id == scoring_round.pk

    again = scoring.round_for_cycle(cycle=open_cycle, actor=commission_staff)
    assert again.pk == scoring_round.pk
    assert ReviewRound.objects.filter(purpose=RoundPurpose.EVALUATION).count() == 1
    assert scoring_round.entries.count() == 2 and scoring_round.criteria.count() == len(indicators)
    assert AuditEvent.objects.filter(action="evaluation.scoring_round").count() == 1


def test_only_forwarded_evaluations_enter_and_later_ones_are_added_until_the_round_closes(
        open_cycle, designated_centers, commission_staff, evaluation_of):
    first, second = (evaluation_of(c) for c in designated_centers)
    forward(first)
    Evaluation.objects.filter(pk=second.pk).update(status=EvaluationStatus.SUBMITTED)
    round_ = scoring.round_for_cycle(cycle=open_cycle, actor=commission_staff)
    assert list(round_.entries.values_list("application_id", flat=True)) == [
        first.center.application_id]

    forward(second)
    scoring.round_for_cycle(cycle=open_cycle, actor=commission_staff)
    assert round_.entries.count() == 2

    # A closed round's results are final: nothing more enters.
    RoundEntry.objects.filter(round=round_, application_id=second.center.application_id).delete()
    ReviewRound.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED)
    scoring.round_for_cycle(cycle=open_cycle, actor=commission_staff)
    assert round_.entries.count() == 1


def test_the_round_is_the_commissions_or_the_agencys_to_make(
        forwarded, open_cycle, third_party_staff, industry_staff, applicant_a, expert,
        commission_staff):
    for user in (industry_staff, applicant_a, expert):
        with pytest.raises(PermissionDenied):
            scoring.round_for_cycle(cycle=open_cycle, actor=user)
    assert scoring.round_for_cycle(cycle=open_cycle, actor=third_party_staff).agency_id == (
        open_cycle.agency_id)
    other = make_cycle(commission_staff, year=2030, status=CycleStatus.DRAFT)
    with pytest.raises(EvaluationError, match="评价启动后"):
        scoring.round_for_cycle(cycle=other, actor=commission_staff)


def test_opening_the_round_keeps_its_entries_and_rubric(scoring_round, commission_staff):
    before = list(scoring_round.criteria.values_list("name", flat=True))
    opened = round_open(round=scoring_round, actor=commission_staff)
    assert opened.status == RoundStatus.OPEN
    assert opened.entries.count() == 2
    assert list(opened.criteria.values_list("name", flat=True)) == before


# --- conflicts and the expert's own assignments -------------------------------------------------

def test_an_expert_in_conflict_with_the_centers_unit_cannot_be_assigned(
        scoring_round, forwarded, commission_staff, third_party_staff):
    center = forwarded[0].center
    conflicted = make_expert("钱进", employer_name="某单位", employer_uscc=lead_uscc(center))
    free = make_expert("孙立")
    with pytest.raises(ConflictError, match="回避"):
        assignment_add(round=scoring_round, application=center.application, expert=conflicted,
                       actor=third_party_staff)
    made = assignment_add(round=scoring_round, application=center.application, expert=free,
                          actor=third_party_staff)
    assert made.round_id == scoring_round.pk


def test_the_assignment_page_of_an_evaluation_round_works_for_the_agency(
        client, scoring_round, forwarded, third_party_staff):
    center = forwarded[0].center
    make_expert("钱进", employer_name="某单位", employer_uscc=lead_uscc(center))
    client.force_login(third_party_staff)
    page = client.get(reverse("experts:assignments", args=[scoring_round.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "运行评价" in text and center.application.center_name in text
    assert "钱进" in text  # listed among the conflicted, with the reason
    rounds = client.get(reverse("experts:round_list"))
    assert rounds.status_code == 200 and scoring_round.title in rounds.content.decode()


@pytest.fixture
def scoring_open(scoring_round):
    return open_round(scoring_round)


@pytest.fixture
def mine(scoring_open, forwarded, expert_record, commission_staff):
    """The `expert` user's committed assignment on the first center."""
    return assign(scoring_open, forwarded[0].center.application, expert_record,
                  commission_staff, committed=True)


def test_an_expert_sees_only_their_own_assignments(client, mine, scoring_open, forwarded,
                                                   expert, commission_staff):
    other = assign(scoring_open, forwarded[1].center.application, make_expert("李雷"),
                   commission_staff, committed=True)
    client.force_login(expert)
    listing = client.get(reverse("experts:my_assignments")).content.decode()
    assert f'data-assignment="{mine.pk}"' in listing
    assert f'data-assignment="{other.pk}"' not in listing
    assert client.get(reverse("experts:sheet", args=[other.pk])).status_code == 404
    assert client.get(reverse("experts:application", args=[other.pk])).status_code == 404
    evidence = forwarded[1].files.first()
    assert client.get(reverse("evaluations:scoring_expert_file",
                              args=[other.pk, evidence.pk])).status_code == 404


def test_the_expert_reads_the_centers_materials_and_files(client, mine, forwarded, expert):
    client.force_login(expert)
    page = client.get(reverse("experts:application", args=[mine.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert forwarded[0].report in text and "服务企业数（家）" in text and "服务合同汇总.pdf" in text
    evidence = forwarded[0].files.first()
    download = client.get(reverse("evaluations:scoring_expert_file", args=[mine.pk, evidence.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(action="evaluation.file_read_expert",
                                     actor=expert).count() == 1
    # Another center's file is not reachable through this assignment.
    foreign = forwarded[1].files.first()
    assert client.get(reverse("evaluations:scoring_expert_file",
                              args=[mine.pk, foreign.pk])).status_code == 404


def test_the_sheet_shows_the_self_score_beside_each_indicator_and_flags_a_gap(
        client, mine, expert, forwarded):
    client.force_login(expert)
    page = client.get(reverse("experts:sheet", args=[mine.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "自评分" in text and scoring.GAP_RULE in text
    assert "gap-flag" not in text
    criteria = sheets.round_criteria(mine.round)
    self_scores = {s.indicator.order: s.value for s in forwarded[0].self_scores.select_related(
        "indicator")}
    for c in criteria:
        assert f"{self_scores[c.order].normalize():f}分" in text

    # Self-scored at 80%: 60% differs by exactly 20% of the points (not flagged), 55% by more.
    sheet = sheets.sheet_open(assignment=mine, actor=expert)
    shares = ["0.6", "0.55", "0.8", "0.8", "0.8", "0.8"]
    sheets.sheet_save(sheet=sheet, actor=expert, entries=_share(criteria, shares),
                      overall_comment="", version=sheet.version)
    panel = scoring._panel(mine.round, mine.application_id,
                           {s.criterion_id: s.value for s in sheet.scores.all()})
    flags = {c.order: panel["beside"][c.pk]["flag"] for c in criteria}
    assert flags[1] == "" and flags[2].startswith("与自评差异较大") and not any(
        flags[o] for o in range(3, 7))
    text = client.get(reverse("experts:sheet", args=[mine.pk])).content.decode()
    assert text.count("gap-flag") == 1 and "相差6.25分" in text  # 25 × (0.8 − 0.55)


def test_gap_boundary():
    assert not scoring.gap_exceeds(Decimal("15"), Decimal("20"), Decimal("25"))
    assert scoring.gap_exceeds(Decimal("14.99"), Decimal("20"), Decimal("25"))
    assert scoring.gap_exceeds(Decimal("25"), Decimal("19.99"), Decimal("25"))
    assert not scoring.gap_exceeds(None, Decimal("20"), Decimal("25"))
    assert not scoring.gap_exceeds(Decimal("20"), None, Decimal("25"))


# --- aggregation, disagreement, cycle_scores, results -----------------------------------------

@pytest.fixture
def scored(scoring_open, forwarded, commission_staff):
    """Three experts scored the first center (totals 90, 70, 80 → spread 20, flagged); nobody
    scored the second; the round is closed and its results computed."""
    app = forwarded[0].center.application
    for share in ("0.9", "0.7", "0.8"):
        person = make_expert(login=True)
        assignment = assign(scoring_open, app, person, commission_staff, committed=True)
        _submit(assignment, person.user, share)
    ReviewRound.objects.filter(pk=scoring_open.pk).update(
        deadline=timezone.now() - datetime.timedelta(seconds=1))
    scoring_open.refresh_from_db()
    return round_close(round=scoring_open, actor=commission_staff)


def test_aggregation_and_the_disagreement_flag_work_on_the_evaluation_round(scored, forwarded):
    entry = RoundEntry.objects.get(round=scored, application=forwarded[0].center.application)
    assert entry.aggregate == Decimal("80.00") and entry.sheet_count == 3
    assert entry.flagged and "20.00" in entry.flag_reason
    other = RoundEntry.objects.get(round=scored, application=forwarded[1].center.application)
    assert other.aggregate is None and not other.flagged


def test_cycle_scores_are_the_stored_aggregates(scored, open_cycle, forwarded):
    open_cycle.refresh_from_db()
    assert scoring.cycle_scores(open_cycle) == {forwarded[0].pk: Decimal("80.00"),
                                                forwarded[1].pk: None}
    # Recomputing reproduces them.
    round_results_compute(round=scored)
    assert scoring.cycle_scores(open_cycle)[forwarded[0].pk] == Decimal("80.00")


def test_cycle_scores_before_any_round_are_none(open_cycle, forwarded):
    assert scoring.cycle_scores(open_cycle) == {e.pk: None for e in forwarded}


def test_the_results_of_an_evaluation_round_lead_to_no_proposed_list(
        client, scored, forwarded, commission_staff):
    assert not makes_proposed_list(scored) and round_subject(scored) is not None
    client.force_login(commission_staff)
    page = client.get(reverse("experts:round_results", args=[scored.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "proposed-link" not in text and "不形成拟评定名单" in text
    assert f"{scoring.GAP_PERCENT}%" in text
    # 90% and 70% against a self-score of 80%: the gap is 10% of the points, not flagged ...
    assert "subject-note" not in text
    assert client.get(reverse("experts:proposed_list", args=[scored.pk])).status_code == 404
    with pytest.raises(results.ResultsError):
        results.proposed_list_save(round=scored, actor=commission_staff, chosen=[])
    entry = RoundEntry.objects.get(round=scored, application=forwarded[0].center.application)
    detail = client.get(reverse("experts:round_entry", args=[scored.pk, entry.pk]))
    assert detail.status_code == 200


def test_the_results_name_the_indicators_far_from_the_self_score(
        client, scoring_open, forwarded, commission_staff):
    app = forwarded[0].center.application
    person = make_expert(login=True)
    _submit(assign(scoring_open, app, person, commission_staff, committed=True), person.user,
            ["0.5", "0.8", "0.8", "0.8", "0.8", "0.8"])
    notes = scoring._results(scoring_open, [app.pk])[app.pk]
    assert notes["note"] == f"1项指标的专家评分与自评分相差超过该指标分值的{scoring.GAP_PERCENT}%"
    assert notes["detail"].startswith("建设目标完成情况（自评20分，专家12.5分）")
    client.force_login(commission_staff)
    text = client.get(reverse("experts:round_results", args=[scoring_open.pk])).content.decode()
    assert "subject-note" in text


def test_the_results_page_reads_in_fixed_queries(client, scoring_open, forwarded,
                                                  commission_staff, django_assert_max_num_queries):
    client.force_login(commission_staff)
    url = reverse("experts:round_results", args=[scoring_open.pk])
    client.get(url)
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200


# --- the agency's entry point --------------------------------------------------------------

def test_the_agency_lists_its_cycles_and_makes_the_round(client, forwarded, open_cycle,
                                                          third_party_staff):
    client.force_login(third_party_staff)
    page = client.get(reverse("evaluations:scoring_agency"))
    assert page.status_code == 200 and open_cycle.title in page.content.decode()
    answer = client.post(reverse("evaluations:scoring_round", args=[open_cycle.pk]))
    open_cycle.refresh_from_db()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("experts:assignments", args=[open_cycle.review_round_id])
    text = client.get(reverse("evaluations:scoring_agency")).content.decode()
    assert "round-assignments" in text


def test_another_agency_sees_nothing_of_the_cycle(client, open_cycle, forwarded):
    from accounts.enums import DepartmentKind, Role
    from tests.factories import DepartmentFactory, staff

    other = staff(Role.THIRD_PARTY_STAFF, DepartmentFactory(
        name="另一评估机构", short_name="另一评估机构", kind=DepartmentKind.THIRD_PARTY))
    client.force_login(other)
    listing = client.get(reverse("evaluations:scoring_agency")).content.decode()
    assert open_cycle.title not in listing
    url = reverse("evaluations:scoring_round", args=[open_cycle.pk])
    assert client.post(url).status_code == 404


def _cycles_for(agency, actor, n):
    for year in range(2040, 2040 + n):
        make_cycle(actor, year=year, agency=agency,
                   table=EvaluationCycle.objects.first().table
                   if EvaluationCycle.objects.exists() else None)


@pytest.mark.parametrize("n", [1, 30])
def test_the_agency_list_reads_in_fixed_queries(client, n, third_party_staff, third_party_agency,
                                                 commission_staff, django_assert_max_num_queries):
    _cycles_for(third_party_agency, commission_staff, n)
    client.force_login(third_party_staff)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("evaluations:scoring_agency"))
    assert page.status_code == 200 and page.content.decode().count("data-cycle=") == n


# --- the admin action ----------------------------------------------------------------------

def test_the_admin_action_makes_the_round(forwarded, open_cycle, commission_staff):
    request = RequestFactory().post("/admin/")
    request.user = commission_staff
    request.session = {}
    request._messages = FallbackStorage(request)
    modeladmin = admin.ModelAdmin(EvaluationCycle, admin.site)
    create_expert_round(modeladmin, request, EvaluationCycle.objects.filter(pk=open_cycle.pk))
    create_expert_round(modeladmin, request, EvaluationCycle.objects.filter(pk=open_cycle.pk))
    open_cycle.refresh_from_db()
    assert open_cycle.review_round.entries.count() == 2
    assert ReviewRound.objects.filter(purpose=RoundPurpose.EVALUATION).count() == 1
    assert [m.level_tag for m in request._messages] == ["success", "success"]


def test_centers_in_helper_makes_centers(open_cycle, designated_centers):
    # A sanity check of the query-count helper used by the opinions' tests.
    notice = designated_centers[0].notice
    assert len(centers_in(open_cycle, 2, notice)) == 2


def test_the_evaluation_rounds_pages_show_no_english(client, scored, forwarded, expert,
                                                      expert_record, commission_staff):
    from tests.test_english import english_words

    client.force_login(commission_staff)
    entry = RoundEntry.objects.get(round=scored, application=forwarded[0].center.application)
    pages = [reverse("experts:round_results", args=[scored.pk]),
             reverse("experts:round_entry", args=[scored.pk, entry.pk]),
             reverse("experts:assignments", args=[scored.pk]),
             reverse("experts:round_list")]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert english_words(page.content.decode()) == [], url
    # The expert's pages, on an open round.
    ReviewRound.objects.filter(pk=scored.pk).update(status=RoundStatus.OPEN)
    mine = assign(scored, forwarded[1].center.application, expert_record, commission_staff,
                  committed=True)
    client.force_login(expert)
    for url in (reverse("experts:sheet", args=[mine.pk]),
                reverse("experts:application", args=[mine.pk]),
                reverse("experts:my_assignments")):
        page = client.get(url)
        assert page.status_code == 200, url
        assert english_words(page.content.decode(), usernames=["expert"]) == [], url


def test_the_exports_of_an_evaluation_round(client, scored, forwarded, commission_staff):
    client.force_login(commission_staff)
    for name in ("experts:results_summary_xlsx", "experts:results_sheets_xlsx"):
        answer = client.get(reverse(name, args=[scored.pk]))
        assert answer.status_code == 200 and answer.content[:2] == b"PK"
    snapshot = results.results_snapshot(scored)
    assert snapshot["call"] == "运行评价" and snapshot["round"] == scored.title


def test_the_cycle_admin_offers_the_expert_round_action():
    from django.contrib import admin as django_admin

    from evaluations.models import EvaluationCycle

    assert create_expert_round in django_admin.site._registry[EvaluationCycle].actions


def test_the_experts_heading_and_commitment_speak_of_the_center_not_an_application(
        client, scoring_open, forwarded, expert_record, expert, commission_staff):
    pending = assign(scoring_open, forwarded[0].center.application, expert_record,
                     commission_staff, committed=False)
    client.force_login(expert)
    text = client.get(reverse("experts:assignment", args=[pending.pk])).content.decode()
    assert forwarded[0].center.name in text and "运行评价" in text
    assert "查看评价材料" in text
    assert "申报编号" not in text and "申报单位" not in text and "申报材料" not in text
