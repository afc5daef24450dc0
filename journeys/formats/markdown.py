"""The journey as readable Markdown: the text version and the diagram's text alternative.

Every user string is escaped by :func:`journeys.domain.text.md_text` (the design brief
uses it too), so it
reads as typed in plain text and renders as literal text (never as a heading, link, HTML
or table, and no bare URL becomes a link) when the Markdown is turned into HTML, by
CommonMark and GitHub's extensions alike.
"""


from journeys.domain.checks import Assessment
from journeys.domain.document import ACTOR_NAMES, CHANNEL_NAMES, Journey, Step, level_label
from journeys.domain.graph import JourneyGraph
from journeys.domain.text import format_number, md_text, plural

SEVERITY = {1: "annoying", 2: "serious", 3: "blocks the citizen"}


def _level(step: Step) -> str:
    return level_label(step.level) + (
        f" (target L{step.target_level})" if step.target_level else "")


def _emotion(value: int | None) -> str:
    if value is None:
        return "not recorded"
    words = {-2: "very negative", -1: "negative", 0: "neutral", 1: "positive", 2: "delighted"}
    return f"{value:+d} ({words[value]})" if value else "0 (neutral)"


def _step_heading(position: int, step: Step) -> str:
    return f"### {position}. {md_text(step.title)}"


def to_markdown(journey: Journey, *, assessment: Assessment | None = None) -> str:
    """The whole journey as Markdown: stages, steps with all annotations, transitions."""
    assessment = assessment or Assessment(journey)
    graph = assessment.graph
    number = {s.id: n for n, s in enumerate(journey.steps, start=1)}
    out: list[str] = [f"# {md_text(journey.title)}", ""]

    facts = [f"State: {journey.state}"]
    if journey.service:
        facts.append(f"Service: {md_text(journey.service)}")
    if journey.service_type:
        facts.append(f"Type of service: {journey.service_type}")
    if journey.organization:
        facts.append(f"Organisation: {md_text(journey.organization)}")
    if journey.reviewed_on:
        facts.append(f"Last reviewed with citizens: {journey.reviewed_on.isoformat()}")
    out += [f"- {f}" for f in facts]
    if journey.persona:
        p = journey.persona
        out.append(f"- Persona: {md_text(p.name)}"
                   + (f": {md_text(p.description)}" if p.description else ""))
        out += [f"  - Needs: {md_text(n)}" for n in p.needs]

    pains = sum(len(s.pain_points) for s in journey.steps)
    failed = sum(len(assessment.failed(i)) for i in range(len(journey.steps)))
    moments = sum(s.moment_of_truth for s in journey.steps)
    backstage = sum(not s.citizen_facing for s in journey.steps)
    out += ["", (
        f"{plural(len(journey.steps), 'step')} in {plural(len(journey.stages), 'stage')} "
        f"({backstage} backstage); {plural(moments, 'moment')} of truth; "
        f"{plural(pains, 'pain point')}; {plural(failed, 'failed or partial check')}."
    )]

    by_stage: dict[str, list[int]] = {s.id: [] for s in journey.stages}
    for i, s in enumerate(journey.steps):
        by_stage[s.stage].append(i)
    for k, stage in enumerate(journey.stages, start=1):
        out += ["", f"## Stage {k}: {md_text(stage.name)}", ""]
        if stage.description:
            out += [md_text(stage.description), ""]
        if not by_stage[stage.id]:
            out.append("No steps in this stage.")
        for i in by_stage[stage.id]:
            out += _step_section(journey, graph, assessment, i, number)

    out += ["", "## Transitions", ""]
    if graph.implied:
        out.append("The document has no transitions: each step leads to the next one.")
    for e in graph.edges:
        t = graph.transition(e)
        # "- 1. A" would open an ordered list inside the bullet: the dot is escaped.
        line = (f"- {number[t.source]}\\. {md_text(journey.steps[e.source].title)} → "
                f"{number[t.target]}. {md_text(journey.steps[e.target].title)} "
                f"({t.kind}")
        out.append(line + (f": {md_text(t.label)})" if t.label else ")"))

    out += ["", "## Pain points", ""]
    if not pains:
        out.append("None recorded.")
    ranked = sorted(
        ((p, i) for i, s in enumerate(journey.steps) for p in s.pain_points),
        key=lambda pi: -pi[0].score,
    )
    for p, i in ranked:
        out.append(f"- {md_text(p.text)} (step {i + 1}. {md_text(journey.steps[i].title)}; "
                   f"{p.category}, severity {p.severity} {SEVERITY[p.severity]}, raised by "
                   f"{p.source}, {plural(p.votes, 'vote')}, score {p.score})")
    return "\n".join(out) + "\n"


def _step_section(journey: Journey, graph: JourneyGraph, assessment: Assessment, i: int,
                  number: dict[str, int]) -> list[str]:
    s = journey.steps[i]
    out = [_step_heading(i + 1, s), ""]
    if s.description:
        out += [md_text(s.description), ""]
    where = "citizen-facing (frontstage)" if s.citizen_facing else \
        "backstage (below the line of visibility)"
    out.append(f"- Channel: {CHANNEL_NAMES[s.channel]}; actor: {ACTOR_NAMES[s.actor]}; {where}")
    if s.agency:
        out.append(f"- Agency: {md_text(s.agency)}")
    out.append(f"- Pyramid level: {_level(s)}")
    if s.moment_of_truth:
        out.append("- ★ Moment of truth")
    out.append(f"- Emotion: {_emotion(s.emotion)}")
    if s.effort_minutes is not None:
        out.append(f"- Citizen's effort: {format_number(s.effort_minutes)} minutes")
    if s.wait_days is not None:
        out.append(f"- Wait after this step: {format_number(s.wait_days)} days")
    answers = [(cid, a) for cid in s.checks if (a := assessment.answer(i, cid)) is not None]
    if answers:
        out.append("- Checks: " + "; ".join(
            f"{cid} {a.result}" + (f" ({md_text(a.note)})" if a.note else "")
            for cid, a in answers))
    failed = assessment.failed(i)
    if failed:
        out.append(f"- ✗ Failed or partial checks: {', '.join(failed)}")
    if s.measure:
        out.append(f"- Measure: {md_text(s.measure)}")
    out.append(f"- Evidence: {s.evidence}")
    if s.tags:
        out.append(f"- Tags: {', '.join(md_text(t) for t in s.tags)}")
    for p in s.pain_points:
        out.append(f"- ⚠ Pain point: {md_text(p.text)} ({p.category}, severity {p.severity}, "
                   f"raised by {p.source}, {plural(p.votes, 'vote')})")
    for idea in s.ideas:
        out.append(f"- Idea: {md_text(idea)}")
    for e in graph.out_edges[i]:
        t = graph.transition(e)
        label = f": {md_text(t.label)}" if t.label else ""
        out.append(f"- Next: {number[t.target]}. {md_text(journey.steps[e.target].title)} "
                   f"({t.kind}{label})")
    out.append("")
    return out
