"""The yearly evaluation and revocation in the commission's admin."""

from . import admin_revocations  # noqa: E402,F401  (撤销资格, 第十七条: notify, revoke, drop)
