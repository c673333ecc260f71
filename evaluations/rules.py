"""Who acts in the yearly evaluation (第十七条、第十八条) and in revocation.

- The commission sets up and opens cycles, confirms and publishes grades, issues 通报, proposes
  and decides revocations.
- A center's own unit submits its materials, reads its evaluation (its grade only once
  published, see selectors), requests its own revocation and states its case.
- The center's 主管部门 (as recorded when the cycle opened) reviews and forwards its materials.
- The entrusted third-party agency organises the expert scoring of its cycle.
- Invited industry authorities (会同) read the cycle's materials and add an opinion per center.
"""

import rules

from accounts.rules import is_commission_staff, is_district_official
from centers.rules import center_is_active, is_member_of_center_unit


def _department_ids(user, role):
    from accounts.selectors import user_department_ids

    return user_department_ids(user, role)


@rules.predicate
def is_member_of_evaluated_unit(user, evaluation):
    """The applicant users of the unit whose center `evaluation` evaluates."""
    return evaluation is not None and is_member_of_center_unit(user, evaluation.center)


@rules.predicate
def evaluated_center_is_active(user, evaluation):
    return evaluation is not None and center_is_active(user, evaluation.center)


@rules.predicate
def is_official_of_evaluation_department(user, evaluation):
    """A 主管部门 official of the department recorded on `evaluation` (第十八条: 初审)."""
    from accounts.enums import Role

    return (evaluation is not None and evaluation.department_id is not None
            and evaluation.department_id in _department_ids(user, Role.DISTRICT_OFFICIAL))


def _cycle_of(obj):
    from .models import Evaluation

    return obj.cycle if isinstance(obj, Evaluation) else obj


@rules.predicate
def is_staff_of_cycle_agency(user, obj):
    """Staff of the third-party agency entrusted with the cycle (of an evaluation or a cycle)."""
    from accounts.enums import Role

    cycle = _cycle_of(obj) if obj is not None else None
    return (cycle is not None and cycle.agency_id is not None
            and cycle.agency_id in _department_ids(user, Role.THIRD_PARTY_STAFF))


@rules.predicate
def is_staff_of_invited_authority(user, obj):
    """Staff of an industry authority invited to the cycle (会同, 第十七条)."""
    from accounts.enums import Role

    cycle = _cycle_of(obj) if obj is not None else None
    if cycle is None:
        return False
    mine = _department_ids(user, Role.INDUSTRY_STAFF)
    return bool(mine) and cycle.invited_authorities.filter(pk__in=mine).exists()


@rules.predicate
def is_member_of_revoked_unit(user, revocation):
    return revocation is not None and is_member_of_center_unit(user, revocation.center)


@rules.predicate
def is_official_of_revoked_center_department(user, revocation):
    from centers.rules import is_official_of_center_department

    return revocation is not None and is_official_of_center_department(user, revocation.center)


rules.add_perm("evaluations.manage_cycle", is_commission_staff)
rules.add_perm("evaluations.view_evaluation",
               is_member_of_evaluated_unit | is_official_of_evaluation_department
               | is_commission_staff | is_staff_of_cycle_agency | is_staff_of_invited_authority)
# 第十八条: the center reports its materials ...
rules.add_perm("evaluations.submit_materials",
               is_member_of_evaluated_unit & evaluated_center_is_active)
# ... its 主管部门 reviews them (初审) and forwards its 审查意见.
rules.add_perm("evaluations.review_materials", is_official_of_evaluation_department)
rules.add_perm("evaluations.forward_review", is_district_official)
# 第十七条: 委托第三方机构 (expert scoring) and 会同各有关部门 (opinions).
rules.add_perm("evaluations.organise_scoring", is_commission_staff | is_staff_of_cycle_agency)
rules.add_perm("evaluations.give_opinion", is_staff_of_invited_authority)
rules.add_perm("evaluations.confirm_grade", is_commission_staff)
rules.add_perm("evaluations.publish_results", is_commission_staff)
rules.add_perm("evaluations.issue_bulletin", is_commission_staff)
# Revocation (第十七条).
rules.add_perm("evaluations.propose_revocation", is_commission_staff)
rules.add_perm("evaluations.decide_revocation", is_commission_staff)
rules.add_perm("evaluations.view_revocation",
               is_member_of_revoked_unit | is_official_of_revoked_center_department
               | is_commission_staff)
rules.add_perm("evaluations.state_case", is_member_of_revoked_unit)
rules.add_perm("evaluations.request_revocation", is_member_of_center_unit & center_is_active)
# 通报 (第十七条): the commission, the center's own unit and its 主管部门 download it.
rules.add_perm("evaluations.download_bulletin",
               is_member_of_evaluated_unit | is_official_of_evaluation_department
               | is_commission_staff)
