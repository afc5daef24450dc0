"""What a workshop participant sees: the workshop behind a code, and their page of steps.

The writes (joining, tagging, voting) are :mod:`journeys.store.workshops`; this module only
reads, in a few queries, without loading the journey document, so a room of hundreds of
phones polling every few seconds costs one row when nothing changed.
"""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from journeys.store.errors import NotFound
from journeys.store.models import (
    JourneyRow,
    StageRow,
    StepRow,
    Team,
    Workshop,
    WorkshopFeeling,
    WorkshopItem,
    WorkshopParticipant,
    WorkshopVote,
)
from journeys.store.services.common import now
from journeys.store.workshops import (
    Item,
    Participant,
    closing_time,
    is_closed,
    normalize_code,
    participant_for,
)

W = Workshop.__table__
J = JourneyRow.__table__
T = Team.__table__
STAGES = StageRow.__table__
STEPS = StepRow.__table__
WI = WorkshopItem.__table__
WV = WorkshopVote.__table__
WF = WorkshopFeeling.__table__
WP = WorkshopParticipant.__table__

MOST_ENDORSED = 6
"""Of other participants' pain points, a step shows at most this many most endorsed…"""
NEWEST = 3
"""…and this many of the newest, so a pain point just raised can still be seen and voted."""


@dataclass(frozen=True)
class WorkshopInfo:
    """The workshop behind a join code, open or closed, as its participants see it."""

    id: int
    code: str
    title: str
    language: str
    moderation: str
    revision: int
    closed: bool
    closes_at: datetime | None = None
    """When it closes by itself (UTC), if the facilitator set a time."""
    added: bool = False
    """The facilitator closed it: what it collected is part of the journey (a workshop
    past its closing time takes nothing more, but is not yet added)."""


@dataclass(frozen=True)
class OpenStep:
    """A citizen-facing step of a stage open for comment."""

    id: str
    title: str
    description: str | None
    number: int = 0
    """Its place among all the journey's steps, as the facilitator's board numbers it."""


@dataclass(frozen=True)
class OpenStage:
    """A stage open for comment, with its citizen-facing steps in journey order."""

    id: str
    name: str
    steps: list[OpenStep]


@dataclass(frozen=True)
class ParticipantPage:
    """Everything a participant's page of steps shows."""

    participant: Participant
    revision: int
    content_language: str
    stages: list[OpenStage]
    mine: dict = field(default_factory=dict)      # step → the participant's own items
    others: dict = field(default_factory=dict)    # step → others' visible pain points
    more: dict = field(default_factory=dict)      # step → True: it has more than it shows
    feelings: dict = field(default_factory=dict)  # step → the participant's answer
    participants: int = 1
    """How many have joined: the page polls less often in a big room."""

    @property
    def step_ids(self) -> set[str]:
        """The ids of the steps open for comment."""
        return {s.id for stage in self.stages for s in stage.steps}


# The statements of a participant's requests, built once: a room of a thousand phones
# runs them hundreds of times a second, and building and keying a statement costs more
# than running it. Each takes its values as bound parameters.
_CODE_COLUMNS = (W.c.id, W.c.code, W.c.title, W.c.language, W.c.moderation, W.c.revision,
                 W.c.closes_at, W.c.closed_at)
_BY_CODE = sa.select(*_CODE_COLUMNS).join(J, J.c.id == W.c.journey_id).where(
    W.c.code == sa.bindparam("code"), W.c.closed_at.is_(None), J.c.deleted_at.is_(None))
_LAST_BY_CODE = sa.select(*_CODE_COLUMNS).join(J, J.c.id == W.c.journey_id).where(
    W.c.code == sa.bindparam("code"), J.c.deleted_at.is_(None)
).order_by(W.c.id.desc()).limit(1)
_WORKSHOP = sa.select(
    W.c.journey_id, W.c.open_stages, W.c.revision, T.c.language, J.c.version, J.c.updated_at,
    sa.select(sa.func.count()).select_from(WP).where(WP.c.workshop_id == W.c.id)
    .scalar_subquery().label("participants"),
).join(J, J.c.id == W.c.journey_id).join(T, T.c.id == J.c.team_id).where(
    W.c.id == sa.bindparam("workshop"))
