"""What every store service shares: the write transaction, the one lookup helper, the
version check and the revision record.

A write goes: :func:`write` (one transaction; on SQLite ``BEGIN IMMEDIATE``, so two
writers never both read and then fail to upgrade their lock), :func:`get_journey_row`
(existence, team and role together), :func:`bump_version` (the version check, in the
same transaction as the write), the change itself, then :func:`record`. A refused edit
rolls all of it back: nothing half-written, no revision recorded.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session

from journeys.store.actors import ROLES, Actor, can
from journeys.store.db import KEEPS_CONNECTION
from journeys.store.errors import Conflict, Forbidden, NotFound, StoreError
from journeys.store.models import JourneyRow, RevisionRow

MAX_ID = 2**31 - 1
"""The largest id every database holds (INTEGER columns are 32-bit on PostgreSQL); larger
ids are simply not found, on SQLite too, so both give the same answer."""

J = JourneyRow.__table__
R = RevisionRow.__table__


def now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def check_actor(actor) -> Actor:
    """Refuse a missing actor: no service reads "nobody" as "everybody"."""
    if not isinstance(actor, Actor):
        raise TypeError("a store service needs an Actor (journeys.store.actors.SYSTEM for "
                        "the command line)")
    return actor


@contextmanager
def write(session: Session) -> Iterator[sa.Connection]:
    """One write transaction: commit what the block wrote, or roll all of it back.

    On SQLite the transaction begins IMMEDIATE (it takes the write lock before the first
    read), so concurrent read-then-write edits queue up within the busy timeout instead of
    failing halfway (one that waits past the busy timeout is told so by the session's
    database error translation). Yields the transaction's connection, for the hot path.

    A session opened by :func:`journeys.store.db.connected_session` that has no
    transaction open writes straight on a connection it keeps from its first write to its
    close: the transaction is the connection's, and the session joins it only if the block
    uses the session. That spares every write the session's transaction bookkeeping and a
    pool checkout, which cost more than the statements of a one-step edit.
    """
    if session.info.get(KEEPS_CONNECTION) and not session.in_transaction():
        connection = session.bind
        if not isinstance(connection, sa.Connection):
            connection = session.bind = connection.connect()  # given back by db.close_session
        if connection.in_transaction():
            # Inside another write on this connection: part of that one, which commits it.
            yield connection
            return
        # Written out here rather than as a nested context manager: a one-step edit is
        # a handful of statements, and each layer of generator costs a share of them.
        transaction = connection.begin()
        try:
            _begin_immediate(connection)
            yield connection
            if session.in_transaction():
                session.commit()  # flushes; the session joined without taking the commit over
            transaction.commit()
        except BaseException:
            if session.in_transaction():
                session.rollback()
            if transaction.is_active:
                transaction.rollback()
            raise
        return
    try:
        connection = session.connection()
        _begin_immediate(connection)
        yield connection
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _begin_immediate(connection: sa.Connection) -> None:
    """Take SQLite's write lock, waiting as long as the writers ahead keep committing.

    The busy timeout bounds the wait for one writer that holds the lock, not for a queue:
    twenty imports at once each wait their turn, and only a writer that saw no other
    commit for a whole busy timeout is told that the database is busy.

    SQLite's count of other connections' commits is read only once the lock was refused
    (almost every write gets it at once, and the read would cost it a statement): the
    first refusal is always tried again, and from then on a wait in which nobody
    committed ends the attempt. So a writer behind one that never lets go is told after
    two busy timeouts.
    """
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if raw.in_transaction:
        return
    seen = None
    while True:
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except sa.exc.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            now_seen = _data_version(raw)
            if now_seen == seen:  # nobody committed during the whole wait: stuck
                raise
            seen = now_seen


def _data_version(raw) -> int:
    """SQLite's count of commits by other connections, as this connection has seen them."""
    return raw.execute("PRAGMA data_version").fetchone()[0]


def _missing(journey_id, deleted: bool) -> NotFound:
    if deleted:
        return NotFound(f"there is no deleted journey {journey_id} (deleted journeys are kept "
                        "30 days)")
    return NotFound(f"journey {journey_id} does not exist (see 'journeys list')")


_VERBS = {"viewer": "read", "editor": "change", "owner": "delete or restore"}


def get_journey_row(*, session: Session, actor: Actor, journey_id: int, need: str = "viewer",
                    deleted: bool = False) -> JourneyRow:
    """The journey, checking existence, team and role together.

    A journey of another team raises NotFound exactly as a missing one, so ids reveal
    nothing; a role lower than ``need`` raises Forbidden. ``deleted`` looks among the
    deleted journeys instead of the live ones.
    """
    check_actor(actor)
    if need not in ROLES:
        raise ValueError(f"{need!r} is not a role")
    if isinstance(journey_id, bool) or not isinstance(journey_id, int) \
            or not 0 < journey_id <= MAX_ID:
        raise _missing(journey_id, deleted)
    row = session.get(JourneyRow, journey_id, populate_existing=True)
    if row is None or (row.deleted_at is not None) != deleted \
            or not can(actor, row.team_id, "viewer"):
        raise _missing(journey_id, deleted)
    if not can(actor, row.team_id, need):
        role = actor.roles.get(row.team_id)
        raise Forbidden(f"you cannot {_VERBS[need]} journey {journey_id}: that needs the "
                        f"{need} role in its team, and you are a {role}")
    return row


