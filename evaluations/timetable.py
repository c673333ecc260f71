"""The year's timetable on the home page: the yearly evaluation's dates (第十六至十八条) of the
cycles the commission has opened (a cycle in preparation is not shown)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from applications.timetable import TimetableItem

from .enums import CycleStatus
from .models import EvaluationCycle


def timetable_cycles(year: int) -> list[TimetableItem]:
    """The opened cycles' dates falling in `year` (Beijing time): the centers' materials due
    (第十八条), the 主管部门's 初审 due, and the publication of the results (with a link to
    them). One query."""
    cycles = (EvaluationCycle.objects.exclude(status=CycleStatus.DRAFT)
              .filter(Q(materials_due__year=year) | Q(district_due__year=year)
                      | Q(published_at__year=year))
              .order_by().only("pk", "year", "title", "materials_due", "district_due", "status",
                               "published_at"))
    items = []
    for cycle in cycles:
        published = cycle.status == CycleStatus.PUBLISHED
        url = reverse("evaluations:results_cycle", args=[cycle.year]) if published else ""
        moments = [(cycle.materials_due, "赋能中心评价材料报送截止"),
                   (cycle.district_due, "主管部门初审意见报送截止")]
        if published and cycle.published_at is not None:
            moments.append((cycle.published_at, "公布评价结果"))
        for at, title in moments:
            local = timezone.localtime(at)
            if local.year == year:
                items.append(TimetableItem(on=local.date(), at=at, kind="年度评价", title=title,
                                           subject=cycle.title, url=url))
    return items
