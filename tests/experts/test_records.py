"""The committee's records normalise what conflicts compare; the default rubric sums to 100."""

from decimal import Decimal

from experts.rubrics import DEFAULT_RUBRIC, weights_problem

from .conftest import make_expert


def test_employer_is_normalised_for_exact_matching(db):
    expert = make_expert(employer_name="青岛海川 咨询有限公司 ", employer_uscc="９１３７０２")
    assert expert.employer_key == "青岛海川咨询有限公司"
    assert expert.employer_uscc == "913702"


def test_default_rubric_weights_sum_to_100(review_round):
    assert weights_problem(w for *_, w in DEFAULT_RUBRIC) == ""
    assert sum(c.weight for c in review_round.criteria.all()) == Decimal("100")
    assert weights_problem([50, 40]) == "各评分项权重之和须为100，当前为90。"
