"""Many writers at once: atomic votes, IMMEDIATE transactions, one team for concurrent imports."""

import threading

import pytest
from sqlmodel import select

from journeys.domain.schemas import DocumentError
from journeys.store import services as store
from journeys.store.actors import SYSTEM
from journeys.store.db import open_session
from journeys.store.errors import Conflict
from journeys.store.models import Team
from tests.factories import make_journey


def _run_together(n: int, work) -> list:
    """Run ``work(i)`` in ``n`` threads started together, each with its own session."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - collected and asserted on by the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_200_votes_at_once_count_200(session, database_url):
    journey = make_journey(steps=[{"id": "s1", "pain_points": [{"text": "Queue", "votes": 5}]}])
    journey_id = store.import_journey(session=session, actor=SYSTEM, journey=journey)

    def vote(_):
        with open_session(database_url) as own:
            return store.vote_pain_point(session=own, actor=SYSTEM, journey_id=journey_id,
                                         step_id="s1", index=0)

    results = _run_together(200, vote)
    assert [r for r in results if isinstance(r, Exception)] == []
    loaded = store.load_journey(session=session, actor=SYSTEM, journey_id=journey_id)
    assert loaded.steps[0].pain_points[0].votes == 205
    # Votes never make an open form stale: the version has not moved.
    assert store.get_journey_row(session=session, actor=SYSTEM,
                                 journey_id=journey_id).version == 1


def test_votes_never_go_below_zero(session):
    journey = make_journey(steps=[{"id": "s1", "pain_points": [{"text": "Queue"}]}])
    journey_id = store.import_journey(session=session, actor=SYSTEM, journey=journey)
    with pytest.raises(DocumentError, match="votes cannot go from 0 to -1"):
        store.vote_pain_point(session=session, actor=SYSTEM, journey_id=journey_id,
                              step_id="s1", index=0, delta=-1)


def test_concurrent_editors_each_land_or_get_a_conflict_never_a_lock_error(session,
                                                                           database_url):
    journey_id = store.import_journey(session=session, actor=SYSTEM, journey=make_journey())

    def edit(i):
        with open_session(database_url) as own:
            for _ in range(50):
                version = store.get_journey_row(session=own, actor=SYSTEM,
                                                journey_id=journey_id).version
                try:
                    return store.update_step(session=own, actor=SYSTEM,
                                             journey_id=journey_id, step_id="s1",
                                             changes={"title": f"Title {i}"},
                                             expected_version=version)
                except Conflict:
                    continue
            return None

    results = _run_together(12, edit)
    assert [r for r in results if not isinstance(r, int)] == []
    assert sorted(results) == list(range(2, 14))
    assert len(store.history(session=session, actor=SYSTEM, journey_id=journey_id)) == 13


def test_concurrent_imports_create_their_team_once(session, database_url):
    def run(_):
        with open_session(database_url) as own:
            return store.import_journey(session=own, actor=SYSTEM, journey=make_journey(),
                                        team_name="Licensing")

    results = _run_together(10, run)
    assert [r for r in results if not isinstance(r, int)] == []
    assert len(session.exec(select(Team).where(Team.name == "Licensing")).all()) == 1
