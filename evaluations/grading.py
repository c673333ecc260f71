"""The grade of a weighted total under an indicator table (第十七条: 优秀、良好、合格、不合格)."""

from decimal import Decimal

from .enums import Grade


def grade_for(score: Decimal | None, table, hard_rules_hit=()) -> str:
    """The grade (enums.Grade value) of `score`, a weighted total on 0–100 (Decimal, two
    places), under `table`'s thresholds: at or above `excellent_from` 优秀, `good_from` 良好,
    `pass_from` 合格, else 不合格. Any of `hard_rules_hit` that the table lists forces 不合格
    whatever the score. Without a score and without a hard rule there is no grade yet ("")."""
    if any(rule in (table.hard_rules or []) for rule in hard_rules_hit):
        return Grade.FAIL
    if score is None:
        return ""
    if score >= table.excellent_from:
        return Grade.EXCELLENT
    if score >= table.good_from:
        return Grade.GOOD
    if score >= table.pass_from:
        return Grade.PASS
    return Grade.FAIL
