"""Graph facts of a journey: starts, outcomes, main path, reachability, loops."""

from journeys.domain.graph import JourneyGraph
from tests.factories import make_journey


def graph(steps, transitions=None):
    return JourneyGraph(make_journey(steps=[{"id": s} for s in steps], transitions=transitions))


def test_reach_from_never_passes_through_a_blocked_step():
    g = graph("abcd", [("a", "b", None, "flow"), ("b", "d", None, "flow"),
                       ("a", "c", None, "alternative"), ("c", "d", None, "flow")])
    assert g.reach_from([0], [True, False, True, True]) == [True, False, True, True]
    assert g.reach_from([0], [True, False, False, True]) == [True, False, False, False]
    assert g.reach_from([0], [False, True, True, True]) == [False] * 4


def test_starts_main_path_and_outcomes():
    g = graph("abcd", [("a", "b", None, "alternative"), ("a", "c", None, "flow"),
                       ("c", "b", None, "flow"), ("b", "c", None, "flow"),
                       ("b", "d", None, "failure")])
    assert g.starts == [0]
    assert g.main_path == [0, 2, 1]          # stops at c, already visited
    assert g.outcomes == [3] and g.success_outcomes == []


def test_every_step_with_an_incoming_transition_starts_at_the_first():
    g = graph("ab", [("a", "b", None, "flow"), ("b", "a", None, "flow")])
    assert g.starts == [0]
    assert g.loops == [[0, 1]]


def test_loops_are_components_and_lone_self_loops_in_document_order():
    g = graph("abcde", [("e", "d", None, "flow"), ("d", "e", None, "flow"),
                        ("a", "a", None, "rework"), ("b", "c", None, "flow"),
                        ("d", "d", None, "flow")])
    assert g.loops == [[0], [3, 4]]
    assert g.loop_index == {0: 0, 3: 1, 4: 1}  # b and c are in no loop


def test_is_outcome_means_no_outgoing_transition():
    g = graph("abc", [("a", "b", None, "flow"), ("a", "c", None, "failure")])
    assert [g.is_outcome(i) for i in range(3)] == [False, True, True]
    assert g.outcomes == [1, 2] and g.success_outcomes == [1]


def test_implied_transitions_for_a_document_without_any():
    g = graph("abc")
    assert g.implied and [(e.source, e.target, e.index) for e in g.edges] == [
        (0, 1, None), (1, 2, None)]
    assert g.main_path == [0, 1, 2] and g.loops == []


def test_components_handle_deep_chains_without_recursion():
    n = 20_000
    steps = [f"s{i}" for i in range(n)]
    g = graph(steps, [(steps[i], steps[i + 1], None, "flow") for i in range(n - 1)]
              + [(steps[-1], steps[0], None, "rework")])
    assert len(g.loops) == 1 and len(g.loops[0]) == n
