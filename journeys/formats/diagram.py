"""A journey as a Graphviz DOT graph: a pure function, tested on its text.

Stages are clusters in journey order; backstage steps sit in a dashed sub-cluster of
their stage, below the line of visibility. Each step node shows its title, channel,
actor, pyramid level (fill colour *and* text), effort and wait, whether it rests on an
assumption, moment of truth and badges.

The drawing is planned before any DOT text is written (:func:`plan`): which nodes and
edges it holds, with backstage hidden or not, for the whole journey or one stage, and
an estimate of what it costs ``dot`` to lay out. :mod:`journeys.formats.overview` reads
that estimate to choose between the full diagram and the overview before ``dot`` runs.

Safety rule: every piece of user text becomes the value of an HTML-like label, escaped
by :func:`html_text`. Node names, ids and all other attributes come from this module.
"""

import re
from dataclasses import dataclass, field

from journeys.domain.checks import Assessment
from journeys.domain.document import (
    ACTOR_NAMES,
    CHANNEL_NAMES,
    LEVEL_NAMES,
    Journey,
    Step,
    level_meaning,
)
from journeys.domain.graph import JourneyGraph
from journeys.domain.text import (
    INVISIBLE_CHARS,
    cluster_cut,
    format_number,
    mark_bidi,
    one_line,
    plural,
    visible,
)
from journeys.formats.options import DIRECTIONS

FONT = "Helvetica,Arial,sans-serif"

# A light sequential ColorBrewer palette (YlGnBu): colour-blind safe, dark text stays
# readable on every shade, and each shade is paired with a text cue in the node.
LEVEL_FILL = {1: "#ffffcc", 2: "#c7e9b4", 3: "#7fcdbb", 4: "#41b6c4"}
UNASSESSED_FILL = "#f0f0f0"
# Alone on its line in a node or the legend, the missing level names what is missing.
UNASSESSED_CUE = "Level not assessed"

# Okabe–Ito colours for the transition kinds; each kind also has its own line style
# and a text cue, so the colour is never the only signal.
EDGE_STYLE = {
    "flow": {"color": "#333333"},
    "alternative": {"color": "#0072B2", "fontcolor": "#0072B2", "style": "dashed"},
    "failure": {"color": "#D55E00", "fontcolor": "#A04400", "style": "bold", "penwidth": "2"},
    "rework": {"color": "#CC79A7", "fontcolor": "#8E4474", "style": "bold,dotted",
               "penwidth": "2"},
}
# Text cues: the whole label of an unlabelled edge, or the prefix of a labelled one.
EDGE_CUE = {"flow": "", "alternative": "alternative", "failure": "✗ failure", "rework": "↺ rework"}
EDGE_PREFIX = {"flow": "", "alternative": "alternative:", "failure": "✗", "rework": "↺"}

TITLE_WIDTH = 30
LABEL_WIDTH = 28

