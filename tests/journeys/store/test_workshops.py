"""Workshops: citizens join by code, tag steps, vote once each, and what they said joins the
journey as one revision when the workshop closes."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from designer.engine import propose
from journeys.domain.schemas import DocumentError, dump_document, load_document
from journeys.store import services as store
from journeys.store import workshops as ws
from journeys.store.actors import SYSTEM, Actor
from journeys.store.db import open_session
from journeys.store.errors import Forbidden, NotFound, StoreError
from journeys.store.models import Team, WorkshopItem
from tests.factories import make_journey


def _journey():
    return make_journey(
        stages=[{"id": "find", "name": "Find out"}, {"id": "apply", "name": "Apply"},
                {"id": "wait", "name": "Wait"}],
        steps=[{"id": "read", "stage": "find"},
               {"id": "form", "stage": "apply", "emotion": 1},
               {"id": "check", "stage": "apply", "actor": "back-office"},
               {"id": "letter", "stage": "wait"}])


@pytest.fixture
def journey_id(session):
    return store.import_journey(session=session, actor=SYSTEM, journey=_journey())


@pytest.fixture
def workshop(session, journey_id):
    return ws.start_workshop(session=session, actor=SYSTEM, journey_id=journey_id,
                             title="Permit renewal evening", open_stages=["find", "apply"])


def _join(session, workshop, n=1):
    return [ws.join(session=session, code=workshop.code)[1] for _ in range(n)]


def _version(session, journey_id):
    return store.get_journey_row(session=session, actor=SYSTEM, journey_id=journey_id).version


def _editor(session, journey_id, role="editor"):
    team_id = store.get_journey_row(session=session, actor=SYSTEM,
                                    journey_id=journey_id).team_id
    other = Team(name=f"Other {role}")
    session.add(other)
    session.commit()
    return Actor(user_id=None, name="Someone", roles={team_id: role}), \
        Actor(user_id=None, name="Stranger", roles={other.id: "owner"})


# --- codes and joining -----------------------------------------------------------------------


def test_code_is_easy_to_read_aloud_and_found_in_any_form(session, workshop):
    assert len(workshop.code) == ws.CODE_LENGTH
    assert set(workshop.code) <= set(ws.CODE_ALPHABET)
    assert not set("0O1lIL") & set(ws.CODE_ALPHABET)
    spoken = "-".join([workshop.code[:3].lower(), " " + workshop.code[3:]])
    assert ws.find_open_workshop(session=session, code=spoken).id == workshop.id
    with pytest.raises(NotFound, match="no open workshop"):
        ws.find_open_workshop(session=session, code="ZZZZZZZ")


def test_codes_are_unique_among_open_workshops(session, journey_id):
    codes = {ws.start_workshop(session=session, actor=SYSTEM, journey_id=journey_id,
                               title=f"W{i}", open_stages=["find"]).code for i in range(30)}
    assert len(codes) == 30


def test_start_refuses_bad_input_naming_the_field(session, journey_id):
    def start(**kw):
        args = {"session": session, "actor": SYSTEM, "journey_id": journey_id, "title": "W",
                "open_stages": ["find"], **kw}
        return ws.start_workshop(**args)

    with pytest.raises(DocumentError, match=r"open_stages\[1\].*'nope' is not a stage"):
        start(open_stages=["find", "nope"])
    with pytest.raises(DocumentError, match="moderation"):
        start(moderation="never")
    with pytest.raises(DocumentError, match="title"):
        start(title="   ")
    with pytest.raises(DocumentError, match="closes_at"):
        start(closes_at=datetime.now(UTC) - timedelta(hours=1))


def test_starting_needs_the_editor_role_and_another_team_sees_nothing(session, journey_id):
    viewer, stranger = _editor(session, journey_id, "viewer")
    with pytest.raises(Forbidden):
        ws.start_workshop(session=session, actor=viewer, journey_id=journey_id, title="W",
                          open_stages=["find"])
    with pytest.raises(NotFound):
        ws.start_workshop(session=session, actor=stranger, journey_id=journey_id, title="W",
                          open_stages=["find"])
    w = ws.start_workshop(session=session, actor=SYSTEM, journey_id=journey_id, title="W",
                          open_stages=["find"])
    assert ws.board(session=session, actor=viewer, workshop_id=w.id).participants == 0
    with pytest.raises(NotFound, match=f"workshop {w.id} does not exist"):
        ws.board(session=session, actor=stranger, workshop_id=w.id)
    item = ws.add_idea(session=session, workshop_id=w.id, token=_join(session, w)[0],
                       step="read", text="Say it plainly")
    with pytest.raises(Forbidden):
        ws.hide(session=session, actor=viewer, item_id=item, reason="spam")
    with pytest.raises(NotFound):
        ws.hide(session=session, actor=stranger, item_id=item, reason="spam")


def test_tokens_are_stored_only_as_digests_and_forged_ones_refused(session, workshop,
                                                                   journey_id):
    participant, token = ws.join(session=session, code=workshop.code, display_name="Ana")
    assert ws.participant_for(session=session, workshop_id=workshop.id,
                              token=token) == participant
    stored = session.execute(sa.text("SELECT token_hash FROM workshop_participant")).scalar()
    assert token not in stored and len(stored) == 64
    other = ws.start_workshop(session=session, actor=SYSTEM, journey_id=journey_id,
                              title="Other", open_stages=["find"])
    for forged in ["", "x" * 43, token[:-1], token + "x", None, 12, "x" * 10_000]:
        with pytest.raises(NotFound, match="join it with its code"):
            ws.add_idea(session=session, workshop_id=workshop.id, token=forged,
                        step="read", text="hi")
    # A token of one workshop is nobody in another.
    with pytest.raises(NotFound):
        ws.participant_for(session=session, workshop_id=other.id, token=token)


# --- contributions ---------------------------------------------------------------------------


def test_contributions_validated_like_the_format_naming_the_field(session, workshop):
    (token,) = _join(session, workshop)
    args = {"session": session, "workshop_id": workshop.id, "token": token, "step": "read"}
    with pytest.raises(DocumentError) as err:
        ws.add_pain_point(**args, text="x" * 100_000)
    assert err.value.problems == [
        ("text", "is 100,000 characters long; at most 1,000 are allowed")]
    with pytest.raises(DocumentError, match="text"):
        ws.add_pain_point(**args, text=" \n ")
    with pytest.raises(DocumentError, match="severity"):
        ws.add_pain_point(**args, text="Slow", severity=4)
    with pytest.raises(DocumentError, match="category"):
        ws.add_pain_point(**args, text="Slow", category="bad")
    with pytest.raises(DocumentError, match="text.*at most 500"):
        ws.add_idea(**args, text="y" * 100_000)
    with pytest.raises(DocumentError, match="value"):
        ws.set_feeling(**args, value=3)
    for step, why in [("nope", "not a step"), ("check", "not seen by citizens"),
                      ("letter", "not open for comment")]:
        with pytest.raises(DocumentError, match=why):
            ws.add_pain_point(**{**args, "step": step}, text="Slow")
    assert session.execute(sa.text("SELECT count(*) FROM workshop_item")).scalar() == 0


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "=HYPERLINK(\"x\")",
    "+1+2", "@SUM(A1)", '"]; evil [label="x', "-- DROP TABLE journey;"])
def test_hostile_text_is_stored_verbatim(session, workshop, text):
    (token,) = _join(session, workshop)
    item = ws.add_pain_point(session=session, workshop_id=workshop.id, token=token,
                             step="read", text=text)
    assert session.get(WorkshopItem, item).text == text


def test_feelings_one_per_participant_and_step_changeable(session, workshop):
    a, b = _join(session, workshop, 2)
    for token, value in [(a, -2), (a, -1), (b, 1)]:
        ws.set_feeling(session=session, workshop_id=workshop.id, token=token, step="form",
                       value=value)
    counts = ws.board(session=session, actor=SYSTEM, workshop_id=workshop.id).steps["form"]
    assert counts.feelings == {-2: 0, -1: 1, 0: 0, 1: 1, 2: 0}
    assert counts.feeling_count == 2


def test_rate_limit_per_participant_with_a_friendly_message(session, workshop):
    a, b = _join(session, workshop, 2)
    for i in range(ws.RATE_LIMIT):
        ws.add_idea(session=session, workshop_id=workshop.id, token=a, step="read",
                    text=f"idea {i}")
    with pytest.raises(ws.RateLimited, match="wait a minute"):
        ws.add_idea(session=session, workshop_id=workshop.id, token=a, step="read",
                    text="one more")
    # Limits are per participant, not per room.
    ws.add_idea(session=session, workshop_id=workshop.id, token=b, step="read", text="mine")
    assert session.execute(sa.text("SELECT count(*) FROM workshop_item")).scalar() \
        == ws.RATE_LIMIT + 1


# --- votes -----------------------------------------------------------------------------------


def test_one_vote_per_participant_per_item_by_the_database(session, workshop):
    author, voter = _join(session, workshop, 2)
    item = ws.add_pain_point(session=session, workshop_id=workshop.id, token=author,
                             step="read", text="Jargon")
    args = {"session": session, "workshop_id": workshop.id, "item_id": item}
    assert ws.vote(**args, token=voter) == 1
    assert ws.vote(**args, token=voter) == 1
    with pytest.raises(StoreError, match="you raised"):
        ws.vote(**args, token=author)
    # The key itself refuses a second row, whatever the code does.
    pid = ws.participant_for(session=session, workshop_id=workshop.id, token=voter).id
    with pytest.raises(sa.exc.IntegrityError):
        session.execute(sa.text("INSERT INTO workshop_vote (item_id, participant_id, "
                                "created_at) VALUES (:i, :p, :t)"),
                        {"i": item, "p": pid, "t": datetime.now(UTC)})
    session.rollback()
    assert ws.unvote(**args, token=voter) == 0
    assert ws.unvote(**args, token=voter) == 0
    assert ws.vote(**args, token=voter) == 1


def test_votes_on_hidden_merged_foreign_or_unapproved_items_refused(session, workshop,
                                                                     journey_id):
    a, b, c = _join(session, workshop, 3)
    pain = {"session": session, "workshop_id": workshop.id, "step": "read"}
    hidden = ws.add_pain_point(**pain, token=a, text="rude words")
    merged = ws.add_pain_point(**pain, token=a, text="slow")
    kept = ws.add_pain_point(**pain, token=b, text="too slow")
    idea = ws.add_idea(**pain, token=a, text="faster")
    ws.hide(session=session, actor=SYSTEM, item_id=hidden, reason="offensive")
    ws.merge(session=session, actor=SYSTEM, item_ids=[merged], into=kept)
    vote = {"session": session, "workshop_id": workshop.id, "token": c}
    # Each refusal says why in words, and with a reason the pages word in their language.
    for item_id, reason, words in ((hidden, "hidden", "removed by the facilitator"),
                                   (merged, "merged", "merged into another"),
                                   (idea, "not_pain", "only pain points"),
                                   (kept, "own", "you raised this pain point")):
        who = vote if reason != "own" else {**vote, "token": b}
        with pytest.raises(ws.VoteRefused, match=words) as refused:
            ws.vote(**who, item_id=item_id)
        assert refused.value.reason == reason
    other = ws.start_workshop(session=session, actor=SYSTEM, journey_id=journey_id,
                              title="Other", open_stages=["find"], moderation="before")
    (d,) = _join(session, other)
    foreign = ws.add_pain_point(session=session, workshop_id=other.id, token=d,
                                step="read", text="elsewhere")
    with pytest.raises(NotFound, match="no item"):
        ws.vote(**vote, item_id=foreign)
    # Pending approval: invisible to other participants, so it takes no votes.
    (e,) = _join(session, other)
    with pytest.raises(NotFound, match="no item"):
        ws.vote(session=session, workshop_id=other.id, token=e, item_id=foreign)
    assert [i.id for i in ws.participant_items(session=session, workshop_id=other.id,
                                                token=e)] == []
    assert [i.id for i in ws.participant_items(session=session, workshop_id=other.id,
                                                token=d)] == [foreign]
    ws.approve(session=session, actor=SYSTEM, item_id=foreign)
    assert ws.vote(session=session, workshop_id=other.id, token=e, item_id=foreign) == 1


def test_200_concurrent_votes_count_exactly_200(session, workshop, database_url):
    author, *voters = _join(session, workshop, 201)
    item = ws.add_pain_point(session=session, workshop_id=workshop.id, token=author,
                             step="form", text="The form times out")
    errors = []
    start = threading.Barrier(len(voters) * 2)

    def cast(token):
        try:
            with open_session(database_url) as own:
                start.wait()
                ws.vote(session=own, workshop_id=workshop.id, token=token, item_id=item)
        except Exception as exc:  # noqa: BLE001 - collected and asserted empty
            errors.append(repr(exc))

    # Each voter votes twice at once: the second must count nothing.
    threads = [threading.Thread(target=cast, args=(t,)) for t in voters for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    session.expire_all()
    assert session.get(WorkshopItem, item).votes == 200
    assert session.execute(sa.text("SELECT count(*) FROM workshop_vote WHERE item_id = :i"),
                           {"i": item}).scalar() == 200
    assert ws.board(session=session, actor=SYSTEM,
                    workshop_id=workshop.id).steps["form"].votes == 200


def test_votes_never_bump_the_journey_version(session, workshop, journey_id):
    before = _version(session, journey_id)
    a, b = _join(session, workshop, 2)
    item = ws.add_pain_point(session=session, workshop_id=workshop.id, token=a,
                             step="read", text="Slow")
    ws.vote(session=session, workshop_id=workshop.id, token=b, item_id=item)
    ws.set_feeling(session=session, workshop_id=workshop.id, token=b, step="read", value=0)
    assert _version(session, journey_id) == before


# --- moderation ------------------------------------------------------------------------------


def test_merge_keeps_distinct_voters_once(session, workshop):
    a, b, c, d = _join(session, workshop, 4)
    step = {"session": session, "workshop_id": workshop.id, "step": "form"}
    first = ws.add_pain_point(**step, token=a, text="Queue too long")
    second = ws.add_pain_point(**step, token=b, text="Long queues")
    third = ws.add_pain_point(**step, token=c, text="queues!!")
    for token, item in [(c, first), (d, first), (c, second), (d, second), (a, second),
                        (d, third)]:
        ws.vote(**{k: v for k, v in step.items() if k != "step"}, token=token, item_id=item)
    votes = ws.merge(session=session, actor=SYSTEM, item_ids=[second, third], into=first)
    # Voters and authors of the set: a (author of first: not counted), b, c, d.
    assert votes == 3
    assert session.get(WorkshopItem, first, populate_existing=True).votes == 3
    counts = ws.board(session=session, actor=SYSTEM, workshop_id=workshop.id).steps["form"]
    assert (counts.pain_points, counts.votes) == (1, 3)
    with pytest.raises(StoreError, match="already hidden or merged"):
        ws.merge(session=session, actor=SYSTEM, item_ids=[second], into=first)


def test_hide_and_edit_wording(session, workshop):
    (a,) = _join(session, workshop)
    item = ws.add_pain_point(session=session, workshop_id=workshop.id, token=a, step="read",
                             text="Clerk Smith was rude")
    with pytest.raises(DocumentError, match="reason"):
        ws.hide(session=session, actor=SYSTEM, item_id=item, reason=" ")
    with pytest.raises(DocumentError, match="at most 1,000"):
        ws.edit_wording(session=session, actor=SYSTEM, item_id=item, text="z" * 1001)
    ws.edit_wording(session=session, actor=SYSTEM, item_id=item, text="A clerk was rude")
    row = session.get(WorkshopItem, item, populate_existing=True)
    assert (row.text, row.edited) == ("A clerk was rude", True)
    ws.hide(session=session, actor=SYSTEM, item_id=item, reason="names a person")
    counts = ws.board(session=session, actor=SYSTEM, workshop_id=workshop.id).steps["read"]
    assert (counts.pain_points, counts.hidden) == (0, 1)
    everything = ws.contributions(session=session, actor=SYSTEM, workshop_id=workshop.id)
    assert [(i.id, i.hidden_reason) for i in everything] == [(item, "names a person")]


def test_a_merged_item_is_moderated_through_the_one_it_was_merged_into(session, workshop):
    # A tab left open on a merged item must not hide, reword or "show again" it.
    (a,) = _join(session, workshop)
    kept = ws.add_pain_point(session=session, workshop_id=workshop.id, token=a, step="read",
                             text="Too slow")
    merged = ws.add_pain_point(session=session, workshop_id=workshop.id, token=a,
                               step="read", text="Slow")
    ws.merge(session=session, actor=SYSTEM, item_ids=[merged], into=kept)
    for refused in (lambda: ws.hide(session=session, actor=SYSTEM, item_id=merged,
                                    reason="spam"),
                    lambda: ws.edit_wording(session=session, actor=SYSTEM, item_id=merged,
                                            text="Quick"),
                    lambda: ws.unhide(session=session, actor=SYSTEM, item_id=merged)):
        with pytest.raises(StoreError, match="merged into another one"):
            refused()
    row = session.get(WorkshopItem, merged, populate_existing=True)
    assert (row.merged_into, row.hidden_reason, row.text) == (kept, None, "Slow")


def test_board_answers_an_unchanged_poll_with_none(session, workshop):
    first = ws.board(session=session, actor=SYSTEM, workshop_id=workshop.id)
    assert ws.board(session=session, actor=SYSTEM, workshop_id=workshop.id,
                    since_revision=first.revision) is None
    (a,) = _join(session, workshop)
    ws.add_idea(session=session, workshop_id=workshop.id, token=a, step="read", text="Hi")
    later = ws.board(session=session, actor=SYSTEM, workshop_id=workshop.id,
                     since_revision=first.revision)
    assert later.revision > first.revision
    assert (later.participants, later.steps["read"].ideas) == (1, 1)


# --- closing ---------------------------------------------------------------------------------


def test_life_cycle_joins_the_journey_as_one_revision(session, workshop, journey_id):
    tokens = _join(session, workshop, 6)
    step = {"session": session, "workshop_id": workshop.id}
    main = ws.add_pain_point(**step, token=tokens[0], step="form",
                             text="The form asks for the same things twice",
                             category="repetition", severity=3)
    dup = ws.add_pain_point(**step, token=tokens[1], step="form", text="Same data twice")
    rude = ws.add_pain_point(**step, token=tokens[2], step="read", text="<b>idiots</b>")
    ws.add_pain_point(**step, token=tokens[3], step="read", text="=1+1 can't find the page")
    ws.add_idea(**step, token=tokens[4], step="form", text="Fill in what you already know")
    for t in tokens[2:]:
        ws.vote(**step, token=t, item_id=main)
    for t, value in zip(tokens, [-2, -2, -1, 0, 1, -1], strict=True):
        ws.set_feeling(**step, token=t, step="form", value=value)
        ws.set_feeling(**step, token=t, step="read", value=-1)
    ws.hide(session=session, actor=SYSTEM, item_id=rude, reason="insult")
    ws.merge(session=session, actor=SYSTEM, item_ids=[dup], into=main)
    version = _version(session, journey_id)
    new = ws.close_workshop(session=session, actor=SYSTEM, workshop_id=workshop.id,
                            expected_version=version)
    assert new == version + 1
    revisions = store.history(session=session, actor=SYSTEM, journey_id=journey_id)
    assert revisions[0].number == new and revisions[1].number == version
    summary = revisions[0].summary
    assert "6 participants, 2 citizen pain points, 1 idea" in summary
    assert "median of 6 answers" in summary and "the team's +1 kept" in summary

    journey = store.load_journey(session=session, actor=SYSTEM, journey_id=journey_id)
    load_document(dump_document(journey))  # the export still validates, whole
    steps = {s.id: s for s in journey.steps}
    form = steps["form"]
    assert [(p.text, p.source, p.votes, p.severity, p.category) for p in form.pain_points] \
        == [("The form asks for the same things twice", "citizen", 5, 3, "repetition")]
    assert form.ideas == ["Fill in what you already know"]
    assert form.emotion == 1  # the team's reading is kept
    assert steps["read"].emotion == -1  # unset: the citizens' median
    assert [p.text for p in steps["read"].pain_points] == ["=1+1 can't find the page"]
    # History rebuilds the closed journey, and the revision before it lacks the pain points.
    rebuilt = store.load_journey(session=session, actor=SYSTEM, journey_id=journey_id,
                                 revision=new)
    assert dump_document(rebuilt) == dump_document(journey)
    earlier = store.load_journey(session=session, actor=SYSTEM, journey_id=journey_id,
                                 revision=version)
    assert all(not s.pain_points for s in earlier.steps)

    # Closed: participants are told so, moderation too, and the code frees up.
    with pytest.raises(ws.WorkshopClosed, match="this workshop has closed"):
        ws.add_idea(**step, token=tokens[0], step="form", text="late")
    with pytest.raises(ws.WorkshopClosed):
        ws.vote(**step, token=tokens[1], item_id=main)
    with pytest.raises(ws.WorkshopClosed):
        ws.hide(session=session, actor=SYSTEM, item_id=main, reason="x")
    with pytest.raises(ws.WorkshopClosed):
        ws.close_workshop(session=session, actor=SYSTEM, workshop_id=workshop.id,
                          expected_version=new)
    with pytest.raises(NotFound):
        ws.join(session=session, code=workshop.code)
    assert ws.board(session=session, actor=SYSTEM, workshop_id=workshop.id).closed


def test_designer_cites_the_citizens_pain_point_and_its_votes(session, workshop, journey_id):
    author, *others = _join(session, workshop, 6)
    item = ws.add_pain_point(session=session, workshop_id=workshop.id, token=author,
                             step="form", text="Nobody tells me what happens next")
    for t in others:
        ws.vote(session=session, workshop_id=workshop.id, token=t, item_id=item)
    ws.close_workshop(session=session, actor=SYSTEM, workshop_id=workshop.id,
                      expected_version=_version(session, journey_id))
    journey = store.load_journey(session=session, actor=SYSTEM, journey_id=journey_id)
    proposals = propose(journey, today=date(2026, 12, 1))
    hotspot = [p for p in proposals if p.rule == "DR17"]
    assert hotspot, [p.rule for p in proposals]
    evidence = " ".join(hotspot[0].evidence)
    assert "from citizen, 5 votes" in evidence
    assert "Nobody tells me what happens next" in evidence
    assert any("citizens who raised" in a for a in hotspot[0].actions)
    assert "DR06" not in {p.rule for p in proposals}  # no longer "no citizen pain point"


def test_close_is_refused_whole_on_a_stale_version(session, workshop, journey_id):
    (a,) = _join(session, workshop)
    ws.add_pain_point(session=session, workshop_id=workshop.id, token=a, step="read",
                      text="Slow")
    version = _version(session, journey_id)
    with pytest.raises(store.Conflict):
        ws.close_workshop(session=session, actor=SYSTEM, workshop_id=workshop.id,
                          expected_version=version - 1 if version > 1 else version + 5)
    assert not ws.board(session=session, actor=SYSTEM, workshop_id=workshop.id).closed
    assert _version(session, journey_id) == version
    ws.add_idea(session=session, workshop_id=workshop.id, token=a, step="read", text="ok")


def test_contributions_on_a_deleted_step_are_left_out_and_said(session, workshop,
                                                                journey_id):
    (a,) = _join(session, workshop)
    ws.add_pain_point(session=session, workshop_id=workshop.id, token=a, step="read",
                      text="Slow")
    version = store.delete_step(session=session, actor=SYSTEM, journey_id=journey_id,
                                step_id="read", expected_version=_version(session, journey_id))
    ws.close_workshop(session=session, actor=SYSTEM, workshop_id=workshop.id,
                      expected_version=version)
    summary = store.history(session=session, actor=SYSTEM, journey_id=journey_id)[0].summary
    assert "1 contribution on steps no longer in the journey left out" in summary


def test_a_closing_time_in_the_past_closes_submissions(session, workshop):
    (a,) = _join(session, workshop)
    session.execute(sa.text("UPDATE workshop SET closes_at = :t WHERE id = :i"),
                    {"t": datetime.now(UTC) - timedelta(seconds=1), "i": workshop.id})
    session.commit()
    with pytest.raises(ws.WorkshopClosed, match="this workshop has closed"):
        ws.add_idea(session=session, workshop_id=workshop.id, token=a, step="read", text="x")
    with pytest.raises(NotFound):
        ws.join(session=session, code=workshop.code)



def test_a_deleted_journeys_workshop_cannot_be_joined(session, workshop, journey_id):
    store.delete_journey(session=session, actor=SYSTEM, journey_id=journey_id)
    with pytest.raises(NotFound, match="no open workshop"):
        ws.join(session=session, code=workshop.code)
    with pytest.raises(NotFound, match=f"workshop {workshop.id} does not exist"):
        ws.board(session=session, actor=SYSTEM, workshop_id=workshop.id)

# --- the command line ------------------------------------------------------------------------


def test_cli_starts_lists_and_closes_a_workshop(session, journey_id, journeys_cli):
    started = journeys_cli("workshop", "start", journey_id, "--title", "Evening",
                           "--stage", "find")
    assert started.code == 0, started.err
    workshop_id, code = started.out.strip().split("\t")
    assert "join with the code" in started.err
    (token,) = _join(session, ws.find_open_workshop(session=session, code=code))
    ws.add_pain_point(session=session, workshop_id=int(workshop_id), token=token,
                      step="read", text="Where do I start?")
    listed = journeys_cli("workshop", "list", journey_id)
    assert listed.out.splitlines() == [f"{workshop_id}\t{code}\topen\t1\tEvening"]
    stale = journeys_cli("workshop", "close", workshop_id, "--expect-version", "99")
    assert stale.code == 2 and "was changed" in stale.err
    closed = journeys_cli("workshop", "close", workshop_id)
    assert closed.code == 0, closed.err
    assert int(closed.out) == _version(session, journey_id)
    history = journeys_cli("history", journey_id)
    assert "workshop “Evening” closed" in history.out
    assert journeys_cli("workshop", "list", journey_id).out.split("\t")[2] == "closed"
    again = journeys_cli("workshop", "close", workshop_id)
    assert (again.code, again.err.strip()) == (2, "Error: this workshop has closed")


def test_cli_refuses_bad_input_with_exit_2(session, journey_id, journeys_cli):
    bad = journeys_cli("workshop", "start", journey_id, "--title", "E", "--stage", "nope")
    assert bad.code == 2 and "open_stages[0]" in bad.err and "'nope'" in bad.err
    missing = journeys_cli("workshop", "close", "12345")
    assert missing.code == 2 and "workshop 12345 does not exist" in missing.err
    assert journeys_cli("workshop", "list", "999").code == 2
