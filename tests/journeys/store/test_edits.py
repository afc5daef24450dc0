"""Edit services: every edit keeps the journey a valid document, lands whole or not at all,
records a revision the journey can be rebuilt from, and touches only what it changes."""

import json
import re

import pytest
import sqlalchemy as sa

from journeys.domain.document import to_dict
from journeys.domain.schemas import DocumentError, dump_document, load_data
from journeys.store import services as store
from journeys.store.actors import SYSTEM
from journeys.store.errors import Conflict, NotFound
from tests.factories import make_journey


def _journey(**overrides):
    return make_journey(
        steps=[{"id": "find"}, {"id": "apply", "stage": "b"}, {"id": "wait", "stage": "b"}],
        transitions=[("find", "apply"), ("apply", "wait")], **overrides)


@pytest.fixture
def journey_id(session):
    return store.import_journey(session=session, actor=SYSTEM, journey=_journey())


def _version(session, journey_id):
    return store.get_journey_row(session=session, actor=SYSTEM, journey_id=journey_id).version


def _doc(session, journey_id, revision=None):
    return dump_document(store.load_journey(session=session, actor=SYSTEM,
                                            journey_id=journey_id, revision=revision))


# Each edit as (service, its arguments); run in this order on the journey above.
EDITS = [
    (store.update_step, {"step_id": "apply", "changes": {"channel": "phone", "level": 2}}),
    (store.update_journey, {"changes": {"title": "Renew a permit",
                                        "persona": {"name": "Ann", "needs": ["time"]}}}),
    (store.update_journey, {"changes": {"persona": None, "reviewed_on": "2026-01-31"}}),
    (store.add_stage, {"stage": {"id": "c", "name": "Decide"}, "position": 1}),
    (store.move_stage, {"stage_id": "c", "position": 2}),
    (store.update_stage, {"stage_id": "b", "changes": {"id": "apply-stage", "name": "Apply"}}),
    (store.add_step, {"step": {"id": "decide", "stage": "c", "title": "Decision"},
                      "position": 0}),
    (store.move_step, {"step_id": "decide", "stage": "a", "position": 3}),
    (store.add_transition, {"transition": {"from": "wait", "to": "decide",
                                           "kind": "rework"}}),
    (store.update_transition, {"from_step": "wait", "to_step": "decide",
                               "changes": {"label": "again", "kind": "failure"}}),
    (store.update_step, {"step_id": "wait", "changes": {"id": "waiting"}}),
    (store.set_check, {"step_id": "find", "check_id": "ACC-01", "result": "fail",
                       "note": "no alternative text"}),
    (store.add_pain_point, {"step_id": "find", "pain_point": {"text": "Slow site"}}),
    (store.add_pain_point, {"step_id": "find", "pain_point": {"text": "Jargon"},
                            "position": 0}),
    (store.update_pain_point, {"step_id": "find", "index": 1, "changes": {"severity": 3}}),
    (store.delete_pain_point, {"step_id": "find", "index": 0}),
    (store.add_idea, {"step_id": "find", "text": "Call back"}),
    (store.update_idea, {"step_id": "find", "index": 0, "text": "Phone back"}),
    (store.delete_idea, {"step_id": "find", "index": 0}),
    (store.delete_transition, {"from_step": "find", "to_step": "apply"}),
    (store.delete_stage, {"stage_id": "apply-stage", "move_to": "c"}),
    (store.delete_step, {"step_id": "apply"}),
    (store.set_check, {"step_id": "find", "check_id": "ACC-01", "result": None}),
    (store.delete_stage, {"stage_id": "c", "steps": "delete"}),
]


def test_every_edit_keeps_a_valid_document_and_a_rebuildable_history(session, journey_id):
    documents = {1: _doc(session, journey_id)}
    for service, kwargs in EDITS:
        before = _version(session, journey_id)
        version = service(session=session, actor=SYSTEM, journey_id=journey_id,
                          expected_version=before, **kwargs)
        assert version == before + 1 == _version(session, journey_id)
        current = store.load_journey(session=session, actor=SYSTEM, journey_id=journey_id)
        load_data(to_dict(current))  # what 'journeys check' would read: still valid
        documents[version] = dump_document(current)
    for number, expected in documents.items():
        assert _doc(session, journey_id, revision=number) == expected, f"revision {number}"
    numbers = [r.number for r in store.history(session=session, actor=SYSTEM,
                                               journey_id=journey_id)]
    assert numbers == list(range(len(EDITS) + 1, 0, -1))


