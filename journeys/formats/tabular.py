"""The journey as CSV for spreadsheets: one row per step, then a pain-point section.

A cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return, and is not a plain number) gets a leading apostrophe,
the neutralisation spreadsheets show as literal text.
"""

import csv
import io
import re

from journeys.domain.checks import Assessment
from journeys.domain.document import Journey, level_label
from journeys.domain.text import format_number

STEP_COLUMNS = (
    "position", "stage_id", "stage", "step_id", "title", "description", "channel", "actor",
    "visibility", "agency", "level", "level_name", "target_level", "emotion",
    "moment_of_truth", "effort_minutes", "wait_days", "pain_points", "pain_score",
    "failed_checks", "checks", "ideas", "measure", "evidence", "tags", "next_steps",
)
PAIN_COLUMNS = (
    "step_position", "step_id", "step_title", "text", "category", "severity", "source",
    "votes", "score",
)

# Characters that make a spreadsheet read a cell as a formula (fullwidth forms too).
_FORMULA_START = tuple("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def safe_cell(value) -> str:
    """A cell's text, neutralised with a leading apostrophe when it could run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    stripped = text.lstrip(" \u00a0")
    if stripped.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def step_rows(journey: Journey, *, assessment: Assessment | None = None) -> list[list[str]]:
    """The step table, header first."""
    assessment = assessment or Assessment(journey)
    graph = assessment.graph
    names = {s.id: s.name for s in journey.stages}
    rows = [list(STEP_COLUMNS)]
    for i, s in enumerate(journey.steps):
        answers = [f"{cid}={a.result}" for cid, a in s.checks.items()]
        nexts = []
        for e in graph.out_edges[i]:
            t = graph.transition(e)
            nexts.append(f"{t.target} ({t.kind}{': ' + t.label if t.label else ''})")
        effort, wait = (None if v is None else format_number(v)
                        for v in (s.effort_minutes, s.wait_days))
        # level_name is the bare name ("Recovery"): the number has its own column.
        rows.append([safe_cell(v) for v in (
            i + 1, s.stage, names[s.stage], s.id, s.title, s.description, s.channel, s.actor,
            s.visibility, s.agency, s.level, level_label(s.level, number=False),
            s.target_level, s.emotion, s.moment_of_truth, effort, wait,
            len(s.pain_points), s.pain_score,
            " ".join(assessment.failed(i)), "; ".join(answers), " | ".join(s.ideas),
            s.measure, s.evidence, ", ".join(s.tags), "; ".join(nexts),
        )])
    return rows


def pain_point_rows(journey: Journey) -> list[list[str]]:
    """The pain-point table, header first: one row per pain point, in step order."""
    rows = [list(PAIN_COLUMNS)]
    for i, s in enumerate(journey.steps):
        for p in s.pain_points:
            rows.append([safe_cell(v) for v in (
                i + 1, s.id, s.title, p.text, p.category, p.severity, p.source, p.votes,
                p.score,
            )])
    return rows


def _write(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def steps_csv(journey: Journey, *, assessment: Assessment | None = None) -> str:
    """The step table alone, as CSV text."""
    return _write(step_rows(journey, assessment=assessment))


def pain_points_csv(journey: Journey) -> str:
    """The pain-point table alone, as CSV text."""
    return _write(pain_point_rows(journey))


def to_csv(journey: Journey, *, assessment: Assessment | None = None) -> str:
    """Both tables in one CSV file: steps, an empty row, a "Pain points" row, pain points.

    Starts with a byte-order mark so that spreadsheets read it as UTF-8.
    """
    return ("\ufeff" + steps_csv(journey, assessment=assessment) + "\r\n"
            + _write([["Pain points"]]) + pain_points_csv(journey))
