"""Co-creation workshops: citizens join with a short code and tag a journey's steps.

A facilitator (an editor of the journey's team) starts a workshop on a journey with the
stages open for comment. Citizens join without an account: :func:`join` gives each a
random token (the web keeps it in an HttpOnly cookie; only its SHA-256 digest is stored).
With it they tag pain points and ideas on the citizen-facing steps of the open stages,
say how a step felt (−2…+2) and endorse other participants' pain points.

Contributions live in their own tables, never in the journey's: they are counted
atomically and never bump the journey's version, so they never make a designer's open
form stale. One vote per participant per item is the vote table's primary key. Every
contribution and moderation bumps the workshop's ``revision``, so a poll that has seen it
needs nothing more (:func:`board` with ``since_revision``).

Moderation (editors): :func:`hide` with a reason, :func:`edit_wording`, :func:`merge`
duplicates and, when the workshop moderates "before", :func:`approve` (unapproved items
are seen only by whoever raised them). Merging keeps the votes of the merged set with no
participant counted twice: the distinct voters of all the items, plus the authors of the
duplicates (raising the same pain point is endorsing it), less the author of the item
kept.

Closing (:func:`close_workshop`) adds, in one transaction and as ONE revision of the
journey, what the citizens contributed:

- each visible pain point (not hidden, not merged, approved) becomes a pain point of its
  step with source ``citizen``, its text, category and severity, and its votes as
  ``votes``, after the step's own pain points, most endorsed first;
- each visible idea is added to the step's ``ideas``;
- feelings are summarised per step: the step's ``emotion`` is the team's reading of the
  journey, so an emotion the team set is kept as it is; where the team left it unset,
  it becomes the median of the citizens' answers (the lower median for an even count: a
  designer should not read a step better than the room did;
  :mod:`journeys.domain.feelings`). Either way the revision's summary gives the median
  (saying "lower median" when it is one), the number of answers and their distribution
  per step, and the answers stay in the workshop's tables for its report.

Contributions on a step that was deleted or renamed since they were made are left out
and counted in the summary. The journey is validated as a whole document afterwards
(limits included); a close that would break it is refused and changes nothing.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from marshmallow import ValidationError
from sqlmodel import Session

from journeys.domain import document
from journeys.domain.document import IDEA_MAX, TITLE_MAX
from journeys.domain.feelings import FEELINGS, feeling_of, feeling_summary
from journeys.domain.schemas import (
    DocumentError,
    PainPointSchema,
    Text,
    _flatten,
    format_path,
    load_data,
)
from journeys.store.actors import Actor
from journeys.store.errors import Conflict, NotFound, StoreError
from journeys.store.models import (
    JourneyRow,
    StageRow,
    StepRow,
    Workshop,
    WorkshopFeeling,
    WorkshopItem,
    WorkshopParticipant,
    WorkshopVote,
)
from journeys.store.services.common import (
    check_actor,
    get_journey_row,
    now,
    open_edit,
    record,
    write,
)
from journeys.store.services.parts import P, current_journey

W = Workshop.__table__
WP = WorkshopParticipant.__table__
WI = WorkshopItem.__table__
WV = WorkshopVote.__table__
WF = WorkshopFeeling.__table__
ST = StageRow.__table__
S = StepRow.__table__

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Join code letters and digits that cannot be misread aloud or on a projector: no 0/O,
1/I/L."""
CODE_LENGTH = 6
MODERATIONS = ("after", "before")
LANGUAGES = ("en", "fr")
RATE_LIMIT = 20
"""At most this many contributions (pain points, ideas, feelings, votes) per participant…"""
RATE_WINDOW = timedelta(minutes=1)
"""…within this window, counted in the database so the limit holds across processes."""
DISPLAY_NAME_MAX = 100
REASON_MAX = 200

CLOSED = "this workshop has closed"

_PAIN = PainPointSchema()
_IDEA = Text(IDEA_MAX, required=True)
_TITLE = Text(TITLE_MAX, required=True)
_NAME = Text(DISPLAY_NAME_MAX)
_REASON = Text(REASON_MAX, required=True)


class WorkshopClosed(StoreError):
    """A contribution or moderation after the workshop closed."""


class RateLimited(StoreError):
    """A participant sent more contributions in a minute than a person types."""


class NoSuchItem(NotFound):
    """The item is not in the workshop, or not one the participant can see."""


