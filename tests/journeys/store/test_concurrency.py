"""Many processes at once: the first use of a new database migrates it exactly once."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from journeys.store.db import current_revision, head_revision, make_engine

JOURNEYS_BIN = Path(sys.executable).parent / "journeys"


def _run_at_once(args: list[str], env: dict, cwd: Path, count: int) -> list[tuple[int, str]]:
    """Start ``count`` real ``journeys`` processes together; their exit codes and stderr."""
    procs = [subprocess.Popen([str(JOURNEYS_BIN), *args], cwd=cwd, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(count)]
    results = []
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        results.append((proc.returncode, err.decode()))
    return results


@pytest.mark.parametrize("count", [2, 20])
def test_commands_at_once_on_a_new_database_all_succeed(empty_database_url, tmp_path, count):
    env = {**os.environ, "DATABASE_URL": empty_database_url}
    results = _run_at_once(["list"], env, tmp_path, count)
    failures = [err for code, err in results if code != 0]
    assert failures == []
    engine = make_engine(empty_database_url)
    assert current_revision(engine) == head_revision()
    engine.dispose()

