"""Shared fixtures: samples, a fresh migrated SQLite database per test, app, client, CLI."""

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


@pytest.fixture
def database_url(tmp_path, migrated_template, monkeypatch) -> str:
    """A fresh, migrated SQLite database file for this test, set as DATABASE_URL."""
    path = tmp_path / "journeys.sqlite"
    shutil.copy(migrated_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("JOURNEYS_INSTANCE", str(tmp_path / "instance"))
    return url


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
