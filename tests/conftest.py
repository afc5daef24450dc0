"""Shared fixtures: samples, a fresh migrated database per test (SQLite, and PostgreSQL when
the run has a server), app, client, CLI."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).parent / "fixtures" / "samples"
JOURNEYS_BIN = Path(sys.executable).parent / "journeys"


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory, monkeypatch):
    """Every test renders into its own cache and sees none of the developer's settings."""
    monkeypatch.setenv("JOURNEYS_CACHE_DIR", str(tmp_path_factory.mktemp("render-cache")))
    for name in ("JOURNEYS_RENDER_TIMEOUT", "DATABASE_URL", "JOURNEYS_INSTANCE", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def samples_dir() -> Path:
    """The folder of sample journey documents."""
    return SAMPLES


@pytest.fixture(params=sorted(p.name for p in SAMPLES.glob("*.json")))
def sample_path(request) -> Path:
    """Each sample journey document in turn."""
    return SAMPLES / request.param


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """An SQLite file migrated to the latest revision once; tests get copies of it."""
    from journeys.store.db import make_engine, migrate

    path = tmp_path_factory.mktemp("template") / "journeys.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    return path


class PostgresServer:
    """The throw-away PostgreSQL server of this run (``TEST_POSTGRES_URL``).

    One database is migrated once as a template; every test gets a copy of it
    (``CREATE DATABASE … TEMPLATE``), dropped after the test.
    """

    def __init__(self, admin_url: str):
        import psycopg

        self.admin_url = admin_url
        self.admin = psycopg.connect(admin_url, autocommit=True)
        self.prefix = f"journeys_test_{os.getpid()}"
        self.template = f"{self.prefix}_template"
        self._count = 0
        # FILE_COPY copies a small template faster than the default WAL_LOG (PG 15+).
        self._strategy = " STRATEGY FILE_COPY" if self.admin.info.server_version >= 150000 else ""

    def url(self, name: str) -> str:
        """The SQLAlchemy URL of database ``name`` on this server."""
        from sqlalchemy import make_url

        return make_url(self.admin_url).set(drivername="postgresql+psycopg",
                                            database=name).render_as_string(hide_password=False)

    def create(self, name: str | None = None, *, template: str | None = None) -> str:
        """A new database (a copy of ``template`` when given); returns its name."""
        if name is None:
            self._count += 1
            name = f"{self.prefix}_{self._count}"
        sql = f'CREATE DATABASE "{name}"'
        if template:
            sql += f' TEMPLATE "{template}"{self._strategy}'
        self.admin.execute(sql)
        return name

    def drop(self, name: str) -> None:
        """Drop database ``name``, closing whatever connections it still has."""
        self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def make_template(self) -> None:
        """Create the template database at the latest migration."""
        from journeys.store.db import make_engine, migrate

        self.drop(self.template)
        self.create(self.template)
        engine = make_engine(self.url(self.template))
        migrate(engine)
        engine.dispose()  # a template must have no open connections when copied

    def close(self) -> None:
        """Drop the template and disconnect."""
        self.drop(self.template)
        self.admin.close()


BACKENDS = ["sqlite", "postgresql"] if os.environ.get("TEST_POSTGRES_URL") else ["sqlite"]


@pytest.fixture(scope="session")
def postgres_server():
    """This run's PostgreSQL server with a migrated template; skips without one."""
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        pytest.skip("no PostgreSQL server for this run (TEST_POSTGRES=1 make test starts one)")
    server = PostgresServer(url)
    server.make_template()
    yield server
    server.close()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """The database this test runs on: sqlite, and postgresql when the run has a server."""
    return request.param


@pytest.fixture
def database_url(request, backend, tmp_path, monkeypatch) -> str:
    """A fresh, migrated database for this test (SQLite, or PostgreSQL), set as DATABASE_URL."""
    from journeys.store.db import dispose_engines

    monkeypatch.setenv("JOURNEYS_INSTANCE", str(tmp_path / "instance"))
    if backend == "sqlite":
        path = tmp_path / "journeys.sqlite"
        shutil.copy(request.getfixturevalue("migrated_template"), path)
        url = f"sqlite:///{path}"
        monkeypatch.setenv("DATABASE_URL", url)
        yield url
        dispose_engines()
        return
    server = request.getfixturevalue("postgres_server")
    name = server.create(template=server.template)
    url = server.url(name)
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    dispose_engines()
    server.drop(name)


@pytest.fixture
def empty_database_url(request, backend, tmp_path) -> str:
    """A database with nothing in it yet: a new SQLite path, or a new PostgreSQL database."""
    from journeys.store.db import dispose_engines

    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'new' / 'journeys.sqlite'}"
        dispose_engines()
        return
    server = request.getfixturevalue("postgres_server")
    name = server.create()
    yield server.url(name)
    dispose_engines()
    server.drop(name)


@pytest.fixture
def session(database_url):
    """A session on this test's database."""
    from journeys.store.db import open_session

    with open_session(database_url) as s:
        yield s


@pytest.fixture
def app(database_url):
    """The web app on this test's database."""
    from journeys.web import create_app

    return create_app({"TESTING": True, "DATABASE_URL": database_url,
                       "SECRET_KEY": "test"})


@pytest.fixture
def client(app):
    """A test client of the web app."""
    return app.test_client()


class CliResult:
    """What a run of the real ``journeys`` command printed and returned."""

    def __init__(self, proc: subprocess.CompletedProcess):
        self.code = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr

    @property
    def out(self) -> str:
        """Standard output as text."""
        return self.stdout.decode()

    @property
    def err(self) -> str:
        """Standard error as text."""
        return self.stderr.decode()


@pytest.fixture
def journeys_cli(tmp_path):
    """Run the installed ``journeys`` console script in ``tmp_path`` with this test's env."""

    def run(*args, input: bytes | None = None, env: dict | None = None) -> CliResult:
        full_env = {**os.environ, **(env or {})}
        proc = subprocess.run(
            [str(JOURNEYS_BIN), *map(str, args)], cwd=tmp_path, input=input,
            capture_output=True, env=full_env, timeout=120, check=False,
        )
        return CliResult(proc)

    return run
