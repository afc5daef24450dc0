"""Proposals as text (one line each), JSON (``citizen-journey-proposals/1``) or a Markdown brief.

Pure functions returning strings; the CLI and the web app do the writing.
"""

import json
from collections.abc import Sequence
from datetime import date

from designer.brief import Brief, Entry, build_brief
from designer.proposal import FORMAT, Proposal
from journeys.domain.document import Journey
from journeys.domain.text import listing, md_text, one_line, plural, quote

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


def render_md(journey: Journey, proposals: Sequence[Proposal], evaluated_on: date) -> str:
    """The design brief as Markdown: executive summary, proposals in rank order, appendix."""
    return brief_md(build_brief(journey, proposals, evaluated_on))


def brief_md(brief: Brief) -> str:
    """A :class:`designer.brief.Brief` as Markdown, every text escaped."""
    lines = [f"# Design brief: {md_text(brief.title, block_start=False)}", "",
             md_text(" · ".join(brief.context)), ""]
    lines += ["## Executive summary", "", md_text(brief.sentence), ""]
    if brief.persona:
        lines += [f"**Whose journey:** {md_text(brief.persona, block_start=False)}", ""]
    if not brief.entries:
        lines += ["No proposals: no design rule fires on this journey.", ""]
        return "\n".join(lines)
    lines += [f"### The {plural(len(brief.issues), 'issue')} to decide on first"
              if len(brief.issues) > 1 else "### The issue to decide on first", ""]
    for n, issue in enumerate(brief.issues, start=1):
        lines += [f"{n}. **{md_text(issue.headline, block_start=False)}**",
                  f"   - Who is affected: {md_text(issue.who, block_start=False)}",
                  f"   - Cost to citizens: {md_text(issue.cost, block_start=False)}",
                  f"   - Decision needed: {md_text(issue.decision, block_start=False)}"]
    lines += ["", "## Proposals in priority order", ""]
    lines += [md_text(brief.intro), ""]
    if brief.ways_of_working:
        lines += ["### Ways of working", "",
                  "Actions that several entries share are written once here; each entry "
                  "names the ones it uses.", ""]
        for way in brief.ways_of_working:
            lines += [f"**W{way.number}. {md_text(way.rule, block_start=False)}**", ""]
            lines += [f"- {md_text(a.text, block_start=False)}" for a in way.actions]
            lines.append("")
    for entry in brief.main:
        lines += _md_entry(entry, "###")
    if brief.appendix:
        lines += ["## Appendix: the other proposals, by stage", ""]
        for stage, group in brief.appendix:
            heading = "The whole journey" if stage is None else f"Stage: {stage}"
            lines += [f"### {md_text(heading, block_start=False)}", ""]
            for entry in group:
                lines += _md_entry(entry, "####")
    lines += ["## Clauses cited", "",
              "ISO 11367:2025 clauses, by number and title; what they ask is our reading of "
              "the standard.", ""]
    lines += [f"- {md_text(c)}" for c in brief.clauses]
    return "\n".join(lines) + "\n"


def _md_entry(entry: Entry, level: str) -> list[str]:
    lines = [f"{level} {entry.rank}. {md_text(entry.heading, block_start=False)}", "",
             f"{md_text(entry.where)}. Priority {entry.priority}.", "",
             "Rules: " + md_text("; ".join(entry.rules), block_start=False) + ".", ""]
    if entry.frame:
        lines += [f"**The law sets the frame.** {md_text(entry.frame, block_start=False)}", ""]
    if entry.facts:
        lines += ["What the map shows:", ""]
        lines += [f"- {md_text(f)}" for f in entry.facts]
        lines.append("")
    lines += ["Actions:", ""]
    lines += [f"{n}. *{a.kind}*: {md_text(a.text, block_start=False)}"
              for n, a in enumerate(entry.actions, start=1)]
    if entry.shared:
        numbers = listing([f"W{n}" for n in entry.shared], limit=len(entry.shared))
        word = "ways" if len(entry.shared) > 1 else "way"
        lines.append(f"{len(entry.actions) + 1}. And the {word} of working {numbers}.")
    lines += ["", "Clauses: " + md_text("; ".join(entry.clauses), block_start=False) + ".", ""]
    return lines


PROPOSAL_COLUMNS = (
    "Work Item Type", "Title", "Description", "Priority", "Tags", "journey_id",
    "journey_title", "proposal_id", "rule", "rule_name", "design_priority", "rank",
    "target_kind", "step_id", "stage_id", "decision",
)
ACTION_COLUMNS = ("journey_id", "journey_title", "proposal_id", "action_number", "kind",
                  "action")
# The most senior kind among a proposal's actions says whose decision it is.
_SENIORITY = ("policy", "cross-organisation", "service")


def proposal_tables(journey: Journey, proposals: Sequence[Proposal],
                    journey_id: int | str) -> dict[str, list[list]]:
    """The ``proposals`` and ``proposal-actions`` tables, header first.

    ``proposals`` is laid out for a backlog tool's CSV import: ``Work Item Type``,
    ``Title``, ``Description`` (actions, evidence and clauses as text), ``Priority`` 1–4
    (by rank quarter, 1 the most urgent) and ``Tags`` (rule id and name, separated by
    ``;``, as Azure DevOps and Jira read them); the columns after them are the
    proposal's own, one value each.
    """
    from designer.brief import titled
    from designer.clauses import clause_with_title
    from designer.wording import KINDS

    rows: list[list] = [list(PROPOSAL_COLUMNS)]
    actions: list[list] = [list(ACTION_COLUMNS)]
    n = len(proposals)
    for rank, p in enumerate(proposals, start=1):
        description = "\n".join(
            ["Actions:"] + [f"{k}. {titled(a)}" for k, a in enumerate(p.actions, start=1)]
            + ["", "Evidence:"] + [f"- {e}" for e in p.evidence]
            + ["", "Clauses: " + "; ".join(clause_with_title(c) for c in p.clauses),
               f"Proposal {p.id} ({journey.title})"])
        kinds = set(p.kinds)
        decision = next((KINDS[k] for k in _SENIORITY if k in kinds), KINDS["service"])
        step = journey.steps[p.step] if p.step is not None else None
        rows.append([
            "Task", p.title, description, 1 + (rank - 1) * 4 // n, f"{p.rule}; {p.name}",
            journey_id, journey.title, p.id, p.rule, p.name, p.priority, rank, p.target.kind,
            step.id if step else None, step.stage if step else None, decision,
        ])
        actions += [[journey_id, journey.title, p.id, k, KINDS[kind], a]
                    for k, (a, kind) in enumerate(zip(p.actions, p.kinds, strict=True),
                                                  start=1)]
    return {"proposals": rows, "proposal-actions": actions}


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
