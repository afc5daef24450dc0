"""The rule reference, generated from the registry: ``python -m designer.reference``.

``docs/rules.md`` is this module's output (a test keeps them equal); the web app's
help page renders the same text. Rules are described once, in their docstrings.
"""

import re

import designer.engine
import designer.wording
from designer.remedies import REMEDIES
from designer.rule import doc_sections
from designer.rules import RULES
from designer.wording import CHOICES, KINDS
from journeys.domain.checks import CHECKS

_LITERAL = re.compile(r"``(.+?)``")


def _md(text: str) -> str:
    """Docstring text (reStructuredText literals) as Markdown."""
    return _LITERAL.sub(r"`\1`", text)


def _cell(text: str) -> str:
    return _md(text).replace("|", "\\|")


def render_reference() -> str:
    """The Markdown rule reference: summary table, priority and order, one section per rule."""
    lines = [
        "# Design rules",
        "",
        "<!-- Generated from the rule registry (designer/rules.py) by "
        "`python -m designer.reference > docs/rules.md`; do not edit by hand. -->",
        "",
        f"`journeys propose` applies these {len(RULES)} rules to a journey and proposes design "
        "work (ISO 11367:2025, clause 7.3.2). Every proposal names its rule, its target (the "
        "journey, a step or a transition), the evidence in the journey that triggered it, the "
        "clauses it rests on, and concrete design actions. Clause references are our reading "
        "of the standard, cited by number.",
        "",
        "| id | name | target | base | clauses | title |",
        "|---|---|---|---|---|---|",
    ]
    for r in RULES:
        lines.append(f"| [{r.id}](#{r.id.lower()}-{r.name}) | {r.name} | {r.target} | {r.base} "
                     f"| {_cell(', '.join(r.clauses))} | {_cell(r.title)} |")
    lines += [
        "",
        "## Priority and order",
        "",
        "Each proposal gets a whole-number priority; higher comes first:",
        "",
        "`priority = base + 3 × (the proposal's step is a moment of truth) + its level gap "
        "+ min(its pain score, 10) + its number of failed checks`",
        "",
        "The proposal's step is the target step, or for a transition its `from` step; for the "
        "journey the step terms are 0. Failed checks are the checks that apply to the step "
        "answered `fail` or `partial`, all of them counted (TRA-07 included). Answers to checks "
        "that do not apply to a step are ignored everywhere.",
        "",
    ]
    for para in doc_sections(designer.engine.__doc__ or "").get("Settled", "").split("\n\n"):
        if para:
            lines += [f"Settled: {_md(para)}", ""]
    for r in RULES:
        lines += [
            f"## {r.id} {r.name}",
            "",
            f"**{_md(r.title)}**. Target: {r.target}. Base priority: {r.base}. "
            f"Clauses: {_md(', '.join(r.clauses))}.",
            "",
            f"**Fires when:** {_md(r.fires_when)}",
            "",
            f"**What it proposes:** {_md(r.proposes)}",
            "",
            f"**Why:** {_md(r.rationale)}",
            "",
            f"**Example:** {_md(r.example)}",
            "",
        ]
        if r.settled:
            lines += [f"**Settled:** {_md(r.settled)}", ""]
    lines += [
        "## Remedies for failed checks (DR09, DR10)",
        "",
        "One action per failed check, citing the check's basis.",
        "",
        "| check | remedy | basis |",
        "|---|---|---|",
    ]
    lines += [f"| {cid} | {_cell(REMEDIES[cid])} | {_cell(CHECKS[cid].basis)} |"
              for cid in CHECKS]
    lines += [
        "",
        "## How actions fit their step",
        "",
        _md(designer.wording.__doc__.split("\n\n")[1].replace("\n", " ")),
        "",
        "| choice | action it words | chosen by |",
        "|---|---|---|",
    ]
    lines += [f"| {c.id} | {_cell(c.action)} | {_cell(c.when)} |" for c in CHOICES.values()]
    lines += [
        "",
        "Each action is tagged with whose decision it is: "
        + "; ".join(f"**{label}**" for label in KINDS.values())
        + ". A service change at a step another organisation is responsible for (its agency "
        "is not the journey's organisation) is a cross-organisation change.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(render_reference(), end="")
