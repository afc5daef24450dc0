"""View models: what the journey pages show, built from a journey and its assessment.

Templates receive these and never query. Everything here is pure: a journey in,
plain data out (URLs are passed in as functions, so this module knows no routes).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from journeys.domain.checks import CATALOGUES, CHECKS, Assessment
from journeys.domain.document import ACTOR_NAMES, ACTORS, Journey, PainPoint, Step

StepUrl = Callable[[Step], str]


@dataclass(frozen=True)
class Card:
    """A step as a card of the map."""

    number: int
    step: Step
    url: str
    failed: int

    @property
    def pain_points(self) -> int:
        """How many pain points the step has."""
        return len(self.step.pain_points)


@dataclass(frozen=True)
class Lane:
    """One row of the map: an actor's steps, frontstage or backstage, per stage."""

    actor: str
    name: str
    backstage: bool
    cells: list[list[Card]]


@dataclass(frozen=True)
class Pain:
    """A pain point with the step it belongs to."""

    card: Card
    pain: PainPoint


@dataclass
class JourneyMap:
    """The journey-map grid: stages as columns, lanes by actor, emotion and pain rows."""

    stages: list
    front: list[Lane] = field(default_factory=list)
    back: list[Lane] = field(default_factory=list)
    emotions: list[list[Card]] = field(default_factory=list)
    pains: list[list[Pain]] = field(default_factory=list)


def cards(journey: Journey, assessment: Assessment, step_url: StepUrl) -> list[Card]:
    """Every step as a card, in document order."""
    failed = assessment.failed_counts()
    return [Card(i + 1, s, step_url(s), failed[i])
            for i, s in enumerate(journey.steps)]


def journey_map(journey: Journey, assessment: Assessment, step_url: StepUrl) -> JourneyMap:
    """The grid of the Map view."""
    all_cards = cards(journey, assessment, step_url)
    column = {s.id: k for k, s in enumerate(journey.stages)}
    grid = JourneyMap(stages=list(journey.stages))
    for backstage, lanes in ((False, grid.front), (True, grid.back)):
        for actor in ACTORS:
            cells: list[list[Card]] = [[] for _ in journey.stages]
            for card in all_cards:
                if card.step.actor == actor and card.step.citizen_facing != backstage:
                    cells[column[card.step.stage]].append(card)
            if any(cells):
                lanes.append(Lane(actor, ACTOR_NAMES[actor], backstage, cells))
    grid.emotions = [[c for c in all_cards if column[c.step.stage] == k and c.step.citizen_facing]
                     for k in range(len(journey.stages))]
    grid.pains = [sorted((Pain(c, p) for c in all_cards if column[c.step.stage] == k
                          for p in c.step.pain_points), key=lambda x: -x.pain.score)
                  for k in range(len(journey.stages))]
    return grid


@dataclass(frozen=True)
class CheckRow:
    """A catalogue check as the checks panel shows it for one step."""

    id: str
    question: str
    basis: str
    applies_to: str
    applies: bool
    result: str | None
    note: str | None


def checks_panel(assessment: Assessment, i: int) -> dict[str, list[CheckRow]]:
    """Per catalogue (by its name), every check for step ``i``, with the applicable answers."""
    step = assessment.journey.steps[i]
    panel: dict[str, list[CheckRow]] = {name: [] for name in CATALOGUES.values()}
    for check in CHECKS.values():
        applies = assessment.applies(i, check.id)
        answer = step.checks.get(check.id) if applies else None
        panel[CATALOGUES[check.catalogue]].append(CheckRow(
            check.id, check.question, check.basis, check.applies_to, applies,
            answer.result if answer else None, answer.note if answer else None))
    return panel


_STEP_HEADING = re.compile(r"(\d+)\. ")


def text_view(markdown: str, journey: Journey, step_url: StepUrl, edit_label: str) -> Markup:
    """The Markdown alternative as HTML; each step heading gets an anchor and an edit link.

    Raw HTML in the Markdown is escaped (``html`` off), so user text stays text.
    """
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(markdown)
    out: list[str] = []
    renderer = md.renderer
    k = 0
    for token in tokens:  # the page has its own h1: the text's headings go one level down
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    while k < len(tokens):
        token = tokens[k]
        if token.type == "heading_open" and token.tag == "h4" and k + 2 < len(tokens):
            inline = tokens[k + 1]
            match = _STEP_HEADING.match(inline.content)
            number = int(match.group(1)) if match else 0
            if 1 <= number <= len(journey.steps):
                step = journey.steps[number - 1]
                out.append(f'<h4 class="govuk-heading-s" id="text-{escape(step.id)}">')
                out.append(renderer.render([inline], md.options, {}))
                out.append(f' <a class="govuk-link govuk-body-s" href="{escape(step_url(step))}">'
                           f'{escape(edit_label)}<span class="govuk-visually-hidden">: '
                           f"{escape(step.title)}</span></a></h4>")
                k += 3
                continue
        out.append(renderer.render([token], md.options, {}))
        k += 1
    return Markup("".join(out))  # noqa: S704 - rendered by markdown-it with html off


_NODE = re.compile(
    r'<g id="step_(\d+)_stage_\d+" class="node" role="img" '
    r'aria-labelledby="([^"]+)" aria-describedby="([^"]+)">(.*?)</g>', re.S)


def flow_svg(svg: bytes, journey: Journey, step_url: StepUrl) -> Markup:
    """The diagram's SVG for inline use, each step node a link to its step.

    The links come from our routes and step ids (escaped); nothing of the user's text
    becomes markup here: the SVG was escaped when it was drawn.
    """
    text = svg.decode("utf-8")
    text = text[text.index("<svg"):]
    # A group, not an image: its step links must stay reachable to assistive technology.
    text = text.replace('<svg role="img"', '<svg role="group" class="app-flow__svg"', 1)

    def link(match: re.Match) -> str:
        i = int(match.group(1))
        if i >= len(journey.steps):
            return match.group(0)
        href = escape(step_url(journey.steps[i]))
        return (f'<g id="step_{i}_node" class="node"><a href="{href}" class="app-flow__link" '
                f'aria-labelledby="{match.group(2)}" aria-describedby="{match.group(3)}">'
                f"{match.group(4)}</a></g>")

    return Markup(_NODE.sub(link, text))  # noqa: S704 - Graphviz output, escaped at the source
