"""The journey as tidy CSV tables for spreadsheets: one table per file, one value per cell.

Every row starts with the journey's id and title, so tables of several journeys can be
stacked; every code is the journey format's own (``home-visit``, ``back-office``,
``ACC-01``, ``partial``), as in the JSON document; a check id always comes with the
check's question. The tables of the set (:data:`TABLES`):

- ``steps.csv``: one row per step;
- ``transitions.csv``: one row per transition (the implied ones of a document without
  transitions too, marked so);
- ``checks.csv``: one row per check that applies to a step (answered or not), and one per
  answer given to a check that does not apply (marked ``applies`` no: ignored everywhere);
- ``pain-points.csv``, ``ideas.csv``, ``tags.csv``: one row per pain point, idea, tag;
- ``proposals.csv`` and ``proposal-actions.csv``: the design proposals, added by the
  caller (see :func:`designer.report.proposal_tables`), the first laid out for a backlog
  tool's CSV import.

The journey's id is its id in the store when it has one, else the slug of its title. A
cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return, and is not a plain number) gets a leading apostrophe, the
neutralisation spreadsheets show as literal text. Files start with a byte-order mark so
that spreadsheets read them as UTF-8.
"""

import csv
import io
import re

from journeys.domain.checks import CHECKS, Assessment
from journeys.domain.document import Journey, level_label
from journeys.domain.text import format_number, slugify

JOURNEY_COLUMNS = ("journey_id", "journey_title")
STEP_COLUMNS = JOURNEY_COLUMNS + (
    "position", "stage_id", "stage", "step_id", "title", "description", "channel", "actor",
    "visibility", "agency", "level", "level_name", "target_level", "emotion",
    "moment_of_truth", "effort_minutes", "wait_days", "evidence", "measure", "pain_points",
    "pain_score", "failed_checks",
)
TRANSITION_COLUMNS = JOURNEY_COLUMNS + (
    "position", "from_step_id", "from_step", "to_step_id", "to_step", "kind", "label",
    "implied",
)
CHECK_COLUMNS = JOURNEY_COLUMNS + (
    "step_position", "step_id", "step_title", "check_id", "question", "catalogue", "applies",
    "result", "note",
)
STEP_REF = JOURNEY_COLUMNS + ("step_position", "step_id", "step_title")
PAIN_COLUMNS = STEP_REF + ("text", "category", "severity", "source", "votes", "score")
IDEA_COLUMNS = STEP_REF + ("idea",)
TAG_COLUMNS = STEP_REF + ("tag",)

TABLES = ("steps", "transitions", "checks", "pain-points", "ideas", "tags")
"""The tables every journey has, in the order of the set; file name = table + ``.csv``."""

