"""Rows of the permission table for accounts pages added with the claim and lock-out features
(see tests/permission_table.py)."""

from ..permission_table import ANONYMOUS, LOGIN, Row, answers, everyone, only, redirect
from .factories import claim_of


def claim_of_organisation_b(world) -> dict:
    """A pending claim of organisation B (即墨区) with its business licence."""
    organisation = world.user("applicant_b").role_assignments.get().organisation
    claim = claim_of(organisation, username=f"claimant_{world.me.pk if world.me else 0}")
    return {"pk": claim.pk}


ROWS = [
    # Claiming a unit someone else registered: anyone may ask; the commission reads the licence
    Row("organisation_claim", everyone(200)),
    Row("organisation_claim_done", everyone(200)),
    Row("organisation_claim_licence", only("commission_staff"), kwargs=claim_of_organisation_b),

    # The confirmation mail again: only for the account that just gave its right password
    Row("register_confirmation_resend", everyone(redirect("login")), method="post",
        state="no account awaiting confirmation in this session"),
    Row("register_confirmation_resend", everyone(405), state="GET"),

    # 账号锁定管理: the commission only
    Row("lockout_list", only("commission_staff")),
    Row("lockout_unlock", answers(403, **{ANONYMOUS: LOGIN,
                                          "commission_staff": redirect("lockout_list")}),
        method="post", data={"username": "applicant_a"}),
    Row("lockout_unlock", answers(403, **{ANONYMOUS: LOGIN, "commission_staff": 405}),
        state="GET"),
]
