"""A closed workshop's report: Markdown for reading, CSV of every contribution for sorting.

Pure text from plain data (:class:`Report`): the web layer reads the store and fills it, so
this module knows nothing of sessions or requests. User text is escaped for Markdown
(:func:`journeys.domain.text.md_text`) and neutralised for spreadsheets
(:func:`journeys.formats.tabular.write_csv`), like every other export.
"""

from dataclasses import dataclass, field

from journeys.domain.feelings import feeling_summary
from journeys.domain.text import md_text, plural
from journeys.formats.tabular import write_csv

STATUSES = ("shown", "pending", "hidden", "merged")
"""What became of a contribution: shown to the room (and in the journey after closing),
never approved, hidden by the facilitator (with a reason), merged into another."""
CSV_COLUMNS = ("stage", "step", "step_title", "kind", "text", "category", "severity",
               "votes", "status", "reason", "merged_into", "item")


@dataclass(frozen=True)
class Contribution:
    """One pain point or idea, as the report shows it."""

    id: int
    step: str
    kind: str  # "pain" or "idea"
    text: str
    category: str | None = None
    severity: int | None = None
    votes: int = 0
    status: str = "shown"
    reason: str | None = None
    merged_into: int | None = None


@dataclass(frozen=True)
class ReportStep:
    """A step open for comment, in journey order, with the feelings said about it."""

    id: str
    title: str
    stage: str
    number: int
    feelings: dict = field(default_factory=dict)  # −2…+2 → how many said it


@dataclass(frozen=True)
class Report:
    """Everything the report says about one workshop."""

    title: str
    journey_title: str
    participants: int
    steps: list  # of ReportStep
    contributions: list  # of Contribution
    closed: str | None = None  # when, already formatted
    revision: int | None = None  # the journey's revision holding the contributions



def _pain_line(c: Contribution) -> str:
    endorsed = f", endorsed by {c.votes}" if c.votes else ", no endorsement"
    return f"- {md_text(c.text, block_start=False)} (severity {c.severity}, " \
           f"{c.category}{endorsed})"


def report_md(report: Report) -> str:
    """The report as Markdown: per step, pain points with votes, ideas, feelings; hidden
    and merged contributions listed apart with the reason, marked."""
    texts = {c.id: c.text for c in report.contributions}
    out = [f"# Workshop report: {md_text(report.title)}", "",
           f"Journey: {md_text(report.journey_title, block_start=False)}",
           "", f"- Participants: {report.participants}"]
    if report.closed:
        out.append(f"- Closed: {md_text(report.closed, block_start=False)}")
    if report.revision:
        out.append(f"- The citizens' contributions are revision {report.revision} of the "
                   "journey.")
    shown = [c for c in report.contributions if c.status == "shown"]
    out.append(f"- {plural(sum(c.kind == 'pain' for c in shown), 'pain point')} and "
               f"{plural(sum(c.kind == 'idea' for c in shown), 'idea')} kept")
    by_step: dict[str, list] = {}
    for c in report.contributions:
        by_step.setdefault(c.step, []).append(c)
    stage = None
    for step in report.steps:
        mine = by_step.get(step.id, [])
        if step.stage != stage:
            stage = step.stage
            out += ["", f"## {md_text(stage)}"]
        out += ["", f"### {step.number}. {md_text(step.title)}", ""]
        pains = sorted((c for c in mine if c.kind == "pain" and c.status == "shown"),
                       key=lambda c: (-c.votes, c.id))
        ideas = [c for c in mine if c.kind == "idea" and c.status == "shown"]
        felt = feeling_summary(step.feelings)
        if not pains and not ideas and not felt and not mine:
            out.append("Nothing was said about this step.")
            continue
        if pains:
            out += ["Pain points raised by citizens, most endorsed first:", ""]
            out += [_pain_line(c) for c in pains]
            out.append("")
        if ideas:
            out += ["Ideas:", ""]
            out += [f"- {md_text(c.text, block_start=False)}" for c in ideas]
            out.append("")
        if felt:
            out += [f"Feelings: {felt}.", ""]
        set_apart = [c for c in mine if c.status != "shown"]
        if set_apart:
            out += ["Not added to the journey:", ""]
            for c in set_apart:
                kind = "pain point" if c.kind == "pain" else "idea"
                if c.status == "hidden":
                    why = f"**hidden**: {md_text(c.reason or '', block_start=False)}"
                elif c.status == "merged":
                    # Named by its words: the report numbers nothing else by its id.
                    kept = texts.get(c.merged_into)
                    why = ("**merged** into “" + md_text(kept, block_start=False) + "”"
                           if kept is not None else f"**merged** into item {c.merged_into}")
                else:
                    why = "**never approved**"
                out.append(f"- {kind} {c.id} ({why}): {md_text(c.text, block_start=False)}")
            out.append("")
        if out[-1] == "":
            out.pop()
    return "\n".join(out).rstrip() + "\n"


def contribution_rows(report: Report) -> list[list]:
    """Every contribution per step in journey order, hidden and merged ones included."""
    order = {s.id: i for i, s in enumerate(report.steps)}
    steps = {s.id: s for s in report.steps}
    rows = [list(CSV_COLUMNS)]
    for c in sorted(report.contributions,
                    key=lambda c: (order.get(c.step, len(order)), c.id)):
        step = steps.get(c.step)
        rows.append([step.stage if step else "", c.step, step.title if step else "",
                     c.kind, c.text, c.category, c.severity,
                     c.votes if c.kind == "pain" else None, c.status, c.reason,
                     c.merged_into, c.id])
    return rows


def contributions_csv(report: Report) -> str:
    """The contributions as CSV text, every cell guarded against formulas."""
    return write_csv(contribution_rows(report))
