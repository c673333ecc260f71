"""The public notice pages (第九条（四）): readable without login, printable."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import selectors
from .notices import notice_is_open


@require_GET
def notice_list(request):
    """公示公告: the notices in their period now, and the past ones (paginated)."""
    return render(request, "centers/notice_list.html",
                  selectors.public_notice_pages(request.GET.get("page")))


@require_GET
def notice_detail(request, pk):
    """One notice as published, with its list; a draft is not found."""
    notice = selectors.public_notice_get(pk)
    return render(request, "centers/notice_detail.html", {
        "notice": notice, "entries": notice.entries.all(),
        "is_open": notice_is_open(notice), "now": timezone.now()})
