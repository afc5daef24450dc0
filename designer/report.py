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
