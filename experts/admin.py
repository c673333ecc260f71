"""The commission's admin of the expert review (第四条、第九条（三）), one module per part:
the roster (admin_roster), conflicts and assignments (admin_assignments), sheets and site visits
(admin_sheets), rounds, results and the proposed list (admin_rounds)."""

from . import admin_assignments, admin_rounds, admin_roster, admin_sheets  # noqa: F401
