"""The portal's own pages for two refusals Django answers bare: a form whose security token is
outdated (CSRF) and an address opened with a method it does not take (405)."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """`CSRF_FAILURE_VIEW`: the form was opened before a login or logout elsewhere, or too long
    ago. Django's reason is English and technical, so it is not shown."""
    return render(request, "errors/csrf_failure.html", status=403)


class MethodNotAllowedPageMiddleware:
    """Replaces the empty body of a 405 (`require_POST` and the like) with a Chinese page: the
    address is one a button on a page sends, not one to open. The `Allow` header is kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = render(request, "errors/405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response