# Text that needs html_text's work: XML specials, ] (see html_text), tabs, invisibles.
_NEEDS_ESCAPE = re.compile(f"[\\\\&<>\"'\\]\t{INVISIBLE_CHARS}]")
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def html_text(text: str) -> str:
    """One line of user text as the content of a Graphviz HTML-like label.

    Escapes the XML specials, doubles backslashes (Graphviz expands ``\\N``, ``\\G``…
    even inside HTML labels), writes ``]`` as a character reference (Graphviz 2.43's
    HTML lexer rejects a text of only ``]``) and replaces characters XML cannot hold.
    Bidirectional controls are shown as marks (:func:`mark_bidi`), so they cannot reorder
    the SVG's text.
    """
    text = mark_bidi(text)
    if not _NEEDS_ESCAPE.search(text):
        return text
    text = visible(text.replace("\t", " "))
    return (
        text.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;")
        .replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#39;")
        .replace("]", "&#93;")
    )


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap at spaces; a word longer than ``width`` is cut into pieces.

    A cut never falls inside a character sequence: not after a zero-width joiner
    (👩‍👩‍👧), nor before a combining mark, variation selector, skin-tone modifier or
    emoji tag, nor between the two halves of a flag.
    """
    lines: list[str] = []
    line = ""
    for word in text.split():
        while len(word) > width:
            cut = cluster_cut(word, width)
            if cut >= len(word):
                break
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def text_lines(text: str, width: int | None = None) -> list[str]:
    """User text split at its line breaks and wrapped to ``width``, each line escaped."""
    parts = _LINE_BREAKS.split(text) if _LINE_BREAKS.search(text) else [text]
    lines: list[str] = []
    for part in parts:
        if _NEEDS_ESCAPE.search(part):
            part = visible(part.replace("\t", " "))
        if width and len(part) > width:
            lines.extend(wrap(part, width))
        elif part.strip():
            lines.append(part.strip())
    return [html_text(line) for line in lines] or [""]


def _multiline(text: str, width: int | None = None) -> str:
    return "<BR/>".join(text_lines(text, width))


# --- What a step node says ------------------------------------------------------------

def level_cue(step: Step) -> str:
    """The pyramid level as a reader reads it: ``Level 2: fixes problems well → aim: Level 3``."""
    cue = level_meaning(step.level)
    if step.target_level:
        cue += f" → aim: Level {step.target_level}"
    return cue


def _minutes(value: float) -> str:
    if value < 60:
        return f"{format_number(value)} min"
    hours, minutes = divmod(round(value), 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def timing_cue(step: Step) -> str | None:
    """The citizen's effort at the step and the wait after it: ``effort 20 min · then waits
    28 days``; None when the step records neither."""
    parts = []
    if step.effort_minutes:
        parts.append(f"effort {_minutes(step.effort_minutes)}")
    if step.wait_days:
        days = format_number(step.wait_days)
        parts.append(f"then waits {days} {'day' if days == '1' else 'days'}")
    return " · ".join(parts) or None


def check_cue(results: list[str]) -> str | None:
    """The failed and partial answers at a step: ``✗ checks: 2 failed, 1 partial``."""
    fails = results.count("fail")
    partials = len(results) - fails
    if not results:
        return None
    parts = [f"{fails} failed"] if fails else []
    if partials:
        parts.append(f"{partials} partial")
    return "✗ checks: " + ", ".join(parts)


ASSUMPTION_CUE = "? assumption: not yet evidenced"


def _row(content: str, *, size: int | None = 9, italic: bool = False, bold: bool = False,
         balign: bool = False) -> str:
    if italic:
        content = f"<I>{content}</I>"
    if bold:
        content = f"<B>{content}</B>"
    if size:
        content = f'<FONT POINT-SIZE="{size}">{content}</FONT>'
    extra = ' BALIGN="LEFT"' if balign else ""
    return f'<TR><TD ALIGN="LEFT"{extra}>{content}</TD></TR>'


def _step_label(step: Step, results: list[str]) -> str:
    rows = [_row(_multiline(step.title, TITLE_WIDTH), size=None, bold=True, balign=True)]
    where = f"{CHANNEL_NAMES[step.channel]} · {ACTOR_NAMES[step.actor]}"
    if not step.citizen_facing:
        where = "backstage · " + where
    rows.append(_row(where))
    if step.agency:
        rows.append(_row(_multiline(step.agency, TITLE_WIDTH), italic=True, balign=True))
    rows.append(_row(level_cue(step)))
    timing = timing_cue(step)
    if timing:
        rows.append(_row(timing))
    if step.evidence == "assumed":
        rows.append(_row(ASSUMPTION_CUE, italic=True))
    if step.moment_of_truth:
        rows.append(_row("★ Moment of truth", size=None, italic=True, bold=True))
    badges = []
    if step.pain_points:
        badges.append(f"⚠ {plural(len(step.pain_points), 'pain point')}")
    checks = check_cue(results)
    if checks:
        badges.append(checks)
    if badges:
        rows.append(_row("  ".join(badges)))
    return '<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def _step_node(i: int, k: int, step: Step, results: list[str]) -> str:
    fill = LEVEL_FILL.get(step.level or 0, UNASSESSED_FILL)
    style = "rounded,filled" if step.citizen_facing else "rounded,filled,dashed"
    extra = ' peripheries=2 penwidth=2.2 color="#000000"' if step.moment_of_truth else ""
    return (f's{i} [id="step_{i}_stage_{k}" fillcolor="{fill}" style="{style}"{extra} '
            f"label={_step_label(step, results)}]")


def _edge_label(kind: str, label: str | None, via_backstage: bool, count: int = 1) -> str:
    parts = []
    cue = EDGE_CUE[kind]
    if label:
        text = _multiline(label, LABEL_WIDTH)
        parts.append(f"{EDGE_PREFIX[kind]} {text}" if cue else text)
    elif cue:
        parts.append(cue)
    if count > 1:
        parts.append(plural(count, "transition"))
    if via_backstage:
        parts.append("<I>via backstage</I>")
    return "<" + "<BR/>".join(parts) + ">" if parts else ""


def legend_rows() -> list[str]:
    """The legend's rows: level colours, backstage, moment of truth, badges, edge styles."""
    def swatch(fill: str, text: str, style: str = "") -> str:
        style_attr = f' STYLE="{style}"' if style else ""
        return (f'<TR><TD BGCOLOR="{fill}" BORDER="1"{style_attr} WIDTH="18"> </TD>'
                f'<TD ALIGN="LEFT">{text}</TD></TR>')

    rows = ['<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Legend</B></TD></TR>']
    rows += [swatch(LEVEL_FILL[n], level_meaning(n)) for n in LEVEL_NAMES]
    rows.append(swatch(UNASSESSED_FILL, UNASSESSED_CUE))
    rows.append(swatch("#ffffff", "Backstage step (dashed border, below the line of "
                       "visibility)", "dashed"))
    rows.append('<TR><TD BORDER="3">★</TD><TD ALIGN="LEFT">Moment of truth '
                "(double border)</TD></TR>")
    rows.append('<TR><TD><B>effort</B></TD><TD ALIGN="LEFT"><B>effort</B>: the citizen\'s '
                "active time at the step; <B>then waits</B>: the time after it</TD></TR>")
    rows.append('<TR><TD>?</TD><TD ALIGN="LEFT">assumption: the step is not yet backed by '
                "observation, reports or data</TD></TR>")
    rows.append('<TR><TD>⚠</TD><TD ALIGN="LEFT">pain points at the step</TD></TR>')
    rows.append('<TR><TD>✗</TD><TD ALIGN="LEFT">checks at the step that failed, and those '
                "only partly met (partial)</TD></TR>")
    for kind, line, meaning in (
        ("flow", "───▶", "flow: the usual path"),
        ("alternative", "‐ ‐ ‐▶", "alternative route (dashed)"),
        ("failure", "━✗━▶", "failure, with its condition (bold)"),
        ("rework", "↺ ┅┅▶", "rework: goes back to repeat an earlier step (dotted)"),
    ):
        color = EDGE_STYLE[kind]["color"]
        rows.append(f'<TR><TD><FONT COLOR="{color}">{line}</FONT></TD>'
                    f'<TD ALIGN="LEFT">{meaning}</TD></TR>')
    return rows


