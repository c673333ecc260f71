"""The year's timetable on the home page (第十五条 publicity): the dates of the published calls,
and `TimetableItem`, the shape every app's `timetable_*` selector returns (centers and
evaluations import it from here: a later stage reads an earlier one)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .enums import CallStatus
from .models import Call


@dataclass(frozen=True)
class TimetableItem:
    """One dated item of the timetable.

    `on`: the Beijing date it falls on (for a period, its first day); `at`: the moment when the
    item has a time of day (a call's window, a materials deadline), else None; `until`: the last
    day of a period (a notice's 公示期), else None; `kind`: what it belongs to (申报通知, 公示,
    年度评价), `title`: what happens, `subject`: the record's own title, `url`: its public page
    ("" when it has none)."""

    on: datetime.date
    kind: str
    title: str
    subject: str
    url: str = ""
    at: datetime.datetime | None = None
    until: datetime.date | None = None

    def is_past(self, now: datetime.datetime) -> bool:
        """Over at `now`: a moment passed, a day (or a period's last day) before today."""
        if self.until is not None:
            return self.until < timezone.localdate(now)
        if self.at is not None:
            return self.at <= now
        return self.on < timezone.localdate(now)

    @property
    def sort_key(self) -> tuple:
        moment = timezone.localtime(self.at).time() if self.at is not None else datetime.time.min
        return (self.on, moment, self.kind, self.title)


def timetable_calls(year: int) -> list[TimetableItem]:
    """The published (or since closed) calls' dates falling in `year` (Beijing time): opening,
    closing (第五条) and the 主管部门's deadline to send its recommendations (第八条). Drafts are
    never shown: the home page is public. One query."""
    calls = (Call.objects.filter(status__in=[CallStatus.PUBLISHED, CallStatus.CLOSED])
             .filter(Q(opens_at__year=year) | Q(closes_at__year=year)
                     | Q(district_review_deadline__year=year))
             .order_by().only("pk", "title", "opens_at", "closes_at", "district_review_deadline"))
    items = []
    for call in calls:
        url = reverse("applications:call_detail", args=[call.pk])
        for at, title in ((call.opens_at, "开始受理申报"), (call.closes_at, "申报受理截止")):
            local = timezone.localtime(at)
            if local.year == year:
                items.append(TimetableItem(on=local.date(), at=at, kind="申报通知", title=title,
                                           subject=call.title, url=url))
        if call.district_review_deadline.year == year:
            items.append(TimetableItem(on=call.district_review_deadline, kind="申报通知",
                                       title="主管部门初审推荐报送截止", subject=call.title, url=url))
    return items
