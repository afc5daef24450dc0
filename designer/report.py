"""Proposals as text (one line each), JSON (``citizen-journey-proposals/1``) or a Markdown brief.

Pure functions returning strings; the CLI and the web app do the writing.
"""

import json
from collections.abc import Sequence
from datetime import date

from designer.proposal import FORMAT, Proposal
from journeys.domain.document import Journey
from journeys.domain.text import md_text, one_line, plural, quote

REPORT_FORMATS = ("text", "json", "md")


def as_dict(journey: Journey, proposals: Sequence[Proposal], evaluated_on: date) -> dict:
    """The JSON document of the spec, as a dict."""
    return {
        "format": FORMAT,
        "journey": journey.title,
        "evaluated_on": evaluated_on.isoformat(),
        "proposals": [p.to_dict() for p in proposals],
    }


def render_json(journey: Journey, proposals: Sequence[Proposal], evaluated_on: date) -> str:
    """JSON with an indent of 2, non-ASCII kept, and a trailing newline."""
    return json.dumps(as_dict(journey, proposals, evaluated_on), indent=2,
                      ensure_ascii=False) + "\n"


def render_text(journey: Journey, proposals: Sequence[Proposal], evaluated_on: date) -> str:
    """One line per proposal: priority, id and title (a single line when there are none)."""
    if not proposals:
        return f"no proposals for {quote(journey.title)}\n"
    width = max(len(str(p.priority)) for p in proposals)
    return "".join(f"{p.priority:>{width}}  {p.id}  {one_line(p.title)}\n"
                   for p in proposals)


def _stage_of(journey: Journey, p: Proposal) -> str | None:
    return None if p.step is None else journey.steps[p.step].stage


def render_md(journey: Journey, proposals: Sequence[Proposal], evaluated_on: date) -> str:
    """A design brief for management: summary, then proposals grouped by stage."""
    lines = [f"# Design brief: {md_text(journey.title, block_start=False)}", ""]
    facts = [f"Evaluated on {evaluated_on.isoformat()}"]
    if journey.service:
        facts.append(f"service: {md_text(journey.service, block_start=False)}")
    if journey.organization:
        facts.append(f"organisation: {md_text(journey.organization, block_start=False)}")
    facts.append(f"journey state: {journey.state}")
    lines += ["; ".join(facts) + ".", "",
              "Proposals from the Citizen Journeys design rules (ISO 11367:2025, clause 7.3.2), "
              "grouped by where they apply: the whole journey first, then stage by stage. The "
              "number before each proposal is its rank, 1 being the highest priority. Each one "
              "cites the clauses it rests on, the evidence in the journey that triggered it, "
              "and the design actions it proposes.", ""]

    on_journey = [p for p in proposals if p.step is None]
    lines += ["## Summary", ""]
    if not proposals:
        lines += ["No proposals: no design rule fires on this journey.", ""]
        return "\n".join(lines)
    stages_hit = {_stage_of(journey, p) for p in proposals} - {None}
    lines.append(f"- {plural(len(proposals), 'proposal')}: "
                 f"{len(on_journey)} on the whole journey, "
                 f"{len(proposals) - len(on_journey)} on steps and transitions "
                 f"in {plural(len(stages_hit), 'stage')}")
    top = proposals[0]
    lines.append(f"- Highest priority: {top.priority} ({top.rule} {top.name})")
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for p in proposals:
        counts[p.rule] = counts.get(p.rule, 0) + 1
        names[p.rule] = p.name
    lines.append("- By rule: " + ", ".join(
        f"{rule} {names[rule]} × {counts[rule]}" for rule in sorted(counts)))
    lines.append("")

    rank = {id(p): n for n, p in enumerate(proposals, start=1)}
    groups: list[tuple[str, list[Proposal]]] = []
    if on_journey:
        groups.append(("Whole journey", on_journey))
    for stage in journey.stages:
        in_stage = [p for p in proposals if _stage_of(journey, p) == stage.id]
        if in_stage:
            groups.append((f"Stage: {md_text(stage.name, block_start=False)}", in_stage))
    for heading, group in groups:
        lines += [f"## {heading}", ""]
        for p in group:
            lines += _md_proposal(journey, p, rank[id(p)])
    return "\n".join(lines)


def _md_proposal(journey: Journey, p: Proposal, rank: int) -> list[str]:
    if p.target.kind == "step":
        about = f"step `{p.target.id}`"
    elif p.target.kind == "transition":
        about = f"transition `{p.target.source}` → `{p.target.target}`"
    else:
        about = "the whole journey"
    lines = [
        f"### {rank}. {md_text(p.title, block_start=False)}", "",
        f"- Priority: {p.priority}",
        f"- Rule: {p.rule} {p.name} (`{p.id}`), about {about}",
        f"- Clauses: {', '.join(md_text(c, block_start=False) for c in p.clauses)}",
        "", "Evidence:", "",
    ]
    lines += [f"- {md_text(e)}" for e in p.evidence]
    lines += ["", "Actions:", ""]
    lines += [f"{n}. {md_text(a)}" for n, a in enumerate(p.actions, start=1)]
    lines.append("")
    return lines


def render_report(journey: Journey, proposals: Sequence[Proposal], evaluated_on: date,
                  fmt: str = "text") -> str:
    """The proposals rendered as ``text``, ``json`` or ``md``."""
    if fmt == "json":
        return render_json(journey, proposals, evaluated_on)
    if fmt == "md":
        return render_md(journey, proposals, evaluated_on)
    if fmt == "text":
        return render_text(journey, proposals, evaluated_on)
    raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(REPORT_FORMATS)})")