_OPEN_STEPS = sa.select(
    STAGES.c.slug, STAGES.c.name, STEPS.c.slug.label("step"), STEPS.c.title,
    STEPS.c.description, STEPS.c.position,
).join(STAGES, STAGES.c.id == STEPS.c.stage_id).where(
    STEPS.c.journey_id == sa.bindparam("journey"), STEPS.c.visibility == "frontstage",
    STAGES.c.slug.in_(sa.bindparam("stages", expanding=True)),
).order_by(STAGES.c.position, STEPS.c.position)
_POSITIONS = sa.select(STEPS.c.position).where(
    STEPS.c.journey_id == sa.bindparam("journey")).order_by(STEPS.c.position)
_VOTED = sa.select(WV.c.item_id).where(WV.c.participant_id == sa.bindparam("participant"))
_SHOWN = (WI.c.workshop_id == sa.bindparam("workshop"), WI.c.kind == "pain",
          WI.c.participant_id != sa.bindparam("participant"), WI.c.approved.is_(True),
          WI.c.hidden_reason.is_(None), WI.c.merged_into.is_(None))
"""Others' pain points a participant may see."""
_ONE_STEP = WI.c.step == sa.bindparam("step")
_SHOWS = (WI.c.id, WI.c.step, WI.c.kind, WI.c.text, WI.c.category, WI.c.severity,
          WI.c.votes, WI.c.approved)
"""What a participant's page shows of an item (visible ones only: not hidden, not merged)."""


def _per_step(build):
    """A statement for the whole page and one for a single step (``step``)."""
    return {False: build(()), True: build((_ONE_STEP,))}


# By the participant alone (a participant is of one workshop): along its own index.
_MINE = _per_step(lambda only: sa.select(*_SHOWS).where(
    WI.c.participant_id == sa.bindparam("participant"), WI.c.hidden_reason.is_(None),
    WI.c.merged_into.is_(None), *only).order_by(WI.c.id))
_FEELINGS = _per_step(lambda only: sa.select(WF.c.step, WF.c.value).where(
    WF.c.participant_id == sa.bindparam("participant"),
    *((WF.c.step == sa.bindparam("step"),) if only else ())))


def workshop_for_code(*, session: Session, code) -> WorkshopInfo:
    """The open workshop with this code, else the latest closed one that had it.

    NotFound when no workshop of a journey still stored ever had the code, so a
    participant can be told "closed, thank you" apart from "no such code".
    """
    wanted = normalize_code(code)
    if not 0 < len(wanted) <= 16:
        raise NotFound(f"no workshop has the code {code!r}")
    found = session.execute(_BY_CODE, {"code": wanted}).first() \
        or session.execute(_LAST_BY_CODE, {"code": wanted}).first()
    if found is None:
        raise NotFound(f"no workshop has the code {code!r}")
    return WorkshopInfo(found.id, found.code, found.title, found.language, found.moderation,
                        found.revision, is_closed(found, now()), closing_time(found),
                        found.closed_at is not None)


def participant_page(*, session: Session, workshop_id: int, token: str,
                     only_step: str | None = None) -> ParticipantPage:
    """The participant's page: open stages and steps, their own contributions and
    answers, and others' visible pain points (``only_step``: that step's parts only).

    NotFound when the token is no participant of this workshop.
    """
    participant = participant_for(session=session, workshop_id=workshop_id, token=token)
    w = session.execute(_WORKSHOP, {"workshop": workshop_id}).one()
    page = ParticipantPage(participant, w.revision, w.language, _open_stages(session, w),
                           participants=w.participants)
    one = only_step is not None
    params = {"workshop": workshop_id, "participant": participant.id, "step": only_step}
    voted = set(session.execute(_VOTED, params).scalars())
    for r in session.execute(_MINE[one], params):
        page.mine.setdefault(r.step, []).append(_item(r, True, False))
    wanted = [only_step] if one else [s.id for st in page.stages for s in st.steps]
    ranked, more = _ranked(session, params, wanted)
    for r in ranked:
        page.others.setdefault(r[1], []).append(_item(r, False, r[0] in voted))
    page.more.update(dict.fromkeys(more, True))
    for step, value in session.execute(_FEELINGS[one], params):
        page.feelings[step] = value
    return page


