"""年度工作日程 on the home page (第十五条 宣传): the current year's calls, district deadlines,
public notices and evaluation dates, taken from the records themselves (published ones only:
the page is public), ordered by date, the past ones marked. Three queries, one per source."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from applications.timetable import TimetableItem, timetable_calls
from centers.timetable import timetable_notices
from evaluations.timetable import timetable_cycles


@dataclass(frozen=True)
class TimetableEntry:
    """An item with its state at the time the page was drawn."""

    item: TimetableItem
    past: bool


def year_timetable(now: datetime.datetime | None = None) -> dict:
    """{"year": the Beijing year of `now` (default: now), "entries": every TimetableEntry of
    that year ordered by date and time, "upcoming": how many are not past}."""
    now = now or timezone.now()
    year = timezone.localtime(now).year
    items = timetable_calls(year) + timetable_notices(year) + timetable_cycles(year)
    entries = [TimetableEntry(item=item, past=item.is_past(now))
               for item in sorted(items, key=lambda i: i.sort_key)]
    return {"year": year, "entries": entries,
            "upcoming": sum(1 for entry in entries if not entry.past)}
