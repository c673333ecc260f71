"""The assignment services on the database: all or nothing, idempotent, recusal frees the slot,
only the round's managers act."""

import datetime
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.enums import Role
from core.models import AuditEvent, StatusChange
from core.transitions import TransitionNotAllowed
from experts.assignment import (
    AssignmentError,
    ConflictError,
    active_expert_ids,
    assignment_add,
    assignment_auto,
    assignment_withdraw,
)
from experts.conflicts import hard_conflicts
from experts.enums import AssignmentMethod, AssignmentStatus, MembershipStatus, RoundStatus
from experts.models import Assignment, CommitteeMembership, ExpertDeclaration
from tests.factories import DepartmentFactory, staff

from .conftest import make_expert

ON = datetime.date(2026, 6, 15)


def live(round_):
    return Assignment.objects.filter(round=round_, status__in=["assigned", "committed"])


def test_auto_fills_every_application_and_a_second_run_adds_nothing(review_round,
                                                                     commission_staff):
    experts = [make_expert() for _ in range(4)]
    result = assignment_auto(round=review_round, actor=commission_staff, on=ON)
    assert result.ok and len(result.created) == 9
    per_app = Counter(live(review_round).values_list("application_id", flat=True))
    assert set(per_app.values()) == {3}
    loads = Counter(live(review_round).values_list("expert_id", flat=True))
    assert max(loads.values()) - min(loads[e.pk] for e in experts) <= 1
    assert set(live(review_round).values_list("method", flat=True)) == {
        AssignmentMethod.AUTOMATIC}
    assert AuditEvent.objects.filter(action="assignment.auto").count() == 1

    again = assignment_auto(round=review_round, actor=commission_staff, on=ON)
    assert again.ok and again.created == [] and "无需" in again.message
    assert live(review_round).count() == 9
    assert AuditEvent.objects.filter(action="assignment.auto").count() == 1


def test_field_match_is_preferred(review_round, commission_staff, expert_review_apps):
    # Three experts of the applications' field and three of another; one slot each.
    review_round.experts_per_application = 1
    review_round.save()
    matching = {make_expert(fields=("智能家电",)).pk for _ in range(3)}
    for _ in range(3):
        make_expert(fields=())
    assert assignment_auto(round=review_round, actor=commission_staff, on=ON).ok
    assert set(live(review_round).values_list("expert_id", flat=True)) == matching


def test_infeasible_saves_nothing_and_names_each_application(review_round, commission_staff,
                                                            expert_review_apps):
    a, b = make_expert(), make_expert()
    c = make_expert()
    ExpertDeclaration.objects.create(expert=c, application=expert_review_apps[0],
                                     kind=ExpertDeclaration.Kind.PREPARED)
    result = assignment_auto(round=review_round, actor=commission_staff, on=ON)
    assert not result.ok and result.created == []
    assert not Assignment.objects.exists()
    assert "未保存任何分配" in result.message
    shortfalls = {s.application_id: s for s in result.shortfalls}
    assert set(shortfalls) == {expert_review_apps[0].pk}
    s = shortfalls[expert_review_apps[0].pk]
    assert (s.need, s.eligible, s.short) == (3, 2, 1)
    assert "还差1名" in s.message and str(expert_review_apps[0]) in s.message
    assert {a.pk, b.pk} <= active_expert_ids(ON)


def test_existing_assignments_are_kept(review_round, commission_staff, expert_review_apps):
    experts = [make_expert() for _ in range(4)]
    first = assignment_add(round=review_round, application=expert_review_apps[0],
                           expert=experts[0], actor=commission_staff, on=ON)
    assignment_auto(round=review_round, actor=commission_staff, on=ON)
    first.refresh_from_db()
    assert first.status == AssignmentStatus.ASSIGNED and first.method == AssignmentMethod.MANUAL
    assert live(review_round).count() == 9


def test_recusal_frees_the_slot_and_the_expert_is_not_assigned_again(
        review_round, commission_staff, expert_review_apps):
    experts = [make_expert() for _ in range(4)]
    assignment_auto(round=review_round, actor=commission_staff, on=ON)
    app = expert_review_apps[0]
    gone = live(review_round).filter(application=app).first()
    # The expert recuses (done by the expert's own page in another part of the review).
    Assignment.objects.filter(pk=gone.pk).update(status=AssignmentStatus.RECUSED,
                                                 recusal_reason="曾为该单位提供咨询")
    assert live(review_round).filter(application=app).count() == 2
    with pytest.raises(ConflictError, match="专家主动回避"):
        assignment_add(round=review_round, application=app, expert=gone.expert,
                       actor=commission_staff, on=ON)
    result = assignment_auto(round=review_round, actor=commission_staff, on=ON)
    assert result.ok and len(result.created) == 1
    refill = result.created[0]
    assert refill.application_id == app.pk and refill.expert_id != gone.expert_id
    assert refill.expert_id in {e.pk for e in experts}
    assert live(review_round).filter(application=app).count() == 3