class VoteRefused(StoreError):
    """A vote the item does not take; ``reason`` says why, for the page to word it:
    ``hidden``, ``merged``, ``own`` (the participant raised it) or ``not_pain``."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Participant:
    """A participant of a workshop, as the services know them."""

    id: int
    workshop_id: int
    display_name: str | None


@dataclass(frozen=True)
class StepBoard:
    """What one step has received so far (visible items only, pending apart)."""

    pain_points: int = 0
    ideas: int = 0
    votes: int = 0
    pending: int = 0
    hidden: int = 0
    feelings: dict = field(default_factory=lambda: dict.fromkeys(FEELINGS, 0))

    @property
    def feeling_count(self) -> int:
        """How many participants said how the step felt."""
        return sum(self.feelings.values())


@dataclass(frozen=True)
class Board:
    """The live board of a workshop: its revision, participants and per-step counts."""

    workshop_id: int
    revision: int
    participants: int
    closed: bool
    steps: dict  # step id → StepBoard, only steps that received something


@dataclass(frozen=True)
class Item:
    """A contribution as a participant or a facilitator sees it."""

    id: int
    step: str
    kind: str
    text: str
    category: str | None
    severity: int | None
    votes: int
    approved: bool
    hidden_reason: str | None
    merged_into: int | None
    mine: bool = False
    voted: bool = False
    by: str | None = None
    """The display name its participant gave, if any: for facilitators' eyes only."""


# --- helpers ------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _problem(path: str, message: str) -> DocumentError:
    return DocumentError([(path, message)])


def _field(fld, value, path: str):
    """``value`` through a schema field, or a DocumentError naming ``path``."""
    try:
        return fld.deserialize(value)
    except ValidationError as err:
        out: list = []
        _flatten(err.messages, [path], out)
        raise DocumentError([(format_path(p), m) for p, m in out]) from None


def normalize_code(code) -> str:
    """A join code as typed or read aloud, upper-cased, spaces and dashes dropped."""
    if not isinstance(code, str):
        return ""
    return re.sub(r"[\s\-‐‑‒–—]+", "", code).upper()


def _new_code(session: Session) -> str:
    for _ in range(20):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        taken = session.execute(sa.select(W.c.id).where(
            W.c.code == code, W.c.closed_at.is_(None))).first()
        if taken is None:
            return code
    raise StoreError("could not find a free join code; try again")  # pragma: no cover


def _workshop(session: Session, actor: Actor, workshop_id, need: str):
    """The workshop row, its journey checked for the actor by the one lookup helper."""
    check_actor(actor)
    found = None
    if isinstance(workshop_id, int) and not isinstance(workshop_id, bool) \
            and 0 < workshop_id < 2**63:
        found = session.execute(sa.select(W).where(W.c.id == workshop_id)).first()
    if found is None:
        raise NotFound(f"workshop {workshop_id} does not exist")
    try:
        get_journey_row(session=session, actor=actor, journey_id=found.journey_id, need=need)
    except NotFound:
        raise NotFound(f"workshop {workshop_id} does not exist") from None
    return found


def closing_time(w) -> datetime | None:
    """When a workshop (a row with ``closes_at``) closes by itself, in UTC, or None."""
    closes_at = w.closes_at
    if closes_at is not None and closes_at.tzinfo is None:
        closes_at = closes_at.replace(tzinfo=UTC)
    return closes_at


def is_closed(w, at: datetime) -> bool:
    """Closed by its facilitator, or past its closing time at ``at``."""
    closes_at = closing_time(w)
    return w.closed_at is not None or (closes_at is not None and closes_at <= at)


# The statements of a participant's contributions, built once (with bound parameters): a
# room of a thousand phones runs them hundreds of times a second.
_BUMP = sa.update(W).where(
    W.c.id == sa.bindparam("b_workshop"), W.c.closed_at.is_(None),
    sa.or_(W.c.closes_at.is_(None), W.c.closes_at > sa.bindparam("b_at")),
).values(revision=W.c.revision + 1).returning(
    W.c.id, W.c.journey_id, W.c.open_stages, W.c.moderation)
_PARTICIPANT = sa.select(WP).where(WP.c.token_hash == sa.bindparam("token_hash"),
                                   WP.c.workshop_id == sa.bindparam("workshop"))
_RATE = sa.select(
    sa.select(sa.func.count()).select_from(WI).where(
        WI.c.participant_id == sa.bindparam("participant"),
        WI.c.created_at > sa.bindparam("since")).scalar_subquery()
    + sa.select(sa.func.count()).select_from(WV).where(
        WV.c.participant_id == sa.bindparam("participant"),
        WV.c.created_at > sa.bindparam("since")).scalar_subquery()
    + sa.select(sa.func.count()).select_from(WF).where(
        WF.c.participant_id == sa.bindparam("participant"),
        WF.c.updated_at > sa.bindparam("since")).scalar_subquery())
_STEP_OPEN = sa.select(S.c.visibility, ST.c.slug).join(ST, ST.c.id == S.c.stage_id).where(
    S.c.journey_id == sa.bindparam("journey"), S.c.slug == sa.bindparam("step"))
