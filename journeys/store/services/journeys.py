"""Whole journeys: import, load, list, replace, duplicate, delete and undelete, the demo.

Each is one transaction that records the journey's revision: 1 for an import or a
duplicate, the next one for a replace, a delete or an undelete.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources

import sqlalchemy as sa
from marshmallow import ValidationError
from sqlmodel import Session

from journeys.domain import document
from journeys.domain.document import TITLE_MAX, Journey, Stage, Step
from journeys.store.actors import SYSTEM, Actor, can
from journeys.store.errors import Forbidden, NotFound, StoreError
from journeys.store.models import TEAM_NAME_MAX, JourneyRow, Team
from journeys.store.services.common import (
    J,
    bump_version,
    check_actor,
    get_journey_row,
    now,
    record,
    write,
)
from journeys.store.services.history import journey_at
from journeys.store.services.parts import (
    MAX_STORED_INT,
    ST,
    C,
    P,
    S,
    T,
    check_storable,
    current_journey,
    insert_parts,
    journey_fields,
    replace_parts,
    step_from_row,
)

DEFAULT_TEAM = "Default team"
DEMO_TEAM = "Demo team"
KEEP_DELETED = timedelta(days=30)
"""How long a deleted journey can be undeleted."""


_LEVEL_ORDER = (None, 1, 2, 3, 4)  # unassessed first, then the pyramid from the bottom


@dataclass(frozen=True)
class JourneySummary:
    """One line of the journey list."""

    id: int
    title: str
    team: str
    team_id: int
    state: str
    steps: int
    version: int
    updated_at: datetime
    deleted_at: datetime | None = None
    levels: dict[int | None, int] = field(default_factory=dict)
    failed_checks: int = 0
    pain_points: int = 0

    def as_dict(self) -> dict:
        """JSON-ready form (``journeys list --json``); times with their time zone."""
        return {
            "id": self.id, "title": self.title, "team": self.team, "team_id": self.team_id,
            "state": self.state, "steps": self.steps, "version": self.version,
            "updated_at": self.updated_at.isoformat(),
            "deleted_at": self.deleted_at.isoformat() if self.deleted_at else None,
            "levels": {("unassessed" if k is None else str(k)): self.levels[k]
                       for k in _LEVEL_ORDER if k in self.levels},
            "failed_checks": self.failed_checks, "pain_points": self.pain_points,
        }


# --- teams ------------------------------------------------------------------------------------


def check_team_name(name) -> str:
    """A team name as stored: 1–100 characters, not only white space, no control characters."""
    if not isinstance(name, str) or not name.strip():
        raise StoreError("team name: must contain at least one character that is not white "
                         "space")
    if len(name) > TEAM_NAME_MAX:
        raise StoreError(f"team name: is {len(name):,} characters long; at most "
                         f"{TEAM_NAME_MAX} are allowed")
    bad = next((ch for ch in name if ord(ch) < 32 or 127 <= ord(ch) < 160), None)
    if bad is not None:
        raise StoreError(f"team name: contains the control character U+{ord(bad):04X} at "
                         f"position {name.index(bad) + 1}")
    return name


def get_or_create_team(*, session: Session, name: str) -> Team:
    """The team with this name, created when missing (in the caller's transaction).

    Insert-or-get: two processes creating the same team at once both get it, and neither
    fails on the unique name.
    """
    check_team_name(name)
    dialect = session.connection().dialect.name
    if dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        session.execute(insert(T).values(name=name, created_at=now())
                        .on_conflict_do_nothing(index_elements=["name"]))
    else:  # pragma: no cover - the two supported databases are handled above
        if session.execute(sa.select(T.c.id).where(T.c.name == name)).first() is None:
            session.execute(sa.insert(T).values(name=name, created_at=now()))
    team_id = session.execute(sa.select(T.c.id).where(T.c.name == name)).scalar_one()
    return session.get(Team, team_id)


def _team_for_import(session: Session, actor: Actor, team_name: str | None,
                     team_id: int | None) -> Team:
    if team_id is not None:
        team = session.get(Team, team_id) if isinstance(team_id, int) and \
            0 < team_id <= MAX_STORED_INT else None
        if team is None or not can(actor, team.id, "viewer"):
            raise NotFound(f"team {team_id} does not exist")
        if not can(actor, team.id, "editor"):
            raise Forbidden(f"you cannot add journeys to team {team.name}: that needs the "
                            "editor role")
        return team
    if actor.is_system:
        return get_or_create_team(session=session, name=team_name or DEFAULT_TEAM)
    if team_name is not None:
        team_id = session.execute(sa.select(T.c.id).where(T.c.name == team_name)).scalar()
        if team_id is None or not can(actor, team_id, "viewer"):
            raise NotFound(f"team {team_name!r} does not exist")
        return _team_for_import(session, actor, None, team_id)
    editable = [tid for tid, role in actor.roles.items() if can(actor, tid, "editor")]
    if len(editable) != 1:
        raise StoreError("team: say which team the journey belongs to")
    return _team_for_import(session, actor, None, editable[0])


def _add_journey(session: Session, actor: Actor, journey: Journey, team_id: int,
                 summary: str) -> int:
    at = now()
    journey_id = session.execute(
        sa.insert(J).values(team_id=team_id, version=1, created_at=at, updated_at=at,
                            **journey_fields(journey)).returning(J.c.id)
    ).scalar_one()
    insert_parts(session, journey_id, journey)
    record(session, journey_id=journey_id, number=1, actor=actor, at=at, summary=summary,
           changes=[], snapshot=document.to_dict(journey))
    return journey_id


def import_journey(*, session: Session, actor: Actor, journey: Journey,
                   team_name: str | None = None, team_id: int | None = None) -> int:
    """Store a validated journey as revision 1 in a team; return the journey's id.

    The command line (SYSTEM) names the team by name, created if new (default "Default
    team"); a user names one of their teams by id or name, where they are an editor.
    """
    check_actor(actor)
    check_storable(journey)
    if actor.is_system and team_id is None:
        # A team the command line names is made first, in its own short transaction:
        # concurrent imports into a new team then wait for that insert alone, not for a
        # whole import holding the new team's key past the lock timeout.
        with write(session):
            get_or_create_team(session=session, name=team_name or DEFAULT_TEAM)
    with write(session):
        team = _team_for_import(session, actor, team_name, team_id)
        return _add_journey(session, actor, journey, team.id, "imported")


# --- reading ------------------------------------------------------------------------------------


def load_journey(*, session: Session, actor: Actor, journey_id: int,
                 revision: int | None = None) -> Journey:
    """The stored journey as an in-memory document; with ``revision``, as it was then."""
    row = get_journey_row(session=session, actor=actor, journey_id=journey_id)
    if revision is not None:
        return journey_at(session, row, revision)
    return current_journey(session, row)


def load_journey_version(*, session: Session, actor: Actor,
                         journey_id: int) -> tuple[Journey, int]:
    """The stored journey and its version, from one read of the journey's row."""
    row = get_journey_row(session=session, actor=actor, journey_id=journey_id)
    return current_journey(session, row), row.version


@dataclass(frozen=True)
class StepInJourney:
    """One stored step with what its form needs of the journey: the stages, the version."""

    version: int
    journey_title: str
    step: Step
    number: int
    stages: list[Stage]


def load_step(*, session: Session, actor: Actor, journey_id: int,
              step_id: str) -> StepInJourney:
    """One step of a stored journey, read alone (its row, answers and pain points), with the
    journey's stages and version: what re-showing a step's form after a save needs, at a
    cost that does not grow with the journey's steps."""
    row = get_journey_row(session=session, actor=actor, journey_id=journey_id)
    stages = session.execute(sa.select(ST.c.id, ST.c.slug, ST.c.name, ST.c.description)
                             .where(ST.c.journey_id == row.id).order_by(ST.c.position)).all()
    found = session.execute(sa.select(S).where(S.c.journey_id == row.id,
                                               S.c.slug == step_id)).first() \
        if isinstance(step_id, str) else None
    if found is None:
        raise NotFound(f"step_id: journey {row.id} has no step {step_id!r}")
    checks = session.execute(sa.select(C).where(C.c.step_id == found.id)
                             .order_by(C.c.position)).all()
    pains = session.execute(sa.select(P).where(P.c.step_id == found.id)
                            .order_by(P.c.position)).all()
    before = session.execute(sa.select(sa.func.count()).select_from(S).where(
        S.c.journey_id == row.id, S.c.position < found.position)).scalar_one()
    slug = {s.id: s.slug for s in stages}
    return StepInJourney(
        version=row.version, journey_title=row.title,
        step=step_from_row(found, slug[found.stage_id], checks, pains), number=before + 1,
        stages=[Stage(s.slug, s.name, s.description) for s in stages])


def _count_of_steps(visible, *where, join=None):
    """Per visible journey, the number of its steps (or of the rows ``join`` adds to them)
    meeting ``where``: one grouped subquery, joined to the list by journey id."""
    query = sa.select(S.c.journey_id.label("journey_id"), sa.func.count().label("n"))
    if join is not None:
        query = query.select_from(S.join(join, join.c.step_id == S.c.id))
    return query.where(S.c.journey_id.in_(visible), *where).group_by(S.c.journey_id)


def list_journeys(*, session: Session, actor: Actor, team_id: int | None = None,
                  deleted: bool = False) -> list[JourneySummary]:
    """The journeys the actor may read, most recently changed first, with their figures.

    ``deleted`` lists the deleted journeys (still undeletable) instead of the live ones.
    One statement: the journeys with their team, joined to grouped subqueries counting
    their steps by level, failed check answers and pain points.
    """
    check_actor(actor)
    where = [J.c.deleted_at.is_not(None) if deleted else J.c.deleted_at.is_(None)]
    if team_id is not None:
        where.append(J.c.team_id == team_id)
    if not actor.is_system:
        # An expanding IN of the actor's few teams: one cached statement for any number.
        where.append(J.c.team_id.in_(sa.bindparam("teams", list(actor.roles), expanding=True)))
    visible = sa.select(J.c.id).where(*where).scalar_subquery()
    by_level = [sa.func.sum(sa.case((S.c.level.is_(None) if level is None
                                     else S.c.level == level, 1), else_=0))
                for level in _LEVEL_ORDER]
    steps = (sa.select(S.c.journey_id.label("journey_id"), sa.func.count().label("n"),
                       *(column.label(f"l{k}") for k, column in enumerate(by_level)))
             .where(S.c.journey_id.in_(visible)).group_by(S.c.journey_id).subquery())
    failed = _count_of_steps(visible, C.c.result == "fail", join=C).subquery()
    pains = _count_of_steps(visible, join=P).subquery()
    query = (sa.select(J.c.id, J.c.title, T.c.name, J.c.team_id, J.c.state, J.c.version,
                       J.c.updated_at, J.c.deleted_at, steps.c.n,
                       *(steps.c[f"l{k}"] for k in range(len(_LEVEL_ORDER))),
                       failed.c.n, pains.c.n)
             .join(T, T.c.id == J.c.team_id)
             .outerjoin(steps, steps.c.journey_id == J.c.id)
             .outerjoin(failed, failed.c.journey_id == J.c.id)
             .outerjoin(pains, pains.c.journey_id == J.c.id)
             .where(*where)
             .order_by(J.c.updated_at.desc(), J.c.id.desc()))
    summaries = []
    for (jid, title, team, tid, state, version, updated_at, deleted_at, n, *counts,
         n_failed, n_pains) in session.execute(query).tuples():
        summaries.append(JourneySummary(
            jid, title, team, tid, state, n or 0, version, updated_at, deleted_at,
            {level: c for level, c in zip(_LEVEL_ORDER, counts, strict=True) if c},
            n_failed or 0, n_pains or 0))
    return summaries


# --- replacing, duplicating, deleting -----------------------------------------------------------


def _replace_summary(before: Journey, after: Journey) -> str:
    old = {s.id: document.step_to_dict(s) for s in before.steps}
    new = {s.id: document.step_to_dict(s) for s in after.steps}
    added = len(new.keys() - old.keys())
    removed = len(old.keys() - new.keys())
    changed = sum(1 for k in new.keys() & old.keys() if new[k] != old[k])
    parts = [f"{n} step{'s' if n != 1 else ''} {what}"
             for n, what in ((changed, "changed"), (added, "added"), (removed, "removed")) if n]
    return "replaced the whole journey" + (f" ({', '.join(parts)})" if parts else "")


def replace_journey(*, session: Session, actor: Actor, journey_id: int, journey: Journey,
                    expected_version: int) -> int:
    """Replace a stored journey's whole content as a new revision; return the new version."""
    check_storable(journey)
    with write(session):
        row = get_journey_row(session=session, actor=actor, journey_id=journey_id,
                              need="editor")
        before = current_journey(session, row)
        version, at = bump_version(session, row, expected_version,
                                   current=lambda: document.to_dict(before))
        replace_parts(session, row, journey)
        record(session, journey_id=row.id, number=version, actor=actor, at=at,
               summary=_replace_summary(before, journey), changes=[],
               snapshot=document.to_dict(journey))
    return version


def duplicate_journey(*, session: Session, actor: Actor, journey_id: int,
                      title: str | None = None, state: str = "to-be") -> int:
    """Copy a journey into its team as a new journey (revision 1), e.g. as its to-be design."""
    from journeys.domain.schemas import DocumentError, JourneySchema

    fields = JourneySchema().fields
    problems = []
    for key, value in (("title", title), ("state", state)):
        if value is None:
            continue
        try:
            fields[key].deserialize(value)
        except ValidationError as err:
            problems += [(key, m) for m in err.messages]
    if problems:
        raise DocumentError(problems)
    with write(session):
        row = get_journey_row(session=session, actor=actor, journey_id=journey_id,
                              need="editor")
        journey = current_journey(session, row)
        if title is None:
            suffix = f" ({state})" if state != journey.state else " (copy)"
            title = journey.title[:TITLE_MAX - len(suffix)].rstrip() + suffix
        journey.title, journey.state = title, state
        return _add_journey(session, actor, journey, row.team_id,
                            f"duplicated from journey {row.id} (version {row.version})")


def _mark_deleted(session: Session, actor: Actor, row: JourneyRow, deleted_at, summary: str):
    at = now()
    version = row.version + 1
    session.execute(sa.update(J).where(J.c.id == row.id)
                    .values(deleted_at=deleted_at, version=version, updated_at=at))
    record(session, journey_id=row.id, number=version, actor=actor, at=at, summary=summary,
           changes=[])
    return version


def delete_journey(*, session: Session, actor: Actor, journey_id: int,
                   expected_version: int | None = None) -> int:
    """Delete a journey (owners only); it can be undeleted for 30 days. Returns the version.

    With ``expected_version``, the delete is refused as a Conflict when the journey has
    moved on since that version, checked in the delete's own transaction.
    """
    with write(session):
        row = get_journey_row(session=session, actor=actor, journey_id=journey_id,
                              need="owner")
        if expected_version is not None:
            version, at = bump_version(session, row, expected_version)
            session.execute(sa.update(J).where(J.c.id == row.id).values(deleted_at=at))
            record(session, journey_id=row.id, number=version, actor=actor, at=at,
                   summary="deleted", changes=[])
            return version
        return _mark_deleted(session, actor, row, now(), "deleted")


def undelete_journey(*, session: Session, actor: Actor, journey_id: int) -> int:
    """Bring back a journey deleted less than 30 days ago. Returns its new version."""
    with write(session):
        row = get_journey_row(session=session, actor=actor, journey_id=journey_id,
                              need="owner", deleted=True)
        if row.deleted_at < now() - KEEP_DELETED:
            raise NotFound(f"there is no deleted journey {journey_id} (deleted journeys are "
                           "kept 30 days)")
        return _mark_deleted(session, actor, row, None, "undeleted")


def purge_deleted(*, session: Session, older_than: timedelta = KEEP_DELETED) -> int:
    """Remove for good the journeys deleted longer ago than ``older_than``; return how many."""
    with write(session):
        return session.execute(
            sa.delete(J).where(J.c.deleted_at.is_not(None), J.c.deleted_at < now() - older_than)
        ).rowcount


# --- the demo -----------------------------------------------------------------------------------


def demo_documents() -> list[tuple[str, bytes]]:
    """The demo journey documents shipped with the package, by file name."""
    folder = resources.files("journeys") / "demo"
    return sorted((p.name, p.read_bytes()) for p in folder.iterdir() if p.name.endswith(".json"))


def load_demo(*, session: Session, actor: Actor = SYSTEM) -> list[tuple[int, str, bool]]:
    """Store the demo journeys in the demo team; ones already there are kept, not doubled.

    Returns (id, title, newly stored) for each demo journey.
    """
    from journeys.domain.schemas import load_document

    check_actor(actor)
    if not actor.is_system:
        raise Forbidden("only the command line loads the demo journeys")
    loaded = []
    with write(session):
        team = get_or_create_team(session=session, name=DEMO_TEAM)
        existing = dict(session.execute(
            sa.select(J.c.title, J.c.id).where(J.c.team_id == team.id,
                                               J.c.deleted_at.is_(None))).all())
        for _name, raw in demo_documents():
            journey = load_document(raw)
            if journey.title in existing:
                loaded.append((existing[journey.title], journey.title, False))
                continue
            journey_id = _add_journey(session, actor, journey, team.id, "demo journey loaded")
            loaded.append((journey_id, journey.title, True))
    return loaded

