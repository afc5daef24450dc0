"""Alembic environment: runs on the connection the caller hands in (see journeys.store.db)."""

from alembic import context
from sqlmodel import SQLModel

import journeys.store.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from journeys.config import database_url
from journeys.store.db import make_engine

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    """Migrate on the given connection, or on DATABASE_URL when run by the alembic tool."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        with make_engine(database_url()).begin() as own:
            _run(own)
    else:
        _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
