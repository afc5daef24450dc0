"""Store services on a real SQLite database: whole imports, faithful loads, team scoping."""

import json

import pytest
import sqlalchemy as sa
from sqlmodel import select

from journeys.domain.schemas import dump_document, load_document
from journeys.store import services as store
from journeys.store.actors import SYSTEM, Actor
from journeys.store.models import JourneyRow, StepRow
from tests.factories import make_journey


def test_import_then_load_gives_back_the_same_document(session, sample_path):
    raw = sample_path.read_bytes()
    journey_id = store.import_journey(session=session, actor=SYSTEM, journey=load_document(raw))
    loaded = store.load_journey(session=session, actor=SYSTEM, journey_id=journey_id)
    assert dump_document(loaded) == dump_document(load_document(raw))


def test_import_is_all_or_nothing(session):
    # Two transitions with the same (from, to) pair break a database constraint halfway
    # through the write; the journey, its team and its steps must all be rolled back.
    journey = make_journey(transitions=[("s1", "s2"), ("s1", "s2")])
    with pytest.raises(sa.exc.IntegrityError):
        store.import_journey(session=session, actor=SYSTEM, journey=journey, team_name="Half team")
    assert session.exec(select(JourneyRow)).all() == []
    assert session.exec(select(StepRow)).all() == []
    assert store.list_journeys(session=session, actor=SYSTEM) == []


def test_list_is_scoped_to_teams(session):
    a = store.import_journey(session=session, actor=SYSTEM, journey=make_journey(title="Ours"),
                             team_name="Team A")
    store.import_journey(session=session, actor=SYSTEM, journey=make_journey(title="Theirs"),
                         team_name="Team B")
    team_a = store.get_journey_row(session=session, actor=SYSTEM, journey_id=a).team_id
    member = Actor(user_id=None, name="Ann", roles={team_a: "viewer"})
    titles = [r.title for r in store.list_journeys(session=session, actor=member)]
    assert titles == ["Ours"]
    assert [r.title for r in store.list_journeys(session=session, actor=SYSTEM,
                                                 team_id=team_a)] == ["Ours"]


def test_numbers_keep_their_value(session):
    journey = make_journey(steps=[{"id": "s1", "effort_minutes": 2.5, "wait_days": 3}])
    journey_id = store.import_journey(session=session, actor=SYSTEM, journey=journey)
    loaded = store.load_journey(session=session, actor=SYSTEM, journey_id=journey_id)
    step = loaded.steps[0]
    assert (step.effort_minutes, step.wait_days) == (2.5, 3)
    assert json.loads(dump_document(loaded))["steps"][0]["wait_days"] == 3


def test_demo_loads_once(session):
    first = store.load_demo(session=session, actor=SYSTEM)
    second = store.load_demo(session=session, actor=SYSTEM)
    assert [(i, t) for i, t, _ in first] == [(i, t) for i, t, _ in second]
    assert all(new for *_, new in first) and not any(new for *_, new in second)
    assert len(store.list_journeys(session=session, actor=SYSTEM)) == len(first) >= 2
