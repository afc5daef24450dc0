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


# --- Shapes that broke the layout ------------------------------------------------------
# Each takes its size, so the tests can build small versions of the same shape.

def _plain_steps(n: int, stages: list[Stage], rng: random.Random,
                 backstage: set[int] = frozenset()) -> list[Step]:
    steps = []
    for i in range(n):
        actor = "back-office" if i in backstage else rng.choice(("citizen", "frontline"))
        steps.append(Step(
            id=f"step-{i}", stage=stages[min(i * len(stages) // n, len(stages) - 1)].id,
            title=" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7))).capitalize(),
            channel=rng.choice(CHANNELS), actor=actor, visibility=default_visibility(actor),
            level=rng.choice((None, 1, 2, 3, 4)),
            pain_points=[PainPoint("It takes too long")] * rng.choice((0, 0, 1)),
        ))
    return steps


def random_jumps(n: int = 300, *, stages: int = 37, jumps: int = 100,
                 seed: int = 3) -> Journey:
    """A main path over ``stages`` stages plus ``jumps`` transitions between random steps,
    of every kind (the shape that made bare ``dot`` run for over a minute at 300 steps)."""
    rng = random.Random(seed)
    stage_list = [Stage(f"stage-{k}", f"Stage {k + 1}") for k in range(min(stages, n))]
    steps = _plain_steps(n, stage_list, rng)
    transitions = [Transition(f"step-{i}", f"step-{i + 1}") for i in range(n - 1)]
    pairs = {(i, i + 1) for i in range(n - 1)}
    kinds = ("flow", "alternative", "failure", "rework")
    while len(transitions) < n - 1 + jumps:
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b and (a, b) not in pairs:
            pairs.add((a, b))
            kind = rng.choice(kinds)
            transitions.append(Transition(f"step-{a}", f"step-{b}",
                                          rng.choice((None, "asked again", "refused")), kind))
    return Journey(title=f"Random jumps over {n} steps", stages=stage_list, steps=steps,
                   transitions=transitions)


def chain_with_rework(n: int = 2000, *, seed: int = 5) -> Journey:
    """A chain of ``n`` steps, each with a rework transition back to the first step."""
    rng = random.Random(seed)
    stage_list = [Stage(f"stage-{k}", f"Stage {k + 1}") for k in range(max(1, n // 10))]
    steps = _plain_steps(n, stage_list, rng)
    transitions = [Transition(f"step-{i}", f"step-{i + 1}") for i in range(n - 1)]
    transitions += [Transition(f"step-{i}", "step-0", "start again", "rework")
                    for i in range(1, n)]
    return Journey(title=f"Chain of {n} steps with rework to the first", stages=stage_list,
                   steps=steps, transitions=transitions)


def hub(side: int = 100, *, seed: int = 7) -> Journey:
    """``side`` visible steps, all into one backstage step, which leads to ``side`` others:
    hiding backstage joins every pair, ``side``² paths."""
    rng = random.Random(seed)
    n = 2 * side + 1
    stage_list = [Stage("before", "Before"), Stage("middle", "Middle"), Stage("after", "After")]
    steps = _plain_steps(n, stage_list, rng, backstage={side})
    for i, s in enumerate(steps):
        s.stage = "before" if i < side else "middle" if i == side else "after"
    middle = f"step-{side}"
    transitions = [Transition(f"step-{i}", middle) for i in range(side)]
    transitions += [Transition(middle, f"step-{i}") for i in range(side + 1, n)]
    return Journey(title=f"Hub of {side} by {side} steps", stages=stage_list, steps=steps,
                   transitions=transitions)


def complete(n: int = 100, *, seed: int = 9) -> Journey:
    """``n`` steps with a transition from every step to every other one."""
    rng = random.Random(seed)
    stage_list = [Stage(f"stage-{k}", f"Stage {k + 1}") for k in range(max(1, n // 10))]
    steps = _plain_steps(n, stage_list, rng)
    kinds = ("flow", "alternative", "failure", "rework")
    transitions = [Transition(f"step-{a}", f"step-{b}", None,
                              "flow" if b == a + 1 else kinds[(a + b) % 4])
                   for a in range(n) for b in range(n) if a != b]
    return Journey(title=f"Complete graph of {n} steps", stages=stage_list, steps=steps,
                   transitions=transitions)


def many_transitions(n: int = 2000, transitions: int = 10000, *, seed: int = 13,
                     backstage_share: float = 0.3) -> Journey:
    """``n`` steps, a share of them backstage, with ``transitions`` random transitions:
    the journey whose contracted graph (backstage hidden) blew up to hundreds of MB."""
    rng = random.Random(seed)
    stage_list = [Stage(f"stage-{k}", f"Stage {k + 1}") for k in range(max(1, n // 10))]
    back = {i for i in range(n) if rng.random() < backstage_share}
    steps = _plain_steps(n, stage_list, rng, backstage=back)
    out = [Transition(f"step-{i}", f"step-{i + 1}") for i in range(n - 1)]
    pairs = {(i, i + 1) for i in range(n - 1)}
    kinds = ("flow", "alternative", "failure", "rework")
    while len(out) < transitions:
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b and (a, b) not in pairs:
            pairs.add((a, b))
            out.append(Transition(f"step-{a}", f"step-{b}", None, rng.choice(kinds)))
    return Journey(title=f"{n} steps with {transitions} transitions", stages=stage_list,
                   steps=steps, transitions=out)


SHAPES = {
    "random jumps": random_jumps,
    "chain + rework": chain_with_rework,
    "hub": hub,
    "complete": complete,
    "many transitions": many_transitions,
}
"""Each shape's generator, by the name the benchmark table shows."""
