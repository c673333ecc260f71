"""Who is signed in, read from the cache instead of two queries on every request.

Every signed-in page read the user's row and their role assignments (with their units and
departments): two of a list page's 6–15 queries. `AuthenticationMiddleware` (in place of
Django's) keeps both in Django's cache (Redis in service) under the user's id, together with
the generations they were read under (core.caching): `user:<id>`, moved on by every save or
delete of the user and of their role assignments, and `user-scopes`, moved on by every save
or delete of a unit or department (the assignments carry them). A kept entry is used only
while both generations are the current ones, so a role given or taken, a password changed
(the session's hash no longer matches: signed out) or an account disabled applies on the
next request; a read that raced a change keeps its entry under the old generation, which no
one reads again.

Redis down: the rows are read from the database as before, never an error. Everything else
Django's `auth.get_user` does (the backend stored in the session, the session's hash, the
fallback secrets, `is_active`) is done here exactly the same way.
"""

from functools import partial

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, load_backend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoMiddleware
from django.contrib.auth.middleware import auser
from django.contrib.auth.models import AnonymousUser
from django.db.models.signals import post_delete, post_save
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from core.caching import MISSING, generation_bump, generations_and_value, keep

SCOPES = "user-scopes"
# A kept entry is read again from the database at least this often (seconds).
KEEP_SECONDS = 3600


def user_generation_name(user_id) -> str:
    return f"user:{user_id}"


def _entry_key(user_id) -> str:
    return f"signed-in-user:{user_id}"


def load_user(user_id):
    """The active user `user_id` with their role assignments loaded (as
    `accounts.selectors.user_role_assignments` keeps them), from the cache when the entry is
    current, else from the database (two queries) and kept. None when no such user."""
    from .models import RoleAssignment, User

    generations, kept = generations_and_value(
        [user_generation_name(user_id), SCOPES], _entry_key(user_id))
    if kept is not MISSING and kept is not None and kept[0] == generations:
        user, assignments = kept[1], kept[2]
    else:
        try:
            user = User._default_manager.get(pk=user_id)
        except User.DoesNotExist:
            return None
        assignments = list(RoleAssignment.objects.filter(user=user)
                           .select_related("organisation", "department"))
        keep(_entry_key(user_id), (generations, user, assignments), KEEP_SECONDS)
    user._role_assignments_cache = assignments
    return user


def _backend_user(backend, user_id):
    if type(backend).get_user is ModelBackend.get_user:
        user = load_user(user_id)
        return user if user is not None and backend.user_can_authenticate(user) else None
    return backend.get_user(user_id)


def get_user(request):
    """Django's `auth.get_user`, loading the user through `load_user`."""
    user = None
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        pass
    else:
        if backend_path in settings.AUTHENTICATION_BACKENDS:
            user = _backend_user(load_backend(backend_path), user_id)
            if hasattr(user, "get_session_auth_hash"):
                session_hash = request.session.get(HASH_SESSION_KEY)
                if not session_hash:
                    verified = False
                else:
                    session_auth_hash = user.get_session_auth_hash()
                    verified = constant_time_compare(session_hash, session_auth_hash)
                if not verified:
                    if session_hash and any(
                        constant_time_compare(session_hash, fallback)
                        for fallback in user.get_session_auth_fallback_hash()
                    ):
                        request.session.cycle_key()
                        request.session[HASH_SESSION_KEY] = session_auth_hash
                    else:
                        request.session.flush()
                        user = None
    return user or AnonymousUser()


def _request_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)
    return request._cached_user


class AuthenticationMiddleware(DjangoMiddleware):
    """Django's authentication middleware with the user read through `load_user`."""

    def process_request(self, request):
        super().process_request(request)  # the checks, and `request.auser`
        request.user = SimpleLazyObject(lambda: _request_user(request))
        request.auser = partial(auser, request)


# --- what moves the generations on ----------------------------------------------------------

def _user_changed(sender, instance, **kwargs):
    generation_bump(user_generation_name(instance.pk))


def _assignment_changed(sender, instance, **kwargs):
    generation_bump(user_generation_name(instance.user_id))


def _scope_changed(sender, **kwargs):
    generation_bump(SCOPES)


def connect_signals() -> None:
    """Called from AccountsConfig.ready: saves and deletes (queryset deletes and cascades
    included) move the generations on. A queryset `update()` of these models must call
    `user_changed(pk)` or `scopes_changed()` itself."""
    from .models import Department, Organisation, RoleAssignment, User

    for signal in (post_save, post_delete):
        name = signal is post_save and "save" or "delete"
        signal.connect(_user_changed, sender=User, dispatch_uid=f"signed-in-user:{name}")
        signal.connect(_assignment_changed, sender=RoleAssignment,
                       dispatch_uid=f"signed-in-assignment:{name}")
        for model in (Organisation, Department):
            signal.connect(_scope_changed, sender=model,
                           dispatch_uid=f"signed-in-scope:{model.__name__}:{name}")


def user_changed(user_id) -> None:
    """The user's kept entry is no longer read (after a queryset update of their row or
    their role assignments)."""
    generation_bump(user_generation_name(user_id))


def scopes_changed() -> None:
    """Every kept entry is no longer read (after a queryset update of units or
    departments)."""
    generation_bump(SCOPES)
