"""journey → DOT: a pure function, tested on its text (and, for escaping, through dot)."""

import re
import shutil
import subprocess
from pathlib import Path

import defusedxml.ElementTree as ET
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeys.domain.checks import FAILED_RESULTS, Assessment
from journeys.domain.document import CheckAnswer
from journeys.domain.schemas import load_data, load_document
from journeys.domain.text import mark_bidi
from journeys.formats.diagram import (
    LEVEL_FILL,
    UNASSESSED_FILL,
    html_text,
    journey_to_dot,
    text_lines,
    wrap,
)
from tests.factories import make_journey
from tests.strategies import valid_documents

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")

HOSTILE = [
    'He said "no" and \'yes\'',
    "back\\slash \\N \\G \\E \\L \\\\",
    "<script>alert(1)</script>",
    '"]; x [URL="javascript:alert(1)"]; y [label="',
    "> ]] --> <!-- &amp; &lt; &#0; &nbsp;",
    "first line\nsecond line\r\nthird\u2028fourth",
    "שלום עולם مرحبا \u202eevil\u202c",
    "emoji 😀👩🏽‍⚕️🇪🇺",
    "<img src=x onerror=alert(1)>",
    "=HYPERLINK(\"http://x\")",
    "tab\there and nul\x00 and bell\x07",
]


def node_line(dot: str, index: int) -> str:
    """The DOT line that declares step ``index``."""
    return next(line for line in dot.splitlines() if line.strip().startswith(f"s{index} [id="))


def edge_lines(dot: str) -> list[str]:
    return [line for line in dot.splitlines() if 'id="edge_' in line]


def run_dot(dot: str) -> subprocess.CompletedProcess:
    return subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True,
                          timeout=60, check=False)


def svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return [el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text")]


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def road(samples_dir):
    return load_document((samples_dir / "report-a-road-defect.json").read_bytes())


def test_stages_are_clusters_in_journey_order_left_to_right(road):
    dot = journey_to_dot(road)
    clusters = re.findall(r"subgraph cluster_stage_(\w+) \{", dot)
    assert clusters == ["0", "1", "2", "2_backstage", "3", "3_backstage", "4"]
    labels = re.findall(r'id="stage_\d+" label=<<B>(.*?)</B>>', dot)
    assert labels == ["1 · Notice", "2 · Report", "3 · Triage", "4 · Repair", "5 · Close"]
    assert "rankdir=LR" in dot


def test_top_to_bottom_is_an_option(road):
    assert "rankdir=TB" in journey_to_dot(road, direction="TB")
    with pytest.raises(ValueError, match="direction"):
        journey_to_dot(road, direction="RL; x=1")


def test_invisible_gates_keep_each_stage_after_the_previous_one():
    # Steps listed out of stage order, and a flow that runs backwards across stages.
    journey = make_journey(
        steps=[{"id": "late", "stage": "b"}, {"id": "early", "stage": "a"}],
        transitions=[("late", "early")],
    )
    dot = journey_to_dot(journey)
    assert "s1 -> gate_1 [style=invis minlen=0]" in dot
    assert "gate_1 -> s0 [style=invis]" in dot
    # The backward edge may not fight the stage order.
    assert "constraint=false" in edge_lines(dot)[0]


def test_backstage_steps_sit_in_a_dashed_lane_below_the_line_of_visibility(road):
    dot = journey_to_dot(road)
    lane = dot[dot.index("subgraph cluster_stage_2_backstage"):]
    lane = lane[:lane.index("}")]
    assert "below the line of visibility" in lane and 'style="dashed,filled"' in lane
    assert "s5 [" in lane  # "Inspector triages the report", back office
    assert "s6 [" not in lane  # told the citizen: frontstage
    assert "dashed" in node_line(dot, 5) and "backstage · " in node_line(dot, 5)
    assert "dashed" not in node_line(dot, 6)


def test_backstage_can_be_hidden_and_paths_through_it_are_kept(road):
    dot = journey_to_dot(road, show_backstage=False)
    assert "Inspector triages" not in dot and "cluster_stage_2_backstage" not in dot
    assert "only backstage steps (hidden)" in dot  # the Repair stage
    edges = edge_lines(dot)
    # acknowledge (s4) → triage (hidden) → "told another authority" (s6) stays a failure.
    failure = next(e for e in edges if e.startswith("  s4 -> s6"))
    assert "failure" in failure and "other authority" in failure and "via backstage" in failure
    assert any(e.startswith("  s4 -> s9") for e in edges)  # through the repair
    assert any(e.startswith("  s4 -> s2") and "rework" in e for e in edges)


def test_each_step_shows_title_channel_and_actor(road):
    line = node_line(journey_to_dot(road), 3)
    assert "Reports the defect by phone" in line
    assert "phone · citizen" in line


def test_level_is_a_colour_and_a_text_cue_and_unassessed_is_neutral():
    journey = make_journey(steps=[
        {"id": f"s{n}", "level": n, "target_level": 4 if n == 1 else None} for n in (1, 2, 3, 4)
    ] + [{"id": "none"}])
    dot = journey_to_dot(journey)
    for n, meaning in ((1, "keeps the basic promise"), (2, "fixes problems well"),
                       (3, "shaped around the citizen&#39;s needs"),
                       (4, "goes beyond what was expected")):
        line = node_line(dot, n - 1)
        assert f'fillcolor="{LEVEL_FILL[n]}"' in line or n == 3
        assert f"Level {n}: {meaning.replace('&#39;', chr(39))}" in line
    # The level says what it means: "Recovery" on a step would read as the citizen's.
    assert "Recovery" not in dot and "L2" not in dot
    assert "→ aim: Level 4" in node_line(dot, 0)
    assert f'fillcolor="{UNASSESSED_FILL}"' in node_line(dot, 4)
    assert "Level not assessed" in node_line(dot, 4)
    fills = {re.search(r'fillcolor="([^"]+)"', node_line(dot, k))[1] for k in range(5)}
    assert len(fills) == 5  # every level, and no level, has a colour of its own


def test_moment_of_truth_is_marked_by_text_and_double_border(road):
    dot = journey_to_dot(road)
    closure = node_line(dot, 9)
    assert "★ Moment of truth" in closure and "peripheries=2" in closure
    assert "peripheries" not in node_line(dot, 0) and "★" not in node_line(dot, 0)


def test_badges_count_pain_points_and_failed_checks():
    journey = make_journey(steps=[{
        "id": "s1", "channel": "web",
        "pain_points": [{"text": "slow"}, {"text": "confusing"}],
        # TRA-07 does not apply (no wait), so its answer does not count.
        "checks": {cid: CheckAnswer(r) for cid, r in
                   (("ACC-01", "fail"), ("ACC-03", "partial"), ("TRA-07", "fail"))},
    }, {"id": "s2"}])
    dot = journey_to_dot(journey)
    assert "⚠ 2 pain points" in node_line(dot, 0)
    # A partial answer is counted, and named as partial rather than as a failure.
    assert "✗ checks: 1 failed, 1 partial" in node_line(dot, 0)
    assert "⚠" not in node_line(dot, 1) and "✗" not in node_line(dot, 1)


@given(valid_documents())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_failed_check_badge_counts_the_applicable_failed_answers(doc):
    journey = load_data(doc)
    dot = journey_to_dot(journey)
    applicable = Assessment(journey).applicable  # every check's rule, on every step
    for i, step in enumerate(journey.steps):
        expected = sum(1 for cid in applicable[i]
                       if cid in step.checks and step.checks[cid].result in FAILED_RESULTS)
        # Anchored on the badge row's markup, which escaped user text cannot contain.
        badge = re.search(r'<FONT POINT-SIZE="9">(?:⚠ \d+ pain points?  )?✗ checks: '
                          r"(?:(\d+) failed)?(?:, )?(?:(\d+) partial)?</FONT>", node_line(dot, i))
        counted = sum(int(n or 0) for n in badge.groups()) if badge else 0
        assert counted == expected


def test_transitions_are_styled_by_kind(road):
    edges = {e.split('id="')[1].split('"')[0]: e for e in edge_lines(journey_to_dot(road))}
    flow = edges["edge_0_flow"]
    assert "style=" not in flow and "label=" not in flow
    alternative = edges["edge_2_alternative"]
    assert 'style="dashed"' in alternative and "alternative: prefers to call" in alternative
    failure = edges["edge_7_failure"]
    assert 'style="bold"' in failure and "✗ other authority" in failure
    rework = edges["edge_8_rework"]
    # triage (s5) back to the app report (s2): a returning edge that leaves the ranks alone.
    assert rework.startswith("  s5 -> s2") and "constraint=false" in rework
    assert 'style="bold,dotted"' in rework and "↺ location unclear" in rework


def test_unlabelled_failure_and_rework_still_say_what_they_are():
    journey = make_journey(steps=[{"id": "a"}, {"id": "b"}, {"id": "c"}], transitions=[
        ("a", "b"), {"source": "b", "target": "c", "kind": "failure"},
        {"source": "b", "target": "a", "kind": "rework"},
    ])
    edges = edge_lines(journey_to_dot(journey))
    assert "label=<✗ failure>" in edges[1] and "label=<↺ rework>" in edges[2]


def test_documents_without_transitions_draw_the_implied_flow():
    dot = journey_to_dot(make_journey(steps=[{"id": "a"}, {"id": "b"}, {"id": "c"}]))
    assert [e.split(" [")[0].strip() for e in edge_lines(dot)] == ["s0 -> s1", "s1 -> s2"]


def test_a_legend_explains_colours_styles_and_badges(road):
    dot = journey_to_dot(road)
    legend = next(line for line in dot.splitlines() if line.strip().startswith("legend ["))
    for text in ("Level 1: keeps the basic promise", "Level 4: goes beyond what was expected",
                 "Level not assessed", "Backstage step", "effort", "then waits", "assumption",
                 "Moment of truth", "pain points", "failed", "flow", "alternative",
                 "failure", "rework"):
        assert text in legend
    assert "style=invis" not in legend


def test_stage_without_steps_is_still_drawn():
    journey = make_journey(steps=[{"id": "s1"}],
                           stages=[{"id": "a", "name": "First"}, {"id": "b", "name": "Empty"}])
    dot = journey_to_dot(journey)
    assert "subgraph cluster_stage_1" in dot and "no steps" in dot


def test_html_text_escapes_everything_graphviz_would_read():
    assert html_text('<b>&"\'') == "&lt;b&gt;&amp;&quot;&#39;"
    assert html_text("\\N") == "\\\\N"  # dot expands \N to the node name otherwise
    assert html_text("a\x00b\x1fc\ufffe") == "a\ufffdb\ufffdc\ufffd"
    assert html_text("emoji 😀 עברית") == "emoji 😀 עברית"


def test_text_lines_wraps_and_breaks_lines():
    assert text_lines("one\ntwo") == ["one", "two"]
    assert text_lines("a " * 20, 10) == ["a a a a a", "a a a a a", "a a a a a", "a a a a a"]
    assert wrap("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def dot_attributes(dot: str) -> list[tuple[str, str, str]]:
    """(name, kind, value) of every ``name=value`` in DOT text; kind is html, str or id.

    A small tokenizer after the DOT grammar: HTML strings are balanced ``<…>``, quoted
    strings end at an unescaped quote.
    """
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(dot):
        c = dot[i]
        if c == "<":
            depth, j = 0, i
            while True:
                depth += {"<": 1, ">": -1}.get(dot[j], 0)
                j += 1
                if depth == 0:
                    break
            tokens.append(("html", dot[i + 1:j - 1]))
            i = j
        elif c == '"':
            j = i + 1
            while dot[j] != '"':
                j += 2 if dot[j] == "\\" else 1
            tokens.append(("str", dot[i + 1:j]))
            i = j + 1
        elif c.isspace():
            i += 1
        elif re.match(r"[A-Za-z0-9_.]", c):
            m = re.match(r"[A-Za-z0-9_.]+", dot[i:])
            tokens.append(("id", m[0]))
            i += len(m[0])
        else:
            tokens.append(("punct", "->" if dot.startswith("->", i) else c))
            i += 2 if dot.startswith("->", i) else 1
    return [(tokens[k - 1][1], tokens[k + 1][0], tokens[k + 1][1])
            for k in range(1, len(tokens) - 1) if tokens[k] == ("punct", "=")]


OUR_ATTRIBUTES = {
    "id", "rankdir", "fontname", "fontsize", "labelloc", "labeljust", "nodesep", "ranksep",
    "outputorder", "pad", "label", "shape", "margin", "penwidth", "color", "arrowsize",
    "style", "fillcolor", "peripheries", "fontcolor", "constraint", "width", "height",
    "minlen", "newrank", "mclimit", "nslimit", "nslimit1", "searchsize", "remincross",
}


def test_user_text_is_only_ever_an_html_label_value():
    journey = make_journey(
        title=HOSTILE[3],
        steps=[{"id": f"s{i}", "title": t, "agency": t} for i, t in enumerate(HOSTILE)],
        transitions=[(f"s{i}", f"s{i + 1}", HOSTILE[i]) for i in range(len(HOSTILE) - 1)],
        stages=[{"id": "a", "name": HOSTILE[1]}, {"id": "b", "name": HOSTILE[2]}],
    )
    attributes = dot_attributes(journey_to_dot(journey))
    assert {name for name, _, _ in attributes} <= OUR_ATTRIBUTES
    labels = " ".join(value for _, kind, value in attributes if kind == "html")
    assert "&lt;script&gt;" in labels and "javascript:alert(1)" in labels
    for name, kind, value in attributes:
        if kind == "html":
            assert name == "label"
            assert "<script" not in value and "<img" not in value
        else:
            assert re.fullmatch(r"[A-Za-z0-9_.,#\- ]*", value), (name, value)


@needs_dot
def test_hostile_text_renders_as_literal_text():
    journey = make_journey(
        title=HOSTILE[3],
        steps=[{"id": f"s{i}", "title": t, "agency": t} for i, t in enumerate(HOSTILE)],
        transitions=[(f"s{i}", f"s{i + 1}", HOSTILE[i]) for i in range(len(HOSTILE) - 1)],
    )
    done = run_dot(journey_to_dot(journey))
    assert done.returncode == 0 and done.stderr == b"", done.stderr
    texts = squash("".join(svg_texts(done.stdout)))
    for t in HOSTILE:
        # Bidi controls are shown as marks, never obeyed (domain.text.mark_bidi).
        expected = mark_bidi(re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "\ufffd", t))
        assert squash(expected) in texts, t


label_text = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1,
                     max_size=80).filter(str.strip)


