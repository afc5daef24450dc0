"""Whole-journey writes and undo: replace, restore, delete for 30 days, duplicate, import."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from journeys.domain.document import CheckAnswer
from journeys.domain.schemas import dump_document
from journeys.store import services as store
from journeys.store.actors import SYSTEM
from journeys.store.errors import Conflict, NotFound, StoreError
from journeys.store.models import JourneyRow
from tests.factories import make_journey


def _doc(session, journey_id, revision=None):
    return dump_document(store.load_journey(session=session, actor=SYSTEM,
                                            journey_id=journey_id, revision=revision))


def test_replace_and_restore_are_new_revisions(session):
    original = make_journey(title="Original")
    journey_id = store.import_journey(session=session, actor=SYSTEM, journey=original)
    version = store.replace_journey(session=session, actor=SYSTEM, journey_id=journey_id,
                                    journey=make_journey(title="Replaced", steps=[
                                        {"id": "s1"}, {"id": "s3", "stage": "b"}]),
                                    expected_version=1)
    assert version == 2
    assert _doc(session, journey_id, revision=1) == dump_document(original)
    assert store.history(session=session, actor=SYSTEM, journey_id=journey_id)[0].summary == \
        "replaced the whole journey (1 step added, 1 step removed)"
    restored = store.restore_revision(session=session, actor=SYSTEM, journey_id=journey_id,
                                      revision=1, expected_version=2)
    assert restored == 3
    assert _doc(session, journey_id) == dump_document(original)
    summaries = [r.summary for r in store.history(session=session, actor=SYSTEM,
                                                  journey_id=journey_id)]
    assert summaries[0] == "restored revision 1" and summaries[-1] == "imported"


def test_a_stale_replace_is_refused_and_changes_nothing(session):
    journey_id = store.import_journey(session=session, actor=SYSTEM, journey=make_journey())
    store.replace_journey(session=session, actor=SYSTEM, journey_id=journey_id,
                          journey=make_journey(title="Second"), expected_version=1)
    with pytest.raises(Conflict) as caught:
        store.replace_journey(session=session, actor=SYSTEM, journey_id=journey_id,
                              journey=make_journey(title="Third"), expected_version=1)
    assert caught.value.current_version == 2 and caught.value.current["title"] == "Second"
    assert len(store.history(session=session, actor=SYSTEM, journey_id=journey_id)) == 2


def test_unknown_revisions_are_refused(session):
    journey_id = store.import_journey(session=session, actor=SYSTEM, journey=make_journey())
    for revision in (0, 2, -1):
        with pytest.raises(NotFound, match="revisions are 1 to 1"):
            store.load_journey(session=session, actor=SYSTEM, journey_id=journey_id,
                               revision=revision)


def test_delete_is_reversible_for_30_days(session):
    journey_id = store.import_journey(session=session, actor=SYSTEM, journey=make_journey())
    store.delete_journey(session=session, actor=SYSTEM, journey_id=journey_id)
    assert store.list_journeys(session=session, actor=SYSTEM) == []
    assert [j.id for j in store.list_journeys(session=session, actor=SYSTEM, deleted=True)] \
        == [journey_id]
    with pytest.raises(NotFound):
        store.load_journey(session=session, actor=SYSTEM, journey_id=journey_id)
    store.undelete_journey(session=session, actor=SYSTEM, journey_id=journey_id)
    assert store.load_journey(session=session, actor=SYSTEM, journey_id=journey_id).title
    summaries = [r.summary for r in store.history(session=session, actor=SYSTEM,
                                                  journey_id=journey_id)]
    assert summaries[:2] == ["undeleted", "deleted"]


def test_after_30_days_a_deleted_journey_is_gone(session):
    journey_id = store.import_journey(session=session, actor=SYSTEM, journey=make_journey())
    store.delete_journey(session=session, actor=SYSTEM, journey_id=journey_id)
    row = session.get(JourneyRow, journey_id)
    row.deleted_at = datetime.now(UTC) - timedelta(days=31)
    session.commit()
    with pytest.raises(NotFound, match="kept 30 days"):
        store.undelete_journey(session=session, actor=SYSTEM, journey_id=journey_id)
    assert store.purge_deleted(session=session) == 1
    assert store.list_journeys(session=session, actor=SYSTEM, deleted=True) == []


def test_duplicate_as_the_to_be_journey(session):
    journey_id = store.import_journey(session=session, actor=SYSTEM,
                                      journey=make_journey(title="Permit"))
    copy_id = store.duplicate_journey(session=session, actor=SYSTEM, journey_id=journey_id)
    copy = store.load_journey(session=session, actor=SYSTEM, journey_id=copy_id)
    assert (copy.title, copy.state) == ("Permit (to-be)", "to-be")
    assert [s.id for s in copy.steps] == ["s1", "s2"]
    assert store.history(session=session, actor=SYSTEM, journey_id=copy_id)[0].number == 1


def test_import_inserts_each_table_in_one_batch(session):
    statements: list[str] = []
    engine = session.get_bind()

    def log(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    steps = [{"id": f"s{i}", "pain_points": [{"text": "slow"}],
              "checks": {"ACC-01": CheckAnswer("pass")}}
             for i in range(2000)]
    journey = make_journey(steps=steps, transitions=[(f"s{i}", f"s{(i + 1) % 2000}")
                                                     for i in range(2000)]
                           + [(f"s{i}", f"s{(i + 7) % 2000}") for i in range(2000)])
    sa.event.listen(engine, "before_cursor_execute", log)
    try:
        store.import_journey(session=session, actor=SYSTEM, journey=journey)
    finally:
        sa.event.remove(engine, "before_cursor_execute", log)
    # SQLite batches are bounded by its variable limit, so a few statements per table;
    # never one per row.
    assert len(statements) < 100


def test_a_team_name_has_one_limit_checked_before_the_database(session):
    with pytest.raises(StoreError, match="team name: is 101 characters long; at most 100"):
        store.import_journey(session=session, actor=SYSTEM, journey=make_journey(),
                             team_name="x" * 101)
    store.import_journey(session=session, actor=SYSTEM, journey=make_journey(),
                         team_name="é" * 100)
    assert store.list_journeys(session=session, actor=SYSTEM)[0].team == "é" * 100


def test_votes_up_to_the_largest_stored_integer_round_trip(session):
    journey = make_journey(steps=[{"id": "s1", "pain_points": [{"text": "x",
                                                                "votes": 2**63 - 1}]}])
    journey_id = store.import_journey(session=session, actor=SYSTEM, journey=journey)
    loaded = store.load_journey(session=session, actor=SYSTEM, journey_id=journey_id)
    assert loaded.steps[0].pain_points[0].votes == 2**63 - 1


def test_migrations_go_down_to_base_and_up_again(tmp_path):
    from journeys.store.db import current_revision, head_revision, make_engine, migrate

    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    migrate(engine)
    from alembic import command

    from journeys.store.db import _alembic_config

    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert current_revision(engine) is None
    migrate(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_a_duplicate_with_a_bad_title_is_refused_with_its_field(session):
    from journeys.domain.schemas import DocumentError

    journey_id = store.import_journey(session=session, actor=SYSTEM, journey=make_journey())
    with pytest.raises(DocumentError) as caught:
        store.duplicate_journey(session=session, actor=SYSTEM, journey_id=journey_id,
                                title=" ")
    assert caught.value.problems[0][0] == "title"
    assert len(store.list_journeys(session=session, actor=SYSTEM)) == 1
