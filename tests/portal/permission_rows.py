"""Rows of the permission table for the home page and the dashboards (see
tests/permission_table.py)."""

from ..permission_table import ANONYMOUS, LOGIN, Row, everyone, only, redirect


def own_dashboard() -> dict:
    """`dashboard` forwards every signed-in role to its own workspace."""
    return {
        ANONYMOUS: LOGIN,
        "applicant": redirect("dashboard_applicant"),
        "district_official": redirect("dashboard_district"),
        "commission_staff": redirect("dashboard_commission"),
        "industry_staff": redirect("dashboard_industry"),
        "third_party_staff": redirect("dashboard_third_party"),
        "expert": redirect("dashboard_expert"),
        "auditor": redirect("dashboard_auditor"),
        "superuser": redirect("admin:index"),
        "staff_no_role": redirect("admin:index"),
    }


ROWS = [
    Row("home", everyone(200)),
    # Dashboards: each refuses every other role
    Row("dashboard", own_dashboard()),
    Row("dashboard_applicant", only("applicant")),
    Row("dashboard_district", only("district_official")),
    Row("dashboard_commission", only("commission_staff")),
    Row("dashboard_industry", only("industry_staff")),
    Row("dashboard_third_party", only("third_party_staff")),
    Row("dashboard_expert", only("expert")),
    Row("dashboard_auditor", only("auditor")),
]
