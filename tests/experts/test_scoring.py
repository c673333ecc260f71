"""Aggregation on worked examples (第九条（三）): one place, Decimal, two places half up."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from experts.enums import Aggregation, AssignmentStatus, RoundStatus, SheetStatus
from experts.models import ReviewRound
from experts.scoring import (
    aggregate,
    competition_ranks,
    disagreement,
    round_results_compute,
    round_results_differences,
    sheet_total,
)

from .results_helpers import sheet_for


def _criterion(pk, max_score, weight, name="项"):
    return SimpleNamespace(pk=pk, max_score=D(max_score), weight=D(weight), name=name)


def test_sheet_total_weights_each_score_by_its_maximum():
    criteria = [_criterion(1, 10, 30), _criterion(2, 20, 50), _criterion(3, 5, 20)]
    # 8/10×30 + 15/20×50 + 4/5×20 = 24 + 37.5 + 16 = 77.50
    assert sheet_total({1: D("8"), 2: D("15"), 3: D("4")}, criteria) == D("77.50")


def test_sheet_total_rounds_once_half_up():
    criteria = [_criterion(1, 3, 50), _criterion(2, 3, 50)]
    # 1/3×50 + 1/3×50 = 33.333… → 33.33; 2/3×50 + 0.5/3×50 = 41.666… → 41.67
    assert sheet_total({1: D("1"), 2: D("1")}, criteria) == D("33.33")
    assert sheet_total({1: D("2"), 2: D("0.5")}, criteria) == D("41.67")
    # 0.125 exactly → 0.13 (half up, not half even)
    assert sheet_total({1: D("0.0075")}, [_criterion(1, 3, 50)]) == D("0.13")


def test_sheet_total_refuses_an_unscored_criterion():
    from experts.scoring import ScoringError

    with pytest.raises(ScoringError):
        sheet_total({1: D("8")}, [_criterion(1, 10, 50), _criterion(2, 10, 50)])


def test_mean():
    assert aggregate([D("80"), D("85"), D("91")], Aggregation.MEAN) == D("85.33")


def test_trimmed_mean_with_five_sheets_drops_one_highest_and_one_lowest():
    totals = [D("60"), D("80"), D("82"), D("84"), D("99")]
    assert aggregate(totals, Aggregation.TRIMMED_MEAN) == D("82.00")
    assert aggregate(totals, Aggregation.MEAN) == D("81.00")


def test_trimmed_mean_with_fewer_than_five_is_the_mean():
    assert aggregate([D("60"), D("80"), D("82"), D("99")], Aggregation.TRIMMED_MEAN) == D("80.25")


def test_median_odd_and_even():
    assert aggregate([D("70"), D("95"), D("80")], Aggregation.MEDIAN) == D("80.00")
    assert aggregate([D("70"), D("95"), D("80"), D("81.25")], Aggregation.MEDIAN) == D("80.63")


def test_no_sheet_no_aggregate():
    assert aggregate([], Aggregation.MEAN) is None


def test_ranks_share_on_ties_and_skip():
    assert competition_ranks({"a": D("90"), "b": D("85"), "c": D("85"), "d": D("80"),
                              "e": None}) == {"a": 1, "b": 2, "c": 2, "d": 4, "e": None}


def test_disagreement_spread_reaches_threshold():
    assert "分歧阈值" in disagreement([D("70"), D("85")], D("15"))
    assert disagreement([D("70.01"), D("85")], D("15")) == ""


def test_disagreement_outlier_leave_one_out():
    # Others 80, 81, 82: mean 81, sample sd 1; 84.5 is 3.5 > 2 away → flagged.
    assert "两倍标准差" in disagreement([D("80"), D("81"), D("82"), D("84.5")], D("50"))
    # 70: the others 80, 90, 100 have mean 90 and sample sd 10; 70 is exactly 2 sd away,
    # which does not exceed it (likewise 100) → not flagged.
    assert disagreement([D("70"), D("80"), D("90"), D("100")], D("50")) == ""
    # Only two others: the outlier rule does not apply.
    assert disagreement([D("80"), D("81"), D("95")], D("50")) == ""


def _close(round_):
    ReviewRound.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED)
    round_.refresh_from_db()


@pytest.mark.django_db
def test_eighty_ninety_and_a_recusal_give_85(review_round, expert_review_apps):
    app = expert_review_apps[0]
    sheet_for(review_round, app, total=80)
    sheet_for(review_round, app, total=90)
    sheet_for(review_round, app, total=10, assignment_status=AssignmentStatus.RECUSED)
    _close(review_round)
    round_results_compute(round=review_round)
    entry = review_round.entries.get(application=app)
    assert entry.aggregate == D("85.00")
    assert entry.sheet_count == 2
    # Fewer than five sheets: the trimmed mean is the mean, stored as the method applied.
    assert entry.method == Aggregation.MEAN


@pytest.mark.django_db
def test_drafts_and_unscored_sheets_are_left_out_not_zero(review_round, expert_review_apps):
    app = expert_review_apps[0]
    sheet_for(review_round, app, total=80)
    sheet_for(review_round, app, total=20, status=SheetStatus.DRAFT)
    criteria_count = review_round.criteria.count()
    sheet_for(review_round, app, values=[None] * criteria_count)
    _close(review_round)
    round_results_compute(round=review_round)
    entry = review_round.entries.get(application=app)
    assert (entry.aggregate, entry.sheet_count) == (D("80.00"), 1)


@pytest.mark.django_db
def test_compute_stores_ranks_flags_and_reproduces(review_round, expert_review_apps):
    a, b, c = expert_review_apps
    for total in (80, 90, 85):
        sheet_for(review_round, a, total=total)
    for total in (85, 85, 85):
        sheet_for(review_round, b, total=total)
    for total in (60, 95):
        sheet_for(review_round, c, total=total)
    _close(review_round)
    round_results_compute(round=review_round)
    entries = {e.application_id: e for e in review_round.entries.all()}
    assert entries[a.pk].aggregate == entries[b.pk].aggregate == D("85.00")
    assert entries[a.pk].rank_in_call == entries[b.pk].rank_in_call == 1
    assert entries[c.pk].rank_in_call == 3 and entries[c.pk].aggregate == D("77.50")
    assert entries[c.pk].flagged and not entries[a.pk].flagged
    assert round_results_differences(round=review_round) == []
    before = list(review_round.entries.order_by("pk").values(
        "aggregate", "method", "sheet_count", "flagged", "flag_reason", "rank_in_call",
        "rank_in_field"))
    round_results_compute(round=review_round)
    after = list(review_round.entries.order_by("pk").values(
        "aggregate", "method", "sheet_count", "flagged", "flag_reason", "rank_in_call",
        "rank_in_field"))
    assert before == after
    # A later change of a sheet shows as a difference until computed again.
    sheet_for(review_round, a, total=10)
    assert round_results_differences(round=review_round)


@pytest.mark.django_db
def test_ranks_in_field(review_round, expert_review_apps):
    from applications.models import IndustryField

    a, b, c = expert_review_apps
    other = IndustryField.objects.exclude(pk=a.industry_field_id).first()
    type(c).objects.filter(pk=c.pk).update(industry_field=other)
    type(a).objects.filter(pk__in=[a.pk, b.pk]).update(industry_field=a.industry_field)
    sheet_for(review_round, a, total=70)
    sheet_for(review_round, b, total=80)
    sheet_for(review_round, c, total=75)
    _close(review_round)
    round_results_compute(round=review_round)
    entries = {e.application_id: e for e in review_round.entries.all()}
    assert [entries[x.pk].rank_in_call for x in (a, b, c)] == [3, 1, 2]
    assert [entries[x.pk].rank_in_field for x in (a, b, c)] == [2, 1, 1]


@pytest.mark.django_db
def test_compute_refused_before_close(review_round):
    from experts.scoring import ScoringError

    with pytest.raises(ScoringError):
        round_results_compute(round=review_round)


def test_the_stored_method_is_the_one_applied():
    """A trimmed mean of fewer than five sheets is the mean, and the result says so."""
    from experts.enums import Aggregation
    from experts.scoring import method_used

    assert method_used(Aggregation.TRIMMED_MEAN, 4) == Aggregation.MEAN
    assert method_used(Aggregation.TRIMMED_MEAN, 5) == Aggregation.TRIMMED_MEAN
    assert method_used(Aggregation.MEDIAN, 2) == Aggregation.MEDIAN