# Characters that make a spreadsheet read a cell as a formula (fullwidth forms too).
_FORMULA_START = tuple("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def safe_cell(value) -> str:
    """A cell's text, neutralised with a leading apostrophe when it could run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        value = format_number(value)
    text = str(value)
    stripped = text.lstrip(" \u00a0")
    if stripped.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _ids(journey: Journey, journey_id: int | str | None) -> tuple:
    return (slugify(journey.title) if journey_id is None else journey_id, journey.title)


def step_rows(journey: Journey, *, journey_id: int | str | None = None,
              assessment: Assessment | None = None) -> list[list]:
    """The step table, header first."""
    assessment = assessment or Assessment(journey)
    ids = _ids(journey, journey_id)
    names = {s.id: s.name for s in journey.stages}
    rows: list[list] = [list(STEP_COLUMNS)]
    for i, s in enumerate(journey.steps):
        # level_name is the bare name ("Recovery"): the number has its own column.
        rows.append([*ids, i + 1, s.stage, names[s.stage], s.id, s.title, s.description,
                     s.channel, s.actor, s.visibility, s.agency, s.level,
                     level_label(s.level, number=False) if s.level else None, s.target_level,
                     s.emotion, s.moment_of_truth, s.effort_minutes, s.wait_days, s.evidence,
                     s.measure, len(s.pain_points), s.pain_score,
                     len(assessment.failed(i))])
    return rows


def transition_rows(journey: Journey, *, journey_id: int | str | None = None,
                    assessment: Assessment | None = None) -> list[list]:
    """The transition table, header first; implied transitions marked ``implied`` yes."""
    graph = (assessment or Assessment(journey)).graph
    ids = _ids(journey, journey_id)
    steps = journey.steps
    rows: list[list] = [list(TRANSITION_COLUMNS)]
    for n, e in enumerate(graph.edges, start=1):
        t = graph.transition(e)
        rows.append([*ids, n, t.source, steps[e.source].title, t.target, steps[e.target].title,
                     t.kind, t.label, e.index is None])
    return rows


def check_rows(journey: Journey, *, journey_id: int | str | None = None,
               assessment: Assessment | None = None) -> list[list]:
    """The check table, header first: applicable checks, then ignored answers, per step."""
    assessment = assessment or Assessment(journey)
    ids = _ids(journey, journey_id)
    rows: list[list] = [list(CHECK_COLUMNS)]
    for i, s in enumerate(journey.steps):
        ref = (i + 1, s.id, s.title)
        for cid in assessment.applicable[i]:
            answer = s.checks.get(cid)
            rows.append([*ids, *ref, cid, CHECKS[cid].question, cid[:3], True,
                         answer.result if answer else None, answer.note if answer else None])
        for cid in assessment.ignored(i):
            answer = s.checks[cid]
            rows.append([*ids, *ref, cid, CHECKS[cid].question, cid[:3], False,
                         answer.result, answer.note])
    return rows


def pain_point_rows(journey: Journey, *, journey_id: int | str | None = None) -> list[list]:
    """The pain-point table, header first: one row per pain point, in step order."""
    ids = _ids(journey, journey_id)
    rows: list[list] = [list(PAIN_COLUMNS)]
    for i, s in enumerate(journey.steps):
        for p in s.pain_points:
            rows.append([*ids, i + 1, s.id, s.title, p.text, p.category, p.severity, p.source,
                         p.votes, p.score])
    return rows


def _per_step(journey: Journey, journey_id, columns, values) -> list[list]:
    ids = _ids(journey, journey_id)
    rows: list[list] = [list(columns)]
    for i, s in enumerate(journey.steps):
        rows += [[*ids, i + 1, s.id, s.title, v] for v in values(s)]
    return rows


def tables(journey: Journey, *, journey_id: int | str | None = None,
           assessment: Assessment | None = None) -> dict[str, list[list]]:
    """Every table of the journey by name (:data:`TABLES`), header first."""
    assessment = assessment or Assessment(journey)
    return {
        "steps": step_rows(journey, journey_id=journey_id, assessment=assessment),
        "transitions": transition_rows(journey, journey_id=journey_id, assessment=assessment),
        "checks": check_rows(journey, journey_id=journey_id, assessment=assessment),
        "pain-points": pain_point_rows(journey, journey_id=journey_id),
        "ideas": _per_step(journey, journey_id, IDEA_COLUMNS, lambda s: s.ideas),
        "tags": _per_step(journey, journey_id, TAG_COLUMNS, lambda s: s.tags),
    }


def write_csv(rows: list[list]) -> str:
    """Rows as CSV text: a byte-order mark, CRLF line ends, every cell neutralised."""
    buf = io.StringIO()
    buf.write("\ufeff")
    csv.writer(buf, lineterminator="\r\n").writerows(
        [[safe_cell(v) for v in row] for row in rows])
    return buf.getvalue()


def steps_csv(journey: Journey, *, journey_id: int | str | None = None,
              assessment: Assessment | None = None) -> str:
    """The step table alone, as CSV text (what a single ``.csv`` file receives)."""
    return write_csv(step_rows(journey, journey_id=journey_id, assessment=assessment))


def csv_set(journey: Journey, *, journey_id: int | str | None = None,
            assessment: Assessment | None = None,
            extra: dict[str, list[list]] | None = None) -> dict[str, bytes]:
    """File name → CSV bytes of every table, plus ``extra`` tables (the proposals)."""
    all_tables = {**tables(journey, journey_id=journey_id, assessment=assessment),
                  **(extra or {})}
    return {f"{name}.csv": write_csv(rows).encode("utf-8") for name, rows in all_tables.items()}