_STAGES_KEPT = 256
_STAGES: dict[tuple, list[OpenStage]] = {}


def _open_stages(session: Session, w) -> list[OpenStage]:
    """The open stages and their citizen-facing steps, read once per version of the journey.

    Every edit of a journey moves its version and ``updated_at``, so a kept list is never
    one the journey has moved on from; the database's address keeps two databases apart.
    """
    key = (str(session.get_bind().engine.url), w.journey_id, w.version, w.updated_at,
           tuple(w.open_stages or ()))
    found = _STAGES.get(key)
    if found is None:
        stages: dict[str, OpenStage] = {}
        # Numbered as the board numbers them: by place among all the journey's steps.
        numbers = {position: n for n, position in enumerate(
            session.execute(_POSITIONS, {"journey": w.journey_id}).scalars(), start=1)}
        for r in session.execute(_OPEN_STEPS, {"journey": w.journey_id,
                                               "stages": list(w.open_stages or [])}):
            stage = stages.setdefault(r.slug, OpenStage(r.slug, r.name, []))
            stage.steps.append(OpenStep(r.step, r.title, r.description, numbers[r.position]))
        if len(_STAGES) >= _STAGES_KEPT:
            _STAGES.clear()
        found = _STAGES[key] = list(stages.values())
    return found


_CHUNK = 100
"""Steps per statement of :func:`_ranked` (two selects each, under SQLite's 500)."""
_RANKED: dict[int, sa.CompoundSelect | sa.Select] = {}


_LOOK_AHEAD = MOST_ENDORSED + NEWEST + 1
"""Most endorsed rows read per step: one more than a step can show tells whether there
are more than it shows, without counting them all."""


def _ranked_statement(n: int):
    """The most endorsed and the newest of ``n`` steps (``s0``…), built once per ``n``;
    each row says which of the two reads it came from (``part``)."""
    if n not in _RANKED:
        parts = []
        for i in range(n):
            for part, order, limit in ((0, (WI.c.votes.desc(), WI.c.id.desc()), _LOOK_AHEAD),
                                       (1, (WI.c.id.desc(),), NEWEST)):
                here = sa.select(*_SHOWS, sa.literal(part).label("part")).where(
                    *_SHOWN, WI.c.step == sa.bindparam(f"s{i}"))
                parts.append(sa.select(here.order_by(*order).limit(limit).subquery()))
        _RANKED[n] = sa.union_all(*parts)
    return _RANKED[n]


def _ranked(session: Session, params: dict, steps: list[str]) -> tuple[list, set[str]]:
    """Each step's most endorsed and newest of others' pain points, most endorsed first,
    and the steps that have more than these.

    Two short reads per step, each along its own index, in one statement per hundred
    steps: a room of a thousand phones does not sort or count every item on every poll.
    """
    top: dict[str, list] = {}
    newest: dict[str, list] = {}
    for i in range(0, len(steps), _CHUNK):
        chunk = steps[i:i + _CHUNK]
        named = {f"s{k}": step for k, step in enumerate(chunk)}
        for *row, part in session.execute(_ranked_statement(len(chunk)), {**params, **named}):
            (newest if part else top).setdefault(row[1], []).append(row)
    shown: dict[int, list] = {}
    more = set()
    for step, ranked in top.items():
        # An item is on one step only: the step's shown rows, each once.
        here = {row[0]: row for row in ranked[:MOST_ENDORSED] + newest.get(step, [])}
        shown.update(here)
        # Fewer rows than the look-ahead are all there are.
        if len(ranked) == _LOOK_AHEAD or len(ranked) > len(here):
            more.add(step)
    return sorted(shown.values(), key=lambda r: (-r[6], -r[0])), more


def _item(row, mine: bool, voted: bool) -> Item:
    item_id, step, kind, text, category, severity, votes, approved = row
    return Item(item_id, step, kind, text, category, severity, votes, approved, None, None,
                mine=mine, voted=voted)


__all__ = ["MOST_ENDORSED", "NEWEST", "OpenStage", "OpenStep", "ParticipantPage",
           "WorkshopInfo", "participant_page", "workshop_for_code"]
