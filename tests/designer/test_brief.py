"""The design brief as a director reads it: summary first, rank order, merged entries, appendix."""

import json
import re
from pathlib import Path

import pytest

from designer.brief import MAIN_ENTRIES, build_brief
from designer.clauses import CLAUSE_TITLES
from designer.report import render_report
from journeys.domain.schemas import load_document
from tests.designer.helpers import TODAY, run

ROOT = Path(__file__).resolve().parents[2]
LONG = ROOT / "tests" / "fixtures" / "long" / "bereavement-brief.json"
DEMOS = sorted((ROOT / "journeys" / "demo").glob("*.json"))
FIELD_NAMES = ("reviewed_on", "wait_days", "effort_minutes", "target_level",
               "moment_of_truth", "pain_points", "service_type", "visibility")


@pytest.fixture(scope="module")
def long_journey():
    return load_document(LONG.read_bytes())


@pytest.fixture(scope="module")
def long_md(long_journey):
    return render_report(long_journey, run(long_journey), TODAY, "md")


def _entry_numbers(md: str, level: str) -> list[int]:
    return [int(m) for m in re.findall(rf"^{level} (\d+)\. ", md, flags=re.M)]


def _section(md: str, heading: str) -> str:
    start = md.index(heading)
    nxt = md.find("\n## ", start + 1)
    return md[start:] if nxt < 0 else md[start:nxt]


def test_the_long_journey_is_long_with_eleven_agencies(long_journey):
    assert len(long_journey.steps) >= 40
    assert len({s.agency for s in long_journey.steps if s.agency}) == 11
    tags = {t for s in long_journey.steps for t in s.tags}
    assert {"statutory", "sensitive"} <= tags


@pytest.mark.parametrize("path", [*DEMOS, LONG], ids=lambda p: p.stem)
def test_every_brief_opens_with_the_executive_summary_and_reads_in_rank_order(path):
    journey = load_document(path.read_bytes())
    md = render_report(journey, run(journey), TODAY, "md")
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings[0] == "## Executive summary"
    assert headings[1] == "## Proposals in priority order"
    summary = _section(md, "## Executive summary")
    issues = re.findall(r"^\d+\. \*\*", summary, flags=re.M)
    assert 1 <= len(issues) <= 5
    assert summary.count("Who is affected:") == summary.count("Cost to citizens:") \
        == summary.count("Decision needed:") == len(issues)
    main = _entry_numbers(_section(md, "## Proposals in priority order"), "###")
    assert main == list(range(1, len(main) + 1))
    assert len(main) <= MAIN_ENTRIES
    priorities = [int(p) for p in re.findall(r"Priority (\d+)\.", md)]
    main_priorities = priorities[:len(main)]
    assert main_priorities == sorted(main_priorities, reverse=True)
    for name in FIELD_NAMES:
        assert name not in md, name


def test_the_summary_names_the_persona_and_the_journeys_own_figures(long_md):
    summary = _section(long_md, "## Executive summary")
    assert "is the journey of Margaret, recently widowed: 44 steps in 7 stages, with 11 " \
           "organisations." in summary
    assert "**Whose journey:** Margaret, recently widowed: 74, lives alone" in summary
    first = summary.split("\n1. ")[1].split("\n2. ")[0]
    assert first.startswith("**'Applies for help with funeral costs': no clear way to put "
                            "things right when it goes wrong")
    assert "Cost to citizens: waits 20 days; 50 minutes of effort; 1 repeat contact on the " \
           "map's routes back; 1 failure route ('not on a qualifying benefit')" in first
    assert "Decision needed: Agree the changes with Pensions and Benefits Agency (entry 1)." \
        in first


def test_proposals_on_one_step_make_one_entry_listing_its_rules(long_journey, long_md):
    proposals = run(long_journey)
    on_grant = [p.id for p in proposals if p.step is not None
                and long_journey.steps[p.step].id == "funeral-grant"]
    assert len(on_grant) == 5                        # the JSON keeps one per rule and target
    entry = long_md.split("### 1. Applies for help with funeral costs")[1].split("\n### ")[0]
    assert "Rules: DR01 Open a recovery route where the journey can go wrong; DR09 Remove " \
           "the accessibility barriers; DR10 Close the transparency gaps; DR12 Keep the " \
           "citizen informed while they wait; DR17 Redesign the pain hotspot" in entry
    assert long_md.count("Applies for help with funeral costs\n") == 1
    brief = build_brief(long_journey, proposals, TODAY)
    assert brief.proposals == len(proposals) > brief.entries


