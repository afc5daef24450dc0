"""Store services: import, load, list and the demo journeys.

Plain functions with keyword-only arguments; the caller passes the session (and,
once the web editor has accounts, the acting user). Each write does its whole job
in one transaction: a journey is stored whole or not at all. Nothing here imports
Flask, so the CLI, the pages and the API share the same code.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib import resources

from sqlmodel import Session, func, select

from journeys.domain.document import (
    CheckAnswer,
    Journey,
    PainPoint,
    Persona,
    Stage,
    Step,
    Transition,
)
from journeys.store.models import (
    CheckResultRow,
    JourneyRow,
    PainPointRow,
    StageRow,
    StepRow,
    Team,
    TransitionRow,
)

DEFAULT_TEAM = "Default team"
# Database integers are 64-bit; the format sets no upper bound on votes.
MAX_STORED_INT = 2**63 - 1
DEMO_TEAM = "Demo team"


@contextmanager
def _transaction(session: Session) -> Iterator[None]:
    """Commit what the block wrote, or roll all of it back: an edit lands whole or not at all."""
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise


class NotFound(LookupError):
    """No journey with that id is visible to the caller."""


@dataclass(frozen=True)
class JourneySummary:
    """One line of the journey list."""

    id: int
    title: str
    team: str
    state: str
    steps: int
    updated_at: datetime

    def as_dict(self) -> dict:
        """JSON-ready form (``journeys list --json``)."""
        return {"id": self.id, "title": self.title, "team": self.team, "state": self.state,
                "steps": self.steps, "updated_at": self.updated_at.isoformat()}


def get_or_create_team(*, session: Session, name: str) -> Team:
    """The team with this name, created when missing (flushed, not committed)."""
    team = session.exec(select(Team).where(Team.name == name)).first()
    if team is None:
        team = Team(name=name)
        session.add(team)
        session.flush()
    return team


def _add_journey(*, session: Session, journey: Journey, team: Team) -> JourneyRow:
    persona = journey.persona
    row = JourneyRow(
        team_id=team.id, title=journey.title, service=journey.service,
        service_type=journey.service_type, organization=journey.organization,
        persona_name=persona.name if persona else None,
        persona_description=persona.description if persona else None,
        persona_needs=list(persona.needs) if persona else None,
        state=journey.state, reviewed_on=journey.reviewed_on,
    )
    session.add(row)
    session.flush()
    stage_rows = [StageRow(journey_id=row.id, position=pos, slug=stage.id, name=stage.name,
                           description=stage.description)
                  for pos, stage in enumerate(journey.stages)]
    session.add_all(stage_rows)
    session.flush()  # one INSERT round for the stages, which gives them their ids
    stage_ids = {r.slug: r.id for r in stage_rows}
    step_rows = [
        StepRow(
            journey_id=row.id, stage_id=stage_ids[step.stage], position=pos, slug=step.id,
            title=step.title, description=step.description, channel=step.channel,
            actor=step.actor, agency=step.agency, visibility=step.visibility,
            level=step.level, target_level=step.target_level, emotion=step.emotion,
            moment_of_truth=step.moment_of_truth, effort_minutes=step.effort_minutes,
            wait_days=step.wait_days, ideas=list(step.ideas), measure=step.measure,
            evidence=step.evidence, tags=list(step.tags),
        )
        for pos, step in enumerate(journey.steps)
    ]
    session.add_all(step_rows)
    session.flush()
    step_ids = {r.slug: r.id for r in step_rows}
    for step, strow in zip(journey.steps, step_rows, strict=True):
        session.add_all(
            CheckResultRow(step_id=strow.id, position=i, check_id=cid, result=a.result,
                           note=a.note, as_object=a.as_object)
            for i, (cid, a) in enumerate(step.checks.items())
        )
        session.add_all(
            PainPointRow(step_id=strow.id, position=i, text=p.text, category=p.category,
                         severity=p.severity, source=p.source, votes=p.votes)
            for i, p in enumerate(step.pain_points)
        )
    session.add_all(
        TransitionRow(journey_id=row.id, position=pos, from_step_id=step_ids[t.source],
                      to_step_id=step_ids[t.target], label=t.label, kind=t.kind)
        for pos, t in enumerate(journey.transitions)
    )
    session.flush()
    return row


def check_storable(journey: Journey) -> None:
    """Refuse, with their paths, valid values the database cannot hold (a DocumentError)."""
    from journeys.domain.schemas import DocumentError

    problems = [
        (f"steps[{i}].pain_points[{j}].votes",
         f"{p.votes} is more than can be stored (at most {MAX_STORED_INT:,})")
        for i, step in enumerate(journey.steps)
        for j, p in enumerate(step.pain_points) if p.votes > MAX_STORED_INT
    ]
    if problems:
        raise DocumentError(problems)


def import_journey(*, session: Session, journey: Journey, team_name: str | None = None) -> int:
    """Store a validated journey for a team (created if new); return the journey's id."""
    check_storable(journey)
    with _transaction(session):
        team = get_or_create_team(session=session, name=team_name or DEFAULT_TEAM)
        row = _add_journey(session=session, journey=journey, team=team)
    return row.id