@needs_dot
@given(st.lists(label_text, min_size=3, max_size=3), label_text)
@settings(max_examples=30, deadline=None)
def test_any_text_parses_in_dot_and_comes_back_literally(titles, label):
    journey = make_journey(
        title=label,
        steps=[{"id": f"s{i}", "title": t, "agency": label} for i, t in enumerate(titles)],
        transitions=[("s0", "s1", label), {"source": "s1", "target": "s2", "label": label,
                                          "kind": "failure"}],
        stages=[{"id": "a", "name": label}, {"id": "b", "name": titles[0]}],
    )
    done = run_dot(journey_to_dot(journey))
    assert done.returncode == 0 and done.stderr == b"", done.stderr
    texts = squash("".join(svg_texts(done.stdout)))
    for t in [*titles, label]:
        assert squash(mark_bidi(t)) in texts


@needs_dot
@given(valid_documents())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_valid_document_gives_dot_that_parses_without_complaint(doc):
    journey = load_data(doc)
    for backstage in (True, False):
        done = run_dot(journey_to_dot(journey, show_backstage=backstage))
        assert done.returncode == 0 and done.stderr == b"", done.stderr


# --- Shapes that broke the layout, small versions of the benchmark's generators ---------

from benchmarks.journeys_gen import chain_with_rework, complete, hub, random_jumps  # noqa: E402
from journeys.formats.diagram import LR_MAX_RANKS, plan  # noqa: E402
from journeys.formats.overview import (  # noqa: E402
    FULL_COST_LIMIT,
    choose_view,
    find_stage,
    overview_to_dot,
)