def test_history_says_what_changed(session, journey_id):
    store.update_step(session=session, actor=SYSTEM, journey_id=journey_id, step_id="apply",
                      changes={"channel": "phone"}, expected_version=1)
    latest = store.history(session=session, actor=SYSTEM, journey_id=journey_id)[0]
    assert latest.summary == "step `apply`: channel web → phone"
    assert latest.actor_name == "command line"
    assert latest.created_at.tzinfo is not None
    assert latest.changes == [{"type": "step", "key": "apply", "before": {"channel": "web"},
                               "after": {"channel": "phone"}}]


# A change of every key of the step's own row, some of them to what they already are.
EVERY_COLUMN = {"id": "applying", "stage": "a", "title": "Apply online", "description": "Fill in",
                "channel": "phone", "actor": "frontline", "agency": "Registry",
                "visibility": "backstage", "level": 2, "target_level": 4, "emotion": -1,
                "moment_of_truth": True, "effort_minutes": 2.5, "wait_days": 3,
                "ideas": ["Call back"], "measure": "Time to apply", "evidence": "observed",
                "tags": ["forms"]}


@pytest.mark.parametrize("changes", [
    {"id": "apply", "stage": "b", "title": "Title", "effort_minutes": 3, "wait_days": None,
     "ideas": ["Call back", "Write"], "tags": [], "moment_of_truth": False, "level": 2},
    {"visibility": None, "actor": "back-office"},
    {"visibility": None},
    {},
])
def test_an_edit_of_the_row_alone_records_what_an_edit_of_the_whole_step_records(
        session, changes):
    # Naming the step's (unchanged) check answers takes an edit through the whole step:
    # what both ways write and record must be the same, from the defaults and back.
    recorded = []
    for extra in ({}, {"checks": {}}):
        journey_id = store.import_journey(session=session, actor=SYSTEM, journey=_journey())
        for version, (step_id, change) in enumerate(
                [("apply", EVERY_COLUMN), ("applying", changes)], start=1):
            store.update_step(session=session, actor=SYSTEM, journey_id=journey_id,
                              step_id=step_id, changes={**change, **extra},
                              expected_version=version)
        revisions = store.history(session=session, actor=SYSTEM, journey_id=journey_id)[:2]
        doc = _doc(session, journey_id)
        recorded.append(([(r.summary, r.changes) for r in revisions], doc))
        assert _doc(session, journey_id, revision=3) == doc
    # As JSON, where 3 and 3.0 differ.
    assert json.dumps(recorded[0], default=bytes.decode) == json.dumps(recorded[1],
                                                                         default=bytes.decode)


@pytest.mark.parametrize("extra", [{}, {"checks": {}}])
def test_a_whole_number_given_as_a_float_is_recorded_as_the_journey_shows_it(session, extra):
    # 3.0 days is 3 days: the history says 3 as the journey does, by either way of editing.
    journey_id = store.import_journey(session=session, actor=SYSTEM, journey=_journey())
    store.update_step(session=session, actor=SYSTEM, journey_id=journey_id, step_id="apply",
                      changes={"wait_days": 3.0, "effort_minutes": 2.5, **extra},
                      expected_version=1)
    latest = store.history(session=session, actor=SYSTEM, journey_id=journey_id)[0]
    after = json.dumps(latest.changes[0]["after"], sort_keys=True)
    assert after == '{"effort_minutes": 2.5, "wait_days": 3}'
    assert "3.0" not in latest.summary
    # The journey rebuilt from its history is the journey, byte for byte.
    assert _doc(session, journey_id, revision=2) == _doc(session, journey_id)


def test_an_edit_moves_updated_at(session, journey_id):
    before = store.list_journeys(session=session, actor=SYSTEM)[0].updated_at
    store.update_step(session=session, actor=SYSTEM, journey_id=journey_id, step_id="apply",
                      changes={"title": "Apply online"}, expected_version=1)
    after = store.list_journeys(session=session, actor=SYSTEM)[0]
    assert after.updated_at > before and after.version == 2
    assert after.as_dict()["updated_at"].endswith("+00:00")


