"""第七条（一） and the USCC rule, one case per rule."""

import pytest

from accounts.enums import OrganisationKind
from applications import services
from applications.eligibility import eligibility_problems
from applications.enums import UnitRole
from applications.models import ApplicationUnit
from tests.factories import make_uscc

pytestmark = pytest.mark.django_db


def _lead(application, **fields):
    lead = application.units.get(role=UnitRole.LEAD)
    for name, value in fields.items():
        setattr(lead, name, value)
    lead.save()
    return lead


def _joint(application, actor, **fields):
    services.application_set_joint_unit(application=application, actor=actor, has_joint_unit=True)
    joint = application.units.get(role=UnitRole.JOINT)
    defaults = {"name": "青岛联合科技有限公司", "uscc": make_uscc(777),
                "kind": OrganisationKind.ENTERPRISE, "registered_in_qingdao": True}
    for name, value in {**defaults, **fields}.items():
        setattr(joint, name, value)
    joint.save()
    application.refresh_from_db()
    return joint


def _problems(application):
    application.refresh_from_db()
    return eligibility_problems(application)


def test_lead_registered_in_qingdao_is_eligible(draft_a):
    assert _problems(draft_a) == []


def test_lead_operating_in_qingdao_without_registration_needs_a_joint_unit(draft_a):
    _lead(draft_a, registered_in_qingdao=False, located_in_qingdao=True)
    problems = _problems(draft_a)
    assert len(problems) == 1
    assert "第七条第（一）项" in problems[0] and "联合" in problems[0]


def test_joint_unit_registered_in_qingdao_makes_it_eligible(draft_a, applicant_a):
    _lead(draft_a, registered_in_qingdao=False, located_in_qingdao=True)
    _joint(draft_a, applicant_a)
    assert _problems(draft_a) == []


def test_joint_unit_must_itself_be_registered_in_qingdao(draft_a, applicant_a):
    _lead(draft_a, registered_in_qingdao=False, located_in_qingdao=True)
    _joint(draft_a, applicant_a, registered_in_qingdao=False)
    problems = _problems(draft_a)
    assert any("联合承建主体须为在青岛市注册" in p for p in problems)


def test_lead_neither_registered_nor_operating_in_qingdao_is_refused(draft_a, applicant_a):
    _lead(draft_a, registered_in_qingdao=False, located_in_qingdao=False)
    _joint(draft_a, applicant_a)
    assert any("在青运营" in p for p in _problems(draft_a))


@pytest.mark.parametrize("kind", [OrganisationKind.THINK_TANK, OrganisationKind.UNIVERSITY,
                                  OrganisationKind.RESEARCH_INSTITUTE,
                                  OrganisationKind.INDUSTRY_ASSOCIATION])
def test_institutions_located_in_qingdao_are_eligible_without_joint_unit(draft_a, kind):
    _lead(draft_a, kind=kind, registered_in_qingdao=False, located_in_qingdao=True)
    assert _problems(draft_a) == []


@pytest.mark.parametrize("kind", [OrganisationKind.THINK_TANK, OrganisationKind.UNIVERSITY])
def test_institutions_outside_qingdao_are_refused_naming_their_kind(draft_a, kind):
    _lead(draft_a, kind=kind, registered_in_qingdao=False, located_in_qingdao=False)
    problems = _problems(draft_a)
    assert len(problems) == 1
    assert OrganisationKind(kind).label in problems[0] and "第七条" in problems[0]


def test_invalid_uscc_of_joint_unit_is_a_problem(draft_a, applicant_a):
    joint = _joint(draft_a, applicant_a)
    ApplicationUnit.objects.filter(pk=joint.pk).update(uscc="91370200000000001X")
    assert any("联合承建主体的统一社会信用代码无效" in p for p in _problems(draft_a))


def test_joint_unit_cannot_be_the_lead_itself(draft_a, applicant_a, org_a):
    _joint(draft_a, applicant_a, uscc=org_a.uscc)
    assert any("同一单位" in p for p in _problems(draft_a))


def test_ineligible_application_cannot_be_submitted(complete_a, applicant_a):
    _lead(complete_a, registered_in_qingdao=False, located_in_qingdao=True)
    with pytest.raises(services.ApplicationError, match="第七条"):
        services.application_submit(application=complete_a, actor=applicant_a)
    complete_a.refresh_from_db()
    assert complete_a.status == "draft"
