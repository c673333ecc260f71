"""What the public reads of the notices (第九条（四）): published ones only, never a draft."""

from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from .enums import NoticeStatus
from .models import PublicNotice

PAGE_SIZE = 20
LIST_COLUMNS = ("pk", "title", "starts_on", "ends_on", "issued_on", "issuer", "status")


def public_notices():
    """Published and closed notices, newest period first (index notice_status_order)."""
    return (PublicNotice.objects.filter(status__in=(NoticeStatus.PUBLISHED, NoticeStatus.CLOSED,
                                              NoticeStatus.FINALISED))
            .order_by("-starts_on", "-id"))


# More notices than this in their period at once is not a thing a city publishes.
CURRENT_LIMIT = 10


def current_public_notices(today=None) -> list[PublicNotice]:
    """The notices in their period today (Beijing), at most CURRENT_LIMIT; one query."""
    today = today or timezone.localdate()
    return list(public_notices().filter(status=NoticeStatus.PUBLISHED, starts_on__lte=today,
                                        ends_on__gte=today).only(*LIST_COLUMNS)[:CURRENT_LIMIT])


def public_notice_pages(page_number, today=None) -> dict:
    """The public list: `current` (in their period today, Beijing) and a page of the others
    (PAGE_SIZE a page). Two queries and a count."""
    current = current_public_notices(today)
    past = public_notices().exclude(pk__in=[n.pk for n in current]).only(*LIST_COLUMNS)
    return {"current": current, "page": Paginator(past, PAGE_SIZE).get_page(page_number)}


def public_notice_get(pk: int) -> PublicNotice:
    """A published (or closed) notice with its entries; Http404 for a draft or none."""
    try:
        return public_notices().prefetch_related("entries").get(pk=pk)
    except PublicNotice.DoesNotExist:
        raise Http404("没有找到该公示。") from None


# The applicant's dashboard shows at most this many questions waiting for an answer.
OPEN_EXPLANATIONS_SHOWN = 5


def open_explanations_for_applicant(user) -> list[dict]:
    """情况说明 the commission asked of the user's units and nobody has answered while the
    objection is undecided, oldest first, at most OPEN_EXPLANATIONS_SHOWN: [{"application_id",
    "center_name", "asked_at"}]. The question's objection is not read (its objector stays
    the commission's). One query."""
    from accounts.selectors import user_organisation_ids

    from .models import ExplanationRequest

    organisations = user_organisation_ids(user)
    if not organisations:
        return []
    return list(ExplanationRequest.objects.filter(
        application__organisation_id__in=organisations, answered_at__isnull=True,
        objection__decided_at__isnull=True).order_by("asked_at", "id")
        .values("application_id", "asked_at", center_name=F("application__center_name"))
        [:OPEN_EXPLANATIONS_SHOWN])
