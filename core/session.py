"""Keeping a session alive from a page the user is working on.

Sessions end after `SESSION_COOKIE_AGE` seconds without a request. A page where people write
for a long time (the application steps) warns a few minutes before that and offers to stay
signed in: the button posts here, and the request itself moves the expiry on
(`SESSION_SAVE_EVERY_REQUEST`; this view writes it even within core.session_store's slack).
"""

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_POST


@require_POST
def session_keepalive(request):
    """200 with the seconds the session now has left; 401 when it has already ended."""
    if not request.user.is_authenticated:
        return JsonResponse({"expired": True, "message": "登录已超时，请重新登录。"}, status=401)
    request.session.modified = True
    return JsonResponse({"expires_in": settings.SESSION_COOKIE_AGE})
