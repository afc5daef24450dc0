"""Reading one step for its form: the same step, number and stages as the whole journey."""

import pytest

from journeys.store import services as store
from journeys.store.actors import SYSTEM, Actor
from journeys.store.errors import NotFound
from tests.factories import make_journey


@pytest.fixture
def journey_id(session):
    journey = make_journey(steps=[
        {"id": "find"},
        {"id": "apply", "stage": "b", "checks": {}, "agency": "Council",
         "pain_points": [{"text": "Slow", "severity": 3}]},
        {"id": "wait", "stage": "b"}])
    return store.import_journey(session=session, actor=SYSTEM, journey=journey)


def test_a_step_read_alone_equals_the_step_of_the_whole_journey(session, journey_id):
    found = store.load_step(session=session, actor=SYSTEM, journey_id=journey_id,
                            step_id="apply")
    whole, version = store.load_journey_version(session=session, actor=SYSTEM,
                                                journey_id=journey_id)
    assert found.step == whole.steps[1]
    assert (found.number, found.version, found.stages) == (2, version, whole.stages)
    assert found.step.pain_points[0].text == "Slow"


@pytest.mark.parametrize("step_id", ["nope", None, 3])
def test_a_missing_step_is_not_found(session, journey_id, step_id):
    with pytest.raises(NotFound):
        store.load_step(session=session, actor=SYSTEM, journey_id=journey_id, step_id=step_id)


def test_another_teams_journey_is_not_found(session, journey_id):
    stranger = Actor(user_id=99, name="Stranger", roles={})
    with pytest.raises(NotFound):
        store.load_step(session=session, actor=stranger, journey_id=journey_id,
                        step_id="apply")
