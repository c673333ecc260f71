"""The year's timetable on the home page: the public notices' periods (第九条（四）) and the
designation announcements, as the public pages show them."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from applications.timetable import TimetableItem

from .enums import NoticeStatus
from .models import PublicNotice

# What the public may read of a notice (a draft never).
PUBLIC_NOTICE_STATUSES = (NoticeStatus.PUBLISHED, NoticeStatus.CLOSED, NoticeStatus.FINALISED)


def timetable_notices(year: int) -> list[TimetableItem]:
    """The 公示期 of the published notices touching `year` (one item each, from its first to its
    last day) and the 认定公告 of the notices finalised in `year`. One query."""
    notices = (PublicNotice.objects.filter(status__in=PUBLIC_NOTICE_STATUSES)
               .filter(Q(starts_on__year=year) | Q(ends_on__year=year)
                       | Q(finalised_at__year=year))
               .order_by().only("pk", "title", "starts_on", "ends_on", "status", "finalised_at"))
    items = []
    for notice in notices:
        if notice.starts_on.year == year or notice.ends_on.year == year:
            items.append(TimetableItem(
                on=notice.starts_on, until=notice.ends_on, kind="公示", title="公示期",
                subject=notice.title, url=reverse("centers:notice_detail", args=[notice.pk])))
        if notice.status == NoticeStatus.FINALISED and notice.finalised_at is not None:
            local = timezone.localtime(notice.finalised_at)
            if local.year == year:
                items.append(TimetableItem(
                    on=local.date(), at=notice.finalised_at, kind="公示", title="发布认定公告",
                    subject=notice.title,
                    url=reverse("centers:announcement", args=[notice.pk])))
    return items