def legend_node(rows: list[str] | None = None) -> str:
    """The legend as a DOT node named ``legend``."""
    return ('legend [id="legend" shape=plain label=<<TABLE BORDER="1" COLOR="#888888" '
            'CELLBORDER="0" CELLSPACING="2" CELLPADDING="3" BGCOLOR="#ffffff">'
            + "".join(rows or legend_rows()) + "</TABLE>>]")


def graph_label(journey: Journey, note: str | None = None) -> str:
    """The diagram's heading: the title, the journey's facts and an optional note."""
    lines = [f'<FONT POINT-SIZE="18"><B>{_multiline(journey.title, 80)}</B></FONT>']
    facts = [f"{journey.state} journey"]
    for value in (journey.service, journey.organization):
        if value:
            facts.append(html_text(one_line(value)))
    if journey.persona:
        facts.append("persona: " + html_text(one_line(journey.persona.name)))
    lines.append(" · ".join(facts))
    if note:
        lines.append(f"<I>{note}</I>")
    return '<BR ALIGN="LEFT"/>'.join(lines) + '<BR ALIGN="LEFT"/>'


# --- The plan: what the drawing holds, before any DOT text ----------------------------

# Paths through hidden backstage steps become direct edges only while that stays small:
# at most this many pairs of visible ends per hidden group (or twice its edges in and
# out), and this much search work. Otherwise the group is one "hidden" placeholder node.
PAIR_LIMIT = 16
WORK_LIMIT = 20_000
TOTAL_WORK_LIMIT = 200_000


