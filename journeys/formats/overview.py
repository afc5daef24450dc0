"""The overview of a journey, and the rule that chooses it over the full diagram.

A journey too large or too tangled for ``dot`` to lay out readably within its time
limit is drawn as an **overview**: one box per stage with its step count, level mix,
effort and waits, moments of truth, pain points and failed checks, and the transitions
between stages aggregated into one arrow per pair of stages, with counts by kind. Each
stage can then be drawn on its own (``journey_to_dot(..., stage=ID)``).

The choice is made before ``dot`` runs, from the plan of the full diagram
(:func:`journeys.formats.diagram.plan`): its estimated layout cost — nodes, edges and
the virtual nodes that ``dot`` adds for every rank an edge spans — against
:data:`FULL_COST_LIMIT`. Measured on generated journeys, ``dot`` needs about a
millisecond per unit of cost on a busy 2-core machine, so the limit keeps the full
diagram within a few seconds, well inside the default 10 s time limit.
"""

from journeys.domain.checks import Assessment
from journeys.domain.document import LEVEL_NAMES, Journey
from journeys.domain.text import plural
from journeys.formats.diagram import (
    EDGE_STYLE,
    LEVEL_FILL,
    UNASSESSED_FILL,
    Plan,
    _minutes,
    check_cue,
    graph_header,
    graph_label,
    html_text,
    legend_node,
    level_meaning,
    plan,
    text_lines,
)
from journeys.formats.options import VIEWS

FULL_COST_LIMIT = 3000
"""The largest estimated layout cost drawn as a full diagram (see the module's text)."""
OVERVIEW_COST_LIMIT = 1200
"""The overview's own budget: arrows between distant stages beyond it (or beyond one per
stage) are counted in their stage's box instead of drawn."""

# The most serious kind present styles an aggregated arrow.
_SERIOUSNESS = ("failure", "rework", "alternative", "flow")