def check_expected(expected_version) -> int:
    """The version an edit was based on, refused when it is not a version number."""
    if isinstance(expected_version, bool) or not isinstance(expected_version, int) \
            or expected_version < 1:
        raise StoreError(f"expected_version: {expected_version!r} is not a version number "
                         "(a whole number from 1)")
    return expected_version


def last_revision(session: Session, journey_id: int):
    """(number, actor name, time) of the journey's latest revision, or None."""
    return session.execute(
        sa.select(R.c.number, R.c.actor_name, R.c.created_at)
        .where(R.c.journey_id == journey_id).order_by(R.c.number.desc()).limit(1)
    ).first()


def bump_version(session: Session, row: JourneyRow, expected_version: int, *,
                 current: Callable[[], object] | None = None) -> tuple[int, datetime]:
    """Move the journey to its next version if it is still at ``expected_version``.

    The check and the write are one statement, so two editors of the same version can
    never both succeed. Returns (new version, time); raises Conflict carrying the current
    version, who made it and when, and ``current()`` (the current value of what is edited).
    """
    check_expected(expected_version)
    at = now()
    done = session.execute(
        sa.update(J).where(J.c.id == row.id, J.c.version == expected_version,
                           J.c.deleted_at.is_(None))
        .values(version=J.c.version + 1, updated_at=at)
    ).rowcount
    if done != 1:
        raise conflict(session, row.id, expected_version, current)
    return expected_version + 1, at


def conflict(session: Session, journey_id: int, expected_version: int,
             current: Callable[[], object] | None = None) -> Conflict:
    """The Conflict for an edit based on ``expected_version`` of a journey that moved on."""
    version = session.execute(sa.select(J.c.version).where(J.c.id == journey_id)).scalar_one()
    last = last_revision(session, journey_id)
    by, at = (last.actor_name, last.created_at) if last else (None, None)
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    who = f" by {by}" if by else ""
    when = f" at {at:%Y-%m-%d %H:%M} UTC" if at else ""
    value = current() if current is not None else None
    return Conflict(
        f"journey {journey_id} was changed{who}{when} since version {expected_version} "
        f"(it is now at version {version}); reload it and make your change again",
        current_version=version, current=value, changed_by=by, changed_at=at)


_RECORD = sa.insert(R)


def record(session: Session, *, journey_id: int, number: int, actor: Actor, at: datetime,
           summary: str, changes: list, snapshot: dict | None = None,
           connection: sa.Connection | None = None) -> None:
    """Record revision ``number`` of the journey: who, when, what changed."""
    (connection or session.connection()).execute(_RECORD, {
        "journey_id": journey_id, "number": number, "created_at": at,
        "user_id": actor.user_id, "actor_name": actor.name, "summary": summary,
        "changes": changes, "snapshot": snapshot})


@dataclass(frozen=True)
class Opened:
    """A journey an edit has moved to its next version, inside the edit's transaction."""

    id: int
    team_id: int
    version: int
    at: datetime


# One statement does the version check and takes the journey for this transaction; built
# once, as the hot path of every edit.
_BUMP = (
    sa.update(J)
    .where(J.c.id == sa.bindparam("b_id"), J.c.version == sa.bindparam("b_expected"),
           J.c.deleted_at.is_(None))
    .values(version=J.c.version + 1, updated_at=sa.bindparam("b_at"))
    .returning(J.c.team_id)
)


def open_edit(session: Session, actor: Actor, journey_id: int, expected_version: int, *,
              need: str = "editor", current: Callable[[], object] | None = None,
              connection: sa.Connection | None = None) -> Opened:
    """Start an edit: the version check and the write lock on the journey in one statement.

    Refusals come out exactly as from :func:`get_journey_row` (NotFound, Forbidden) or as a
    Conflict carrying ``current()``; the caller's transaction then rolls the bump back.
    """
    check_actor(actor)
    check_expected(expected_version)
    at = now()
    team_id = None
    if not isinstance(journey_id, bool) and isinstance(journey_id, int) \
            and 0 < journey_id <= MAX_ID:
        team_id = (connection or session.connection()).execute(_BUMP, {
            "b_id": journey_id, "b_expected": expected_version, "b_at": at}).scalar()
    if team_id is not None and can(actor, team_id, need):
        return Opened(journey_id, team_id, expected_version + 1, at)
    row = get_journey_row(session=session, actor=actor, journey_id=journey_id, need=need)
    raise conflict(session, row.id, expected_version, current)
