"""Cells of an uploaded Excel workbook as our imports read them (the expert roster, the
centers' service records): one reading of text and dates for every import."""

import datetime
import re

_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def cell_text(value) -> str:
    """A cell as stripped text: "" for an empty cell, 12 (not "12.0") for a whole number
    Excel stored as a float."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_date(value) -> datetime.date | None:
    """A cell as a date: an Excel date, or text such as 2026-03-15, 2026/3/15, 2026年3月15日.
    None for an empty cell; raises ValueError when it is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _DATE_TEXT.match(cell_text(value))
    if not match:
        raise ValueError
    return datetime.date(*(int(g) for g in match.groups()))