def choose_view(view: str, drawing: Plan) -> str:
    """``full`` or ``overview``: as asked, or for ``auto`` the full diagram while its
    estimated layout cost is at most :data:`FULL_COST_LIMIT`."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
    if view != "auto":
        return view
    return "full" if drawing.cost <= FULL_COST_LIMIT else "overview"


def find_stage(journey: Journey, ref: str) -> str:
    """The id of the stage ``ref`` names: its id, or its number in journey order (1 = the
    first). Raises ValueError naming the stages when there is none."""
    ids = [s.id for s in journey.stages]
    if ref in ids:
        return ref
    if ref.isascii() and ref.isdigit() and 1 <= int(ref) <= len(ids):
        return ids[int(ref) - 1]
    shown = ", ".join(ids[:12]) + (", …" if len(ids) > 12 else "")
    raise ValueError(f"no stage {ref!r} in this journey: give a stage id or its number "
                     f"1–{len(ids)} (stages: {shown})")


def _cell(text: str, fill: str | None = None) -> str:
    bg = f' BGCOLOR="{fill}" BORDER="1"' if fill else ""
    return f'<TD ALIGN="LEFT"{bg}><FONT POINT-SIZE="9">{text}</FONT></TD>'


def _stage_label(journey: Journey, assessment: Assessment, k: int, members: list[int],
                 dropped: int) -> str:
    stage = journey.stages[k]
    steps = [journey.steps[i] for i in members]
    name = "<BR/>".join(text_lines(stage.name, 30))
    rows = [f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" COLSPAN="5"><B>{k + 1} · {name}</B></TD></TR>']
    back = sum(1 for s in steps if not s.citizen_facing)
    count = plural(len(steps), "step") + (f" ({back} backstage)" if back else "")
    rows.append(f'<TR>{_cell(count)}</TR>')
    levels = {}
    for s in steps:
        levels[s.level or 0] = levels.get(s.level or 0, 0) + 1
    if steps:
        mix = [_cell(f"{levels[n]} at {level_meaning(n)}", LEVEL_FILL[n])
               for n in LEVEL_NAMES if levels.get(n)]
        if levels.get(0):
            mix.append(_cell(f"{levels[0]} not assessed", UNASSESSED_FILL))
        rows += [f"<TR>{cell}</TR>" for cell in mix]
    effort = sum(s.effort_minutes or 0 for s in steps)
    wait = sum(s.wait_days or 0 for s in steps)
    timing = []
    if effort:
        timing.append(f"effort {_minutes(effort)}")
    if wait:
        timing.append(f"waits {wait:g} {'day' if wait == 1 else 'days'}")
    if timing:
        rows.append(f"<TR>{_cell('<B>' + ' · '.join(timing) + ' in all</B>')}</TR>")
    truths = sum(1 for s in steps if s.moment_of_truth)
    if truths:
        rows.append(f"<TR>{_cell('★ ' + plural(truths, 'moment of truth'))}</TR>")
    pains = [p for s in steps for p in s.pain_points]
    if pains:
        worst = max(pains, key=lambda p: (p.severity, p.score))
        text = worst.text if len(worst.text) <= 60 else worst.text[:59] + "…"
        quoted = "<BR/>".join(text_lines(f"“{text}”", 34))
        rows.append(f"<TR>{_cell('⚠ ' + plural(len(pains), 'pain point') + ', the worst:')}"
                    "</TR>")
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="9"><I>{quoted}'
                    "</I></FONT></TD></TR>")
    results = [journey.steps[i].checks[c].result for i in members for c in assessment.failed(i)]
    checks = check_cue(results)
    if checks:
        rows.append(f"<TR>{_cell(checks)}</TR>")
    assumed = sum(1 for s in steps if s.evidence == "assumed")
    if assumed:
        rest = "rests" if assumed == 1 else "rest"
        text = f"? {plural(assumed, 'step')} {rest} on assumptions"
        rows.append(f"<TR>{_cell(text)}</TR>")
    if dropped:
        note = f"<I>+ {plural(dropped, 'transition')} to distant stages, not drawn</I>"
        rows.append(f"<TR>{_cell(note)}</TR>")
    return ('<<TABLE BORDER="0" CELLSPACING="1" CELLPADDING="2">' + "".join(rows)
            + "</TABLE>>")


def _overview_legend() -> str:
    rows = ['<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Legend</B></TD></TR>']
    rows += [f'<TR><TD BGCOLOR="{LEVEL_FILL[n]}" BORDER="1" WIDTH="18"> </TD>'
             f'<TD ALIGN="LEFT">{level_meaning(n)}</TD></TR>' for n in LEVEL_NAMES]
    rows.append('<TR><TD COLSPAN="2" ALIGN="LEFT">One box per stage; an arrow joins two '
                "stages with the<BR ALIGN=\"LEFT\"/>number of transitions between them, "
                "by kind; dotted<BR ALIGN=\"LEFT\"/>arrows go back to an earlier stage."
                '<BR ALIGN="LEFT"/></TD></TR>')
    return legend_node(rows)


def overview_to_dot(journey: Journey, *, direction: str = "auto",
                    assessment: Assessment | None = None, drawing: Plan | None = None) -> str:
    """The overview of the journey as DOT text: one box per stage, aggregated transitions."""
    assessment = assessment or Assessment(journey)
    drawing = drawing or plan(journey, assessment=assessment)
    stages = journey.stages
    count = len(stages)
    if direction == "auto":
        direction = "TB" if count > 8 else "LR"
    stage_index = {s.id: k for k, s in enumerate(stages)}
    step_stage = [stage_index[s.stage] for s in journey.steps]
    members: list[list[int]] = [[] for _ in stages]
    for i, k in enumerate(step_stage):
        members[k].append(i)

    pairs: dict[tuple[int, int], dict[str, int]] = {}
    for e in assessment.graph.edges:
        a, b = step_stage[e.source], step_stage[e.target]
        if a != b:
            kinds = pairs.setdefault((a, b), {})
            kinds[e.kind] = kinds.get(e.kind, 0) + 1
    # Adjacent stages always; then the busiest other pairs while the budget lasts.
    # Each arrow costs its span in ranks and a label node; at most one arrow per stage
    # besides those to the next stage, so crossings stay few.
    budget = OVERVIEW_COST_LIMIT - count
    others = count
    kept, dropped = [], [0] * count
    for (a, b), kinds in sorted(pairs.items(),
                                key=lambda item: (abs(item[0][1] - item[0][0]) != 1,
                                                  -sum(item[1].values()), item[0])):
        cost = abs(b - a) + 2
        if b == a + 1 or (cost <= budget and others > 0):
            budget -= cost
            others -= b != a + 1
            kept.append((a, b, kinds))
        else:
            dropped[a] += sum(kinds.values())
    kept.sort()

    steps = len(journey.steps)
    transitions = len(assessment.graph.edges)
    note = (f"Overview: one box per stage. The full diagram of {plural(steps, 'step')} and "
            f"{plural(transitions, 'transition')} is too large to lay out readably, so "
            "each stage is drawn on its own.")
    out = graph_header(direction, graph_label(journey, note), graph_id="overview", ranksep=0.6)
    out.append("  " + _overview_legend())
    out.append('  node [shape=box style="rounded,filled" fillcolor="#fafafa" color="#999999"]')
    for k in range(count):
        out.append(f'  o{k} [id="overview_stage_{k}" '
                   f"label={_stage_label(journey, assessment, k, members[k], dropped[k])}]")
    if count:
        out.append("  legend -> o0 [style=invis]")
    for k in range(1, count):
        if not any(a == k - 1 and b == k for a, b, _ in kept):
            out.append(f"  o{k - 1} -> o{k} [style=invis]")
    for n, (a, b, kinds) in enumerate(kept):
        kind = next(kd for kd in _SERIOUSNESS if kd in kinds)
        style = dict(EDGE_STYLE[kind])
        if b < a:
            style.update({"style": "bold,dotted"})
        attrs = " ".join(f'{key}="{value}"' for key, value in style.items())
        text = ", ".join(f"{kinds[kd]} {kd}" for kd in reversed(_SERIOUSNESS) if kd in kinds)
        constraint = "" if b > a else " constraint=false"
        out.append(f'  o{a} -> o{b} [id="overview_edge_{n}_{kind}" {attrs}{constraint} '
                   f"label=<{html_text(text)}>]")
    out.append("}")
    return "\n".join(out) + "\n"
