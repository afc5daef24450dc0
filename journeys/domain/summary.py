"""The ``journeys check`` summary: pyramid levels, check coverage, failed checks."""

from journeys.domain.checks import CATALOGUES, CHECKS, Assessment, percent
from journeys.domain.document import FORMAT, Journey, level_label
from journeys.domain.graph import JourneyGraph
from journeys.domain.text import one_line


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


def summarise(journey: Journey, *, assessment: Assessment | None = None) -> tuple[str, int]:
    """The summary text of a valid journey and its number of failed checks."""
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
        lines.append(f"  {name:<18}{assessed:>16}  {percent(cov.pass_rate):>9}")
    failed = failed_checks(assessment)
    lines += ["", f"Failed checks: {len(failed)}"]
    for step_id, cid, result, note in failed:
        line = f"  {step_id}  {cid} {result}: {CHECKS[cid].question}"
        # A note may hold line breaks: on one line, it cannot start a line of its own.
        lines.append(line + (f" ({one_line(note)})" if note else ""))
    ignored = ignored_answers(assessment)
    if ignored:
        lines += ["", f"Answers ignored, the check does not apply to the step: {len(ignored)}"]
        lines += [f"  {step_id}  {cid}: applies to {CHECKS[cid].applies_to}"
                  for step_id, cid in ignored]
    notes = structure_notes(graph)
    if notes:
        lines += ["", "Journey shape"] + [f"  {n}" for n in notes]
    return "\n".join(lines) + "\n", len(failed)
