"""第七条 conditions a machine can check, explained in words a clerk understands."""

from django.core.exceptions import ValidationError

from accounts.enums import KINDS_THAT_MUST_BE_LOCAL, OrganisationKind
from accounts.validators import validate_uscc


def _uscc_problem(unit, label):
    if not unit.uscc:
        return f"{label}未填写统一社会信用代码。"
    try:
        validate_uscc(unit.uscc)
    except ValidationError as error:
        return f"{label}的统一社会信用代码无效：{error.messages[0]}"
    return None


def eligibility_problems(application) -> list[str]:
    """Empty when the application meets 第七条（一） and every unit's code is valid."""
    problems = []
    lead = application.lead_unit
    joint = application.joint_unit
    if lead is None:
        return ["尚未填写承建主体基本情况。"]

    for unit, label in ((lead, "承建主体"), (joint, "联合承建主体")):
        if unit is not None and (problem := _uscc_problem(unit, label)):
            problems.append(problem)

    if lead.kind in KINDS_THAT_MUST_BE_LOCAL:
        if not (lead.registered_in_qingdao or lead.located_in_qingdao):
            problems.append(
                f"依据第七条第（一）项，{OrganisationKind(lead.kind).label}申报须在青岛市注册"
                "或位于青岛市内，且具有独立法人资格。"
            )
    elif not lead.registered_in_qingdao:
        if not lead.located_in_qingdao:
            problems.append(
                "依据第七条第（一）项，承建主体须为在青岛市注册的独立法人单位，"
                "或未在青岛注册但在青运营的数字化赋能企业、机构。"
            )
        elif joint is None:
            problems.append(
                "依据第七条第（一）项，承建主体未在青岛市注册，须联合至少1家在青岛市注册的"
                "独立法人单位共同申报：请在“联合承建主体”一步填写联合单位。"
            )
        elif not joint.registered_in_qingdao:
            problems.append(
                "依据第七条第（一）项，承建主体未在青岛市注册时，联合承建主体须为"
                "在青岛市注册的独立法人单位。"
            )

    if joint is not None and joint.uscc and lead.uscc and joint.uscc == lead.uscc:
        problems.append("联合承建主体不能与承建主体为同一单位。")
    return problems
