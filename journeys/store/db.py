"""The database engine, SQLite pragmas, sessions, migrations and database errors.

SQLite (the default) runs with WAL, foreign keys on and a busy timeout, so the web
server and the command line can share one file. PostgreSQL works through the same
``DATABASE_URL`` (``postgresql+psycopg://…``), with the same timeout as its lock
timeout. The schema is only ever created by the Alembic migrations, never by
``create_all``, so every database has a known revision. Migrating holds a lock (a file
lock beside an SQLite file, an advisory lock on PostgreSQL), so any number of processes
may open a new database at once.

Every failure of the database itself (a wrong URL, a file that is not a database, a
server that is down, a migration this build does not know, a writer that waited too
long) comes out of this module as one :class:`DatabaseError` with a one-line message
for the user, never with the URL's password.
"""

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from journeys.config import ConfigError, busy_timeout, database_url
from journeys.store.errors import StoreError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any fixed number will do: every process of every version must use the same one.
PG_MIGRATION_LOCK = 0x6A6F75726E6579  # "journey"
KEEPS_CONNECTION = "journeys.keeps_connection"
"""The ``Session.info`` key of a session whose writes run on a connection it keeps."""


class DatabaseError(StoreError):
    """The database cannot be used as asked; the message is one line for the user."""


def redact(url: str) -> str:
    """``url`` with any password replaced by ``***``, also when the URL does not parse."""
    return re.sub(r"(//[^/:@]*:)[^/]*@", r"\1***@", url)


def _url(url: str) -> sa.URL:
    try:
        return sa.make_url(url)
    except (sa.exc.ArgumentError, ValueError) as exc:
        raise DatabaseError(
            f"DATABASE_URL {redact(url)!r} is not a database URL "
            "(expected sqlite:///PATH or postgresql://USER@HOST/DATABASE)") from exc


def _sqlite_pragmas(timeout_ms: int):
    def set_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={timeout_ms}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
    return set_pragmas


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and the pragmas set."""
    url_obj = _url(url)
    try:
        timeout_ms = int(busy_timeout() * 1000)
    except ConfigError as exc:
        raise DatabaseError(str(exc)) from exc
    backend = url_obj.get_backend_name()
    kwargs: dict = {}
    if backend == "sqlite":
        database = url_obj.database
        if database and database != ":memory:":
            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(f"cannot create the folder of the database file "
                                    f"{database} ({exc.strerror})") from exc
        else:
            # One shared connection, or every new connection would see an empty database.
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    elif backend == "postgresql":
        kwargs = {"pool_pre_ping": True,
                  "connect_args": {"options": f"-c lock_timeout={timeout_ms}",
                                   "connect_timeout": 10}}
    try:
        engine = sa.create_engine(url_obj, **kwargs)
    except sa.exc.NoSuchModuleError as exc:
        raise DatabaseError(
            f"DATABASE_URL {redact(url)!r}: unknown database {url_obj.drivername!r} "
            "(this build supports sqlite and postgresql)") from exc
    except ImportError as exc:
        raise DatabaseError(
            f"DATABASE_URL {redact(url)!r}: the driver for {url_obj.drivername!r} "
            f"is not installed ({exc.name})") from exc
    if backend == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas(timeout_ms))
    return engine


def _where(engine: Engine) -> str:
    """The database as the user named it, without its password."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def translate(exc: sa.exc.SQLAlchemyError, engine: Engine) -> DatabaseError:
    """The user's one-line reading of a database failure on ``engine``."""
    where = _where(engine)
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    sqlstate = getattr(orig, "sqlstate", None)
    if engine.url.get_backend_name() == "sqlite":
        if "database is locked" in text or "database is busy" in text:
            return DatabaseError("the database is busy; try again")
        if "file is not a database" in text:
            return DatabaseError(f"{where} is not a database file (DATABASE_URL)")
        if "unable to open database file" in text:
            return DatabaseError(f"cannot open the database file {where}")
        if "readonly database" in text:
            return DatabaseError(f"the database file {where} is read-only")
        if "no such table" in text or "no such column" in text:
            return DatabaseError(f"{where} is not a Citizen Journeys database ({first})")
    else:
        # 55P03 lock_not_available (lock_timeout), 40P01 deadlock, 40001 serialization.
        if sqlstate in {"55P03", "40P01", "40001"}:
            return DatabaseError("the database is busy; try again")
        if sqlstate in {"42P01", "42703"}:
            return DatabaseError(f"{where} is not a Citizen Journeys database ({first})")
        if isinstance(exc, sa.exc.OperationalError) and sqlstate is None:
            # libpq: 'connection to server at "h" (…), port 5432 failed: Connection refused'
            reason = first.rsplit("failed: ", 1)[-1]
            return DatabaseError(f"cannot connect to the database {where}: {reason}")
    if isinstance(exc, sa.exc.IntegrityError):
        return DatabaseError(f"the database refused the change: {first}")
    return DatabaseError(f"database error on {where}: {first}")


