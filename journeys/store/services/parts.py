"""A journey's parts in the tables: the columns of each part, bulk inserts, whole reads.

Shared by the whole-journey services, the edits and the history. An import inserts each
table in one batch (an ``executemany`` per table, ids fetched in bulk), so a
2,000-step journey is stored in a fraction of a second.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

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
from journeys.store.services.common import J, now

# Database integers are 64-bit; the format sets no upper bound on votes.
MAX_STORED_INT = 2**63 - 1

T = Team.__table__
ST = StageRow.__table__
S = StepRow.__table__
TR = TransitionRow.__table__
C = CheckResultRow.__table__
P = PainPointRow.__table__


def journey_fields(journey: Journey) -> dict:
    """The journey table's columns for a journey's top-level fields."""
    persona = journey.persona
    return {
        "title": journey.title, "service": journey.service,
        "service_type": journey.service_type, "organization": journey.organization,
        "persona_name": persona.name if persona else None,
        "persona_description": persona.description if persona else None,
        "persona_needs": list(persona.needs) if persona else None,
        "state": journey.state, "reviewed_on": journey.reviewed_on,
    }


def step_fields(step: Step) -> dict:
    """The step table's columns for a step (its stage and position aside)."""
    return {
        "slug": step.id, "title": step.title, "description": step.description,
        "channel": step.channel, "actor": step.actor, "agency": step.agency,
        "visibility": step.visibility, "level": step.level,
        "target_level": step.target_level, "emotion": step.emotion,
        "moment_of_truth": step.moment_of_truth, "effort_minutes": step.effort_minutes,
        "wait_days": step.wait_days, "ideas": list(step.ideas), "measure": step.measure,
        "evidence": step.evidence, "tags": list(step.tags),
    }


def check_rows(step_row_id: int, checks: dict[str, CheckAnswer]) -> list[dict]:
    """Rows of the check table for a step's answers, in the document's order."""
    return [{"step_id": step_row_id, "position": i, "check_id": cid, "result": a.result,
             "note": a.note, "as_object": a.as_object} for i, (cid, a) in enumerate(checks.items())]


def pain_rows(step_row_id: int, pains: list[PainPoint], at: datetime) -> list[dict]:
    """Rows of the pain point table for a step's pain points, in order."""
    return [{"step_id": step_row_id, "position": i, "text": p.text, "category": p.category,
             "severity": p.severity, "source": p.source, "votes": p.votes, "created_at": at}
            for i, p in enumerate(pains)]


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


def insert_parts(session: Session, journey_id: int, journey: Journey) -> None:
    """Insert a journey's stages, steps, checks, pain points and transitions, table by table."""
    at = now()
    # Plain executemany inserts (no RETURNING, which SQLAlchemy sends row by row when the
    # order must be kept), then each table's new ids in one query.
    session.execute(sa.insert(ST), [
        {"journey_id": journey_id, "position": pos, "slug": s.id, "name": s.name,
         "description": s.description} for pos, s in enumerate(journey.stages)])
    stage_ids = dict(session.execute(
        sa.select(ST.c.slug, ST.c.id).where(ST.c.journey_id == journey_id)).all())
    session.execute(sa.insert(S), [
        {"journey_id": journey_id, "stage_id": stage_ids[s.stage], "position": pos,
         **step_fields(s)} for pos, s in enumerate(journey.steps)])
    step_ids = dict(session.execute(
        sa.select(S.c.slug, S.c.id).where(S.c.journey_id == journey_id)).all())
    checks = [row for s in journey.steps for row in check_rows(step_ids[s.id], s.checks)]
    if checks:
        session.execute(sa.insert(C), checks)
    pains = [row for s in journey.steps for row in pain_rows(step_ids[s.id], s.pain_points, at)]
    if pains:
        session.execute(sa.insert(P), pains)
    if journey.transitions:
        session.execute(sa.insert(TR), [
            {"journey_id": journey_id, "position": pos, "from_step_id": step_ids[t.source],
             "to_step_id": step_ids[t.target], "label": t.label, "kind": t.kind}
            for pos, t in enumerate(journey.transitions)])