def test_manual_add_refusals(review_round, commission_staff, expert_review_apps):
    app = expert_review_apps[0]
    experts = [make_expert() for _ in range(4)]
    for e in experts[:3]:
        assignment_add(round=review_round, application=app, expert=e, actor=commission_staff)
    with pytest.raises(AssignmentError, match="已分配评审该申报"):
        assignment_add(round=review_round, application=app, expert=experts[0],
                       actor=commission_staff)
    with pytest.raises(AssignmentError, match="已满"):
        assignment_add(round=review_round, application=app, expert=experts[3],
                       actor=commission_staff)
    suspended = make_expert()
    CommitteeMembership.objects.create(expert=suspended, term_start=ON - datetime.timedelta(
        days=10), status=MembershipStatus.SUSPENDED)
    with pytest.raises(AssignmentError, match="不是在库"):
        assignment_add(round=review_round, application=expert_review_apps[1], expert=suspended,
                       actor=commission_staff, on=ON)
    assert suspended.pk not in active_expert_ids(ON)
    expired = make_expert()
    CommitteeMembership.objects.filter(expert=expired).update(term_end=ON - datetime.timedelta(
        days=1))
    assert expired.pk not in active_expert_ids(ON)
    review_round.status = RoundStatus.CLOSED
    review_round.save()
    with pytest.raises(AssignmentError, match="已结束"):
        assignment_auto(round=review_round, actor=commission_staff)
    assert AuditEvent.objects.filter(action="assignment.add").count() == 3


def test_withdraw_needs_a_reason_and_frees_the_slot(review_round, commission_staff,
                                                    expert_review_apps):
    e = make_expert()
    a = assignment_add(round=review_round, application=expert_review_apps[0], expert=e,
                       actor=commission_staff)
    with pytest.raises(TransitionNotAllowed, match="理由"):
        assignment_withdraw(assignment=a, actor=commission_staff, reason=" ")
    done = assignment_withdraw(assignment=a, actor=commission_staff, reason="专家出差")
    assert done.status == AssignmentStatus.WITHDRAWN
    assert StatusChange.objects.filter(object_id=str(a.pk), transition="withdraw").exists()
    assert AuditEvent.objects.filter(action="assignment.withdraw").exists()
    # The pair may be assigned again once withdrawn.
    again = assignment_add(round=review_round, application=expert_review_apps[0], expert=e,
                           actor=commission_staff)
    assert again.pk != a.pk


def test_round_agency_staff_manage_only_their_rounds(review_round, third_party_staff,
                                                     third_party_agency, expert_review_apps):
    e = make_expert()
    with pytest.raises(PermissionDenied):
        assignment_add(round=review_round, application=expert_review_apps[0], expert=e,
                       actor=third_party_staff)
    review_round.agency = third_party_agency
    review_round.save()
    a = assignment_add(round=review_round, application=expert_review_apps[0], expert=e,
                       actor=third_party_staff)
    other_agency = DepartmentFactory(name="另一评估机构", short_name="另一评估机构",
                                     kind="third_party")
    outsider = staff(Role.THIRD_PARTY_STAFF, other_agency, username="other_agency_staff")
    with pytest.raises(PermissionDenied):
        assignment_withdraw(assignment=a, actor=outsider, reason="无")
    with pytest.raises(PermissionDenied):
        assignment_auto(round=review_round, actor=outsider)


# --- a property over the whole service (kept small: each example is a real round) -----------


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(n_experts=st.integers(1, 5), n=st.integers(1, 3),
       conflicts=st.sets(st.tuples(st.integers(0, 4), st.integers(0, 2)), max_size=6))
def test_service_never_pairs_a_conflict_and_saves_all_or_nothing(
        review_round, commission_staff, expert_review_apps, n_experts, n, conflicts):
    with transaction.atomic():
        review_round.experts_per_application = n
        review_round.save()
        experts = [make_expert() for _ in range(n_experts)]
        for i, j in conflicts:
            if i < n_experts:
                ExpertDeclaration.objects.create(expert=experts[i],
                                                 application=expert_review_apps[j],
                                                 kind=ExpertDeclaration.Kind.CONFLICT)
        roster = active_expert_ids(ON)
        conflicted = hard_conflicts(applications=expert_review_apps, experts=roster, on=ON)
        eligible = Counter(a.pk for a in expert_review_apps for e in roster
                           if (e, a.pk) not in conflicted)
        result = assignment_auto(round=review_round, actor=commission_staff, on=ON)
        feasible = all(eligible[a.pk] >= n for a in expert_review_apps)
        assert result.ok == feasible
        pairs = set(live(review_round).values_list("expert_id", "application_id"))
        if feasible:
            assert not pairs & set(conflicted)
            assert set(Counter(a for _, a in pairs).values()) == {n}
        else:
            assert not pairs
            assert {s.application_id for s in result.shortfalls} == {
                a.pk for a in expert_review_apps if eligible[a.pk] < n}
        transaction.set_rollback(True)


def test_demo_hook_fills_a_round_once(review_round):
    from experts.demo_assignment import seed_assignments

    for _ in range(3):
        make_expert()
    assert seed_assignments(review_round).ok
    assert live(review_round).count() == 9
    assert seed_assignments(review_round).created == []
