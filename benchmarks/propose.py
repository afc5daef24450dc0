"""Benchmark the proposal engine on generated branching, looping journeys.

Run: ``.venv/bin/python benchmarks/propose.py [--sizes 100 1000 2000] [--repeat 5]``.

Each journey has a flow backbone with alternative skips, failure branches and rework
loops back (the number of paths grows exponentially with its length, so any path
enumeration would explode), plus checks, waits, pain points and moments of truth
spread over its steps so that every rule has work to do. Prints, per size, the best
time of ``--repeat`` runs of ``designer.propose`` (graph and check facts included),
the growth factor against the previous size, and that factor divided by the size
ratio (1.0 is perfectly linear). Target: 2,000 steps in under 1 s.
"""

import argparse
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from designer import propose  # noqa: E402
from journeys.checks import CHECKS  # noqa: E402
from journeys.document import (  # noqa: E402
    CHANNELS,
    CheckAnswer,
    Journey,
    PainPoint,
    Stage,
    Step,
    Transition,
    default_visibility,
)

TODAY = date(2026, 11, 24)
ACTORS = ("citizen", "citizen", "frontline", "back-office", "system", "partner")


def make_journey(n: int, seed: int = 11367) -> Journey:
    """A journey of ``n`` steps with branches, failures and loops, deterministic per seed."""
    rnd = random.Random(seed)
    stages = [Stage(f"stage-{k}", f"Stage {k}") for k in range(10)]
    steps = []
    check_ids = list(CHECKS)
    for i in range(n):
        actor = rnd.choice(ACTORS)
        steps.append(Step(
            id=f"step-{i}", stage=stages[i * len(stages) // n].id, title=f"Step {i}",
            channel=rnd.choice(CHANNELS), actor=actor, visibility=default_visibility(actor),
            agency=rnd.choice([None, None, None, "Partner A", "Partner B", "Agency C"]),
            level=rnd.choice([None, 1, 2, 3, 3, 4]),
            target_level=rnd.choice([None, None, 3, 4]),
            emotion=rnd.choice([None, -2, -1, 0, 1, 2]),
            moment_of_truth=i % 9 == 0,
            wait_days=rnd.choice([None, None, 0, 3, 5, 14, 28]),
            checks={cid: CheckAnswer(rnd.choice(("pass", "fail", "partial", "n/a")))
                    for cid in rnd.sample(check_ids, rnd.randint(0, 6))},
            pain_points=[PainPoint(f"Pain {i}.{k}", severity=rnd.randint(1, 3),
                                   source=rnd.choice(("team", "data")),
                                   votes=rnd.randint(0, 4))
                         for k in range(rnd.randint(0, 2))],
            measure=rnd.choice([None, "satisfaction after the step"]),
            evidence=rnd.choice(("observed", "reported", "data", "assumed")),
            tags=rnd.sample(["identity", "decision", "personal-data"], rnd.randint(0, 1)),
        ))
    pairs: dict[tuple[int, int], str] = {}
    for i in range(n - 1):
        pairs[(i, i + 1)] = "flow"
        if i % 3 == 0 and i + 4 < n:
            pairs.setdefault((i, i + 4), "alternative")
        if i % 7 == 0 and i + 2 < n:
            pairs.setdefault((i, i + 2), "failure")
        if i % 11 == 0 and i >= 6:
            pairs.setdefault((i, i - 6), "rework")
        if i % 19 == 0 and i >= 3:
            pairs.setdefault((i, i - 3), "flow")
    transitions = [Transition(f"step-{a}", f"step-{b}", kind=kind)
                   for (a, b), kind in pairs.items()]
    return Journey(title=f"Generated journey of {n} steps", stages=stages, steps=steps,
                   transitions=transitions, organization="Benchmark Council")


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
        journey = make_journey(n)
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