@dataclass
class DrawnEdge:
    """One arrow of the drawing, between two node names."""

    source: str
    target: str
    kind: str
    label: str | None
    via: bool = False
    count: int = 1


@dataclass
class Plan:
    """What a diagram draws and what it costs ``dot``, worked out in linear time.

    ``cost`` is nodes + edges + the virtual nodes ``dot`` adds where an edge spans
    several ranks (the estimated rank of each node is its longest forward path, with
    each stage after the previous one), which is what its layout time grows with.
    """

    journey: Journey
    stage: int | None
    members: list[list[int]]                 # shown steps per stage (in view only)
    hidden: dict[str, tuple[int, int]]       # placeholder name → (stage, hidden steps)
    connectors: dict[str, tuple[int, bool]]  # stage view: name → (other stage, incoming)
    edges: list[DrawnEdge]
    order: dict[str, tuple[int, int]]
    ranks: dict[str, int] = field(default_factory=dict)
    virtual: int = 0

    @property
    def cost(self) -> int:
        """The estimated layout work: nodes, edges and virtual nodes."""
        return len(self.order) + len(self.edges) + self.virtual

    @property
    def depth(self) -> int:
        """The estimated number of ranks: the length of the drawing along its direction."""
        return max(self.ranks.values(), default=0) + 1

    def forward(self, e: DrawnEdge) -> bool:
        """Whether an edge goes forward in journey order (only those constrain ranks)."""
        return self.order[e.target] > self.order[e.source]


def _contract(graph: JourneyGraph, shown: list[bool]):
    """Edges between shown steps; paths through hidden steps, bounded.

    Hidden steps joined by transitions form groups. A group's paths become direct edges
    (one per pair of shown ends and kind, with the kind and label of the hop that enters
    the shown step, marked as via backstage) when that stays small; otherwise the group
    is drawn as one placeholder node with its edges in and out, so the result is linear
    in the journey's transitions whatever its shape.
    """
    edges = graph.edges
    n = len(shown)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for e in edges:
        if not shown[e.source] and not shown[e.target]:
            a, b = find(e.source), find(e.target)
            if a != b:
                parent[a] = b
    entries: dict[int, list] = {}
    exits: dict[int, list] = {}
    inner: dict[int, int] = {}
    out: list[tuple[int | str, int | str, object, bool]] = []
    for e in edges:
        if shown[e.source] and shown[e.target]:
            out.append((e.source, e.target, e, False))
        elif shown[e.source]:
            entries.setdefault(find(e.target), []).append(e)
        elif shown[e.target]:
            exits.setdefault(find(e.source), []).append(e)
        else:
            root = find(e.source)
            inner[root] = inner.get(root, 0) + 1
    size: dict[int, int] = {}
    first: dict[int, int] = {}
    for i in range(n):
        if not shown[i]:
            root = find(i)
            size[root] = size.get(root, 0) + 1
            first.setdefault(root, i)

    placeholders: dict[int, int] = {}
    total = 0
    for root in sorted(size, key=first.__getitem__):
        ins, outs = entries.get(root, []), exits.get(root, [])
        if not ins or not outs:
            continue  # nothing visible passes through this group
        pairs = len({e.source for e in ins}) * len({e.target for e in outs})
        work = len(ins) * (size[root] + inner.get(root, 0) + len(outs))
        if (pairs <= max(PAIR_LIMIT, 2 * (len(ins) + len(outs))) and work <= WORK_LIMIT
                and total + work <= TOTAL_WORK_LIMIT):
            total += work
            out.extend(_paths_through(graph, shown, ins))
            continue
        placeholders[root] = first[root]
        name = f"h{first[root]}"
        seen: set = set()
        for e in ins:
            if (e.source, e.kind) not in seen:
                seen.add((e.source, e.kind))
                out.append((e.source, name, e, True))
        for e in outs:
            if (e.target, e.kind) not in seen:
                seen.add((e.target, e.kind))
                out.append((name, e.target, e, True))
    hidden = {f"h{i}": (i, size[root]) for root, i in placeholders.items()}
    return out, hidden


