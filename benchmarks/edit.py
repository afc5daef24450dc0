"""Benchmark: one step edit through the store services, against a bare UPDATE.

Run: ``.venv/bin/python benchmarks/edit.py [--repeat 300]``.

On a fresh SQLite file (WAL, as the tool runs), for generated journeys of 40, 300 and
2,000 steps it times :func:`journeys.store.services.update_step` on one step in the
middle (its own IMMEDIATE transaction: the lookup, the version check, reading and
validating the step, the write and the revision) and, through the same engine in the same
run and in alternating blocks of ten with the edits (so both see the same load of a
shared machine), a bare single-row ``UPDATE step SET title = … WHERE id = …`` with its
commit. It
prints p50 and p95 of each and their ratio, then the import of a 2,000-step journey with
4,000 transitions. Last, a met or MISSED line per target: the edit at 300 steps within 8×
the bare UPDATE and under 20 ms p95; the edit at 2,000 steps at most 1.5× the edit at 40;
the import under 1 s.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from journeys_gen import generated_journey

from journeys.domain.document import Transition
from journeys.store import services as store
from journeys.store.actors import SYSTEM
from journeys.store.db import open_session

SIZES = (40, 300, 2000)
RATIO_TARGET = (300, 8.0)      # steps, edit p50 / bare UPDATE p50
P95_TARGET = (300, 0.020)      # steps, seconds
GROWTH_TARGET = (40, 2000, 1.5)  # the edit at 2,000 steps / the edit at 40 steps
IMPORT_TARGET = 1.0            # seconds, 2,000 steps and 4,000 transitions


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0–100) of the samples."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


BLOCK = 10  # samples of one kind in a row: only a block's first bare UPDATE re-reads pages


def time_pairs(session, engine, journey_id: int, step_id: str, step_row_id: int,
               repeat: int) -> tuple[list[float], list[float]]:
    """Seconds per ``update_step`` on one step (alternating its channel) and per bare
    single-row UPDATE with commit through the same engine, in alternating blocks so that
    both see the same load of a shared machine."""
    version = store.get_journey_row(session=session, actor=SYSTEM,
                                    journey_id=journey_id).version
    session.commit()
    statement = sa.text("UPDATE step SET title = :title WHERE id = :id")
    edits, bares = [], []
    with engine.connect() as conn:
        while len(edits) < repeat:
            for _ in range(min(BLOCK, repeat - len(edits))):
                i = len(edits)
                start = time.perf_counter()
                version = store.update_step(
                    session=session, actor=SYSTEM, journey_id=journey_id, step_id=step_id,
                    changes={"channel": "phone" if i % 2 == 0 else "web"},
                    expected_version=version)
                edits.append(time.perf_counter() - start)
            for _ in range(min(BLOCK, repeat - len(bares))):
                start = time.perf_counter()
                conn.execute(statement, {"title": f"Title {len(bares)}", "id": step_row_id})
                conn.commit()
                bares.append(time.perf_counter() - start)
    return edits, bares


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def main(argv: list[str] | None = None) -> int:
    """Print the table and the target lines; exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="journeys-bench-"))
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    rows = {}
    with open_session(url) as session:
        engine = session.get_bind().engine
        print(f"{'steps':>6} {'edit p50':>9} {'edit p95':>9} {'bare p50':>9} {'bare p95':>9} "
              f"{'ratio':>6}")
        for n in SIZES:
            journey = generated_journey(n, seed=11, annotated=True)
            journey_id = store.import_journey(session=session, actor=SYSTEM, journey=journey)
            step_id = journey.steps[n // 2].id
            row_id = session.execute(sa.text(
                "SELECT id FROM step WHERE journey_id = :j AND slug = :s"),
                {"j": journey_id, "s": step_id}).scalar_one()
            session.commit()
            time_pairs(session, engine, journey_id, step_id, row_id, 20)  # warm up
            edit, bare = time_pairs(session, engine, journey_id, step_id, row_id, args.repeat)
            r = {"edit50": statistics.median(edit), "edit95": percentile(edit, 95),
                 "bare50": statistics.median(bare), "bare95": percentile(bare, 95)}
            r["ratio"] = r["edit50"] / r["bare50"]
            rows[n] = r
            print(f"{n:>6} {r['edit50'] * 1000:>7.2f}ms {r['edit95'] * 1000:>7.2f}ms "
                  f"{r['bare50'] * 1000:>7.2f}ms {r['bare95'] * 1000:>7.2f}ms "
                  f"{r['ratio']:>6.2f}")

        big = generated_journey(2000, seed=11, annotated=True)
        pairs = {(t.source, t.target) for t in big.transitions}
        ids = [s.id for s in big.steps]
        k = 2
        while len(big.transitions) < 4000:
            for i in range(len(ids)):
                pair = (ids[i], ids[(i + k) % len(ids)])
                if pair not in pairs and len(big.transitions) < 4000:
                    pairs.add(pair)
                    big.transitions.append(Transition(*pair))
            k += 1
        imports = []
        for _ in range(3):
            start = time.perf_counter()
            store.import_journey(session=session, actor=SYSTEM, journey=big)
            imports.append(time.perf_counter() - start)
        print(f"import of 2,000 steps and {len(big.transitions):,} transitions: "
              f"{min(imports) * 1000:.0f}ms (best of 3)")

    steps, limit = RATIO_TARGET
    ratio = rows[steps]["ratio"]
    checks = [ratio <= limit]
    print(f"target: step edit at {steps} steps within {limit:g}× a bare UPDATE with commit: "
          f"{_verdict(checks[-1])} ({ratio:.2f}×)")
    steps, limit = P95_TARGET
    p95 = rows[steps]["edit95"]
    checks.append(p95 < limit)
    print(f"target: step edit at {steps} steps under {limit * 1000:.0f} ms p95: "
          f"{_verdict(checks[-1])} ({p95 * 1000:.2f} ms)")
    small, large, limit = GROWTH_TARGET
    growth = rows[large]["edit50"] / rows[small]["edit50"]
    checks.append(growth <= limit)
    print(f"target: step edit at {large:,} steps at most {limit}× the edit at {small}: "
          f"{_verdict(checks[-1])} ({growth:.2f}×)")
    checks.append(min(imports) < IMPORT_TARGET)
    print(f"target: import of 2,000 steps and 4,000 transitions under {IMPORT_TARGET:g} s: "
          f"{_verdict(checks[-1])} ({min(imports) * 1000:.0f} ms)")
    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
