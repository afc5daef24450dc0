"""Proposals rendered as JSON (the spec's format), one-line text and a Markdown brief."""

import json
import re
from datetime import date

import pytest

from designer.report import render_report
from journeys.domain.document import CheckAnswer
from journeys.domain.text import md_text
from tests.designer.helpers import TODAY, run
from tests.factories import make_journey


def journey_with_every_target():
    return make_journey(
        title="Demander une aide à domicile", organization="Ville <b>*Nord*</b>",
        reviewed_on=date(2020, 1, 1),
        steps=[
            {"id": "form", "title": "Fills in the *long* form | page [1]",
             "checks": {"ACC-06": CheckAnswer("fail", "Jargon: `SRU` & <i>co</i>", True)}},
            {"id": "check", "stage": "b", "actor": "back-office", "wait_days": 7},
        ],
        transitions=[("form", "check", None, "flow"), ("check", "form", "missing #2", "rework")],
    )


def test_json_has_the_spec_shape():
    journey = journey_with_every_target()
    text = render_report(journey, run(journey), TODAY, "json")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "à domicile" in text                       # ensure_ascii=False
    assert text.startswith('{\n  "format": "citizen-journey-proposals/1",\n')
    doc = json.loads(text)
    assert list(doc) == ["format", "journey", "evaluated_on", "proposals"]
    assert doc["journey"] == "Demander une aide à domicile"
    assert doc["evaluated_on"] == "2026-11-24"
    for p in doc["proposals"]:
        assert list(p) == ["id", "rule", "name", "title", "target", "clauses", "priority",
                           "evidence", "actions"]
        assert isinstance(p["priority"], int) and p["evidence"] and p["actions"]
    targets = {p["id"]: p["target"] for p in doc["proposals"]}
    assert targets["DR08:journey"] == {"kind": "journey"}
    assert targets["DR12:step:check"] == {"kind": "step", "id": "check"}
    assert targets["DR13:transition:check->form"] == {"kind": "transition", "from": "check",
                                                      "to": "form"}
    dr09 = next(p for p in doc["proposals"] if p["id"] == "DR09:step:form")
    assert dr09["evidence"] == ["ACC-06 is fail: 'Jargon: `SRU` & <i>co</i>'"]
    assert dr09["clauses"] == ["5.2.4", "5.2.2", "7.4.2"]


def test_json_of_a_journey_without_proposals_has_an_empty_list():
    text = render_report(make_journey(title="Nothing"), [], TODAY, "json")
    assert json.loads(text)["proposals"] == []


def test_text_prints_one_line_per_proposal():
    journey = journey_with_every_target()
    proposals = run(journey)
    lines = render_report(journey, proposals, TODAY, "text").splitlines()
    assert len(lines) == len(proposals)
    for line, p in zip(lines, proposals, strict=True):
        assert line.split()[:2] == [str(p.priority), p.id]


def test_md_is_a_brief_with_a_summary_then_entries_in_rank_order():
    journey = journey_with_every_target()
    md = render_report(journey, run(journey), TODAY, "md")
    assert md.startswith("# Design brief: Demander une aide à domicile\n")
    assert "Evaluated on 2026-11-24" in md
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == ["## Executive summary", "## Proposals in priority order",
                        "## Clauses cited"]
    assert "What the map shows:" in md and "Actions:" in md
    # The rework transition joins the entry of its from step, with the silent wait.
    check = md.split(". Step check\n")[1]
    assert "DR12 Keep the citizen informed while they wait" in check
    assert "DR13 Remove the failure demand behind the rework" in check


def test_md_escapes_user_text():
    journey = journey_with_every_target()
    md = render_report(journey, run(journey), TODAY, "md")
    assert "<b>" not in md and "<i>" not in md
    assert r"Ville \<b\>\*Nord\*\</b\>" in md
    assert r"Fills in the \*long\* form \| page \[1\]" in md
    assert r"\`SRU\` \& \<i\>co\</i\>" in md


def test_md_says_so_when_nothing_is_proposed():
    md = render_report(make_journey(), [], TODAY, "md")
    assert "No proposals" in md


@pytest.mark.parametrize("text, expected", [
    ("plain words", "plain words"),
    ("a\nb\t c", "a b c"),
    ("1. not a list", "1. not a list"),
    ("*bold* _it_ [link](x) <script>", r"\*bold\* \_it\_ \[link\](x) \<script\>"),
])
def test_md_escape_inline(text, expected):
    assert md_text(text, block_start=False) == expected


def test_md_escape_at_the_start_of_a_list_item():
    assert md_text("1. not a list", block_start=True) == r"1\. not a list"
    assert md_text("# not a heading", block_start=True) == r"\# not a heading"


def test_md_brief_lets_no_control_character_through():
    journey = make_journey(title="Apply\x00 for\x1b[31m a permit\x7f",
                           steps=[{"id": "s1", "title": "Reads\x07 the\x00 guidance"}])
    md = render_report(journey, run(journey), TODAY, "md")
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", md)
    assert md.startswith("# Design brief: Apply\ufffd for\ufffd\\[31m a permit\ufffd\n")


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format"):
        render_report(make_journey(), [], TODAY, "pdf")
