"""The yearly evaluation in the commission's admin; each part's admin module is imported here."""

from . import admin_materials  # noqa: F401,E402  (B: materials, 初审, forwardings)