_ADD_ITEM = sa.insert(WI).returning(WI.c.id)
_ITEM = sa.select(WI).where(WI.c.id == sa.bindparam("item"),
                            WI.c.workshop_id == sa.bindparam("workshop"))
_COUNT_VOTE = sa.update(WI).where(WI.c.id == sa.bindparam("b_item")).values(
    votes=WI.c.votes + sa.bindparam("b_by")).returning(WI.c.votes)
_UNVOTE = sa.delete(WV).where(WV.c.item_id == sa.bindparam("item"),
                              WV.c.participant_id == sa.bindparam("participant"))
_SET_FEELING = sa.update(WF).where(
    WF.c.participant_id == sa.bindparam("b_participant"), WF.c.step == sa.bindparam("b_step")
).values(value=sa.bindparam("b_value"), updated_at=sa.bindparam("b_at"))
_ADD_FEELING = sa.insert(WF)


def _bump(session: Session, workshop_id: int, at: datetime):
    """Count a change on the open workshop: the check that it is open and, on PostgreSQL,
    the row lock that puts its writes (and its closing) in one order. Returns the
    workshop's id, journey, open stages and moderation."""
    done = session.execute(_BUMP, {"b_workshop": workshop_id, "b_at": at}).first()
    if done is None:
        raise WorkshopClosed(CLOSED)
    return done


def _participant(session: Session, workshop_id, token) -> Participant:
    if not isinstance(token, str) or not token or len(token) > 200 \
            or not isinstance(workshop_id, int) or isinstance(workshop_id, bool):
        raise NotFound("you are not a participant of this workshop: join it with its code")
    found = session.execute(_PARTICIPANT, {"token_hash": _digest(token),
                                           "workshop": workshop_id}).first()
    if found is None:
        raise NotFound("you are not a participant of this workshop: join it with its code")
    return Participant(found.id, found.workshop_id, found.display_name)


def _rate_check(session: Session, participant_id: int, at: datetime) -> None:
    count = session.execute(_RATE, {"participant": participant_id,
                                    "since": at - RATE_WINDOW}).scalar_one()
    if count >= RATE_LIMIT:
        raise RateLimited("you are going faster than we can read: please wait a minute "
                          "before adding more")


def _open_step(session: Session, w, step_id, path: str = "step") -> None:
    """Refuse a step that is not a citizen-facing step of an open stage of the journey."""
    found = None
    if isinstance(step_id, str) and len(step_id) <= 64:
        found = session.execute(_STEP_OPEN, {"journey": w.journey_id,
                                             "step": step_id}).first()
    if found is None:
        raise _problem(path, f"{step_id!r} is not a step of this journey")
    if found.visibility != "frontstage":
        raise _problem(path, f"step {step_id!r} is not seen by citizens, so it is not open "
                             "for comment")
    if found.slug not in (w.open_stages or []):
        raise _problem(path, f"step {step_id!r} is in stage {found.slug!r}, which is not "
                             "open for comment in this workshop")


def _contribute(session: Session, workshop_id, token):
    """Start a participant's contribution: (workshop, participant, time) or a refusal."""
    at = now()
    participant = _participant(session, workshop_id, token)
    w = _bump(session, participant.workshop_id, at)
    _rate_check(session, participant.id, at)
    return w, participant, at


def _visible(w, participant_id: int | None = None):
    """The condition for items a participant (or, with None, the board) may see."""
    shown = sa.and_(WI.c.workshop_id == w.id, WI.c.hidden_reason.is_(None),
                    WI.c.merged_into.is_(None))
    if participant_id is None:
        return sa.and_(shown, WI.c.approved.is_(True))
    return sa.and_(shown, sa.or_(WI.c.approved.is_(True), WI.c.participant_id == participant_id))


_IGNORING: dict = {}


def _insert_ignore(session: Session, table, values: dict) -> int:
    """Insert a row unless it breaks a unique key; 1 when it was inserted, else 0."""
    dialect = session.connection().dialect.name
    statement = _IGNORING.get((dialect, table.name))
    if statement is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        elif dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:  # pragma: no cover - this build supports SQLite and PostgreSQL
            raise StoreError(f"workshops need SQLite or PostgreSQL, not {dialect}")
        # RETURNING, not rowcount: drivers disagree on the rowcount of a skipped insert.
        statement = _IGNORING[dialect, table.name] = (
            insert(table).on_conflict_do_nothing().returning(sa.literal(1)))
    return 0 if session.execute(statement, values).first() is None else 1


# --- facilitator: start, find ----------------------------------------------------------------