def test_none_removes_an_optional_value_or_sets_null(session, journey_id):
    store.update_step(session=session, actor=SYSTEM, journey_id=journey_id, step_id="apply",
                      changes={"description": "Fill in", "level": 3}, expected_version=1)
    store.update_step(session=session, actor=SYSTEM, journey_id=journey_id, step_id="apply",
                      changes={"description": None, "level": None}, expected_version=2)
    step = store.load_journey(session=session, actor=SYSTEM, journey_id=journey_id).step("apply")
    assert step.description is None and step.level is None


def test_a_stale_version_is_a_conflict_carrying_the_current_value(session, journey_id):
    store.update_step(session=session, actor=SYSTEM, journey_id=journey_id, step_id="apply",
                      changes={"channel": "phone"}, expected_version=1)
    with pytest.raises(Conflict) as caught:
        store.update_step(session=session, actor=SYSTEM, journey_id=journey_id,
                          step_id="apply", changes={"channel": "letter"}, expected_version=1)
    err = caught.value
    assert err.current_version == 2
    assert err.current["channel"] == "phone"
    assert err.changed_by == "command line" and err.changed_at.tzinfo is not None
    assert "version 2" in str(err)
    assert _version(session, journey_id) == 2


# --- bad input: refused with the field named, nothing written, no revision ------------------

BAD = [
    pytest.param(store.update_step, {"step_id": "apply", "changes": {"channel": "fax"}},
                 DocumentError, "steps[1].channel", id="unknown-value"),
    pytest.param(store.update_step, {"step_id": "apply", "changes": {"chanel": "web"}},
                 DocumentError, "steps[1].chanel", id="unknown-key"),
    pytest.param(store.update_step, {"step_id": "apply", "changes": {"stage": "zz"}},
                 DocumentError, "steps[1].stage", id="stage-of-nowhere"),
    pytest.param(store.update_step, {"step_id": "apply", "changes": {"id": "find"}},
                 DocumentError, "steps[1].id", id="duplicate-step-id"),
    pytest.param(store.update_step, {"step_id": "apply", "changes": {"title": None}},
                 DocumentError, "steps[1].title", id="required-removed"),
    pytest.param(store.update_step, {"step_id": "nope", "changes": {"title": "x"}},
                 NotFound, "step_id", id="unknown-step"),
    pytest.param(store.update_step, {"step_id": "apply", "changes": {"level": 7}},
                 DocumentError, "steps[1].level", id="out-of-range"),
    pytest.param(store.add_step, {"step": {"id": "find", "stage": "a", "title": "Again"}},
                 DocumentError, "steps[3].id", id="add-duplicate"),
    pytest.param(store.add_step, {"step": {"id": "new", "stage": "a", "title": "x"},
                                  "position": 9},
                 DocumentError, "position", id="position-out-of-range"),
    pytest.param(store.add_stage, {"stage": {"id": "a", "name": "Again"}},
                 DocumentError, "stages[2].id", id="duplicate-stage"),
    pytest.param(store.add_transition, {"transition": {"from": "find", "to": "elsewhere"}},
                 DocumentError, "transitions[2].to", id="transition-to-nowhere"),
    pytest.param(store.add_transition, {"transition": {"from": "find", "to": "apply"}},
                 DocumentError, "transitions[2]", id="duplicate-transition"),
    pytest.param(store.update_transition, {"from_step": "find", "to_step": "apply",
                                           "changes": {"to": "gone"}},
                 DocumentError, "transitions[0].to", id="transition-left-pointing-nowhere"),
    pytest.param(store.delete_transition, {"from_step": "wait", "to_step": "find"},
                 NotFound, "from_step", id="unknown-transition"),
    pytest.param(store.delete_stage, {"stage_id": "b"}, DocumentError, "steps",
                 id="stage-with-steps-undecided"),
    pytest.param(store.delete_stage, {"stage_id": "b", "move_to": "zz"}, NotFound, "move_to",
                 id="move-to-unknown-stage"),
    pytest.param(store.delete_step, {"step_id": "apply", "expected_version": 7}, Conflict,
                 "version", id="stale-version"),
    pytest.param(store.update_pain_point, {"step_id": "apply", "index": 0,
                                           "changes": {"text": "x"}},
                 NotFound, "index", id="pain-point-out-of-range"),
    pytest.param(store.add_pain_point, {"step_id": "apply", "pain_point": {"text": " "}},
                 DocumentError, "steps[1].pain_points[0].text", id="blank-pain-point"),
    pytest.param(store.set_check, {"step_id": "apply", "check_id": "NOPE-1", "result": "pass"},
                 DocumentError, "steps[1].checks.NOPE-1", id="unknown-check"),
    pytest.param(store.update_journey, {"changes": {"title": "x" * 201}}, DocumentError,
                 "title", id="journey-title-too-long"),
    pytest.param(store.update_journey, {"changes": {"steps": []}}, DocumentError, "steps",
                 id="journey-parts-not-here"),
]


