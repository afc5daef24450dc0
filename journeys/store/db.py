"""The database engine, SQLite pragmas, sessions and migrations.

SQLite (the default) runs with WAL, foreign keys on and a busy timeout, so the web
server and the command line can share one file. PostgreSQL works through the same
``DATABASE_URL`` (``postgresql+psycopg://…``). The schema is only ever created by the
Alembic migrations, never by ``create_all``, so every database has a known revision.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from journeys.config import database_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and the pragmas set."""
    url_obj = sa.make_url(url)
    kwargs: dict = {}
    if url_obj.get_backend_name() == "sqlite":
        database = url_obj.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        else:
            # One shared connection, or every new connection would see an empty database.
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    else:
        kwargs = {"pool_pre_ping": True}
    engine = sa.create_engine(url, **kwargs)
    if url_obj.get_backend_name() == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine) -> None:
    """Bring the database up to the latest migration (creates it when empty)."""
    from alembic import command

    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def current_revision(engine: Engine) -> str | None:
    """The database's migration revision, or None when it has none yet."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The latest migration revision this build knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def ensure_schema(engine: Engine) -> None:
    """Migrate the database when it is not at the latest revision."""
    if current_revision(engine) != head_revision():
        migrate(engine)


@cache
def engine_for(url: str) -> Engine:
    """One migrated engine per URL and process."""
    engine = make_engine(url)
    ensure_schema(engine)
    return engine


@contextmanager
def open_session(url: str | None = None) -> Iterator[Session]:
    """A session on the configured database, created at the latest migration if new."""
    with Session(engine_for(url or database_url()), expire_on_commit=False) as session:
        yield session
