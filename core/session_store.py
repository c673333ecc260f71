"""The session engine (`SESSION_ENGINE`): Django's database sessions, whose idle expiry moves
on with each request (`SESSION_SAVE_EVERY_REQUEST`) but written at most once in a
thirtieth of `SESSION_COOKIE_AGE` (one minute of the thirty).

Writing the session back on every request cost every signed-in page a transaction (BEGIN,
UPDATE, COMMIT): three of its 10–16 queries and the only write of a page that reads. A
session is still written whenever its data changed, when it is new, and when its stored
expiry has fallen more than the slack behind; so a session ends between 29 and 30 idle
minutes after the last request, never later. The keep-alive button (core/session.py) always
writes.
"""

from django.contrib.sessions.backends import db
from django.utils import timezone

# The expiry may lag by at most this share of the session's age.
EXPIRY_SLACK_FRACTION = 30


class SessionStore(db.SessionStore):
    """Database sessions that skip a write which would only move the expiry by less than
    the slack (see the module docstring)."""

    _stored_expiry = None

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

    def save(self, must_create=False):
        if self.session_key is not None and not must_create:
            self._get_session()  # loads the stored expiry with the data
            if not self.modified and self._expiry_recent():
                return
        super().save(must_create=must_create)
        self._stored_expiry = None
