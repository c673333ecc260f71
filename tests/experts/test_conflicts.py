"""Hard conflicts (回避) from structured data only, and that nobody assigns around them."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.enums import UnitRole
from applications.models import ApplicationUnit, AvoidanceRequest
from experts.assignment import ConflictError, assignment_add, assignment_auto
from experts.conflicts import conflicts_of, hard_conflicts, tie_lookback_start
from experts.enums import (
    AssignmentStatus,
    AvoidanceStatus,
    ConflictRulingKind,
    ConflictSource,
    TieKind,
)
from experts.models import (
    Assignment,
    AvoidanceRuling,
    ConflictRuling,
    ExpertDeclaration,
    ExpertTie,
)
from tests.factories import make_uscc

from .conftest import expert_review_application, make_expert

ON = datetime.date(2026, 6, 15)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def lead(application) -> ApplicationUnit:
    return application.units.get(role=UnitRole.LEAD)


@pytest.fixture
def app(review_round, expert_review_apps):
    return expert_review_apps[0]


def test_lookback_boundary_is_36_calendar_months():
    assert tie_lookback_start(ON) == datetime.date(2023, 6, 15)
    assert tie_lookback_start(datetime.date(2028, 2, 29)) == datetime.date(2025, 2, 28)


@pytest.mark.parametrize("typed", ["lower", "full_width"])
def test_employer_uscc_matches_whatever_the_typing(app, typed):
    uscc = lead(app).uscc
    other = make_expert(employer_uscc=uscc.lower() if typed == "lower" else full_width(uscc))
    assert conflicts_of(expert=other, application=app, on=ON) == [ConflictSource.EMPLOYER]


@pytest.mark.parametrize("typed", ["lower", "full_width"])
def test_unit_uscc_stored_as_typed_still_matches(app, typed):
    unit = lead(app)
    stored = unit.uscc.lower() if typed == "lower" else full_width(unit.uscc)
    ApplicationUnit.objects.filter(pk=unit.pk).update(uscc=stored)
    other = make_expert(employer_uscc=unit.uscc)
    assert conflicts_of(expert=other, application=app, on=ON) == [ConflictSource.EMPLOYER]


def test_employer_without_uscc_matches_the_exact_normalised_name(app):
    unit = lead(app)
    employee = make_expert(employer_name=unit.name + " ")
    assert conflicts_of(expert=employee, application=app, on=ON) == [ConflictSource.EMPLOYER]
    # Never fuzzy: a longer name or a near miss is no conflict.
    assert conflicts_of(expert=make_expert(employer_name=unit.name + "分公司"),
                        application=app, on=ON) == []


def test_different_usccs_win_over_equal_names(app):
    unit = lead(app)
    other = make_expert(employer_name=unit.name, employer_uscc=make_uscc(777_777))
    assert conflicts_of(expert=other, application=app, on=ON) == []


def test_joint_unit_employee_conflicts(review_call, review_round):
    app = expert_review_application(review_call, joint=True)
    joint = app.units.get(role=UnitRole.JOINT)
    employee = make_expert(employer_uscc=joint.uscc.lower())
    assert conflicts_of(expert=employee, application=app, on=ON) == [ConflictSource.EMPLOYER]


@pytest.mark.parametrize(("ended_on", "counts"), [
    (None, True),
    (datetime.date(2023, 6, 15), True),   # exactly 36 months before: still within
    (datetime.date(2023, 6, 14), False),  # one day older: no longer
])
def test_dated_tie_counts_within_36_months(app, ended_on, counts):
    unit = lead(app)
    consultant = make_expert()
    ExpertTie.objects.create(expert=consultant, kind=TieKind.CONSULTING, unit_name="别的名字",
                             unit_uscc=unit.uscc.lower(), ended_on=ended_on)
    expected = [ConflictSource.TIE] if counts else []
    assert conflicts_of(expert=consultant, application=app, on=ON) == expected


def test_relative_tie_counts_until_it_ends(app):
    unit = lead(app)
    relative = make_expert()
    tie = ExpertTie.objects.create(expert=relative, kind=TieKind.RELATIVE,
                                   unit_name=unit.name + " ", ended_on=ON)
    assert conflicts_of(expert=relative, application=app, on=ON) == [ConflictSource.TIE]
    tie.ended_on = ON - datetime.timedelta(days=1)
    tie.save()
    assert conflicts_of(expert=relative, application=app, on=ON) == []


def test_declarations_rulings_avoidance_and_recusal(app, review_round, commission_staff):
    declared, prepared, pinned, dismissed, avoided, recused = (make_expert() for _ in range(6))
    ExpertDeclaration.objects.create(expert=declared, application=app,
                                     kind=ExpertDeclaration.Kind.CONFLICT)
    ExpertDeclaration.objects.create(expert=prepared, application=app,
                                     kind=ExpertDeclaration.Kind.PREPARED)
    ConflictRuling.objects.create(expert=pinned, application=app, kind=ConflictRulingKind.PINNED,
                                  reason="同一课题组", decided_by=commission_staff)
    ConflictRuling.objects.create(expert=dismissed, application=app,
                                  kind=ConflictRulingKind.DISMISSED, reason="同名不同人",
                                  decided_by=commission_staff)
    request = AvoidanceRequest.objects.create(application=app, expert_name=avoided.name,
                                              expert_employer=avoided.employer_name,
                                              reason="存在竞争关系")
    AvoidanceRuling.objects.create(request=request, status=AvoidanceStatus.ACCEPTED,
                                   expert=avoided, decided_by=commission_staff)
    Assignment.objects.create(round=review_round, application=app, expert=recused,
                              status=AssignmentStatus.RECUSED, assigned_by=commission_staff)
    found = hard_conflicts(applications=[app], experts=[declared, prepared, pinned, dismissed,
                                                         avoided, recused], on=ON)
    assert found == {
        (declared.pk, app.pk): [ConflictSource.DECLARED],
        (prepared.pk, app.pk): [ConflictSource.PREPARED],
        (pinned.pk, app.pk): [ConflictSource.PINNED],
        (avoided.pk, app.pk): [ConflictSource.AVOIDANCE],
        (recused.pk, app.pk): [ConflictSource.RECUSED],
    }


def test_dismissal_never_lifts_a_hard_conflict(app, commission_staff):
    employee = make_expert(employer_uscc=lead(app).uscc)
    ConflictRuling.objects.create(expert=employee, application=app,
                                  kind=ConflictRulingKind.DISMISSED, reason="误判",
                                  decided_by=commission_staff)
    assert conflicts_of(expert=employee, application=app, on=ON) == [ConflictSource.EMPLOYER]


def test_rejected_avoidance_is_no_conflict(app, commission_staff):
    other = make_expert()
    request = AvoidanceRequest.objects.create(application=app, expert_name=other.name,
                                              expert_employer="某单位", reason="理由")
    AvoidanceRuling.objects.create(request=request, status=AvoidanceStatus.REJECTED,
                                   expert=other, decided_by=commission_staff)
    assert conflicts_of(expert=other, application=app, on=ON) == []


def _bulk_queries(apps, experts):
    with CaptureQueriesContext(connection) as captured:
        hard_conflicts(applications=apps, experts=experts, on=ON)
    return len(captured)


def test_bulk_query_count_is_fixed(review_call, review_round, expert_review_apps):
    few = _bulk_queries(expert_review_apps[:1], [make_expert()])
    apps = expert_review_apps + [expert_review_application(review_call) for _ in range(5)]
    experts = [make_expert(employer_uscc=lead(a).uscc) for a in apps]
    for e in experts:
        ExpertTie.objects.create(expert=e, kind=TieKind.EMPLOYMENT, unit_name=lead(apps[0]).name)
    assert _bulk_queries(apps, experts) == few == 7


# --- nobody assigns around a conflict --------------------------------------------------------


@pytest.fixture
def employees(app):
    """An employee of the lead unit, typed three ways."""
    unit = lead(app)
    return [
        make_expert(employer_uscc=unit.uscc.lower()),
        make_expert(employer_uscc=full_width(unit.uscc)),
        make_expert(employer_name=unit.name + " "),
    ]


@pytest.mark.parametrize("who", ["commission_staff", "commission_superuser"])
def test_manager_cannot_assign_an_employee_manually(app, review_round, employees,
                                                    commission_staff, who):
    if who == "commission_superuser":
        commission_staff.is_superuser = commission_staff.is_staff = True
        commission_staff.save()
    for employee in employees:
        with pytest.raises(ConflictError, match="专家工作单位为承建或联合承建单位"):
            assignment_add(round=review_round, application=app, expert=employee,
                           actor=commission_staff)
    assert not Assignment.objects.exists()


def test_superuser_without_role_cannot_assign_at_all(app, review_round, employees,
                                                     superuser_no_role, staff_no_role):
    for actor in (superuser_no_role, staff_no_role, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            assignment_add(round=review_round, application=app, expert=employees[0],
                           actor=actor)
        with pytest.raises(PermissionDenied):
            assignment_auto(round=review_round, actor=actor)
    assert not Assignment.objects.exists()


def test_automatic_assignment_never_picks_an_employee(app, review_round, employees,
                                                      commission_staff):
    commission_staff.is_superuser = True
    commission_staff.save()
    others = [make_expert() for _ in range(3)]
    result = assignment_auto(round=review_round, actor=commission_staff, on=ON)
    assert result.ok
    assigned = set(Assignment.objects.filter(application=app).values_list("expert_id",
                                                                          flat=True))
    assert assigned == {e.pk for e in others}
    assert not assigned & {e.pk for e in employees}


def test_joint_unit_employee_is_not_assigned(review_call, review_round, commission_staff):
    from experts.models import RoundEntry

    app = expert_review_application(review_call, joint=True)
    RoundEntry.objects.create(round=review_round, application=app)
    joint = app.units.get(role=UnitRole.JOINT)
    employee = make_expert(employer_name=joint.name + " ")
    with pytest.raises(ConflictError):
        assignment_add(round=review_round, application=app, expert=employee,
                       actor=commission_staff, on=ON)


def test_tie_within_36_months_excludes_and_older_does_not(app, review_round,
                                                          commission_staff):
    unit = lead(app)
    recent, old = make_expert(), make_expert()
    ExpertTie.objects.create(expert=recent, kind=TieKind.EMPLOYMENT, unit_name=unit.name,
                             unit_uscc=unit.uscc, ended_on=datetime.date(2023, 6, 15))
    ExpertTie.objects.create(expert=old, kind=TieKind.EMPLOYMENT, unit_name=unit.name,
                             unit_uscc=unit.uscc, ended_on=datetime.date(2023, 6, 14))
    with pytest.raises(ConflictError, match="关联关系"):
        assignment_add(round=review_round, application=app, expert=recent,
                       actor=commission_staff, on=ON)
    assert assignment_add(round=review_round, application=app, expert=old,
                          actor=commission_staff, on=ON).status == AssignmentStatus.ASSIGNED


def test_accepted_avoidance_request_excludes(app, review_round, commission_staff):
    named = make_expert("钱进")
    request = AvoidanceRequest.objects.create(application=app, expert_name="钱进",
                                              expert_employer=named.employer_name,
                                              reason="与申报单位存在竞争关系")
    AvoidanceRuling.objects.create(request=request, status=AvoidanceStatus.ACCEPTED,
                                   expert=named, decided_by=commission_staff)
    with pytest.raises(ConflictError, match="回避申请"):
        assignment_add(round=review_round, application=app, expert=named,
                       actor=commission_staff, on=ON)
    # Nor automatically: with exactly N other experts, they are the ones picked.
    others = {make_expert().pk for _ in range(3)}
    assert assignment_auto(round=review_round, actor=commission_staff, on=ON).ok
    assert set(Assignment.objects.filter(application=app).values_list(
        "expert_id", flat=True)) == others
