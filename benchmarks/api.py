"""Benchmark the JSON API against the in-process work it wraps, in the same run.

Run: ``.venv/bin/python benchmarks/api.py [--steps 300] [--journeys 1000] [--repeat 30]``.

On a fresh SQLite file (WAL, as served), through the app as a worker of ``journeys
serve`` builds it (:func:`journeys.web.server.worker_app`): a 300-step generated journey
(annotated) and 1,000 small journeys in one team, a user with a token.

- ``GET /api/v1/journeys/{id}`` through the WSGI app (token lookup, team check, load,
  dump) against what ``journeys export --format json`` does in-process with the same
  engine: ``load_journey`` and ``dump_document``. Median of ``--repeat`` runs each,
  interleaved. Target: at most 2×.
- ``GET /api/v1/journeys`` listing 1,000 journeys: p95 of ``--repeat`` runs. Target:
  under 100 ms. The store's ``list_journeys`` alone is timed beside it, in-process.
"""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

from journeys_gen import generated_journey

from journeys.domain.schemas import dump_document
from journeys.store import accounts
from journeys.store import services as store
from journeys.store.db import open_session
from journeys.web.server import worker_app


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--journeys", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="journeys-api-bench-"))
    url = f"sqlite:///{folder / 'journeys.sqlite'}"
    with open_session(url) as session:
        user = accounts.create_user(session=session, email="bench@example.org", name="Bench")
        team = accounts.create_team(session=session, actor=store.SYSTEM, name="Bench team",
                                    owner_email="bench@example.org")
        _row, token = accounts.create_token(session=session, user_id=user.id)
        big = store.import_journey(session=session, actor=store.SYSTEM, team_id=team.id,
                                   journey=generated_journey(args.steps, annotated=True))
        small = generated_journey(5)
        for _ in range(args.journeys - 1):
            store.import_journey(session=session, actor=store.SYSTEM, team_id=team.id,
                                 journey=small)
        actor = store.actor_for_user(session=session, user_id=user.id)

    os.environ["DATABASE_URL"] = url
    os.environ["SECRET_KEY"] = secrets.token_hex(16)
    app = worker_app()  # as a worker of journeys serve runs it
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def api_get():
        response = client.get(f"/api/v1/journeys/{big}", headers=headers)
        assert response.status_code == 200, response.data[:200]

    def export_in_process():
        with open_session(url) as session:
            dump_document(store.load_journey(session=session, actor=actor, journey_id=big))

    def api_list():
        response = client.get("/api/v1/journeys", headers=headers)
        assert response.status_code == 200 and len(response.get_json()) == args.journeys

    def list_in_process():
        with open_session(url) as session:
            [r.as_dict() for r in store.list_journeys(session=session, actor=actor)]

    for warm in (api_get, export_in_process, api_list, list_in_process):
        warm()
    gets, exports = [], []
    for _ in range(args.repeat):
        gets.append(_timed(api_get))
        exports.append(_timed(export_in_process))
    lists, services = [], []
    for _ in range(args.repeat):
        lists.append(_timed(api_list))
        services.append(_timed(list_in_process))
    lists.sort()

    get_ms = statistics.median(gets) * 1000
    export_ms = statistics.median(exports) * 1000
    ratio = get_ms / export_ms
    p95 = lists[min(len(lists) - 1, round(0.95 * (len(lists) - 1)))] * 1000
    print(f"GET /api/v1/journeys/{{id}} at {args.steps} steps: {get_ms:.1f} ms median; "
          f"export in-process (load + dump): {export_ms:.1f} ms; ratio {ratio:.2f}")
    print(f"GET /api/v1/journeys with {args.journeys:,} journeys: p50 "
          f"{statistics.median(lists) * 1000:.1f} ms, p95 {p95:.1f} ms; the list_journeys "
          f"service alone in-process: {statistics.median(services) * 1000:.1f} ms median")
    get_met = ratio <= 2.0
    list_met = p95 < 100.0
    print(f"target: GET a {args.steps}-step journey within 2x the in-process export: "
          f"{'met' if get_met else 'MISSED'} ({ratio:.2f}x)")
    print(f"target: list {args.journeys:,} journeys under 100 ms p95: "
          f"{'met' if list_met else 'MISSED'} ({p95:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
