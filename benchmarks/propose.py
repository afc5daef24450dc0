"""Benchmark the proposal engine on generated branching, looping journeys.

Run: ``.venv/bin/python benchmarks/propose.py [--sizes 100 1000 2000] [--repeat 5]``.

Each journey (``journeys_gen.generated_journey``, annotated) has a flow backbone with
alternative skips, failure branches, rework loops and loops without rework (the number
of paths grows exponentially with its length, so any path enumeration would explode),
plus checks, waits, pain points and moments of truth spread over its steps so that
every rule has work to do. Prints, per size, the best time of ``--repeat`` runs of
``designer.propose`` (graph and check facts included), the growth factor against the
previous size, and that factor divided by the size ratio (1.0 is perfectly linear).
Target: 2,000 steps in under 1 s.
"""

import argparse
import sys
import time
from datetime import date

from journeys_gen import generated_journey

from designer import propose
from journeys.domain.document import Journey

TODAY = date(2026, 11, 24)
SEED = 11367


def best_time(journey: Journey, repeat: int) -> tuple[float, int]:
    """The best wall-clock time of ``repeat`` runs, and the number of proposals."""
    best = float("inf")
    count = 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = len(propose(journey, today=TODAY))
        best = min(best, time.perf_counter() - start)
    return best, count


def main(argv: list[str] | None = None) -> int:
    """Print the benchmark table; exit 1 if the largest size misses the 1 s target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 2000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    print(f"{'steps':>6} {'transitions':>11} {'proposals':>9} {'seconds':>9} "
          f"{'growth':>7} {'per size':>8}")
    previous: tuple[int, float] | None = None
    seconds = 0.0
    for n in args.sizes:
        journey = generated_journey(n, seed=SEED, annotated=True)
        seconds, count = best_time(journey, args.repeat)
        if previous:
            growth = seconds / previous[1]
            growth_col = f"{growth:>6.2f}x"
            per_size = f"{growth / (n / previous[0]):>8.2f}"
        else:
            growth_col, per_size = f"{'–':>7}", f"{'–':>8}"
        print(f"{n:>6} {len(journey.transitions):>11} {count:>9} {seconds:>9.4f} "
              f"{growth_col} {per_size}")
        previous = (n, seconds)
    target_met = seconds < 1.0
    print(f"target: {args.sizes[-1]} steps in under 1 s: {'met' if target_met else 'MISSED'}")
    return 0 if target_met else 1


if __name__ == "__main__":
    sys.exit(main())