@pytest.mark.parametrize(("service", "kwargs", "error", "field"), BAD)
def test_bad_edits_are_refused_whole(session, journey_id, service, kwargs, error, field):
    before = _doc(session, journey_id)
    kwargs = {"expected_version": 1, **kwargs}
    with pytest.raises(error) as caught:
        service(session=session, actor=SYSTEM, journey_id=journey_id, **kwargs)
    if error is DocumentError:
        assert field in [path for path, _ in caught.value.problems]
    else:
        assert field in str(caught.value)
    assert _doc(session, journey_id) == before
    assert _version(session, journey_id) == 1
    assert len(store.history(session=session, actor=SYSTEM, journey_id=journey_id)) == 1


def test_an_object_of_another_journey_is_not_found(session, journey_id):
    other = store.import_journey(session=session, actor=SYSTEM, journey=make_journey(
        steps=[{"id": "elsewhere"}]))
    with pytest.raises(DocumentError) as caught:
        store.add_transition(session=session, actor=SYSTEM, journey_id=journey_id,
                             transition={"from": "find", "to": "elsewhere"},
                             expected_version=1)
    assert caught.value.problems[0][0] == "transitions[2].to"
    with pytest.raises(NotFound):
        store.update_step(session=session, actor=SYSTEM, journey_id=other, step_id="apply",
                          changes={"title": "x"}, expected_version=1)


def test_the_last_step_and_stage_cannot_go(session):
    journey_id = store.import_journey(session=session, actor=SYSTEM,
                                      journey=make_journey(steps=[{"id": "only"}]))
    with pytest.raises(DocumentError, match="at least one step"):
        store.delete_step(session=session, actor=SYSTEM, journey_id=journey_id,
                          step_id="only", expected_version=1)
    with pytest.raises(DocumentError, match="all the journey's steps"):
        store.delete_stage(session=session, actor=SYSTEM, journey_id=journey_id,
                           stage_id="a", steps="delete", expected_version=1)


def test_ids_too_large_for_the_database_are_not_found(session):
    with pytest.raises(NotFound, match="does not exist"):
        store.load_journey(session=session, actor=SYSTEM, journey_id=2**64)


# --- at scale: one step's edit reads and writes that step alone ------------------------------


def _statements(session, edit) -> list[str]:
    seen: list[str] = []
    engine = session.get_bind()

    def log(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", log)
    try:
        edit()
    finally:
        sa.event.remove(engine, "before_cursor_execute", log)
    return seen


def _step_edit_statements(session, size: int) -> list[str]:
    steps = [{"id": f"s{i}", "stage": "a" if i < size // 2 else "b"} for i in range(size)]
    journey = make_journey(steps=steps, transitions=[(f"s{i}", f"s{i + 1}")
                                                     for i in range(size - 1)])
    journey_id = store.import_journey(session=session, actor=SYSTEM, journey=journey)
    return _statements(session, lambda: store.update_step(
        session=session, actor=SYSTEM, journey_id=journey_id, step_id=f"s{size // 2}",
        changes={"channel": "phone"}, expected_version=1))


def test_a_step_edit_reads_and_writes_that_step_alone(session):
    small = _step_edit_statements(session, 40)
    large = _step_edit_statements(session, 2000)
    # The same few statements at 40 and at 2,000 steps; on SQLite in one IMMEDIATE
    # transaction.
    assert small == large
    if session.get_bind().dialect.name == "sqlite":
        assert small[0] == "BEGIN IMMEDIATE"
        small = small[1:]
    assert len(small) <= 4
    # Every read of steps, checks or pain points names the one step.
    for statement in small:
        if statement.startswith("SELECT") and ("FROM step" in statement
                                               or "FROM pain_point" in statement
                                               or "FROM check_result" in statement):
            assert re.search(r"step\.slug = |step_id = ", statement), statement
    writes = [m[0] for s in small if (m := re.match(r"(UPDATE|INSERT INTO|DELETE FROM) \w+", s))]
    assert writes == ["UPDATE journey", "UPDATE step", "INSERT INTO revision"]