def start_workshop(*, session: Session, actor: Actor, journey_id: int, title: str,
                   open_stages: list[str], closes_at: datetime | None = None,
                   moderation: str = "after", language: str = "en") -> Workshop:
    """Start a workshop on a journey (editor role); returns it with its join ``code``."""
    title = _field(_TITLE, title, "title")
    if moderation not in MODERATIONS:
        raise _problem("moderation", f"{moderation!r} is not a choice (choices: after, "
                                     "before)")
    if language not in LANGUAGES:
        raise _problem("language", f"{language!r} is not a language of the workshop pages "
                                   f"(languages: {', '.join(LANGUAGES)})")
    if closes_at is not None:
        if not isinstance(closes_at, datetime):
            raise _problem("closes_at", "expected a date and time")
        if closes_at.tzinfo is None:
            closes_at = closes_at.replace(tzinfo=UTC)
        if closes_at <= now():
            raise _problem("closes_at", "is in the past; choose a closing time to come")
    if not isinstance(open_stages, list | tuple) or not open_stages \
            or not all(isinstance(s, str) for s in open_stages):
        raise _problem("open_stages", "expected a non-empty list of stage ids")
    with write(session):
        row = get_journey_row(session=session, actor=actor, journey_id=journey_id,
                              need="editor")
        stages = session.execute(sa.select(ST.c.slug).where(ST.c.journey_id == row.id)
                                 .order_by(ST.c.position)).scalars().all()
        for i, s in enumerate(open_stages):
            if s not in stages:
                raise _problem(f"open_stages[{i}]", f"{s!r} is not a stage of this journey "
                                                    f"(stages: {', '.join(stages[:15])})")
        workshop = Workshop(journey_id=row.id, title=title,
                            code=_new_code(session),
                            open_stages=[s for s in stages if s in open_stages],
                            moderation=moderation, language=language, closes_at=closes_at,
                            created_by=actor.user_id)
        session.add(workshop)
        session.flush()
    return workshop


def get_workshop(*, session: Session, actor: Actor, workshop_id: int) -> Workshop:
    """A workshop the actor may read (viewer role in its journey's team)."""
    _workshop(session, actor, workshop_id, "viewer")
    return session.get(Workshop, workshop_id, populate_existing=True)


def list_workshops(*, session: Session, actor: Actor, journey_id: int) -> list[Workshop]:
    """The workshops of a journey, newest first."""
    row = get_journey_row(session=session, actor=actor, journey_id=journey_id)
    return list(session.exec(sa.select(Workshop).where(Workshop.journey_id == row.id)
                             .order_by(Workshop.id.desc())).scalars())


def find_open_workshop(*, session: Session, code: str) -> Workshop:
    """The open workshop with this join code (any case, spaces and dashes ignored)."""
    wanted = normalize_code(code)
    found = None
    if 0 < len(wanted) <= 16:
        found = session.execute(sa.select(Workshop).where(
            Workshop.code == wanted, Workshop.closed_at.is_(None))).scalars().first()
    if found is not None and session.get(JourneyRow, found.journey_id).deleted_at is not None:
        found = None  # a deleted journey's workshops end with it
    if found is None or is_closed(found, now()):
        raise NotFound(f"no open workshop has the code {code!r}: check the code on the "
                       "screen, or ask the facilitator")
    return found


# --- participants ----------------------------------------------------------------------------


def join(*, session: Session, code: str, display_name: str | None = None):
    """Join the open workshop with this code: (participant, token), the token shown once."""
    if display_name is not None:
        display_name = _field(_NAME, display_name, "display_name")
    with write(session):
        w = find_open_workshop(session=session, code=code)
        token = secrets.token_urlsafe(32)
        pid = session.execute(sa.insert(WP).values(
            workshop_id=w.id, token_hash=_digest(token), display_name=display_name,
            created_at=now()).returning(WP.c.id)).scalar_one()
        _bump(session, w.id, now())
    return Participant(pid, w.id, display_name), token


def participant_for(*, session: Session, workshop_id: int, token: str) -> Participant:
    """The participant this token belongs to in this workshop; NotFound for any other."""
    return _participant(session, workshop_id, token)


def add_pain_point(*, session: Session, workshop_id: int, token: str, step: str, text: str,
                   category: str = "other", severity: int = 2) -> int:
    """Tag a pain point on a step; returns its item id."""
    pain = _pain(text, category, severity)
    with write(session):
        w, participant, at = _contribute(session, workshop_id, token)
        _open_step(session, w, step)
        return session.execute(_ADD_ITEM, {
            "workshop_id": w.id, "participant_id": participant.id, "step": step,
            "kind": "pain", "text": pain.text, "category": pain.category,
            "severity": pain.severity, "approved": w.moderation == "after",
            "created_at": at}).scalar_one()


