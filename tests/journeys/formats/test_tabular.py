"""Tidy CSV tables: one table per file, one value per cell, the journey in every row."""

import csv
import io
import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings

from designer import propose
from designer.report import PROPOSAL_COLUMNS, proposal_tables
from journeys.domain.checks import CHECKS
from journeys.domain.document import CheckAnswer
from journeys.domain.schemas import load_data, load_document
from journeys.formats.registry import export
from journeys.formats.tabular import (
    CHECK_COLUMNS,
    PAIN_COLUMNS,
    STEP_COLUMNS,
    TABLES,
    TRANSITION_COLUMNS,
    csv_set,
    safe_cell,
    step_rows,
    write_csv,
)
from tests.factories import make_journey
from tests.strategies import valid_documents

HOSTILE = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=tab", "<script>alert(1)</script>",
           "line\nbreak", "a, b; c | d"]


@pytest.fixture
def road(samples_dir):
    return load_document((samples_dir / "report-a-road-defect.json").read_bytes())


def read(data: bytes | str) -> list[dict[str, str]]:
    """A CSV file as a spreadsheet reads it: UTF-8 with a BOM, one header row."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_a_single_csv_is_the_steps_table_alone(road):
    rows = read(export(road, "csv"))
    assert list(rows[0]) == list(STEP_COLUMNS)
    assert len(rows) == len(road.steps)
    row = rows[2]
    assert row["journey_id"] == "report-a-road-defect"      # no store id: the title's slug
    assert row["journey_title"] == "Report a road defect"
    assert row["title"] == "Reports the defect in the council app with a photo"
    assert row["failed_checks"] == "3" and row["pain_points"] == "1"
    assert row["emotion"] == "-1" and row["effort_minutes"] == "6"


def test_the_set_has_one_table_per_file_and_the_journey_in_every_row(road):
    proposals = propose(road, today=date(2026, 11, 24))
    files = csv_set(road, journey_id=7, extra=proposal_tables(road, proposals, 7))
    assert list(files) == [f"{t}.csv" for t in TABLES] + ["proposals.csv",
                                                          "proposal-actions.csv"]
    for name, data in files.items():
        header = next(csv.reader(io.StringIO(data.decode("utf-8")[1:])))
        assert header[:2] == ["journey_id", "journey_title"] or name == "proposals.csv", name
        rows = read(data)
        assert rows or name in ("ideas.csv", "tags.csv"), name   # the sample has none
        for row in rows:
            assert len(row) == len(header) and None not in row, name  # a clean rectangle
            assert row["journey_id"] == "7", name
            assert row["journey_title"] == "Report a road defect", name


def test_codes_are_the_formats_own():
    journey = make_journey(steps=[
        {"id": "visit", "channel": "home-visit", "actor": "back-office",
         "checks": {"ACC-04": CheckAnswer("partial")}},
        {"id": "s2", "stage": "b"}])
    steps = read(write_csv(step_rows(journey)))
    assert steps[0]["channel"] == "home-visit" and steps[0]["actor"] == "back-office"
    assert steps[0]["visibility"] == "backstage"


def test_check_wording_sits_next_to_the_check_id(road):
    rows = read(csv_set(road)["checks.csv"])
    assert list(rows[0]) == list(CHECK_COLUMNS)
    for row in rows:
        assert row["question"] == CHECKS[row["check_id"]].question
        assert row["applies"] in ("yes", "no")
        assert row["result"] in ("", "pass", "fail", "partial", "n/a")
    # The ignored answers of the road sample (TRA-08/09 on a step they do not apply to).
    ignored = [r for r in rows if r["applies"] == "no"]
    assert {(r["step_id"], r["check_id"]) for r in ignored} >= {("not-ours", "TRA-08")}


def test_transitions_and_implied_ones(road):
    rows = read(csv_set(road)["transitions.csv"])
    assert list(rows[0]) == list(TRANSITION_COLUMNS)
    assert len(rows) == len(road.transitions)
    rework = next(r for r in rows if r["kind"] == "rework")
    assert (rework["from_step_id"], rework["to_step_id"]) == ("triage", "report-app")
    line = read(csv_set(make_journey())["transitions.csv"])
    assert [(r["from_step_id"], r["to_step_id"], r["implied"]) for r in line] == \
        [("s1", "s2", "yes")]


def test_pain_points_one_per_row(road):
    rows = read(csv_set(road)["pain-points.csv"])
    assert list(rows[0]) == list(PAIN_COLUMNS)
    assert len(rows) == sum(len(s.pain_points) for s in road.steps)
    assert rows[0]["step_id"] == "find-how"


def test_proposals_import_into_a_backlog_tool(road):
    proposals = propose(road, today=date(2026, 11, 24))
    tables = proposal_tables(road, proposals, 3)
    rows = read(write_csv(tables["proposals"]))
    assert list(rows[0])[:5] == ["Work Item Type", "Title", "Description", "Priority", "Tags"]
    assert list(rows[0]) == list(PROPOSAL_COLUMNS)
    assert len(rows) == len(proposals)
    assert [r["proposal_id"] for r in rows] == [p.id for p in proposals]
    assert {r["Priority"] for r in rows} == {"1", "2", "3", "4"}
    assert rows[0]["Priority"] == "1" and rows[-1]["Priority"] == "4"
    first = rows[0]
    assert first["Title"] == proposals[0].title
    assert first["Description"].startswith("Actions:\n1. ")
    assert "Clauses: 5.2.4 Accessibility" in first["Description"]
    assert first["decision"] in ("service change", "policy or legal change",
                                 "cross-organisation change")
    actions = read(write_csv(tables["proposal-actions"]))
    assert len(actions) == sum(len(p.actions) for p in proposals)


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"),
    ("\t=x", "'\t=x"), ("\r=x", "'\r=x"), ("  =x", "'  =x"), ("＝1", "'＝1"),
    ("-2", "-2"), ("+1.5", "+1.5"), ("a=b", "a=b"), (None, ""), (True, "yes"), (3, "3"),
    (2.0, "2"), (2.5, "2.5"),
])
def test_formula_cells_are_neutralised(value, cell):
    assert safe_cell(value) == cell


FORMULA = re.compile(r"[ \u00a0]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]")


def assert_no_formula(data: bytes) -> None:
    for row in csv.reader(io.StringIO(data.decode("utf-8")[1:])):
        for cell in row:
            assert not FORMULA.match(cell) or re.fullmatch(r"[+-]?\d+(\.\d+)?", cell), cell


def test_hostile_text_cannot_run_as_a_formula_in_any_table():
    journey = make_journey(
        title="=HYPERLINK(\"http://x\")",
        steps=[{"id": f"s{i}", "title": t, "agency": t, "measure": t, "ideas": [t],
                "tags": [t], "pain_points": [{"text": t}],
                "checks": {"ACC-06": CheckAnswer("fail", t, True)}}
               for i, t in enumerate(HOSTILE)],
        stages=[{"id": "a", "name": "=cmd|' /C calc'!A0"}, {"id": "b", "name": "ok"}],
    )
    proposals = propose(journey, today=date(2026, 11, 24))
    for data in csv_set(journey, extra=proposal_tables(journey, proposals, "=x")).values():
        assert_no_formula(data)
    titles = [r["title"] for r in read(csv_set(journey)["steps.csv"])]
    assert titles[5] == "<script>alert(1)</script>" and titles[6] == "line\nbreak"
    assert titles[0] == "'=1+1"


@given(valid_documents())
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_cell_of_any_document_runs_as_a_formula(doc):
    journey = load_data(doc)
    files = csv_set(journey)
    assert len(read(files["steps.csv"])) == len(journey.steps)
    assert len(read(files["pain-points.csv"])) == sum(len(s.pain_points) for s in journey.steps)
    for data in files.values():
        assert_no_formula(data)