def _paths_through(graph: JourneyGraph, shown: list[bool], entries: list):
    out = []
    seen = set()
    for e in entries:
        stack, reached = [e.target], {e.target}
        while stack:
            hidden = stack.pop()
            for nxt in graph.out_edges[hidden]:
                if shown[nxt.target]:
                    key = (e.source, nxt.target, nxt.kind)
                    if key not in seen:
                        seen.add(key)
                        out.append((e.source, nxt.target, nxt, True))
                elif nxt.target not in reached:
                    reached.add(nxt.target)
                    stack.append(nxt.target)
    return out


def plan(journey: Journey, *, show_backstage: bool = True, stage: str | None = None,
         assessment: Assessment | None = None) -> Plan:
    """What the diagram of the journey (or of one ``stage``, by id) draws, with its cost."""
    assessment = assessment or Assessment(journey)
    graph = assessment.graph
    steps = journey.steps
    stage_index = {s.id: k for k, s in enumerate(journey.stages)}
    if stage is not None and stage not in stage_index:
        raise ValueError(f"no stage {stage!r} in this journey "
                         f"(stages: {', '.join(stage_index)})")
    view = stage_index[stage] if stage is not None else None
    shown = [show_backstage or s.citizen_facing for s in steps]
    raw, hidden_groups = _contract(graph, shown)

    step_stage = [stage_index[s.stage] for s in steps]
    members: list[list[int]] = [[] for _ in journey.stages]
    order: dict[str, tuple[int, int]] = {}
    for i in range(len(steps)):
        if shown[i] and (view is None or step_stage[i] == view):
            members[step_stage[i]].append(i)
            order[f"s{i}"] = (step_stage[i], i)
    hidden: dict[str, tuple[int, int]] = {}
    for name, (i, count) in hidden_groups.items():
        if view is None or step_stage[i] == view:
            hidden[name] = (step_stage[i], count)
            order[name] = (step_stage[i], i)
    if view is None:
        for k, m in enumerate(members):
            if not m and not any(h[0] == k for h in hidden.values()):
                order[f"empty_{k}"] = (k, -1)

    def stage_of(end) -> int:
        return step_stage[end] if isinstance(end, int) else step_stage[int(end[1:])]

    connectors: dict[str, tuple[int, bool]] = {}
    merged: dict[tuple, DrawnEdge] = {}
    drawn: list[DrawnEdge] = []
    transitions = journey.transitions
    if view is None:  # the whole journey: every end is drawn, no connectors
        for src, dst, edge, via in raw:
            label = transitions[edge.index].label if edge.index is not None else None
            drawn.append(DrawnEdge(f"s{src}" if isinstance(src, int) else src,
                                   f"s{dst}" if isinstance(dst, int) else dst,
                                   edge.kind, label, via))
        raw = []
    for src, dst, edge, via in raw:
        names = []
        for end, incoming in ((src, True), (dst, False)):
            name = f"s{end}" if isinstance(end, int) else end
            if name not in order:
                if view is None:
                    break
                k = stage_of(end)
                name = f"from_{k}" if incoming else f"to_{k}"
                if name not in connectors:
                    connectors[name] = (k, incoming)
                    order[name] = (-1, k) if incoming else (len(journey.stages) + 1, k)
            names.append(name)
        if len(names) < 2 or all(nm in connectors for nm in names):
            continue
        label = graph.transition(edge).label
        if view is not None and any(nm in connectors for nm in names):
            key = (names[0], names[1], edge.kind)
            if key in merged:
                merged[key].count += 1
                continue
            merged[key] = DrawnEdge(names[0], names[1], edge.kind, label, via)
            drawn.append(merged[key])
            continue
        drawn.append(DrawnEdge(names[0], names[1], edge.kind, label, via))

    p = Plan(journey, view, members, hidden, connectors, drawn, order)
    _estimate_ranks(p, gates=view is None)
    return p