def _pain(text, category, severity):
    """The pain point as the format validates it, with its messages and field names."""
    try:
        return _PAIN.load({"text": text, "category": category, "severity": severity})
    except ValidationError as err:
        out: list = []
        _flatten(err.messages, [], out)
        raise DocumentError([(format_path(p), m) for p, m in out]) from None


def add_idea(*, session: Session, workshop_id: int, token: str, step: str,
             text: str) -> int:
    """Add an idea to a step; returns its item id."""
    text = _field(_IDEA, text, "text")
    with write(session):
        w, participant, at = _contribute(session, workshop_id, token)
        _open_step(session, w, step)
        return session.execute(_ADD_ITEM, {
            "workshop_id": w.id, "participant_id": participant.id, "step": step,
            "kind": "idea", "text": text, "approved": w.moderation == "after",
            "created_at": at}).scalar_one()


def set_feeling(*, session: Session, workshop_id: int, token: str, step: str,
                value: int) -> None:
    """Say how a step felt (−2…+2); a second answer replaces the first."""
    if isinstance(value, bool) or value not in FEELINGS:
        raise _problem("value", f"{value!r} is not a feeling (a whole number from -2 to 2)")
    with write(session):
        w, participant, at = _contribute(session, workshop_id, token)
        _open_step(session, w, step)
        done = session.execute(_SET_FEELING, {"b_participant": participant.id, "b_step": step,
                                              "b_value": value, "b_at": at}).rowcount
        if not done:
            session.execute(_ADD_FEELING, {
                "workshop_id": w.id, "participant_id": participant.id, "step": step,
                "value": value, "updated_at": at})


def _votable(session: Session, w, participant: Participant, item_id):
    found = None
    if isinstance(item_id, int) and not isinstance(item_id, bool) and 0 < item_id < 2**63:
        found = session.execute(_ITEM, {"item": item_id, "workshop": w.id}).first()
    if found is None or (not found.approved and found.participant_id != participant.id):
        raise NoSuchItem(f"item_id: this workshop has no item {item_id!r}")
    if found.hidden_reason is not None:
        raise VoteRefused("hidden", "this pain point was removed by the facilitator and "
                          "takes no votes")
    if found.merged_into is not None:
        raise VoteRefused("merged", "this pain point was merged into another one: vote for "
                          "that one instead")
    if found.kind != "pain":
        raise VoteRefused("not_pain", "only pain points take votes")
    return found


def vote(*, session: Session, workshop_id: int, token: str, item_id: int) -> int:
    """Endorse a pain point, once per participant (a second vote changes nothing);
    returns its votes."""
    return cast_vote(session=session, workshop_id=workshop_id, token=token, item_id=item_id,
                     agree=True).votes


def unvote(*, session: Session, workshop_id: int, token: str, item_id: int) -> int:
    """Take back an endorsement (nothing happens without one); returns the votes."""
    return cast_vote(session=session, workshop_id=workshop_id, token=token, item_id=item_id,
                     agree=False).votes


def cast_vote(*, session: Session, workshop_id: int, token: str, item_id: int,
              agree: bool) -> Item:
    """Endorse a pain point (``agree``) or take the endorsement back, once per
    participant; returns the item as the participant now sees it, so the page can show
    that item alone."""
    with write(session):
        w, participant, at = _contribute(session, workshop_id, token)
        found = _votable(session, w, participant, item_id)
        if agree:
            if found.participant_id == participant.id:
                raise VoteRefused("own", "you raised this pain point: it already counts your "
                                  "voice")
            changed = _insert_ignore(session, WV, {
                "item_id": found.id, "participant_id": participant.id, "created_at": at})
        else:
            changed = session.execute(_UNVOTE, {"item": found.id,
                                                "participant": participant.id}).rowcount
        votes = session.execute(_COUNT_VOTE, {"b_item": found.id, "b_by": 1 if agree else -1}
                                ).scalar_one() if changed else found.votes
    return Item(found.id, found.step, found.kind, found.text, found.category, found.severity,
                votes, found.approved, None, None, voted=agree)


def _item(row, participant_id=None, voted=frozenset(), by=None) -> Item:
    return Item(row.id, row.step, row.kind, row.text, row.category, row.severity, row.votes,
                row.approved, row.hidden_reason, row.merged_into,
                mine=row.participant_id == participant_id, voted=row.id in voted, by=by)


def participant_items(*, session: Session, workshop_id: int, token: str) -> list[Item]:
    """The items a participant sees (approved, not hidden, not merged, or their own
    awaiting approval), oldest first, with whether they raised or endorsed each."""
    participant = _participant(session, workshop_id, token)
    w = session.execute(sa.select(W).where(W.c.id == participant.workshop_id)).first()
    rows = session.execute(sa.select(WI).where(_visible(w, participant.id))
                           .order_by(WI.c.id)).all()
    voted = set(session.execute(sa.select(WV.c.item_id).join(WI, WI.c.id == WV.c.item_id)
                                .where(WV.c.participant_id == participant.id,
                                       WI.c.workshop_id == w.id)).scalars())
    return [_item(r, participant.id, voted) for r in rows]