def get_journey_row(*, session: Session, journey_id: int,
                    team_ids: set[int] | None = None) -> JourneyRow:
    """The journey row, checking existence and team ownership together.

    ``team_ids`` None means no team restriction (the command line acts for the
    machine's owner). A journey of another team is reported exactly like a missing
    one, so ids reveal nothing.
    """
    row = session.get(JourneyRow, journey_id)
    if row is None or (team_ids is not None and row.team_id not in team_ids):
        raise NotFound(f"journey {journey_id} does not exist (see 'journeys list')")
    return row


def _number(value: float | None) -> int | float | None:
    """Whole numbers come back as integers, as documents usually write them."""
    if value is not None and float(value).is_integer():
        return int(value)
    return value


def load_journey(*, session: Session, journey_id: int,
                 team_ids: set[int] | None = None) -> Journey:
    """The stored journey as an in-memory document."""
    row = get_journey_row(session=session, journey_id=journey_id, team_ids=team_ids)
    stages = session.exec(
        select(StageRow).where(StageRow.journey_id == row.id).order_by(StageRow.position)
    ).all()
    steps = session.exec(
        select(StepRow).where(StepRow.journey_id == row.id).order_by(StepRow.position)
    ).all()
    step_ids = [s.id for s in steps]
    checks: dict[int, list[CheckResultRow]] = {}
    pains: dict[int, list[PainPointRow]] = {}
    if step_ids:
        for c in session.exec(select(CheckResultRow).where(CheckResultRow.step_id.in_(step_ids))
                              .order_by(CheckResultRow.step_id, CheckResultRow.position)):
            checks.setdefault(c.step_id, []).append(c)
        for p in session.exec(select(PainPointRow).where(PainPointRow.step_id.in_(step_ids))
                              .order_by(PainPointRow.step_id, PainPointRow.position)):
            pains.setdefault(p.step_id, []).append(p)
    transitions = session.exec(
        select(TransitionRow).where(TransitionRow.journey_id == row.id)
        .order_by(TransitionRow.position)
    ).all()
    stage_slug = {s.id: s.slug for s in stages}
    step_slug = {s.id: s.slug for s in steps}
    persona = None
    if row.persona_name is not None:
        persona = Persona(row.persona_name, row.persona_description,
                          list(row.persona_needs or []))
    return Journey(
        title=row.title, service=row.service, service_type=row.service_type,
        organization=row.organization, persona=persona, state=row.state,
        reviewed_on=row.reviewed_on,
        stages=[Stage(s.slug, s.name, s.description) for s in stages],
        steps=[
            Step(
                id=s.slug, stage=stage_slug[s.stage_id], title=s.title,
                description=s.description, channel=s.channel, actor=s.actor, agency=s.agency,
                visibility=s.visibility, level=s.level, target_level=s.target_level,
                emotion=s.emotion, moment_of_truth=s.moment_of_truth,
                effort_minutes=_number(s.effort_minutes), wait_days=_number(s.wait_days),
                checks={c.check_id: CheckAnswer(c.result, c.note, c.as_object)
                        for c in checks.get(s.id, [])},
                pain_points=[PainPoint(p.text, p.category, p.severity, p.source, p.votes)
                             for p in pains.get(s.id, [])],
                ideas=list(s.ideas), measure=s.measure, evidence=s.evidence,
                tags=list(s.tags),
            )
            for s in steps
        ],
        transitions=[Transition(step_slug[t.from_step_id], step_slug[t.to_step_id],
                                t.label, t.kind) for t in transitions],
    )


def list_journeys(*, session: Session, team_ids: set[int] | None = None) -> list[JourneySummary]:
    """Stored journeys, most recently changed first, with their team and step count."""
    step_count = (select(StepRow.journey_id, func.count(StepRow.id).label("n"))
                  .group_by(StepRow.journey_id).subquery())
    query = (
        select(JourneyRow, Team.name, func.coalesce(step_count.c.n, 0))
        .join(Team, Team.id == JourneyRow.team_id)
        .outerjoin(step_count, step_count.c.journey_id == JourneyRow.id)
        .order_by(JourneyRow.updated_at.desc(), JourneyRow.id.desc())
    )
    if team_ids is not None:
        query = query.where(JourneyRow.team_id.in_(team_ids))
    return [
        JourneySummary(row.id, row.title, team, row.state, n, row.updated_at)
        for row, team, n in session.exec(query)
    ]


def demo_documents() -> list[tuple[str, bytes]]:
    """The demo journey documents shipped with the package, by file name."""
    folder = resources.files("journeys") / "demo"
    return sorted((p.name, p.read_bytes()) for p in folder.iterdir() if p.name.endswith(".json"))


def load_demo(*, session: Session) -> list[tuple[int, str, bool]]:
    """Store the demo journeys in the demo team; ones already there are kept, not doubled.

    Returns (id, title, newly stored) for each demo journey.
    """
    from journeys.domain.schemas import load_document

    loaded = []
    with _transaction(session):
        team = get_or_create_team(session=session, name=DEMO_TEAM)
        existing = {
            title: jid for jid, title in session.exec(
                select(JourneyRow.id, JourneyRow.title).where(JourneyRow.team_id == team.id))
        }
        for _name, raw in demo_documents():
            journey = load_document(raw)
            if journey.title in existing:
                loaded.append((existing[journey.title], journey.title, False))
                continue
            row = _add_journey(session=session, journey=journey, team=team)
            loaded.append((row.id, journey.title, True))
    return loaded

