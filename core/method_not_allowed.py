"""The portal's page for a button's address opened as a page.

Actions (提交申报, 撤回申报, 立即申报, 删除附件 …) accept POST only. Their address is still reached
with GET: a bookmark, a reload, or the login page's `next` after the session ended while the
user pressed the button. Django answers such a GET with an empty 405, which the browser shows
as its own English error page; this middleware gives it the portal's Chinese page instead.
"""

from django.http import HttpResponseNotAllowed
from django.shortcuts import render


class MethodNotAllowedPageMiddleware:
    """Replaces the empty body of a 405 answered to GET/HEAD with `405.html` (status and
    `Allow` header kept). Other methods and non-empty 405 responses pass unchanged."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (isinstance(response, HttpResponseNotAllowed) and not response.content
                and request.method in ("GET", "HEAD")):
            page = render(request, "405.html", status=405)
            page["Allow"] = response["Allow"]
            return page
        return response