# --- facilitator: board, contributions, moderation --------------------------------------------


def board(*, session: Session, actor: Actor, workshop_id: int,
          since_revision: int | None = None) -> Board | None:
    """Per-step counts of pain points, ideas, votes and feelings, in a few aggregate queries.

    With ``since_revision``, None when nothing changed since (one query): the web answers
    such a poll with an empty response.
    """
    w = _workshop(session, actor, workshop_id, "viewer")
    if since_revision is not None and since_revision == w.revision:
        return None
    steps: dict[str, dict] = {}

    def at(step):
        return steps.setdefault(step, {"pain_points": 0, "ideas": 0, "votes": 0, "pending": 0,
                                       "hidden": 0, "feelings": dict.fromkeys(FEELINGS, 0)})

    live = sa.and_(WI.c.hidden_reason.is_(None), WI.c.merged_into.is_(None))
    for r in session.execute(
            sa.select(WI.c.step, WI.c.kind,
                      sa.func.count().filter(sa.and_(live, WI.c.approved.is_(True))),
                      sa.func.coalesce(sa.func.sum(WI.c.votes).filter(
                          sa.and_(live, WI.c.approved.is_(True))), 0),
                      sa.func.count().filter(sa.and_(live, WI.c.approved.is_(False))),
                      sa.func.count().filter(WI.c.hidden_reason.is_not(None)))
            .where(WI.c.workshop_id == w.id).group_by(WI.c.step, WI.c.kind)):
        step, kind, shown, votes, pending, hidden = r
        counts = at(step)
        counts["pain_points" if kind == "pain" else "ideas"] += shown
        counts["votes"] += int(votes)
        counts["pending"] += pending
        counts["hidden"] += hidden
    for step, value, n in session.execute(
            sa.select(WF.c.step, WF.c.value, sa.func.count()).where(WF.c.workshop_id == w.id)
            .group_by(WF.c.step, WF.c.value)):
        at(step)["feelings"][value] = n
    participants = session.execute(sa.select(sa.func.count()).select_from(WP)
                                   .where(WP.c.workshop_id == w.id)).scalar_one()
    return Board(w.id, w.revision, participants, is_closed(w, now()),
                 {k: StepBoard(**v) for k, v in steps.items()})


def contributions(*, session: Session, actor: Actor, workshop_id: int,
                  after_id: int = 0) -> list[Item]:
    """Every item of the workshop (hidden, merged and pending included), oldest first,
    with the display name of who gave it; ``after_id`` gives only the newer ones."""
    w = _workshop(session, actor, workshop_id, "viewer")
    return [_item(r, by=r.display_name) for r in session.execute(
        sa.select(WI, WP.c.display_name).outerjoin(WP, WP.c.id == WI.c.participant_id)
        .where(WI.c.workshop_id == w.id, WI.c.id > after_id).order_by(WI.c.id))]


def _moderated(session: Session, actor: Actor, item_id):
    """(workshop, item) for a moderation by an editor of the journey's team."""
    found = None
    if isinstance(item_id, int) and not isinstance(item_id, bool) and 0 < item_id < 2**63:
        found = session.execute(sa.select(WI).where(WI.c.id == item_id)).first()
    if found is None:
        raise NotFound(f"item_id: there is no workshop item {item_id!r}")
    try:
        w = _workshop(session, actor, found.workshop_id, "editor")
    except NotFound:
        raise NotFound(f"item_id: there is no workshop item {item_id!r}") from None
    if w.closed_at is not None:
        raise WorkshopClosed(CLOSED + "; what it collected is part of the journey now")
    session.execute(sa.update(W).where(W.c.id == w.id).values(revision=W.c.revision + 1))
    return w, found


def _not_merged(found) -> None:
    """A merged item lives on in the one it was merged into: moderate that one."""
    if found.merged_into is not None:
        raise StoreError("this contribution was merged into another one: moderate the one "
                         "it was merged into")


def hide(*, session: Session, actor: Actor, item_id: int, reason: str) -> None:
    """Hide an item from everyone (with the reason, kept for the report); its votes stop."""
    reason = _field(_REASON, reason, "reason")
    with write(session):
        _w, found = _moderated(session, actor, item_id)
        _not_merged(found)
        session.execute(sa.update(WI).where(WI.c.id == found.id).values(hidden_reason=reason))


