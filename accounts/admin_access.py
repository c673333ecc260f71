"""What Django admin opens to commission staff, who are not superusers.

Admin flags never grant a portal act (`User.has_perm`): these model permissions let the
commission keep its reference data and read the records in admin. Status changes (publishing a
call, confirming a unit's route, re-routing a submission) are admin actions that call the
services, which check the role rules themselves.
"""

COMMISSION_ADMIN_GROUP = "市发展改革委工作人员"


def _all(app_label: str, model: str) -> list[str]:
    return [f"{app_label}.{verb}_{model}" for verb in ("add", "change", "delete", "view")]


def _read(app_label: str, model: str) -> list[str]:
    return [f"{app_label}.view_{model}"]


COMMISSION_ADMIN_PERMISSIONS = [
    # 第十七条: the indicator tables and cycles the commission sets up; the rest is read in admin
    # and changed only through admin actions that call the services.
    *_all("evaluations", "indicatortable"),
    *_all("evaluations", "indicator"),
    "evaluations.add_evaluationcycle", "evaluations.change_evaluationcycle",
    "evaluations.view_evaluationcycle",
    *_read("evaluations", "evaluation"),
    *_read("evaluations", "selfscore"),
    *_read("evaluations", "evaluationfile"),
    *_read("evaluations", "districtforwarding"),
    *_read("evaluations", "evaluationopinion"),
    *_read("evaluations", "bulletin"),
    *_read("evaluations", "revocation"),
    *_read("evaluations", "revocationfile"),
    # Reference data the commission keeps.
    *_all("applications", "call"),
    *_all("applications", "callmaterial"),
    *_all("applications", "policydocument"),
    *_all("applications", "industryfield"),
    *_all("core", "holidayoverride"),
    # A year's holiday schedule: entered from the State Council's notice and confirmed; a
    # confirmed year is not deleted (deadlines were counted with it).
    "core.add_workdayyear", "core.change_workdayyear", "core.view_workdayyear",
    *_all("accounts", "department"),
    *_all("accounts", "roleassignment"),
    # Accounts and units: opened and corrected, never deleted (their history must stay).
    "accounts.add_user", "accounts.change_user", "accounts.view_user",
    "accounts.add_organisation", "accounts.change_organisation", "accounts.view_organisation",
    # 第四条: the roster, kept by the secretariat; membership history changes only through
    # the admin action (a new row), never by editing or deleting a row.
    "experts.add_expert", "experts.change_expert", "experts.view_expert",
    *_all("experts", "experttie"),
    *_read("experts", "committeemembership"),
    # Records: read only.
    *_read("applications", "application"),
    *_read("applications", "applicationunit"),
    *_read("applications", "attachment"),
    *_read("applications", "applicationdocument"),
    *_read("applications", "applicationexport"),
    *_read("reviews", "districtreview"),
    *_read("reviews", "overduereview"),
    *_read("reviews", "recommendationbatch"),
    *_read("experts", "scoresheet"),
    *_read("experts", "sitevisit"),
    *_read("core", "statuschange"),
    *_read("core", "notification"),
    *_read("core", "outgoingmail"),
    # The lock-out records of django-axes: read, and delete to unlock an account.
    "axes.view_accessattempt", "axes.delete_accessattempt", "axes.view_accesslog",
    "axes.view_accessfailurelog",
]
