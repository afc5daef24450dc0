"""The priority formula, the tie order and determinism."""

import json

from journeys.domain.document import CheckAnswer, to_dict
from tests.designer.helpers import TODAY, get, ids, run
from tests.factories import make_journey


def test_priority_adds_moment_of_truth_gap_capped_pain_and_failed_checks():
    journey = make_journey(steps=[{
        "id": "letter", "moment_of_truth": True, "level": 1, "target_level": 3,
        "pain_points": [{"text": "Cold", "severity": 3, "votes": 3}],   # 12, capped at 10
        "checks": {"ACC-06": CheckAnswer("fail"), "TRA-04": CheckAnswer("partial"),
                   "ACC-02": CheckAnswer("fail"),                       # counter only: ignored
                   "TRA-03": CheckAnswer("pass")},
    }])
    # DR02: base 7 + 3 (moment of truth) + 2 (gap) + 10 (pain) + 2 (failed)
    assert get(journey, "DR02:step:letter").priority == 24
    assert get(journey, "DR19:step:letter").priority == 2 + 3 + 2 + 10 + 2


def test_journey_proposals_get_their_base_only():
    journey = make_journey(steps=[{"id": "letter", "moment_of_truth": True,
                                   "pain_points": [{"text": "Cold", "severity": 3}]}])
    assert get(journey, "DR06:journey").priority == 4
    assert get(journey, "DR08:journey").priority == 3


def test_a_transition_counts_its_from_step():
    journey = make_journey(steps=[
        {"id": "apply", "checks": {"ACC-06": CheckAnswer("fail")}},
        {"id": "check", "moment_of_truth": True, "actor": "back-office", "measure": "m"},
    ], transitions=[("apply", "check", None, "flow"), ("check", "apply", None, "rework")])
    assert get(journey, "DR13:transition:check->apply").priority == 5 + 3


def test_ties_follow_document_order_journey_first_then_rule_id():
    journey = make_journey(steps=[
        {"id": "b", "pain_points": [{"text": "x", "severity": 3, "votes": 1}]},   # DR17: 4+6
        {"id": "a", "pain_points": [{"text": "y", "severity": 3, "votes": 1}]},
    ])
    order = ids(journey)
    assert order.index("DR17:step:b") < order.index("DR17:step:a")
    # DR08 (journey, 3) and DR18 (1 + pain 2 = 3) tie: the journey comes first.
    tied = make_journey(steps=[{"id": "s", "stage": "b", "channel": "phone", "pain_points": [
        {"text": "z", "source": "citizen"}]}])
    assert ids(tied) == ["DR08:journey", "DR18:step:s"]
    assert [p.priority for p in run(tied)] == [3, 3]


def test_same_step_same_priority_orders_by_rule_id():
    journey = make_journey(steps=[{"id": "form", "channel": "phone", "checks": {
        "ACC-06": CheckAnswer("fail"), "TRA-03": CheckAnswer("fail")}}])
    assert ids(journey)[:2] == ["DR09:step:form", "DR10:step:form"]
    assert [p.priority for p in run(journey)][:2] == [7, 7]


def test_same_rule_same_step_orders_by_transition_index():
    journey = make_journey(steps=[{"id": "a"}, {"id": "b"}, {"id": "c"}],
                           transitions=[("a", "c", None, "rework"), ("a", "b", None, "rework"),
                                        ("b", "c", None, "flow")])
    assert ids(journey, "DR13") == ["DR13:transition:a->c", "DR13:transition:a->b"]


def test_the_output_is_sorted_by_priority():
    journey = make_journey(steps=[
        {"id": "a", "emotion": -2}, {"id": "b", "moment_of_truth": True, "level": 1},
        {"id": "c", "wait_days": 30},
    ])
    priorities = [p.priority for p in run(journey)]
    assert priorities == sorted(priorities, reverse=True)


def test_same_journey_and_date_give_the_same_output(tmp_path, journeys_cli):
    journey = make_journey(steps=[
        {"id": "a", "emotion": -2, "channel": "web"}, {"id": "b", "moment_of_truth": True},
        {"id": "c", "wait_days": 30, "agency": "X"},
    ], transitions=[("a", "b", None, "flow"), ("b", "c", None, "flow"),
                    ("c", "a", None, "flow"), ("b", "a", None, "failure")])
    path = tmp_path / "journey.json"
    path.write_text(json.dumps(to_dict(journey)), encoding="utf-8")
    # Separate processes with different string hashing: no set or dict order may leak out.
    outputs = []
    for seed in ("1", "2024"):
        result = journeys_cli("propose", path, "--format", "json", "--today", TODAY.isoformat(),
                              env={"PYTHONHASHSEED": seed})
        assert result.code == 0, result.err
        outputs.append(result.out)
    assert outputs[0] == outputs[1]
    proposals = json.loads(outputs[0])["proposals"]
    assert len(proposals) > 3
    assert len({p["id"] for p in proposals}) == len(proposals)