@contextmanager
def _translated(engine: Engine) -> Iterator[None]:
    """Turn SQLAlchemy's errors inside the block into a :class:`DatabaseError`."""
    try:
        yield
    except sa.exc.SQLAlchemyError as exc:
        raise translate(exc, engine) from exc


def _alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _scripts():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config())


def _revision(connection: sa.Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _check_known(revision: str | None, engine: Engine) -> None:
    """Refuse a database at a migration this build does not have (made by a newer one)."""
    from alembic.util import CommandError

    if revision is None:
        return
    try:
        known = _scripts().get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise DatabaseError(
            f"the database {_where(engine)} is at migration {revision!r}, which this build "
            f"does not know (its latest is {head_revision()!r}): it was made by a newer "
            "version of Citizen Journeys; upgrade Citizen Journeys to use it")


@contextmanager
def _sqlite_lock(engine: Engine) -> Iterator[None]:
    """An exclusive file lock on ``<database>.migrate.lock``, beside the database file."""
    import fcntl

    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    path = f"{database}.migrate.lock"
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise DatabaseError(f"cannot create the migration lock {path} ({exc.strerror})") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def migrate(engine: Engine) -> None:
    """Bring the database up to the latest migration (creates it when empty).

    Holds the migration lock, and re-reads the revision inside it, so that of several
    processes opening a new database at once one migrates and the others find it done.
    """
    from alembic import command

    config = _alembic_config()
    with _translated(engine):
        if engine.url.get_backend_name() == "sqlite":
            with _sqlite_lock(engine), engine.begin() as connection:
                _upgrade(command, config, connection, engine)
        else:
            with engine.begin() as connection:
                # Released by the commit or rollback that ends this transaction.
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"),
                                   {"key": PG_MIGRATION_LOCK})
                _upgrade(command, config, connection, engine)


def _upgrade(command, config, connection: sa.Connection, engine: Engine) -> None:
    revision = _revision(connection)
    if revision == head_revision():
        return
    _check_known(revision, engine)
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def current_revision(engine: Engine) -> str | None:
    """The database's migration revision, or None when it has none yet."""
    with _translated(engine), engine.connect() as connection:
        return _revision(connection)


def head_revision() -> str:
    """The latest migration revision this build knows."""
    return _scripts().get_current_head()


def ensure_schema(engine: Engine) -> None:
    """Migrate the database when it is not at the latest revision."""
    if engine.url.get_backend_name() == "sqlite":
        # The first connection to a new file also switches it to WAL, which must not race
        # another process's migration either: check and migrate inside the lock (one
        # uncontended flock, microseconds).
        migrate(engine)
        return
    revision = current_revision(engine)
    if revision != head_revision():
        _check_known(revision, engine)
        migrate(engine)


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def engine_for(url: str) -> Engine:
    """One migrated engine per URL and process."""
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = make_engine(url)
            try:
                ensure_schema(engine)
            except BaseException:
                engine.dispose()
                raise
            _engines[url] = engine
        return engine


def dispose_engines() -> None:
    """Close every engine's connections and forget the engines (tests, forks)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def connected_session(engine: Engine) -> Session:
    """A session whose writes run on one connection of ``engine``, kept from its first
    write until :func:`close_session`.

    Write services then run their transaction on that connection directly (see
    :func:`journeys.store.services.common.write`), and the session joins it without taking
    over its commit. Sessions that only read never take a connection out of the pool.
    """
    return Session(engine, expire_on_commit=False, join_transaction_mode="rollback_only",
                   info={KEEPS_CONNECTION: True})


def close_session(session: Session) -> None:
    """Close ``session`` and give back the connection it kept, if any."""
    bind = session.bind
    try:
        session.close()
    finally:
        if isinstance(bind, sa.Connection):
            bind.close()


@contextmanager
def open_session(url: str | None = None) -> Iterator[Session]:
    """A session on the configured database, created at the latest migration if new.

    Database failures inside the block come out as a :class:`DatabaseError`.
    """
    engine = engine_for(url or database_url())
    session = connected_session(engine)
    try:
        with _translated(engine):
            yield session
    finally:
        with _translated(engine):
            close_session(session)
