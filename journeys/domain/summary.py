"""The ``journeys check`` summary: pyramid levels, check coverage, failed checks by stage.

Failed checks count fails and partials apart and show each step by its title (its id in
brackets), grouped by stage; a pass rate over too few answers says so rather than give a
percentage (:data:`MIN_COVERAGE`); each stage gets a short "not yet assessed" line.
"""

from fractions import Fraction

from journeys.domain.checks import CATALOGUES, CHECKS, Assessment, Coverage, percent
from journeys.domain.document import FORMAT, Journey, level_label
from journeys.domain.graph import JourneyGraph
from journeys.domain.text import one_line, plural


def level_counts(journey: Journey) -> dict[int | None, int]:
    """Steps per pyramid level (None: not assessed), levels 1–4 always present."""
    counts: dict[int | None, int] = {1: 0, 2: 0, 3: 0, 4: 0, None: 0}
    for step in journey.steps:
        counts[step.level] += 1
    return counts


def failed_checks(assessment: Assessment) -> list[tuple[str, str, str, str | None]]:
    """(step id, check id, result, note) of every failed applicable check, in step order."""
    rows = []
    for i, step in enumerate(assessment.journey.steps):
        for cid in assessment.failed(i):
            answer = assessment.answer(i, cid)
            rows.append((step.id, cid, answer.result, answer.note))
    return rows


def ignored_answers(assessment: Assessment) -> list[tuple[str, str]]:
    """(step id, check id) of answers to checks that do not apply to their step."""
    return [(step.id, cid) for i, step in enumerate(assessment.journey.steps)
            for cid in assessment.ignored(i)]


def structure_notes(graph: JourneyGraph) -> list[str]:
    """Warnings about the shape of the journey: no ending, no success, unreachable steps."""
    notes = []
    steps = graph.steps
    if not graph.outcomes:
        notes.append("no step ends the journey: every step has a transition onward")
    elif not graph.success_outcomes:
        notes.append("every ending is reached only by failure transitions: no success outcome")
    reached = graph.reach_from(graph.starts, [True] * len(steps))
    unreachable = [s.id for s, r in zip(steps, reached, strict=True) if not r]
    if unreachable:
        notes.append("not reachable from the start: " + ", ".join(unreachable))
    return notes


MIN_COVERAGE = Fraction(1, 4)
"""Below this share of applicable checks answered, a pass rate says "too few answers"."""


def pass_rate_text(cov: Coverage) -> str:
    """The pass rate, or ``too few answers`` when under :data:`MIN_COVERAGE` is answered."""
    if cov.assessed is not None and cov.assessed < MIN_COVERAGE:
        return "too few answers"
    return percent(cov.pass_rate)


def _step_name(step) -> str:
    return f"{one_line(step.title)} ({step.id})"


def unassessed_by_stage(assessment: Assessment) -> list[tuple[str, int, int, int, int]]:
    """(stage name, steps, steps without a level, applicable checks, unanswered) per stage."""
    journey = assessment.journey
    out = []
    for stage in journey.stages:
        steps = no_level = applicable = unanswered = 0
        for i, step in enumerate(journey.steps):
            if step.stage != stage.id:
                continue
            steps += 1
            no_level += step.level is None
            applicable += len(assessment.applicable[i])
            unanswered += sum(1 for cid in assessment.applicable[i] if cid not in step.checks)
        out.append((stage.name, steps, no_level, applicable, unanswered))
    return out


def summarise(journey: Journey, *, assessment: Assessment | None = None) -> tuple[str, int]:
    """The summary text of a valid journey and its number of failed checks (fail or partial)."""
    assessment = assessment or Assessment(journey)
    graph = assessment.graph
    lines = [
        f"{one_line(journey.title)}: valid {FORMAT}, {len(journey.stages)} stages, "
        f"{len(journey.steps)} steps, {len(journey.transitions)} transitions",
        "",
        "Pyramid level",
    ]
    for level, n in level_counts(journey).items():
        lines.append(f"  {level_label(level):<18}{n:>5}")
    lines += ["", f"  {'Checks':<18}{'assessed':>16}  {'pass rate':>9}"]
    for cat, cov in assessment.coverage().items():
        name = CATALOGUES[cat].split(" (")[0]
        assessed = f"{percent(cov.assessed)} ({cov.answered}/{cov.applicable})"
        lines.append(f"  {name:<18}{assessed:>16}  {pass_rate_text(cov):>9}")
    lines.append(f"  (a pass rate needs {percent(MIN_COVERAGE)} of the checks that apply "
                 "answered)")
    failed = failed_checks(assessment)
    fails = sum(1 for row in failed if row[2] == "fail")
    partials = len(failed) - fails
    lines += ["", f"Failed checks: {fails} fail, {partials} partial"]
    steps = {s.id: s for s in journey.steps}
    stage_names = {st.id: st.name for st in journey.stages}
    by_stage: dict[str, dict[str, list]] = {}
    for step_id, cid, result, note in failed:
        stage = steps[step_id].stage
        by_stage.setdefault(stage, {}).setdefault(step_id, []).append((cid, result, note))
    for stage in journey.stages:
        if stage.id not in by_stage:
            continue
        lines.append(f"  {one_line(stage_names[stage.id])}")
        for step_id, rows in by_stage[stage.id].items():
            lines.append(f"    {_step_name(steps[step_id])}")
            for cid, result, note in rows:
                line = f"      {cid} {result}: {CHECKS[cid].question}"
                lines.append(line + (f" ({one_line(note)})" if note else ""))
    lines += ["", "Not yet assessed"]
    for name, n, no_level, applicable, unanswered in unassessed_by_stage(assessment):
        if not n:
            lines.append(f"  {one_line(name)}: no steps")
        elif not no_level and not unanswered:
            lines.append(f"  {one_line(name)}: all assessed")
        else:
            levels = ("every step has a level" if not no_level
                      else f"{no_level} of {plural(n, 'step')} without a level")
            lines.append(f"  {one_line(name)}: {levels}; {unanswered} of "
                         f"{plural(applicable, 'check')} unanswered")
    ignored = ignored_answers(assessment)
    if ignored:
        lines += ["", f"Answers ignored, the check does not apply to the step: {len(ignored)}"]
        lines += [f"  {_step_name(steps[step_id])}  {cid}: applies to "
                  f"{CHECKS[cid].applies_to}" for step_id, cid in ignored]
    notes = structure_notes(graph)
    if notes:
        lines += ["", "Journey shape"] + [f"  {n}" for n in notes]
    return "\n".join(lines) + "\n", len(failed)
