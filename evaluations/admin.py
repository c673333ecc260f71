"""The evaluation in the commission's admin; each part's admin module is imported here."""

# --- C: expert scoring and the invited authorities' opinions ---
from . import admin_scoring  # noqa: E402,F401
