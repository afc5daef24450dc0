"""A journey as a Graphviz DOT graph: a pure function, tested on its text.

Stages are clusters in journey order; backstage steps sit in a dashed sub-cluster of
their stage, below the line of visibility. Each step node shows its title, channel,
actor, pyramid level (fill colour *and* text), moment of truth and badges.

Safety rule: every piece of user text becomes the value of an HTML-like label, escaped
by :func:`html_text`. Node names, ids and all other attributes come from this module.
"""

import re

from journeys.domain.checks import Assessment
from journeys.domain.document import (
    ACTOR_NAMES,
    CHANNEL_NAMES,
    LEVEL_NAMES,
    Journey,
    Step,
    level_label,
)
from journeys.domain.graph import Edge, JourneyGraph
from journeys.domain.text import (
    INVISIBLE_CHARS,
    cluster_cut,
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


def level_cue(step: Step) -> str:
    """The pyramid level as text, e.g. ``L2 Recovery → target L3``."""
    cue = level_label(step.level) if step.level else UNASSESSED_CUE
    if step.target_level:
        cue += f" → target L{step.target_level}"
    return cue


def _step_label(step: Step, failed: int) -> str:
    title = _multiline(step.title, TITLE_WIDTH)
    rows = [f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><B>{title}</B></TD></TR>']
    where = f"{CHANNEL_NAMES[step.channel]} · {ACTOR_NAMES[step.actor]}"
    if not step.citizen_facing:
        where = "backstage · " + where
    rows.append(f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9">{where}</FONT></TD></TR>')
    if step.agency:
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="9"><I>'
                    f"{_multiline(step.agency, TITLE_WIDTH)}</I></FONT></TD></TR>")
    rows.append(f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9">{level_cue(step)}</FONT></TD></TR>')
    if step.moment_of_truth:
        rows.append('<TR><TD ALIGN="LEFT"><B><I>★ Moment of truth</I></B></TD></TR>')
    badges = []
    if step.pain_points:
        badges.append(f"⚠ {plural(len(step.pain_points), 'pain point')}")
    if failed:
        badges.append(f"✗ {plural(failed, 'failed check')}")
    if badges:
        rows.append(f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9">{"  ".join(badges)}'
                    "</FONT></TD></TR>")
    return '<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def _step_node(i: int, k: int, step: Step, failed: int) -> str:
    fill = LEVEL_FILL.get(step.level or 0, UNASSESSED_FILL)
    style = "rounded,filled" if step.citizen_facing else "rounded,filled,dashed"
    extra = ' peripheries=2 penwidth=2.2 color="#000000"' if step.moment_of_truth else ""
    return (f's{i} [id="step_{i}_stage_{k}" fillcolor="{fill}" style="{style}"{extra} '
            f"label={_step_label(step, failed)}]")


def _edge_label(kind: str, label: str | None, via_backstage: bool) -> str:
    parts = []
    cue = EDGE_CUE[kind]
    if label:
        text = _multiline(label, LABEL_WIDTH)
        parts.append(f"{EDGE_PREFIX[kind]} {text}" if cue else text)
    elif cue:
        parts.append(cue)
    if via_backstage:
        parts.append("<I>via backstage</I>")
    return "<" + "<BR/>".join(parts) + ">" if parts else ""


def _legend() -> str:
    def swatch(fill: str, text: str, style: str = "") -> str:
        style_attr = f' STYLE="{style}"' if style else ""
        return (f'<TR><TD BGCOLOR="{fill}" BORDER="1"{style_attr} WIDTH="18"> </TD>'
                f'<TD ALIGN="LEFT">{text}</TD></TR>')

    rows = ['<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Legend</B></TD></TR>']
    rows += [swatch(LEVEL_FILL[n], level_label(n)) for n in LEVEL_NAMES]
    rows.append(swatch(UNASSESSED_FILL, UNASSESSED_CUE))
    rows.append(swatch("#ffffff", "Backstage step (dashed border, below the line of "
                       "visibility)", "dashed"))
    rows.append('<TR><TD BORDER="3">★</TD><TD ALIGN="LEFT">Moment of truth '
                "(double border)</TD></TR>")
    rows.append('<TR><TD>⚠</TD><TD ALIGN="LEFT">pain points at the step</TD></TR>')
    rows.append('<TR><TD>✗</TD><TD ALIGN="LEFT">failed or partial checks at the step</TD></TR>')
    for kind, line, meaning in (
        ("flow", "───▶", "flow: the usual path"),
        ("alternative", "‐ ‐ ‐▶", "alternative route (dashed)"),
        ("failure", "━✗━▶", "failure, with its condition (bold)"),
        ("rework", "↺ ┅┅▶", "rework: returns to repeat a step (dotted)"),
    ):
        color = EDGE_STYLE[kind]["color"]
        rows.append(f'<TR><TD><FONT COLOR="{color}">{line}</FONT></TD>'
                    f'<TD ALIGN="LEFT">{meaning}</TD></TR>')
    return ('legend [id="legend" shape=plain label=<<TABLE BORDER="1" COLOR="#888888" '
            'CELLBORDER="0" CELLSPACING="2" CELLPADDING="3" BGCOLOR="#ffffff">'
            + "".join(rows) + "</TABLE>>]")


def _graph_label(journey: Journey) -> str:
    lines = [f'<FONT POINT-SIZE="18"><B>{_multiline(journey.title, 80)}</B></FONT>']
    facts = [f"{journey.state} journey"]
    for value in (journey.service, journey.organization):
        if value:
            facts.append(html_text(one_line(value)))
    if journey.persona:
        facts.append("persona: " + html_text(one_line(journey.persona.name)))
    lines.append(" · ".join(facts))
    return '<BR ALIGN="LEFT"/>'.join(lines) + '<BR ALIGN="LEFT"/>'


def _contracted_edges(graph: JourneyGraph, visible: list[bool]):
    """Edges between visible steps; paths through hidden steps become one edge each.

    A contracted edge takes the kind and label of its last hop, the one that enters the
    visible step, and is marked as going via backstage.
    """
    out = []
    seen = set()
    for e in graph.edges:
        if not visible[e.source]:
            continue
        if visible[e.target]:
            out.append((e.source, e.target, e, False))
            continue
        stack, reached = [e.target], {e.target}
        while stack:
            hidden = stack.pop()
            for nxt in graph.out_edges[hidden]:
                if visible[nxt.target]:
                    key = (e.source, nxt.target, nxt.kind, nxt.index)
                    if key not in seen:
                        seen.add(key)
                        out.append((e.source, nxt.target, nxt, True))
                elif nxt.target not in reached:
                    reached.add(nxt.target)
                    stack.append(nxt.target)
    return out


def journey_to_dot(journey: Journey, *, direction: str = "LR", show_backstage: bool = True,
                   assessment: Assessment | None = None) -> str:
    """The journey as DOT text: stages as clusters in order, a legend, escaped labels.

    Pass the journey's ``assessment`` when it is at hand, so its graph is built once.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    assessment = assessment or Assessment(journey)
    graph = assessment.graph
    failed = assessment.failed_counts()
    steps = journey.steps
    stage_index = {s.id: k for k, s in enumerate(journey.stages)}
    visible = [show_backstage or s.citizen_facing for s in steps]
    # Steps are ranked by (stage, document position); only edges that go forward in this
    # order constrain the layout, so stages stay in journey order whatever the loops.
    order = [(stage_index[s.stage], i) for i, s in enumerate(steps)]

    out = [
        "digraph journey {",
        # newrank: one global ranking, so every forward edge points forward even between a
        # stage's steps and its backstage lane, which then runs below them.
        f'  graph [id="journey" rankdir={direction} newrank=true fontname="{FONT}" fontsize=12 '
        'labelloc=t labeljust=l nodesep=0.3 ranksep=0.45 outputorder=edgesfirst pad=0.3 '
        f"label=<{_graph_label(journey)}>]",
        f'  node [shape=box fontname="{FONT}" fontsize=11 margin="0.1,0.06" penwidth=1.2 '
        'color="#444444"]',
        f'  edge [fontname="{FONT}" fontsize=9 arrowsize=0.8]',
    ]

    members: list[list[int]] = [[] for _ in journey.stages]
    for i, s in enumerate(steps):
        if visible[i]:
            members[stage_index[s.stage]].append(i)

    edges = _contracted_edges(graph, visible)
    forward = [(src, dst) for src, dst, _, _ in edges if order[dst] > order[src]]
    has_in_stage_pred = {dst for src, dst in forward if order[src][0] == order[dst][0]}
    has_in_stage_succ = {src for src, dst in forward if order[src][0] == order[dst][0]}

    for k, stage in enumerate(journey.stages):
        out.append(f"  subgraph cluster_stage_{k} {{")
        out.append(f'    id="stage_{k}" label=<<B>{k + 1} · {_multiline(stage.name, 40)}</B>> '
                   'style="rounded,filled" fillcolor="#fafafa" color="#999999" fontsize=13 '
                   "margin=10")
        front = [i for i in members[k] if steps[i].citizen_facing]
        back = [i for i in members[k] if not steps[i].citizen_facing]
        for i in front:
            out.append("    " + _step_node(i, k, steps[i], failed[i]))
        if back:
            out.append(f"    subgraph cluster_stage_{k}_backstage {{")
            out.append(f'      id="stage_{k}_backstage" label=<<I>backstage · below the line '
                       'of visibility</I>> style="dashed,filled" fillcolor="#eeeeee" '
                       'color="#777777" fontsize=9 labeljust=l')
            for i in back:
                out.append("      " + _step_node(i, k, steps[i], failed[i]))
            out.append("    }")
        if not members[k]:
            hidden = "only backstage steps (hidden)" if any(
                s.stage == stage.id for s in steps) else "no steps"
            out.append(f'    empty_{k} [id="empty_{k}" shape=plaintext label=<<I>{hidden}</I>>]')
        out.append("  }")

    out.append("  " + _legend())
    # Invisible gates between stages keep every stage's steps after the previous stage's.
    out.append('  node [shape=point style=invis width=0 height=0 label=""]')
    firsts = [[f"s{i}" for i in m if i not in has_in_stage_pred] or [f"empty_{k}"]
              for k, m in enumerate(members)]
    lasts = [[f"s{i}" for i in m if i not in has_in_stage_succ] or [f"empty_{k}"]
             for k, m in enumerate(members)]
    for k in range(1, len(journey.stages) + 1):
        out.append(f"  gate_{k}")
        out.extend(f"  {name} -> gate_{k} [style=invis minlen=0]" for name in lasts[k - 1])
        if k < len(journey.stages):
            out.extend(f"  gate_{k} -> {name} [style=invis]" for name in firsts[k])
    out.append(f"  gate_{len(journey.stages)} -> legend [style=invis]")

    for n, (src, dst, edge, via) in enumerate(edges):
        out.append(_edge_line(n, src, dst, edge, via, graph, constrained=order[dst] > order[src]))
    out.append("}")
    return "\n".join(out) + "\n"


def _edge_line(n: int, src: int, dst: int, edge: Edge, via: bool, graph: JourneyGraph,
               *, constrained: bool) -> str:
    kind = edge.kind
    attrs_text = " ".join(f'{k}="{v}"' for k, v in EDGE_STYLE[kind].items())
    label = _edge_label(kind, graph.transition(edge).label, via)
    label_attr = f" label={label}" if label else ""
    constraint = "" if constrained else " constraint=false"
    return f'  s{src} -> s{dst} [id="edge_{n}_{kind}" {attrs_text}{constraint}{label_attr}]'
