"""The public page of policy documents (第二十条): current, upcoming and expired versions and
the calls run under each. Thin: the grouping is `applications.policies`."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .policies import policies_by_validity


@require_GET
def policy_list(request):
    """政策文件, for anyone: 现行有效, 即将施行, 已失效 as of today (Beijing)."""
    today = timezone.localdate()
    return render(request, "applications/policy_list.html",
                  {"groups": policies_by_validity(today), "today": today})
