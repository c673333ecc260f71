"""core.forms.posted_version and score_row_values: the autosaved score forms' shared reading."""

from decimal import Decimal
from types import SimpleNamespace

from core.forms import posted_version, score_row_values


def test_posted_version_reads_an_int_and_refuses_anything_else():
    assert posted_version({"version": "7"}) == 7
    assert posted_version({"version": "x"}) == -1
    assert posted_version({}) == -1


def test_typed_values_win_over_the_stored_score():
    stored = SimpleNamespace(value=Decimal("8.50"), note="存")
    assert score_row_values(stored, {"value": "9", "note": "打"}, "note") == ("9", "打")


def test_the_stored_score_is_shown_without_trailing_zeros():
    assert score_row_values(SimpleNamespace(value=Decimal("8.50"), comment="好"), None,
                            "comment") == ("8.5", "好")
    assert score_row_values(SimpleNamespace(value=Decimal("10.00"), comment=""), None,
                            "comment") == ("10", "")
    assert score_row_values(SimpleNamespace(value=None, comment="未打分"), None,
                            "comment") == ("", "未打分")
    assert score_row_values(None, None, "comment") == ("", "")
