"""Expert scoring of an evaluation cycle through the expert-review machinery (第十七条:
委托第三方机构). Placeholder until the cycle's round exists."""


def round_for_cycle(*, cycle, actor):
    """The cycle's expert round (experts.ReviewRound, purpose 运行评价), made once."""
    return cycle.review_round


def cycle_scores(cycle) -> dict:
    """{Evaluation id: weighted expert total 0–100 (Decimal) or None}."""
    return {}