def as_number(value: float | None) -> int | float | None:
    """Whole numbers come back as integers, as documents usually write them."""
    if value is not None and float(value).is_integer():
        return int(value)
    return value


def step_from_row(s, stage_slug: str, checks, pains) -> Step:
    """A Step from its row, its stage's id, and its check and pain point rows in order."""
    return Step(
        id=s.slug, stage=stage_slug, title=s.title, description=s.description,
        channel=s.channel, actor=s.actor, agency=s.agency, visibility=s.visibility,
        level=s.level, target_level=s.target_level, emotion=s.emotion,
        moment_of_truth=s.moment_of_truth, effort_minutes=as_number(s.effort_minutes),
        wait_days=as_number(s.wait_days),
        checks={c.check_id: CheckAnswer(c.result, c.note, c.as_object) for c in checks},
        pain_points=[PainPoint(p.text, p.category, p.severity, p.source, p.votes)
                     for p in pains],
        ideas=list(s.ideas or []), measure=s.measure, evidence=s.evidence,
        tags=list(s.tags or []),
    )


def step_value(s, stage_slug: str, key: str):
    """One key of a step, as :func:`step_from_row` reads it from the step's row (any key
    but its check answers and pain points, which are in their own tables)."""
    if key == "id":
        return s.slug
    if key == "stage":
        return stage_slug
    value = getattr(s, key)
    if key in ("effort_minutes", "wait_days"):
        return as_number(value)
    if key in ("ideas", "tags"):
        return list(value or [])
    return value


def persona_of(row) -> Persona | None:
    """The persona stored in a journey row, or None."""
    if row.persona_name is None:
        return None
    return Persona(row.persona_name, row.persona_description, list(row.persona_needs or []))


def current_journey(session: Session, row: JourneyRow) -> Journey:
    """The journey as stored now, read table by table."""
    stages = session.execute(
        sa.select(ST).where(ST.c.journey_id == row.id).order_by(ST.c.position)).all()
    steps = session.execute(
        sa.select(S).where(S.c.journey_id == row.id).order_by(S.c.position)).all()
    checks: dict[int, list] = {}
    pains: dict[int, list] = {}
    in_journey = sa.select(S.c.id).where(S.c.journey_id == row.id)
    for c in session.execute(sa.select(C).where(C.c.step_id.in_(in_journey))
                             .order_by(C.c.step_id, C.c.position)):
        checks.setdefault(c.step_id, []).append(c)
    for p in session.execute(sa.select(P).where(P.c.step_id.in_(in_journey))
                             .order_by(P.c.step_id, P.c.position)):
        pains.setdefault(p.step_id, []).append(p)
    transitions = session.execute(
        sa.select(TR).where(TR.c.journey_id == row.id).order_by(TR.c.position)).all()
    stage_slug = {s.id: s.slug for s in stages}
    step_slug = {s.id: s.slug for s in steps}
    return Journey(
        title=row.title, service=row.service, service_type=row.service_type,
        organization=row.organization, persona=persona_of(row), state=row.state,
        reviewed_on=row.reviewed_on,
        stages=[Stage(s.slug, s.name, s.description) for s in stages],
        steps=[step_from_row(s, stage_slug[s.stage_id], checks.get(s.id, []),
                             pains.get(s.id, [])) for s in steps],
        transitions=[Transition(step_slug[t.from_step_id], step_slug[t.to_step_id], t.label,
                                t.kind) for t in transitions],
    )


def replace_parts(session: Session, row: JourneyRow, journey: Journey) -> None:
    """Replace all of a journey's content (within the caller's transaction)."""
    session.execute(sa.delete(TR).where(TR.c.journey_id == row.id))
    session.execute(sa.delete(S).where(S.c.journey_id == row.id))
    session.execute(sa.delete(ST).where(ST.c.journey_id == row.id))
    session.execute(sa.update(J).where(J.c.id == row.id).values(**journey_fields(journey)))
    insert_parts(session, row.id, journey)


