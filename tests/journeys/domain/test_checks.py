"""The check catalogues: applicability as checks.md states it, and the generated reference."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from journeys.domain.checks import CHECKS, FAILED_RESULTS, Assessment, reference
from journeys.domain.document import CheckAnswer
from journeys.domain.schemas import load_data
from tests.factories import make_journey
from tests.strategies import valid_documents

DOCS = Path(__file__).resolve().parents[3] / "docs" / "checks.md"


def test_the_reference_page_is_generated_from_the_catalogue():
    assert DOCS.read_text() == reference()


def _applicable(journey, step_id):
    assessment = Assessment(journey)
    index = [s.id for s in journey.steps].index(step_id)
    return set(assessment.applicable[index])


@pytest.mark.parametrize("channel, expected", [
    ("web", {"ACC-01", "ACC-03"}), ("kiosk", {"ACC-01", "ACC-03", "ACC-08"}),
    ("counter", {"ACC-02", "ACC-08"}), ("phone", set()), ("none", set()),
])
def test_channel_specific_accessibility_checks(channel, expected):
    journey = make_journey(steps=[{"id": "s1", "channel": channel}])
    channel_checks = {"ACC-01", "ACC-02", "ACC-03", "ACC-08"}
    assert _applicable(journey, "s1") & channel_checks == expected


def test_backstage_steps_get_only_the_checks_that_do_not_ask_for_citizen_facing():
    journey = make_journey(steps=[
        {"id": "s1", "actor": "back-office", "wait_days": 3, "tags": ["personal-data", "decision"]},
    ])
    assert _applicable(journey, "s1") == {"TRA-07", "TRA-08", "TRA-09", "TRA-11"}


def test_first_stages_and_identity():
    journey = make_journey(
        stages=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "c", "name": "C"}],
        steps=[{"id": "s1"}, {"id": "s2", "stage": "b", "tags": ["identity"]},
               {"id": "s3", "stage": "c"}],
    )
    assert {"TRA-01", "TRA-02"} <= _applicable(journey, "s1")
    assert "TRA-01" not in _applicable(journey, "s2")
    assert {"TRA-02", "ACC-12"} <= _applicable(journey, "s2")
    assert not {"TRA-01", "TRA-02", "ACC-12"} & _applicable(journey, "s3")


def test_wait_ahead_follows_transitions_of_every_kind():
    journey = make_journey(
        steps=[{"id": "s1"}, {"id": "s2"}, {"id": "s3", "stage": "b"},
               {"id": "w", "stage": "b", "actor": "system", "wait_days": 2}],
        transitions=[("s1", "s2"), ("s2", "w", None, "rework"), ("s3", "s1", None, "failure")],
    )
    assert all("TRA-05" in _applicable(journey, s) for s in ("s1", "s2", "s3"))
    assert "TRA-05" not in _applicable(journey, "w")  # backstage: not citizen-facing


def test_implied_transitions_count_for_acknowledgement_and_waits():
    journey = make_journey(steps=[
        {"id": "s1"}, {"id": "s2", "stage": "b", "actor": "back-office", "wait_days": 1},
    ])
    assert {"TRA-05", "TRA-06"} <= _applicable(journey, "s1")


def test_failed_ignores_answers_to_checks_that_do_not_apply():
    journey = make_journey(steps=[{"id": "s1", "channel": "phone", "checks": {
        "ACC-01": CheckAnswer("fail"), "ACC-06": CheckAnswer("partial"),
        "TRA-03": CheckAnswer("n/a"),
    }}])
    assert Assessment(journey).failed(0) == ["ACC-06"]


def test_answers_are_read_only_where_the_check_applies():
    note = CheckAnswer("fail", "Only in English", as_object=True)
    journey = make_journey(steps=[{"id": "s1", "channel": "phone", "checks": {
        "TRA-03": CheckAnswer("pass"), "ACC-01": CheckAnswer("fail"), "ACC-07": note,
    }}])
    a = Assessment(journey)
    assert a.answer(0, "ACC-07") is note and a.result(0, "ACC-07") == "fail"
    assert a.answer(0, "ACC-01") is None and a.result(0, "ACC-01") is None  # web only
    assert a.answer(0, "ACC-06") is None  # applies, not answered
    assert a.ignored(0) == ["ACC-01"]
    assert a.answers(0) == {"ACC-07": "fail", "TRA-03": "pass"}
    assert list(a.answers(0)) == ["ACC-07", "TRA-03"]  # catalogue order
    assert a.failed(0) == ["ACC-07"] and a.failed_counts() == [1]


def test_failed_checks_are_listed_in_catalogue_order():
    journey = make_journey(steps=[{"id": "s1", "checks": {
        "TRA-03": CheckAnswer("partial"), "ACC-06": CheckAnswer("fail"),
        "ACC-03": CheckAnswer("fail"),
    }}])
    assert Assessment(journey).failed(0) == ["ACC-03", "ACC-06", "TRA-03"]


@given(valid_documents())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_answers_agree_with_the_table_of_applicable_checks(doc):
    journey = load_data(doc)
    # ``applicable`` runs every rule on every step; the other readings ask only about the
    # answers they need, so they are checked against it.
    applicable = Assessment(journey).applicable
    lazy = Assessment(journey)
    for i, step in enumerate(journey.steps):
        answered = {cid: a for cid, a in step.checks.items() if cid in applicable[i]}
        assert lazy.answers(i) == {cid: answered[cid].result for cid in CHECKS if cid in answered}
        assert lazy.failed(i) == [cid for cid in applicable[i]
                                  if cid in answered and answered[cid].result in FAILED_RESULTS]
        assert lazy.ignored(i) == [cid for cid in step.checks if cid not in applicable[i]]
        for cid in CHECKS:
            assert lazy.answer(i, cid) is answered.get(cid)
    assert lazy.failed_counts() == [len(lazy.failed(i)) for i in range(len(journey.steps))]