def _estimate_ranks(p: Plan, *, gates: bool) -> None:
    """Longest forward path per node, each stage starting after the previous one ends."""
    preds: dict[str, list[str]] = {}
    for e in p.edges:
        if p.forward(e):
            preds.setdefault(e.target, []).append(e.source)
    ranks = p.ranks
    current, base, high = None, 0, -1
    for name in sorted(p.order, key=p.order.__getitem__):
        k = p.order[name][0]
        if gates and k != current:
            current, base = k, high + 1
        r = max([base, *(ranks[u] + 1 for u in preds.get(name, ()))])
        ranks[name] = r
        high = max(high, r)
    p.virtual = sum(max(0, abs(ranks[e.target] - ranks[e.source]) - 1) for e in p.edges)


# --- DOT text --------------------------------------------------------------------------

# Long journeys are drawn top to bottom: left to right, a journey more ranks deep than
# this would come out several metres wide (44 steps in a row are about 10,000 px).
LR_MAX_RANKS = 14

# dot settings that keep its work near-linear: few crossing-reduction passes (mclimit),
# bounded network-simplex iterations (nslimit, nslimit1, searchsize), no second crossing
# pass after the clusters are placed (remincross). Measured in benchmarks/render.py.
LAYOUT_SETTINGS = "mclimit=0.3 nslimit=3 nslimit1=3 searchsize=30 remincross=false"

