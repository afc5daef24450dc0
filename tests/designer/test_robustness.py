"""Bad or bare input still gets a correct, possibly empty, list of proposals."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from designer import RULES_BY_ID
from designer.engine import sort_key
from designer.report import render_report
from journeys.domain.schemas import load_data
from tests.designer.helpers import TODAY, ids, run
from tests.factories import make_journey
from tests.strategies import valid_documents


def test_single_step_without_anything():
    journey = make_journey(steps=[{"id": "only", "stage": "b", "channel": "phone",
                                   "level": 1}])
    assert ids(journey) == ["DR06:journey", "DR08:journey"]


def test_no_transitions_reads_as_a_straight_line():
    journey = make_journey(steps=[{"id": "a", "channel": "phone"},
                                  {"id": "b", "channel": "phone", "stage": "b"}])
    assert "DR14:step:a" not in ids(journey)     # a flows into b: not an outcome
    assert "DR11:journey" not in ids(journey)    # a → b is a route with no digital step


def test_no_annotations_at_all():
    journey = make_journey(steps=[{"id": f"s{i}"} for i in range(5)])
    assert ids(journey) == ["DR11:journey", "DR06:journey", "DR14:step:s4", "DR08:journey",
                            *(f"DR18:step:s{i}" for i in range(5))]


def test_unreachable_steps_are_still_looked_at():
    journey = make_journey(steps=[
        {"id": "a", "channel": "phone"}, {"id": "b", "channel": "phone", "stage": "b"},
        {"id": "island", "emotion": -2, "channel": "phone"},
        {"id": "ring1", "channel": "phone"}, {"id": "ring2", "channel": "phone"},
    ], transitions=[("a", "b", None, "flow"), ("ring1", "ring2", None, "flow"),
                    ("ring2", "ring1", None, "flow")])
    found = ids(journey)
    assert "DR05:step:island" in found
    assert "DR13:transition:ring2->ring1" in found


def test_cycles_everywhere():
    names = ["a", "b", "c", "d"]
    journey = make_journey(steps=[{"id": n, "channel": "web"} for n in names],
                           transitions=[(x, y, None, "flow") for x in names for y in names])
    found = ids(journey)
    assert found.count("DR11:journey") == 1
    # One loop (all four steps); its first transition into "a" is the self transition a->a.
    assert [i for i in found if i.startswith("DR13")] == ["DR13:transition:a->a"]


def test_journey_without_a_success_outcome_or_start():
    journey = make_journey(steps=[{"id": "a", "channel": "phone"}],
                           transitions=[("a", "a", None, "rework")])
    assert "DR11:journey" in ids(journey)
    assert "DR13:transition:a->a" in ids(journey)


def test_review_months_below_one_is_refused():
    with pytest.raises(ValueError, match="review_months"):
        run(make_journey(), review_months=0)


@settings(max_examples=300, deadline=None)
@given(doc=valid_documents(), today=st.dates(), months=st.integers(1, 100_000))
def test_any_valid_journey_gets_a_consistent_ordered_list(doc, today, months):
    journey = load_data(doc)
    proposals = run(journey, today=today, review_months=months)
    assert proposals == run(journey, today=today, review_months=months)
    assert len({p.id for p in proposals}) == len(proposals)
    assert proposals == sorted(proposals, key=sort_key)
    step_ids = [s.id for s in journey.steps]
    pairs = {(t.source, t.target) for t in journey.transitions}
    for p in proposals:
        rule = RULES_BY_ID[p.rule]
        assert p.target.kind == rule.target
        assert p.evidence and p.actions and p.clauses == rule.clauses
        if p.target.kind == "journey":
            assert p.priority == rule.base
        elif p.target.kind == "step":
            assert p.target.id == step_ids[p.step]
        else:
            assert (p.target.source, p.target.target) in pairs
        step = None if p.step is None else journey.steps[p.step]
        if step is not None and step.moment_of_truth and rule.redesigns:
            assert any("co-create" in a.lower() for a in p.actions), p.id
        if p.rule == "DR03" or (p.rule == "DR04" and step.target_level == 4):
            assert any(a.startswith("Equity check") for a in p.actions), p.id
    for fmt in ("text", "json", "md"):
        assert render_report(journey, proposals, today, fmt).endswith("\n")


def test_evaluated_on_is_written_as_given():
    text = render_report(make_journey(), run(make_journey()), TODAY, "json")
    assert '"evaluated_on": "2026-11-24"' in text
