"""What a participant sees: the workshop behind a code (closed told apart from unknown) and
their page of steps, light however many pain points the room raised."""

import pytest

from journeys.store import participation as pt
from journeys.store import services as store
from journeys.store import workshops as ws
from journeys.store.errors import NotFound
from tests.factories import make_journey


@pytest.fixture
def journey_id(session):
    journey = make_journey(
        stages=[{"id": "find", "name": "Find out"}, {"id": "apply", "name": "Apply"},
                {"id": "wait", "name": "Wait"}],
        steps=[{"id": "form", "stage": "apply", "title": "Fill in the form"},
               {"id": "read", "stage": "find", "title": "Read the guidance"},
               {"id": "check", "stage": "apply", "actor": "back-office"},
               {"id": "letter", "stage": "wait"}])
    return store.import_journey(session=session, actor=store.SYSTEM, journey=journey)


def _start(session, journey_id, **kw):
    return ws.start_workshop(session=session, actor=store.SYSTEM, journey_id=journey_id,
                             **{"title": "Evening", "open_stages": ["find", "apply"], **kw})


def _close(session, journey_id, workshop):
    version = store.get_journey_row(session=session, actor=store.SYSTEM,
                                    journey_id=journey_id).version
    ws.close_workshop(session=session, actor=store.SYSTEM, workshop_id=workshop.id,
                      expected_version=version)


def test_a_code_finds_its_workshop_open_or_closed_and_nothing_else(session, journey_id):
    w = _start(session, journey_id, language="fr")
    found = pt.workshop_for_code(session=session, code=f" {w.code[:3].lower()}-{w.code[3:]}")
    assert (found.id, found.language, found.closed) == (w.id, "fr", False)
    _close(session, journey_id, w)
    assert pt.workshop_for_code(session=session, code=w.code).closed is True
    for code in ("ZZZZZZ", "", "x" * 100, None):
        with pytest.raises(NotFound):
            pt.workshop_for_code(session=session, code=code)


def test_an_open_workshop_wins_over_a_closed_one_with_the_same_code(session, journey_id):
    closed = _start(session, journey_id)
    _close(session, journey_id, closed)
    reopened = _start(session, journey_id, title="Second evening")
    session.execute(ws.W.update().where(ws.W.c.id == reopened.id).values(code=closed.code))
    session.commit()
    found = pt.workshop_for_code(session=session, code=closed.code)
    assert (found.id, found.closed) == (reopened.id, False)


def test_a_deleted_journeys_workshop_is_unknown(session, journey_id):
    w = _start(session, journey_id)
    store.delete_journey(session=session, actor=store.SYSTEM, journey_id=journey_id)
    with pytest.raises(NotFound):
        pt.workshop_for_code(session=session, code=w.code)


def test_the_page_lists_open_citizen_facing_steps_in_journey_order(session, journey_id):
    w = _start(session, journey_id)
    _participant, token = ws.join(session=session, code=w.code)
    page = pt.participant_page(session=session, workshop_id=w.id, token=token)
    assert [(s.id, [step.id for step in s.steps]) for s in page.stages] == \
        [("find", ["read"]), ("apply", ["form"])]
    assert page.step_ids == {"read", "form"}
    assert page.content_language == "en"
    with pytest.raises(NotFound):
        pt.participant_page(session=session, workshop_id=w.id, token="forged")


def test_own_items_feelings_and_others_with_votes(session, journey_id):
    w = _start(session, journey_id, moderation="before")
    (_p, me), (_q, other) = ws.join(session=session, code=w.code), \
        ws.join(session=session, code=w.code)
    args = {"session": session, "workshop_id": w.id}
    mine = ws.add_pain_point(**args, token=me, step="read", text="Jargon")
    idea = ws.add_idea(**args, token=me, step="read", text="Plain words")
    theirs = ws.add_pain_point(**args, token=other, step="read", text="Too long")
    pending = ws.add_pain_point(**args, token=other, step="read", text="Not yet seen")
    ws.approve(session=session, actor=store.SYSTEM, item_id=theirs)
    ws.vote(**args, token=me, item_id=theirs)
    ws.set_feeling(**args, token=me, step="read", value=-1)
    page = pt.participant_page(**args, token=me)
    assert [(i.id, i.kind, i.approved, i.mine) for i in page.mine["read"]] == \
        [(mine, "pain", False, True), (idea, "idea", False, True)]
    assert [(i.id, i.votes, i.voted) for i in page.others["read"]] == [(theirs, 1, True)]
    assert pending not in [i.id for i in page.others["read"]]
    assert page.feelings == {"read": -1}
    only = pt.participant_page(**args, token=me, only_step="form")
    assert only.mine == {} and only.others == {} and only.feelings == {}
    assert only.step_ids == {"read", "form"}


def test_others_are_capped_to_the_most_endorsed_and_the_newest(session, journey_id,
                                                               monkeypatch):
    monkeypatch.setattr(ws, "RATE_LIMIT", 1000)
    w = _start(session, journey_id)
    args = {"session": session, "workshop_id": w.id}
    _p, author = ws.join(session=session, code=w.code)
    voters = [ws.join(session=session, code=w.code)[1] for _ in range(3)]
    ids = [ws.add_pain_point(**args, token=author, step="form", text=f"pain {i}")
           for i in range(30)]
    for item in ids[:12]:  # the 12 oldest get votes: the top 10 of them are shown
        ws.vote(**args, token=voters[0], item_id=item)
    ws.vote(**args, token=voters[1], item_id=ids[3])
    page = pt.participant_page(**args, token=voters[2])
    shown = [i.id for i in page.others["form"]]
    assert shown[0] == ids[3]  # most endorsed first
    newest = ids[-pt.NEWEST:]
    assert set(newest) <= set(shown)
    assert len(shown) == pt.MOST_ENDORSED + pt.NEWEST
    assert page.more == {"form": True}
    # A step with no more than it shows says so.
    few = ws.join(session=session, code=w.code)[1]
    for i in range(pt.MOST_ENDORSED):
        ws.add_pain_point(**args, token=few, step="read", text=f"read {i}")
    page = pt.participant_page(**args, token=voters[2], only_step="read")
    assert len(page.others["read"]) == pt.MOST_ENDORSED and not page.more