def unhide(*, session: Session, actor: Actor, item_id: int) -> None:
    """Show a hidden item again, as it was: its votes, kept while hidden, count again."""
    with write(session):
        _w, found = _moderated(session, actor, item_id)
        _not_merged(found)
        if found.hidden_reason is None:
            raise StoreError("this contribution is not hidden")
        session.execute(sa.update(WI).where(WI.c.id == found.id).values(hidden_reason=None))


def edit_wording(*, session: Session, actor: Actor, item_id: int, text: str) -> None:
    """Change an item's wording (a typo, a name to remove); validated as when raised."""
    with write(session):
        _w, found = _moderated(session, actor, item_id)
        _not_merged(found)
        if found.kind == "pain":
            text = _pain(text, found.category, found.severity).text
        else:
            text = _field(_IDEA, text, "text")
        session.execute(sa.update(WI).where(WI.c.id == found.id).values(text=text, edited=True))


def approve(*, session: Session, actor: Actor, item_id: int) -> None:
    """Show an item to the other participants (workshops that moderate "before")."""
    with write(session):
        _w, found = _moderated(session, actor, item_id)
        session.execute(sa.update(WI).where(WI.c.id == found.id).values(approved=True))


def merge(*, session: Session, actor: Actor, item_ids: list[int], into: int) -> int:
    """Merge duplicate pain points into one; returns its votes.

    The item kept gets the distinct voters of the whole set and the authors of the
    duplicates (no participant counted twice, its own author never counted).
    """
    if not isinstance(item_ids, list | tuple) or not item_ids:
        raise _problem("item_ids", "expected a non-empty list of item ids")
    with write(session):
        w, target = _moderated(session, actor, into)
        if target.hidden_reason is not None or target.merged_into is not None:
            raise StoreError("into: that item is hidden or merged; merge into a visible one")
        others = []
        for i, item_id in enumerate(item_ids):
            if item_id == target.id:
                continue
            found = None
            if isinstance(item_id, int) and not isinstance(item_id, bool) \
                    and 0 < item_id < 2**63:
                found = session.execute(sa.select(WI).where(
                    WI.c.id == item_id, WI.c.workshop_id == w.id)).first()
            if found is None:
                raise NotFound(f"item_ids[{i}]: this workshop has no item {item_id!r}")
            if found.kind != target.kind:
                raise StoreError(f"item_ids[{i}]: a pain point and an idea cannot be merged")
            if found.hidden_reason is not None or found.merged_into is not None:
                raise StoreError(f"item_ids[{i}]: item {item_id} is already hidden or merged")
            others.append(found)
        ids = [o.id for o in others]
        if not ids:
            return target.votes
        voters = sa.union(
            sa.select(WV.c.participant_id).where(WV.c.item_id.in_(ids)),
            sa.select(WI.c.participant_id).where(WI.c.id.in_(ids))).subquery()
        at = now()
        for (pid,) in session.execute(sa.select(voters.c.participant_id)).all():
            if pid != target.participant_id:
                _insert_ignore(session, WV, {"item_id": target.id, "participant_id": pid,
                                             "created_at": at})
        session.execute(sa.delete(WV).where(WV.c.item_id.in_(ids)))
        session.execute(sa.update(WI).where(WI.c.id.in_(ids))
                        .values(merged_into=target.id, votes=0))
        # Merged items whose own duplicates pointed at them follow to the item kept.
        session.execute(sa.update(WI).where(WI.c.merged_into.in_(ids))
                        .values(merged_into=target.id))
        votes = session.execute(sa.select(sa.func.count()).select_from(WV)
                                .where(WV.c.item_id == target.id)).scalar_one()
        session.execute(sa.update(WI).where(WI.c.id == target.id).values(votes=votes))
    return votes


# --- closing --------------------------------------------------------------------------------


