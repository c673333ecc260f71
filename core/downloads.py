"""Private downloads: files served from media behind a permission check.

Browsers and proxies must not keep a copy of a file only its readers may see (a shared office
computer, a caching proxy): every such response says `Cache-Control: private, no-store`.
"""

from functools import wraps

PRIVATE_CACHE_CONTROL = "private, no-store"


def private_response(response):
    """Marks `response` as not to be stored by any cache; returns it."""
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    response.headers.pop("Expires", None)
    return response


def private_download(view):
    """Decorator for views serving a file behind a permission check (attachments, PDFs,
    exports, business licences): the answer carries `Cache-Control: private, no-store`,
    refusals and redirects included."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return private_response(view(request, *args, **kwargs))

    wrapped.private_download = True  # the test of every file-serving view looks for this
    return wrapped
