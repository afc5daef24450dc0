"""What a workshop participant sees: the workshop behind a code, and their page of steps.

The writes (joining, tagging, voting) are :mod:`journeys.store.workshops`; this module only
reads, in a few queries, without loading the journey document, so a room of hundreds of
phones polling every few seconds costs one row when nothing changed.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

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
from journeys.store.workshops import Item, Participant, normalize_code, participant_for

W = Workshop.__table__
J = JourneyRow.__table__
T = Team.__table__
STAGES = StageRow.__table__
STEPS = StepRow.__table__
WI = WorkshopItem.__table__
WV = WorkshopVote.__table__
WF = WorkshopFeeling.__table__
WP = WorkshopParticipant.__table__

MOST_ENDORSED = 10
"""Of other participants' pain points, a step shows at most this many most endorsed…"""
NEWEST = 5
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


@dataclass(frozen=True)
class OpenStep:
    """A citizen-facing step of a stage open for comment."""

    id: str
    title: str
    description: str | None


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
    more: dict = field(default_factory=dict)      # step → how many of those are not shown
    feelings: dict = field(default_factory=dict)  # step → the participant's answer
    participants: int = 1
    """How many have joined: the page polls less often in a big room."""

    @property
    def step_ids(self) -> set[str]:
        """The ids of the steps open for comment."""
        return {s.id for stage in self.stages for s in stage.steps}


def _is_closed(row, at: datetime) -> bool:
    closes_at = row.closes_at
    if closes_at is not None and closes_at.tzinfo is None:
        closes_at = closes_at.replace(tzinfo=UTC)
    return row.closed_at is not None or (closes_at is not None and closes_at <= at)


def workshop_for_code(*, session: Session, code) -> WorkshopInfo:
    """The open workshop with this code, else the latest closed one that had it.

    NotFound when no workshop of a journey still stored ever had the code, so a
    participant can be told "closed, thank you" apart from "no such code".
    """
    wanted = normalize_code(code)
    if not 0 < len(wanted) <= 16:
        raise NotFound(f"no workshop has the code {code!r}")
    columns = (W.c.id, W.c.code, W.c.title, W.c.language, W.c.moderation, W.c.revision,
               W.c.closes_at, W.c.closed_at)
    live = J.c.deleted_at.is_(None)
    found = session.execute(sa.select(*columns).join(J, J.c.id == W.c.journey_id).where(
        W.c.code == wanted, W.c.closed_at.is_(None), live)).first()
    if found is None:
        found = session.execute(sa.select(*columns).join(J, J.c.id == W.c.journey_id).where(
            W.c.code == wanted, live).order_by(W.c.id.desc()).limit(1)).first()
    if found is None:
        raise NotFound(f"no workshop has the code {code!r}")
    return WorkshopInfo(found.id, found.code, found.title, found.language, found.moderation,
                        found.revision, _is_closed(found, now()))


def participant_page(*, session: Session, workshop_id: int, token: str,
                     only_step: str | None = None) -> ParticipantPage:
    """The participant's page: open stages and steps, their own contributions and
    answers, and others' visible pain points (``only_step``: that step's parts only).

    NotFound when the token is no participant of this workshop.
    """
    participant = participant_for(session=session, workshop_id=workshop_id, token=token)
    joined = sa.select(sa.func.count()).select_from(WP).where(
        WP.c.workshop_id == W.c.id).scalar_subquery()
    w = session.execute(sa.select(W.c.journey_id, W.c.open_stages, W.c.revision,
                                  T.c.language, joined.label("participants"))
                        .join(J, J.c.id == W.c.journey_id)
                        .join(T, T.c.id == J.c.team_id).where(W.c.id == workshop_id)).one()
    stages: dict[str, OpenStage] = {}
    for r in session.execute(
            sa.select(STAGES.c.slug, STAGES.c.name, STEPS.c.slug.label("step"),
                      STEPS.c.title, STEPS.c.description)
            .join(STAGES, STAGES.c.id == STEPS.c.stage_id)
            .where(STEPS.c.journey_id == w.journey_id, STEPS.c.visibility == "frontstage",
                   STAGES.c.slug.in_(list(w.open_stages or [])))
            .order_by(STAGES.c.position, STEPS.c.position)):
        stage = stages.setdefault(r.slug, OpenStage(r.slug, r.name, []))
        stage.steps.append(OpenStep(r.step, r.title, r.description))
    page = ParticipantPage(participant, w.revision, w.language, list(stages.values()),
                           participants=w.participants)

    def step_filter(column):
        return [column == only_step] if only_step is not None else []

    voted = set(session.execute(sa.select(WV.c.item_id).where(
        WV.c.participant_id == participant.id)).scalars())
    for r in session.execute(sa.select(WI).where(
            WI.c.workshop_id == workshop_id, WI.c.participant_id == participant.id,
            WI.c.hidden_reason.is_(None), WI.c.merged_into.is_(None),
            *step_filter(WI.c.step)).order_by(WI.c.id)):
        page.mine.setdefault(r.step, []).append(_item(r, True, False))

    ranked = sa.select(
        WI,
        sa.func.row_number().over(partition_by=WI.c.step,
                                  order_by=(WI.c.votes.desc(), WI.c.id.desc())).label("rv"),
        sa.func.row_number().over(partition_by=WI.c.step,
                                  order_by=WI.c.id.desc()).label("rn"),
        sa.func.count().over(partition_by=WI.c.step).label("total"),
    ).where(WI.c.workshop_id == workshop_id, WI.c.kind == "pain",
            WI.c.participant_id != participant.id, WI.c.approved.is_(True),
            WI.c.hidden_reason.is_(None), WI.c.merged_into.is_(None),
            *step_filter(WI.c.step)).subquery()
    for r in session.execute(sa.select(ranked).where(
            sa.or_(ranked.c.rv <= MOST_ENDORSED, ranked.c.rn <= NEWEST))
            .order_by(ranked.c.votes.desc(), ranked.c.id.desc())):
        page.others.setdefault(r.step, []).append(_item(r, False, r.id in voted))
        page.more[r.step] = r.total - len(page.others[r.step])
    for step, value in session.execute(sa.select(WF.c.step, WF.c.value).where(
            WF.c.participant_id == participant.id, *step_filter(WF.c.step))):
        page.feelings[step] = value
    return page


def _item(row, mine: bool, voted: bool) -> Item:
    return Item(row.id, row.step, row.kind, row.text, row.category, row.severity, row.votes,
                row.approved, row.hidden_reason, row.merged_into, mine=mine, voted=voted)


__all__ = ["MOST_ENDORSED", "NEWEST", "OpenStage", "OpenStep", "ParticipantPage",
           "WorkshopInfo", "participant_page", "workshop_for_code"]