def close_workshop(*, session: Session, actor: Actor, workshop_id: int,
                   expected_version: int) -> int:
    """Close the workshop and add what citizens contributed to the journey as one revision
    (see the module's docstring); returns the journey's new version."""
    with write(session):
        w = _workshop(session, actor, workshop_id, "editor")
        if w.closed_at is not None:
            raise WorkshopClosed(CLOSED)
        at = now()
        # Takes the workshop first: a contribution racing the close waits, then is refused.
        if session.execute(sa.update(W).where(W.c.id == w.id, W.c.closed_at.is_(None))
                           .values(closed_at=at, revision=W.c.revision + 1)).rowcount != 1:
            raise WorkshopClosed(CLOSED)
        opened = open_edit(session, actor, w.journey_id, expected_version)
        steps = {r.slug: r for r in session.execute(
            sa.select(S).where(S.c.journey_id == w.journey_id).order_by(S.c.position))}
        items = session.execute(sa.select(WI).where(_visible(w)).order_by(
            WI.c.step, WI.c.votes.desc(), WI.c.id)).all()
        feelings: dict[str, list[int]] = {}
        for step, value in session.execute(sa.select(WF.c.step, WF.c.value)
                                           .where(WF.c.workshop_id == w.id)):
            feelings.setdefault(step, []).append(value)
        by_step: dict[str, list] = {}
        left_out = 0
        for r in items:
            if r.step in steps:
                by_step.setdefault(r.step, []).append(r)
            else:
                left_out += 1
        left_out += sum(len(v) for k, v in feelings.items() if k not in steps)
        changes, said = [], []
        n_pains = n_ideas = 0
        for slug, step_row in steps.items():
            mine = by_step.get(slug, [])
            answers = feelings.get(slug, [])
            if not mine and not answers:
                continue
            pains = [r for r in mine if r.kind == "pain"]
            ideas = [r.text for r in mine if r.kind == "idea"]
            before_pains = [
                {"text": p.text, "category": p.category, "severity": p.severity,
                 "source": p.source, "votes": p.votes}
                for p in session.execute(sa.select(P).where(P.c.step_id == step_row.id)
                                         .order_by(P.c.position))]
            new_pains = [{"text": p.text, "category": p.category, "severity": p.severity,
                          "source": "citizen", "votes": p.votes} for p in pains]
            before = {}
            after = {}
            columns = {}
            if pains:
                before["pain_points"] = before_pains
                after["pain_points"] = before_pains + new_pains
                start = session.execute(sa.select(sa.func.coalesce(
                    sa.func.max(P.c.position) + 1, 0)).where(P.c.step_id == step_row.id)
                ).scalar_one()
                session.execute(sa.insert(P), [
                    {"step_id": step_row.id, "position": start + i, **p, "created_at": at}
                    for i, p in enumerate(new_pains)])
            if ideas:
                before["ideas"] = list(step_row.ideas or [])
                after["ideas"] = before["ideas"] + ideas
                columns["ideas"] = after["ideas"]
            note = ""
            if answers:
                counts = {v: answers.count(v) for v in FEELINGS}
                if step_row.emotion is None:
                    feeling = feeling_of(counts)
                    before["emotion"], after["emotion"] = None, feeling
                    columns["emotion"] = feeling
                note = feeling_summary(counts, kept=step_row.emotion)
            if columns:
                session.execute(sa.update(S).where(S.c.id == step_row.id).values(**columns))
            if after:
                changes.append({"type": "step", "key": slug, "before": before, "after": after})
            parts = []
            if pains:
                parts.append(f"{len(pains)} pain point{'s' if len(pains) != 1 else ''}")
            if ideas:
                parts.append(f"{len(ideas)} idea{'s' if len(ideas) != 1 else ''}")
            if note:
                parts.append(note)
            said.append(f"`{slug}` " + ", ".join(parts))
            n_pains += len(pains)
            n_ideas += len(ideas)
        journey_row = get_journey_row(session=session, actor=actor, journey_id=w.journey_id,
                                      need="editor")
        journey = current_journey(session, journey_row)
        # The whole document, limits included: a close that breaks it changes nothing.
        load_data(document.to_dict(journey))
        participants = session.execute(sa.select(sa.func.count()).select_from(WP)
                                       .where(WP.c.workshop_id == w.id)).scalar_one()
        summary = (f"workshop “{w.title}” closed: {participants} participant"
                   f"{'s' if participants != 1 else ''}, {n_pains} citizen pain point"
                   f"{'s' if n_pains != 1 else ''}, {n_ideas} idea"
                   f"{'s' if n_ideas != 1 else ''}")
        if said:
            summary += "; " + "; ".join(said)
        if left_out:
            summary += (f"; {left_out} contribution{'s' if left_out != 1 else ''} on steps no "
                        "longer in the journey left out")
        record(session, journey_id=w.journey_id, number=opened.version, actor=actor,
               at=opened.at, summary=summary, changes=changes)
        session.execute(sa.update(W).where(W.c.id == w.id)
                        .values(closed_revision=opened.version))
    return opened.version


__all__ = [
    "CLOSED", "CODE_ALPHABET", "CODE_LENGTH", "FEELINGS", "LANGUAGES", "MODERATIONS",
    "RATE_LIMIT", "RATE_WINDOW", "Board", "Conflict", "Item", "NoSuchItem", "Participant",
    "RateLimited", "StepBoard", "VoteRefused", "WorkshopClosed", "add_idea",
    "add_pain_point", "approve", "board", "cast_vote", "close_workshop", "closing_time",
    "contributions", "edit_wording", "find_open_workshop", "get_workshop", "hide",
    "is_closed", "join", "list_workshops", "merge", "normalize_code", "participant_for",
    "participant_items", "set_feeling", "start_workshop", "unhide", "unvote", "vote",
]
