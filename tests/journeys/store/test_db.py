"""The schema comes from the migrations, on SQLite and PostgreSQL alike, and every failure
of the database reaches the user as one line and exit code 2, never a traceback."""

import socket
import sqlite3

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import journeys.store.models  # noqa: F401
from journeys.store.db import (
    _alembic_config,
    current_revision,
    engine_for,
    head_revision,
    make_engine,
    redact,
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _one_line_error(result) -> str:
    """The single line a failed command printed; fails on a traceback or a second line."""
    assert result.code == 2, (result.code, result.err)
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def test_migrations_create_every_table_of_the_models(database_url):
    engine = make_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_a_new_database_is_created_at_the_latest_revision(empty_database_url):
    engine = engine_for(empty_database_url)
    assert current_revision(engine) == head_revision()


def test_a_new_sqlite_file_gets_its_folder(tmp_path):
    engine_for(f"sqlite:///{tmp_path / 'sub' / 'new.sqlite'}")
    assert (tmp_path / "sub" / "new.sqlite").exists()


def test_alembic_upgrade_head_and_downgrade_base(empty_database_url):
    engine = make_engine(empty_database_url)
    config = _alembic_config()
    for target in ("head", "base", "head"):
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            getattr(command, "downgrade" if target == "base" else "upgrade")(config, target)
        tables = set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
        if target == "base":
            assert tables == set()
            assert current_revision(engine) is None
        else:
            assert tables == set(SQLModel.metadata.tables)
            assert current_revision(engine) == head_revision()
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(session):
    conn = session.connection()
    assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_the_busy_timeout_is_a_setting(database_url, monkeypatch):
    monkeypatch.setenv("JOURNEYS_BUSY_TIMEOUT", "0.25")
    engine = make_engine(database_url)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 250
        else:
            assert conn.exec_driver_sql("SHOW lock_timeout").scalar() == "250ms"
    engine.dispose()


def test_passwords_never_appear_in_a_redacted_url():
    assert redact("postgresql://ann:s3cr@t@db.example/j") == "postgresql://ann:***@db.example/j"
    assert redact("postgresql://ann:pw@db:notaport/j") == "postgresql://ann:***@db:notaport/j"
    assert redact("sqlite:////srv/j.sqlite") == "sqlite:////srv/j.sqlite"


# The command line, on databases it cannot use.

@pytest.mark.parametrize(("url", "expected"), [
    ("not a url", "DATABASE_URL 'not a url' is not a database URL"),
    ("oracle+nothing://ann:s3cret@db/j", "unknown database 'oracle+nothing'"),
    ("mysql://ann:s3cret@db/j", "the driver for 'mysql' is not installed"),
    ("postgresql://ann:s3cret@db:notaport/j", "is not a database URL"),
])
def test_a_wrong_database_url(journeys_cli, url, expected):
    result = journeys_cli("list", env={"DATABASE_URL": url})
    line = _one_line_error(result)
    assert expected in line
    assert "s3cret" not in result.err


def test_a_file_that_is_not_a_database(journeys_cli, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"These are my meeting notes, not a database.\n" * 200)
    result = journeys_cli("list", env={"DATABASE_URL": f"sqlite:///{path}"})
    assert _one_line_error(result) == f"Error: {path} is not a database file (DATABASE_URL)"
    assert path.read_bytes().startswith(b"These are my meeting notes")


def test_a_database_server_that_is_down(journeys_cli):
    url = f"postgresql://ann:s3cret@127.0.0.1:{_free_port()}/journeys"
    result = journeys_cli("list", env={"DATABASE_URL": url})
    line = _one_line_error(result)
    assert line.startswith("Error: cannot connect to the database postgresql+psycopg://ann:***@")
    assert "Connection refused" in line
    assert "s3cret" not in result.err


def test_a_database_at_a_migration_newer_than_this_build(journeys_cli, database_url):
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    result = journeys_cli("list")
    line = _one_line_error(result)
    assert "'9999_from_the_future'" in line
    assert "newer version of Citizen Journeys" in line
    # and the database was left as it was
    engine = make_engine(database_url)
    assert current_revision(engine) == "9999_from_the_future"
    engine.dispose()


def test_check_goes_on_after_a_database_error(journeys_cli, samples_dir, tmp_path):
    sample = samples_dir / "register-a-birth.json"
    result = journeys_cli("check", sample, "1", sample,
                          env={"DATABASE_URL": f"postgresql://ann@127.0.0.1:{_free_port()}/j"})
    assert result.code == 2
    assert "Traceback" not in result.err
    assert result.out.count("== ") == 3
    assert result.out.count("Register a birth") >= 2
    assert result.err.count("cannot connect to the database") == 1


def test_a_bad_busy_timeout_is_named(journeys_cli, database_url):
    result = journeys_cli("list", env={"JOURNEYS_BUSY_TIMEOUT": "soon"})
    assert _one_line_error(result) == ("Error: JOURNEYS_BUSY_TIMEOUT: 'soon' is not a number "
                                       "of seconds from 0 to 3600")


def test_a_writer_that_waits_past_the_busy_timeout_is_told_to_try_again(
        journeys_cli, database_url, samples_dir):
    engine = make_engine(database_url)
    before = journeys_cli("list", "--json").out
    with engine.connect() as blocker:
        # Another writer holds the write lock for longer than the import will wait.
        if engine.dialect.name == "sqlite":
            blocker.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            blocker.begin()
            blocker.exec_driver_sql("LOCK TABLE journey IN EXCLUSIVE MODE")
        result = journeys_cli("import", samples_dir / "register-a-birth.json",
                              env={"JOURNEYS_BUSY_TIMEOUT": "0.2"})
        blocker.rollback()
    engine.dispose()
    assert _one_line_error(result) == "Error: the database is busy; try again"
    assert journeys_cli("list", "--json").out == before


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_sqlite_reads_go_on_while_a_writer_holds_the_lock(journeys_cli, database_url,
                                                          samples_dir):
    assert journeys_cli("import", samples_dir / "register-a-birth.json").code == 0
    blocker = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    blocker.execute("BEGIN IMMEDIATE")
    try:
        result = journeys_cli("list", env={"JOURNEYS_BUSY_TIMEOUT": "0.2"})
    finally:
        blocker.rollback()
        blocker.close()
    assert result.code == 0, result.err
    assert "Register a birth" in result.out
