"""The automatic assignment's solver, on random rounds (hypothesis), without the database.

Properties, checked against an independent feasibility test (a max flow, networkx's
Edmonds–Karp, of the plain bipartite graph without costs):
- no pair outside the eligible set, no existing pair repeated, no expert twice on an
  application;
- when the max flow fills every slot, every application reaches N exactly; otherwise the
  solver reports Infeasible with each application's shortfall and assigns nothing;
- when every expert is eligible for every application (and nothing is assigned yet), the
  loads differ by at most one.
"""

from collections import Counter

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from experts.assignment import NO_FIELD_MATCH_COST, Infeasible, _min_cost_flow, solve_assignment


@st.composite
def rounds(draw, complete=False):
    n_apps = draw(st.integers(1, 6))
    n_experts = draw(st.integers(1, 8))
    n = draw(st.integers(1, 4))
    apps = list(range(100, 100 + n_apps))
    experts = list(range(1, 1 + n_experts))
    pairs = [(e, a) for e in experts for a in apps]
    if complete:
        eligible = set(pairs)
        existing = set()
    else:
        eligible = {p for p in pairs if draw(st.booleans()) or draw(st.booleans())}
        existing = {p for p in pairs if draw(st.integers(0, 9)) == 0}
        # An application never has more than N live assignments.
        by_app = Counter()
        for e, a in sorted(existing):
            by_app[a] += 1
            if by_app[a] > n:
                existing.discard((e, a))
    affinity = {p for p in eligible if draw(st.booleans())}
    return apps, experts, eligible, existing, n, affinity


def max_flow_fills(apps, experts, eligible, existing, n) -> bool:
    graph = nx.DiGraph()
    need = 0
    for a in apps:
        free = max(0, n - sum(1 for _, x in existing if x == a))
        need += free
        graph.add_edge("s", ("a", a), capacity=free)
    for e, a in eligible:
        if (e, a) not in existing and a in apps:
            graph.add_edge(("a", a), ("e", e), capacity=1)
            graph.add_edge(("e", e), "t", capacity=len(apps))
    if need == 0:
        return True
    if "t" not in graph:
        return False
    return nx.maximum_flow_value(graph, "s", "t") == need


FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(rounds())
def test_never_conflicted_meets_n_when_feasible_else_reports(case):
    apps, experts, eligible, existing, n, affinity = case
    result = solve_assignment(entries=apps, experts=experts, eligible=eligible,
                              existing=existing, n=n, affinity=affinity)
    feasible = max_flow_fills(apps, experts, eligible, existing, n)
    if not feasible:
        assert isinstance(result, Infeasible)
        assert result.short and all(v > 0 for v in result.short.values())
        for a, short in result.short.items():
            have = sum(1 for e, x in eligible if x == a and (e, a) not in existing)
            live = sum(1 for _, x in existing if x == a)
            assert short == n - live - have
        return
    assert not isinstance(result, Infeasible)
    for a in apps:
        new = result.get(a, [])
        assert len(new) == len(set(new))
        for e in new:
            assert (e, a) in eligible and (e, a) not in existing
        assert len(new) + sum(1 for _, x in existing if x == a) == max(
            n, sum(1 for _, x in existing if x == a))


@FAST
@given(rounds(complete=True))
def test_loads_within_one_when_everyone_is_eligible(case):
    apps, experts, eligible, existing, n, affinity = case
    result = solve_assignment(entries=apps, experts=experts, eligible=eligible,
                              existing=existing, n=n, affinity=affinity)
    if n > len(experts):
        assert isinstance(result, Infeasible)
        assert set(result.short) == set(apps)
        return
    loads = Counter(e for chosen in result.values() for e in chosen)
    counts = [loads[e] for e in experts]
    assert max(counts) - min(counts) <= 1
    assert sum(counts) == n * len(apps)


def test_field_match_preferred_when_loads_allow():
    # Two experts, two applications, one each: the field match decides who reviews what.
    result = solve_assignment(entries=[1, 2], experts=[10, 20],
                              eligible={(10, 1), (10, 2), (20, 1), (20, 2)}, existing=set(),
                              n=1, affinity={(10, 2), (20, 1)})
    assert result == {1: [20], 2: [10]}


def test_existing_load_counts():
    # Expert 10 already reviews application 1; the new slot of application 2 goes to 20.
    result = solve_assignment(entries=[1, 2], experts=[10, 20],
                              eligible={(10, 1), (10, 2), (20, 1), (20, 2)},
                              existing={(10, 1)}, n=1, affinity={(10, 2)})
    assert result == {2: [20]}


def test_nothing_to_do():
    assert solve_assignment(entries=[1], experts=[10], eligible={(10, 1)}, existing={(10, 1)},
                            n=1) == {}


def _objective(result, existing, affinity):
    load = Counter(e for e, _ in existing)
    for chosen in result.values():
        load.update(chosen)
    fields = sum(NO_FIELD_MATCH_COST for a, chosen in result.items() for e in chosen
                 if (e, a) not in affinity)
    return sorted(load.values(), reverse=True), sum(v * v for v in load.values()), fields


@FAST
@given(rounds())
def test_the_load_ceiling_loses_nothing(case):
    """The solver caps loads just above the mean; the uncapped flow is no better."""
    apps, experts, eligible, existing, n, affinity = case
    result = solve_assignment(entries=apps, experts=experts, eligible=eligible,
                              existing=existing, n=n, affinity=affinity)
    if isinstance(result, Infeasible):
        return
    need = {a: max(0, n - sum(1 for _, x in existing if x == a)) for a in apps}
    candidates = {a: sorted(e for e, x in eligible if x == a and (e, a) not in existing
                            and e in experts) for a in apps}
    load = Counter(e for e, _ in existing)
    full = _min_cost_flow(apps, experts, candidates, need, load, affinity, ceiling=None)
    assert full is not None
    assert _objective(result, existing, affinity)[1:] == _objective(full, existing,
                                                                    affinity)[1:]