def resolve_direction(direction: str, p: Plan) -> str:
    """``LR`` or ``TB``: as asked, or for ``auto`` TB when the drawing is more than
    :data:`LR_MAX_RANKS` ranks deep."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    if direction != "auto":
        return direction
    return "TB" if p.depth > LR_MAX_RANKS else "LR"


def graph_header(direction: str, label: str, *, graph_id: str = "journey",
                 ranksep: float = 0.45) -> list[str]:
    """The DOT lines that open a diagram: graph, node and edge defaults."""
    return [
        f"digraph {graph_id} {{",
        # newrank: one global ranking, so every forward edge points forward even between a
        # stage's steps and its backstage lane, which then runs below them.
        f'  graph [id="{graph_id}" rankdir={direction} newrank=true fontname="{FONT}" '
        f"fontsize=12 labelloc=t labeljust=l nodesep=0.3 ranksep={ranksep} "
        f"outputorder=edgesfirst pad=0.3 {LAYOUT_SETTINGS} label=<{label}>]",
        f'  node [shape=box fontname="{FONT}" fontsize=11 margin="0.1,0.06" penwidth=1.2 '
        'color="#444444"]',
        f'  edge [fontname="{FONT}" fontsize=9 arrowsize=0.8]',
    ]


def journey_to_dot(journey: Journey, *, direction: str = "auto", show_backstage: bool = True,
                   assessment: Assessment | None = None, stage: str | None = None,
                   drawing: Plan | None = None) -> str:
    """The journey as DOT text: stages as clusters in order, a legend first, escaped labels.

    ``stage`` (an id) draws that stage alone, with one connector node per other stage
    its transitions come from or go to. Pass the journey's ``assessment`` when it is at
    hand, so its graph is built once, and the ``drawing`` when it was planned already.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    assessment = assessment or Assessment(journey)
    p = drawing or plan(journey, show_backstage=show_backstage, stage=stage,
                        assessment=assessment)
    direction = resolve_direction(direction, p)
    steps = journey.steps
    note = None
    if p.stage is not None:
        note = (f"stage {p.stage + 1} of {len(journey.stages)} alone; boxes at the edges "
                "stand for the stages its transitions come from and go to")
    out = graph_header(direction, graph_label(journey, note))

    ahead = [p.forward(e) for e in p.edges]
    forward = [e for e, f in zip(p.edges, ahead, strict=True) if f]
    stage_of = {name: key[0] for name, key in p.order.items()}
    has_in_stage_pred = {e.target for e in forward if stage_of[e.source] == stage_of[e.target]}
    has_in_stage_succ = {e.source for e in forward if stage_of[e.source] == stage_of[e.target]}

    out.append("  " + legend_node())
    stages = range(len(journey.stages)) if p.stage is None else [p.stage]
    firsts, lasts = {}, {}
    for k in stages:
        stage = journey.stages[k]
        out.append(f"  subgraph cluster_stage_{k} {{")
        out.append(f'    id="stage_{k}" label=<<B>{k + 1} · {_multiline(stage.name, 40)}</B>> '
                   'style="rounded,filled" fillcolor="#fafafa" color="#999999" fontsize=13 '
                   "margin=10")
        members = p.members[k]
        front = [i for i in members if steps[i].citizen_facing]
        back = [i for i in members if not steps[i].citizen_facing]
        for i in front:
            out.append("    " + _step_node(i, k, steps[i], _results(assessment, i)))
        if back:
            out.append(f"    subgraph cluster_stage_{k}_backstage {{")
            out.append(f'      id="stage_{k}_backstage" label=<<I>backstage · below the line '
                       'of visibility</I>> style="dashed,filled" fillcolor="#eeeeee" '
                       'color="#777777" fontsize=9 labeljust=l')
            for i in back:
                out.append("      " + _step_node(i, k, steps[i], _results(assessment, i)))
            out.append("    }")
        names = [f"s{i}" for i in members]
        for name, (hk, count) in p.hidden.items():
            if hk == k:
                names.append(name)
                out.append(f'    {name} [id="hidden_{name[1:]}" style="dashed,rounded" '
                           'color="#777777" fontsize=9 label=<<I>'
                           f"{plural(count, 'backstage step')} hidden</I>>]")
        if f"empty_{k}" in p.order:
            hidden = "only backstage steps (hidden)" if any(
                s.stage == stage.id for s in steps) else "no steps"
            out.append(f'    empty_{k} [id="empty_{k}" shape=plaintext label=<<I>{hidden}</I>>]')
            names.append(f"empty_{k}")
        names.sort(key=p.order.__getitem__)
        firsts[k] = [n for n in names if n not in has_in_stage_pred] or names[:1]
        lasts[k] = [n for n in names if n not in has_in_stage_succ] or names[-1:]
        out.append("  }")

    for name, (k, incoming) in p.connectors.items():
        where = "from" if incoming else "to"
        out.append(f'  {name} [id="connector_{where}_stage_{k}" style="dashed,rounded" '
                   f'color="#777777" fontsize=10 label=<<I>{where} stage {k + 1}</I><BR/>'
                   f"{_multiline(journey.stages[k].name, 30)}>]")

    # The legend comes first; invisible gates between stages keep every stage's steps
    # after the previous stage's.
    out.append('  node [shape=point style=invis width=0 height=0 label=""]')
    first_stage = stages[0]
    out.extend(f"  legend -> {name} [style=invis]" for name in firsts.get(first_stage, []))
    if p.stage is None:
        count = len(journey.stages)
        for k in range(1, count):
            out.append(f"  gate_{k}")
            out.extend(f"  {name} -> gate_{k} [style=invis minlen=0]" for name in lasts[k - 1])
            out.extend(f"  gate_{k} -> {name} [style=invis]" for name in firsts[k])

    for n, e in enumerate(p.edges):
        out.append(_edge_line(n, e, constrained=ahead[n]))
    out.append("}")
    return "\n".join(out) + "\n"


def _results(assessment: Assessment, i: int) -> list[str]:
    checks = assessment.journey.steps[i].checks
    return [checks[cid].result for cid in assessment.failed(i)]


def _edge_line(n: int, e: DrawnEdge, *, constrained: bool) -> str:
    kind = e.kind
    attrs_text = " ".join(f'{k}="{v}"' for k, v in EDGE_STYLE[kind].items())
    label = _edge_label(kind, e.label, e.via, e.count)
    label_attr = f" label={label}" if label else ""
    constraint = "" if constrained else " constraint=false"
    return f'  {e.source} -> {e.target} [id="edge_{n}_{kind}" {attrs_text}{constraint}{label_attr}]'
