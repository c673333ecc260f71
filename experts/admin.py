"""The commission's admin of the expert review (第四条、第九条（三）), one module per part:
the roster (admin_roster), conflicts and assignments (admin_assignments), sheets and site visits
(admin_sheets), rounds, results and the proposed list (admin_rounds), 回避申请 and conflict
rulings (admin_avoidance)."""

from . import (  # noqa: F401
    admin_assignments,
    admin_avoidance,
    admin_rounds,
    admin_roster,
    admin_sheets,
)
