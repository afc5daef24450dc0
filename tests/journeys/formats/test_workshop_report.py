"""The workshop report's text: Markdown per step, CSV of every contribution, user text inert."""

import csv
import io

from journeys.formats.workshop_report import (
    CSV_COLUMNS,
    Contribution,
    Report,
    ReportStep,
    contributions_csv,
    feeling_summary,
    report_md,
)


def _report(contributions, feelings=None):
    steps = [ReportStep("read", "Reads the guidance", "Find out", 1, feelings or {}),
             ReportStep("form", "Fills in the form", "Apply", 2)]
    return Report(title="Evening session", journey_title="Renew a permit", participants=3,
                  steps=steps, contributions=contributions, closed="2 Dec 2026, 18:00",
                  revision=7)


def test_markdown_lists_pain_points_most_endorsed_first_then_ideas_and_feelings():
    md = report_md(_report([
        Contribution(1, "read", "pain", "Too long", "confusion", 2, votes=1),
        Contribution(2, "read", "pain", "Jargon", "confusion", 3, votes=4),
        Contribution(3, "read", "idea", "A summary first"),
    ], feelings={-2: 2, 1: 1}))
    assert md.startswith("# Workshop report: Evening session\n")
    assert "- Participants: 3" in md and "revision 7 of the journey" in md
    assert "## Find out" in md and "### 1. Reads the guidance" in md
    assert md.index("Jargon") < md.index("Too long")
    assert "- Jargon (severity 3, confusion, endorsed by 4)" in md
    assert "- A summary first" in md
    assert "Feelings: felt −2 (median of 3 answers: −2: 2, +1: 1)." in md
    assert "### 2. Fills in the form\n\nNothing was said about this step." in md


def test_set_apart_contributions_are_listed_with_why():
    md = report_md(_report([
        Contribution(1, "read", "pain", "Kept", "other", 2),
        Contribution(2, "read", "pain", "Call Bob", "other", 2, status="hidden",
                     reason="a name"),
        Contribution(3, "read", "pain", "Kept again", "other", 2, status="merged",
                     merged_into=1),
        Contribution(4, "form", "idea", "Later", status="pending"),
    ]))
    assert "pain point 2 (**hidden**: a name): Call Bob" in md
    assert "pain point 3 (**merged** into “Kept”): Kept again" in md
    assert "idea 4 (**never approved**): Later" in md
    assert "1 pain point and 0 ideas kept" in md


def test_markdown_escapes_user_text():
    md = report_md(_report([Contribution(1, "read", "pain", "<script>x</script> [a](b)",
                                         "other", 2)]))
    assert "<script>" not in md and "\\<script\\>" in md
    assert "[a](b)" not in md


def test_feeling_summary_takes_the_lower_median():
    assert feeling_summary({}) is None
    assert feeling_summary({-1: 1, 1: 1}) == "felt −1 (lower median of 2 answers: −1: 1, +1: 1)"


def test_csv_has_every_contribution_in_journey_order_with_formulas_neutralised():
    text = contributions_csv(_report([
        Contribution(5, "form", "idea", "=1+1"),
        Contribution(2, "read", "pain", '=HYPERLINK("x")', "other", 2, votes=3,
                     status="hidden", reason="+spam"),
    ]))
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == list(CSV_COLUMNS)
    assert rows[1][:5] == ["Find out", "read", "Reads the guidance", "pain",
                           "'=HYPERLINK(\"x\")"]
    assert rows[1][7:10] == ["3", "hidden", "'+spam"]
    assert rows[2][4] == "'=1+1" and rows[2][7] == ""  # ideas take no votes