def test_the_rest_goes_to_an_appendix_grouped_by_stage(long_journey, long_md):
    appendix = _section(long_md, "## Appendix: the other proposals, by stage")
    groups = re.findall(r"^### (.+)$", appendix, flags=re.M)
    stages = [s.name for s in long_journey.stages]
    assert groups[0] == "The whole journey"
    named = [g.removeprefix("Stage: ") for g in groups[1:]]
    assert named == [s for s in stages if s in named]  # journey order
    numbers = _entry_numbers(appendix, "####")
    brief = build_brief(long_journey, run(long_journey), TODAY)
    assert sorted(numbers) == list(range(MAIN_ENTRIES + 1, brief.entries + 1))


def test_each_action_is_tagged_with_whose_decision_it_is(long_md):
    actions = re.findall(r"^\d+\. \*(.+?)\*: ", long_md, flags=re.M)
    assert set(actions) <= {"service change", "policy or legal change",
                            "cross-organisation change"}
    assert {"policy or legal change", "cross-organisation change"} <= set(actions)


def test_statutory_steps_say_the_law_sets_the_frame(long_md):
    registration = long_md.split(". Registers the death in person\n")[1].split("\n#")[0]
    assert "**The law sets the frame.** The law prescribes the form of this step" \
        in registration
    assert "The law requires this step in person: keep it so" in registration
    gp = long_md.split(". Calls the GP out of hours\n")[1].split("\n#")[0]
    assert "The law sets the frame" not in gp


def test_clauses_carry_their_titles(long_md):
    assert "7.3.2 Designing and renewing outstanding customer/citizen experiences" in long_md
    for line in re.findall(r"^Clauses: (.+)\.$", long_md, flags=re.M):
        for clause in line.split("; "):
            number = clause.split(" ")[0].rstrip(":")
            assert clause != number, clause
    # Inside actions too: a basis clause is never a bare number.
    assert "Basis: 5.2.4 Accessibility" in long_md
    assert not re.search(r"Basis: 5\.2\.\d[;.]", long_md)


def test_clause_titles_are_those_of_the_reference_page():
    page = (ROOT / "docs" / "service-excellence.md").read_text()
    row = r"^\| \*{0,2}(7\.\d\.\d)\*{0,2} \| \*{0,2}(.+?)\*{0,2} \|$"
    rows = dict(re.findall(row, page, flags=re.M))
    assert len(rows) == 12
    for number, title in rows.items():
        assert CLAUSE_TITLES[number] == title
    for number, title in re.findall(r"\*\*(5\.2\.\d) ([^*]+)\*\*", page):
        assert CLAUSE_TITLES[number] == title


def test_actions_shared_by_many_entries_are_written_once(long_journey, long_md):
    ways = _section(long_md, "## Proposals in priority order").split("### Ways of working")[1]
    ways = ways.split("\n### 1. ")[0]
    assert "**W1. " in ways
    co_create = ("Give the citizen a named contact for this moment, reachable directly, who "
                 "stays with the case to its end.")
    assert long_md.count(co_create) == 1
    assert "And the ways of working" in long_md or "And the way of working" in long_md


def test_json_is_untouched_by_the_merging(long_journey):
    proposals = run(long_journey)
    doc = json.loads(render_report(long_journey, proposals, TODAY, "json"))
    assert [p["id"] for p in doc["proposals"]] == [p.id for p in proposals]
    assert len({p["id"] for p in doc["proposals"]}) == len(proposals)


def test_a_journey_wide_issue_costs_the_usual_path():
    journey = load_document((ROOT / "journeys" / "demo" / "register-a-birth.json").read_bytes())
    md = render_report(journey, run(journey), TODAY, "md")
    issue = md.split("**Offer an assisted route through the whole journey: citizens who "
                     "cannot go digital have no way through**\n")[1].split("\n\n")[0]
    assert "Who is affected: citizens who cannot or will not go digital" in issue
    assert "Cost to citizens: 12 days of waiting and 8 minutes of effort on the usual path" \
        in issue
