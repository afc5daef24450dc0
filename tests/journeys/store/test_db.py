"""The schema comes from the migrations, and the migrations match the table models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import journeys.store.models  # noqa: F401
from journeys.store.db import current_revision, engine_for, head_revision, make_engine


def test_migrations_create_every_table_of_the_models(migrated_template):
    engine = make_engine(f"sqlite:///{migrated_template}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_a_new_database_is_created_at_the_latest_revision(tmp_path):
    url = f"sqlite:///{tmp_path / 'sub' / 'new.sqlite'}"
    engine = engine_for(url)
    assert current_revision(engine) == head_revision()
    assert (tmp_path / "sub" / "new.sqlite").exists()
