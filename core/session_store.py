"""The session engine (`SESSION_ENGINE`): Django's database sessions, kept in the cache as
well (Django's `cached_db`), whose idle expiry moves on with each request
(`SESSION_SAVE_EVERY_REQUEST`) but is written at most once in a thirtieth of
`SESSION_COOKIE_AGE` (one minute of the thirty).

Reading the session was a query on every signed-in page, and writing it back a transaction
(BEGIN, UPDATE, COMMIT). Now a session is read from the cache (the data with the expiry the
database holds) and from the database only when the cache has no entry; it is written (to
the database, then the cache) whenever its data changed, when it is new, and when its stored
expiry has fallen more than the slack behind; so a session ends between 29 and 30 idle
minutes after the last request, never later. The keep-alive button (core/session.py) always
writes. The cache entry expires with the session.

Redis down: the session is read from and written to the database alone, never an error. A
cache write or delete that failed (a session changed, ended or signed out while Redis was
unreachable) could leave an entry that Redis still holds when it comes back; the process
that saw the failure therefore moves the sessions' generation on at its next successful
cache call, and every entry kept before is read again from the database. Deleting a session
row (`Session.objects.….delete()`, the sweep of expired sessions) removes its cache entry too.
"""

import secrets

from django.conf import settings
from django.contrib.sessions.backends import db
from django.core.cache import caches
from django.utils import timezone

# The expiry may lag by at most this share of the session's age.
EXPIRY_SLACK_FRACTION = 30
KEY_PREFIX = "session:"
GENERATION_KEY = "session-generation"


class _CacheState:
    """Whether a session cache write or delete of this process failed since the sessions'
    generation last moved on."""

    failed = False


def _cache():
    return caches[settings.SESSION_CACHE_ALIAS]


def _new_generation(cache) -> str:
    value = secrets.token_hex(6)
    cache.set(GENERATION_KEY, value, timeout=None)
    _CacheState.failed = False
    return value


def forget_cached(session_keys) -> None:
    """Removes the cache entries of `session_keys` (after their rows were deleted)."""
    keys = [KEY_PREFIX + key for key in session_keys if key]
    if not keys:
        return
    try:
        _cache().delete_many(keys)
    except Exception:  # noqa: BLE001 — Redis down must never fail the request
        _CacheState.failed = True


class SessionStore(db.SessionStore):
    """Database sessions kept in the cache, skipping a write which would only move the
    expiry by less than the slack (see the module docstring)."""

    _stored_expiry = None
    _written_expiry = None

    def _cache_read(self):
        """(data, expiry) kept for this session and the current generation, or None."""
        if not self.session_key:
            return None, None
        cache = _cache()
        try:
            found = cache.get_many([GENERATION_KEY, KEY_PREFIX + self.session_key])
            generation = found.get(GENERATION_KEY)
            if generation is None or _CacheState.failed:
                return None, _new_generation(cache)
        except Exception:  # noqa: BLE001 — Redis down must never fail the request
            _CacheState.failed = True
            return None, None
        kept = found.get(KEY_PREFIX + self.session_key)
        if kept is not None and kept[0] == generation:
            return kept, generation
        return None, generation

    def _cache_write(self, data, expiry, generation=None):
        if expiry is None or not self.session_key:
            return
        seconds = int((expiry - timezone.now()).total_seconds())
        if seconds <= 0:
            return
        cache = _cache()
        try:
            if generation is None:
                generation = cache.get(GENERATION_KEY)
                if generation is None or _CacheState.failed:
                    generation = _new_generation(cache)
            cache.set(KEY_PREFIX + self.session_key, (generation, data, expiry), seconds)
        except Exception:  # noqa: BLE001 — Redis down must never fail the request
            _CacheState.failed = True

    def load(self):
        kept, generation = self._cache_read()
        if kept is not None:
            _, data, expiry = kept
            if expiry > timezone.now():
                self._stored_expiry = expiry
                return data
        stored = self._get_session_from_db()
        if stored is None:
            return {}
        self._stored_expiry = stored.expire_date
        data = self.decode(stored.session_data)
        if generation is not None:
            self._cache_write(data, stored.expire_date, generation)
        return data

    def _get_session_from_db(self):
        stored = super()._get_session_from_db()
        self._stored_expiry = stored.expire_date if stored is not None else None
        return stored

    def _expiry_recent(self) -> bool:
        if self._stored_expiry is None:
            return False
        age = self.get_expiry_age()
        left = (self._stored_expiry - timezone.now()).total_seconds()
        return left > age - age / EXPIRY_SLACK_FRACTION

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        self._written_expiry = instance.expire_date
        return instance

    def save(self, must_create=False):
        if self.session_key is not None and not must_create:
            self._get_session()  # loads the stored expiry with the data
            if not self.modified and self._expiry_recent():
                return
        self._written_expiry = None
        super().save(must_create=must_create)
        self._stored_expiry = None
        self._cache_write(self._session, self._written_expiry)

    def delete(self, session_key=None):
        key = session_key if session_key is not None else self.session_key
        super().delete(session_key)
        forget_cached([key])


def _session_rows_deleted(sender, **kwargs):
    """post_delete of Session rows: their cache entries go too, so a session ended by
    deleting its row (an administrator, a test) ends at once."""
    instance = kwargs.get("instance")
    # An expired session's entry has left the cache by itself (the sweep of expired rows).
    if instance is not None and instance.expire_date > timezone.now():
        forget_cached([instance.session_key])


def connect_signals() -> None:
    """Called from CoreConfig.ready."""
    from django.contrib.sessions.models import Session
    from django.db.models.signals import post_delete

    post_delete.connect(_session_rows_deleted, sender=Session,
                        dispatch_uid="core.session_store.forget")