def test_a_hidden_hub_is_one_placeholder_not_every_pair_of_ends():
    journey = hub(30)  # 30 steps → one backstage step → 30 steps
    p = plan(journey, show_backstage=False)
    assert len(p.edges) == 60  # not 30 × 30
    dot = journey_to_dot(journey, show_backstage=False, drawing=p)
    assert "1 backstage step hidden" in dot
    assert all("via backstage" in e for e in edge_lines(dot))


def test_long_returning_edges_make_the_overview_chosen_before_dot_runs():
    chain = plan(chain_with_rework(120))
    assert chain.cost > FULL_COST_LIMIT and choose_view("auto", chain) == "overview"
    assert choose_view("full", chain) == "full"
    jumps = plan(random_jumps(300))
    assert choose_view("auto", jumps) == "overview"
    assert choose_view("auto", plan(complete(40))) == "overview"


@pytest.mark.parametrize("name", ["register-a-birth", "report-a-road-defect",
                                  "apply-for-a-disabled-parking-permit"])
def test_real_journeys_keep_their_full_diagram_left_to_right(name):
    demo = Path(__file__).parents[3] / "journeys" / "demo"
    journey = load_document((demo / f"{name}.json").read_bytes())
    p = plan(journey)
    assert choose_view("auto", p) == "full"
    assert "rankdir=LR" in journey_to_dot(journey, drawing=p)


