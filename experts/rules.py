"""Who may act in the expert review (第四条、第九条（三）).

- The commission's staff (the secretariat, 秘书处) manage the roster and every round.
- A third-party agency's staff manage the assignments and site visits of the rounds entrusted
  to their agency, and see nothing else.
- An invited industry authority's staff read their rounds' applications, and the results once
  the round has closed, and record an opinion per application.
- An expert acts only on their own live assignments; anything else is not found (404).

Superusers and `is_staff` accounts get nothing here from those flags (accounts.User.has_perm).
"""

import rules

from accounts.enums import Role
from accounts.rules import is_commission_staff, is_expert, is_industry_staff, is_third_party_staff
from accounts.selectors import user_department_ids

from .enums import ACTIVE_ASSIGNMENT_STATUSES, RoundStatus


def _round_of(obj):
    """The round an object belongs to: a round itself, or anything with a `round`."""
    if obj is None:
        return None
    return obj if hasattr(obj, "experts_per_application") else getattr(obj, "round", None)


@rules.predicate
def is_round_agency_staff(user, obj):
    """The user is staff of the third-party agency the round is entrusted to."""
    round_ = _round_of(obj)
    return (round_ is not None and round_.agency_id is not None
            and round_.agency_id in user_department_ids(user, Role.THIRD_PARTY_STAFF))


@rules.predicate
def is_round_invited_authority(user, obj):
    """The user is staff of an industry authority invited to the round (第三条)."""
    round_ = _round_of(obj)
    if round_ is None:
        return False
    mine = user_department_ids(user, Role.INDUSTRY_STAFF)
    return bool(mine) and round_.invited_authorities.filter(pk__in=mine).exists()


@rules.predicate
def is_round_closed(user, obj):
    round_ = _round_of(obj)
    return round_ is not None and round_.status == RoundStatus.CLOSED


@rules.predicate
def is_assignment_expert(user, assignment):
    """The assignment is the user's own and still live (not recused or withdrawn)."""
    profile = getattr(user, "expert_profile", None)
    return (assignment is not None and profile is not None
            and assignment.expert_id == profile.pk
            and assignment.status in ACTIVE_ASSIGNMENT_STATUSES)


# The roster (专家库) and its import: the commission's secretariat.
rules.add_perm("experts.manage_roster", is_commission_staff)
# Rounds: the commission creates and closes them; assignments and site visits may be entrusted.
rules.add_perm("experts.manage_round", is_commission_staff)
rules.add_perm("experts.list_rounds", is_commission_staff | is_third_party_staff)
rules.add_perm("experts.manage_assignments", is_commission_staff | is_round_agency_staff)
rules.add_perm("experts.record_site_visit", is_commission_staff | is_round_agency_staff)
# Conflicts and 回避申请 are the commission's to rule on.
rules.add_perm("experts.rule_conflicts", is_commission_staff)
# Results, disagreement resolution, the proposed list and the exports: the commission.
rules.add_perm("experts.view_results", is_commission_staff)
rules.add_perm("experts.resolve_disagreement", is_commission_staff)
rules.add_perm("experts.decide_proposed_list", is_commission_staff)
rules.add_perm("experts.reopen_sheet", is_commission_staff)
# An expert's own work.
rules.add_perm("experts.view_own_assignments", is_expert)
rules.add_perm("experts.score_assignment", is_expert & is_assignment_expert)
# 第三条: invited industry authorities.
rules.add_perm("experts.list_invited_rounds", is_industry_staff)
rules.add_perm("experts.read_invited_round", is_industry_staff & is_round_invited_authority)
rules.add_perm("experts.read_round_results",
               is_commission_staff | (is_round_invited_authority & is_round_closed))
rules.add_perm("experts.give_authority_opinion", is_industry_staff & is_round_invited_authority)
