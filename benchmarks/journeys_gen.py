"""The generated journeys the benchmarks run on: branching, looping, deterministic per seed.

The benchmarks run as ``.venv/bin/python benchmarks/<name>.py``, which puts this folder
on the import path, so they import this module as ``journeys_gen``.
"""

import random

from journeys.domain.checks import CHECKS
from journeys.domain.document import (
    CHANNELS,
    CHECK_RESULTS,
    EVIDENCE,
    CheckAnswer,
    Journey,
    PainPoint,
    Stage,
    Step,
    Transition,
    default_visibility,
)

WORDS = ("citizen", "form", "letter", "checks", "evidence", "office", "waits", "calls",
         "uploads", "decision", "appointment", "reminder", "payment", "reference")
ACTORS = ("citizen", "citizen", "frontline", "back-office", "system")
AGENCIES = (None, None, None, "Partner A", "Partner B", "Agency C")
TAGS = ["identity", "decision", "personal-data"]


def generated_journey(n: int, *, seed: int = 11, annotated: bool = False) -> Journey:
    """A journey of ``n`` steps in n/10 stages with alternatives, failures and rework loops.

    Each step has a title, channel, actor, level, an ACC-04 answer and maybe pain points,
    which is what a diagram shows. With ``annotated``, steps carry what the design rules
    read instead (answers across both catalogues, target levels, emotions, waits,
    agencies, measures, evidence, tags, scored pain points) and some loops have no
    rework transition. The number of paths grows exponentially with ``n``, so any path
    enumeration would explode.
    """
    rng = random.Random(seed)
    stages = [Stage(f"stage-{k}", f"Stage {k + 1}") for k in range(max(1, n // 10))]
    steps = []
    for i in range(n):
        actor = rng.choice(ACTORS)
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).capitalize()
        channel = rng.choice(CHANNELS)
        level = rng.choice((None, 1, 2, 3, 4))
        moment_of_truth = rng.random() < 0.05
        checks = {"ACC-04": CheckAnswer(rng.choice(("pass", "fail", "partial")))}
        pains = rng.choice((0, 0, 1, 2))
        step = Step(
            id=f"step-{i}", stage=stages[min(i * len(stages) // n, len(stages) - 1)].id,
            title=title, channel=channel, actor=actor, visibility=default_visibility(actor),
            level=level, moment_of_truth=moment_of_truth, checks=checks,
            pain_points=[PainPoint("It takes too long")] * pains,
        )
        if annotated:
            _annotate(step, rng)
        steps.append(step)

    transitions = []
    pairs = set()

    def link(a, b, kind="flow", label=None):
        if 0 <= b < n and a != b and (a, b) not in pairs:
            pairs.add((a, b))
            transitions.append(Transition(f"step-{a}", f"step-{b}", label, kind))

    for i in range(n - 1):
        link(i, i + 1)
        if i % 7 == 3:
            link(i, i + 2, "alternative", "prefers to call")
        if i % 11 == 5:
            link(i, i + 3, "failure", "evidence missing")
        if i % 13 == 9:
            link(i, i - 4, "rework", "asked again")
        if annotated and i % 19 == 0:
            link(i, i - 3)  # a loop back with no rework transition
    return Journey(title=f"Generated journey of {n} steps", stages=stages, steps=steps,
                   transitions=transitions,
                   organization="Benchmark Council" if annotated else None)


def _annotate(step: Step, rng: random.Random) -> None:
    """Give a step everything the design rules read, drawn from ``rng``."""
    step.agency = rng.choice(AGENCIES)
    step.target_level = rng.choice((None, None, 3, 4))
    step.emotion = rng.choice((None, -2, -1, 0, 1, 2))
    step.wait_days = rng.choice((None, None, 0, 3, 5, 14, 28))
    step.checks = {cid: CheckAnswer(rng.choice(CHECK_RESULTS))
                   for cid in rng.sample(list(CHECKS), rng.randint(0, 6))}
    step.pain_points = [
        PainPoint(f"Pain {step.id}.{k}", severity=rng.randint(1, 3),
                  source=rng.choice(("team", "data")), votes=rng.randint(0, 4))
        for k in range(len(step.pain_points))
    ]
    step.measure = rng.choice((None, "satisfaction after the step"))
    step.evidence = rng.choice(EVIDENCE)
    step.tags = rng.sample(TAGS, rng.randint(0, 1))
