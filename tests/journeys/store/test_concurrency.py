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



def _big_document(steps: int, transitions: int) -> dict:
    """A valid journey of ``steps`` steps in 20 stages: a chain, plus jumps forward."""
    stage_ids = [f"stage-{k}" for k in range(20)]
    ids = [f"step-{i}" for i in range(steps)]
    links = [(ids[i], ids[i + 1]) for i in range(steps - 1)]
    k = 2
    while len(links) < transitions:
        links += [(ids[i], ids[i + k]) for i in range(0, steps - k, k)][:transitions - len(links)]
        k += 1
    return {
        "format": "citizen-journey/1", "title": "A very long journey",
        "stages": [{"id": s, "name": s.title()} for s in stage_ids],
        "steps": [{"id": s, "stage": stage_ids[i * 20 // steps], "title": f"Step {i}",
                   "pain_points": [{"text": "It takes long"}] if i % 10 == 0 else []}
                  for i, s in enumerate(ids)],
        "transitions": [{"from": a, "to": b} for a, b in links],
    }


def test_twenty_imports_at_once_of_a_2000_step_journey_all_land_whole(database_url, tmp_path):
    import json

    from journeys.store import services as store
    from journeys.store.actors import SYSTEM
    from journeys.store.db import open_session

    document = _big_document(2000, 4000)
    path = tmp_path / "long.json"
    path.write_text(json.dumps(document))
    env = {**os.environ, "DATABASE_URL": database_url}
    results = _run_at_once(["import", str(path)], env, tmp_path, 20)
    failures = [(code, err) for code, err in results if code != 0]
    assert failures == []
    with open_session(database_url) as session:
        listed = store.list_journeys(session=session, actor=SYSTEM)
        assert len(listed) == 20
        for summary in listed:
            assert summary.steps == 2000 and summary.pain_points == 200
            assert summary.version == 1
            stored = store.load_journey(session=session, actor=SYSTEM, journey_id=summary.id)
            assert len(stored.transitions) == 4000
            assert [s.id for s in stored.steps] == [s["id"] for s in document["steps"]]