LONG = Path(__file__).parents[2] / "fixtures" / "long" / "bereavement-44.json"


def test_a_long_journey_is_drawn_top_to_bottom():
    journey = load_document(LONG.read_bytes())
    p = plan(journey)
    assert p.depth > LR_MAX_RANKS and choose_view("auto", p) == "full"
    assert "rankdir=TB" in journey_to_dot(journey, drawing=p)
    assert "rankdir=LR" in journey_to_dot(journey, direction="LR")


def test_the_overview_has_one_box_per_stage_and_counted_transitions():
    journey = chain_with_rework(60)  # 6 stages
    dot = overview_to_dot(journey)
    assert "Overview: one box per stage" in dot
    assert len(re.findall(r'id="overview_stage_\d+"', dot)) == 6
    assert "10 steps" in dot and "at Level" in dot
    # Every step returns to the first: one arrow per later stage back to stage 1, counted.
    back = [line for line in dot.splitlines() if "-> o0 [id=" in line]
    assert len(back) == 5 and all("constraint=false" in line for line in back)
    assert "10 rework" in back[0] and "1 flow" not in back[0]


def test_the_overview_counts_what_it_does_not_draw():
    dot = overview_to_dot(complete(100))  # 10 stages, every pair joined
    arrows = [line for line in dot.splitlines() if 'id="overview_edge_' in line]
    assert len(arrows) <= 2 * 10
    assert "to distant stages, not drawn" in dot


def test_one_stage_alone_with_connectors_to_its_neighbours(road):
    triage = road.stages[2].id
    dot = journey_to_dot(road, stage=triage)
    assert "cluster_stage_2" in dot and "cluster_stage_0" not in dot
    assert 'id="connector_from_stage_1"' in dot
    assert "stage 3 of 5 alone" in dot
    assert find_stage(road, "3") == triage and find_stage(road, triage) == triage
    with pytest.raises(ValueError, match="no stage 'nope'"):
        find_stage(road, "nope")


def test_steps_show_their_wait_effort_and_assumptions():
    journey = make_journey(steps=[
        {"id": "a", "effort_minutes": 90, "wait_days": 28, "evidence": "observed"},
        {"id": "b", "wait_days": 1, "evidence": "assumed", "stage": "b"},
    ])
    dot = journey_to_dot(journey)
    assert "effort 1 h 30 min · then waits 28 days" in node_line(dot, 0)
    assert "assumption" not in node_line(dot, 0)
    assert "then waits 1 day" in node_line(dot, 1)
    assert "? assumption: not yet evidenced" in node_line(dot, 1)


def test_the_legend_comes_first(road):
    dot = journey_to_dot(road)
    assert dot.index("legend [") < dot.index("subgraph cluster_stage_0")
    assert re.search(r"legend -> s\d+ \[style=invis\]", dot)
    assert "-> legend" not in dot
