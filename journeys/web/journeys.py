"""Journey pages: the list, the Map, Flow, Text and Proposals views, downloads, rule help."""

from datetime import date

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from designer import propose
from designer.report import render_md
from designer.rules import RULES
from journeys.domain.checks import Assessment
from journeys.domain.document import Journey
from journeys.formats import registry
from journeys.formats.options import ExportError
from journeys.store import services as store
from journeys.web import pages
from journeys.web.db import get_session

bp = Blueprint("journeys", __name__)

# What each download holds, in the interface's language (the registry's order).
DOWNLOADS = {
    "json": _l("the journey document, to import elsewhere"),
    "svg": _l("the diagram as SVG"),
    "png": _l("the diagram as PNG"),
    "pdf": _l("the diagram as PDF"),
    "dot": _l("the Graphviz source of the diagram"),
    "mermaid": _l("a Mermaid journey diagram"),
    "md": _l("the whole journey as Markdown text"),
    "csv": _l("the steps and pain points as a spreadsheet"),
}


def _actor() -> store.Actor:
    """Who acts for this request."""
    # Until sign-in lands the pages act for the machine's owner, as the command line does.
    return store.SYSTEM


def _load(journey_id: int) -> Journey:
    """The journey, or the 404 page (missing and other teams' journeys alike)."""
    try:
        return store.load_journey(session=get_session(), actor=_actor(), journey_id=journey_id)
    except store.NotFound:
        abort(404)


def _step_url(journey_id: int):
    return lambda step: url_for("journeys.step", journey_id=journey_id, step_id=step.id)


@bp.get("/")
def index():
    """The list of stored journeys."""
    return render_template("journeys/index.html",
                           journeys=store.list_journeys(session=get_session(), actor=_actor()))


@bp.get("/journeys/<int:journey_id>")
@bp.get("/journeys/<int:journey_id>/<any(map, flow, text, proposals):view>")
def show(journey_id: int, view: str = "map"):
    """One journey in one of its views (Map by default)."""
    journey = _load(journey_id)
    assessment = Assessment(journey)
    step_url = _step_url(journey_id)
    model = {"journey": journey, "journey_id": journey_id, "view": view,
             "cards": pages.cards(journey, assessment, step_url),
             "downloads": [(f, DOWNLOADS.get(f.name, f.description))
                           for f in registry.FORMATS.values()]}
    if view == "map":
        model["grid"] = pages.journey_map(journey, assessment, step_url)
    elif view == "flow":
        try:
            svg = registry.export(journey, "svg", assessment=assessment)
            model["svg"] = pages.flow_svg(svg, journey, step_url)
        except ExportError as exc:
            model["diagram_error"] = str(exc)
    elif view == "text":
        markdown = registry.export(journey, "md", assessment=assessment).decode("utf-8")
        model["text"] = pages.text_view(markdown, journey, step_url, _("Edit"))
    else:
        model.update(_proposals(journey, assessment))
    return render_template(f"journeys/{view}.html", **model)


def _proposals(journey: Journey, assessment: Assessment) -> dict:
    proposals = propose(journey, today=date.today(), assessment=assessment)
    stage = request.args.get("stage", "")
    rule = request.args.get("rule", "")
    shown = [p for p in proposals
             if (not stage or (p.step is not None and journey.steps[p.step].stage == stage))
             and (not rule or p.rule == rule)]
    return {"proposals": shown, "total": len(proposals), "stage": stage, "rule": rule,
            "rules": [(r.id, r.name) for r in RULES if any(p.rule == r.id for p in proposals)]}


@bp.get("/journeys/<int:journey_id>/brief.md")
def brief(journey_id: int):
    """The design brief (Markdown) as a download."""
    journey = _load(journey_id)
    today = date.today()
    text = render_md(journey, propose(journey, today=today), today)
    name = registry.export_name(journey, "md").removesuffix(".md") + "-brief.md"
    return _download(text.encode("utf-8"), "text/markdown; charset=utf-8", name)


@bp.get("/journeys/<int:journey_id>/download/<fmt>")
def download(journey_id: int, fmt: str):
    """The journey in one of the registry's formats: the bytes the command line writes."""
    if fmt not in registry.FORMATS:
        abort(404)
    journey = _load(journey_id)
    try:
        data = registry.export(journey, fmt, assessment=Assessment(journey))
    except ExportError:
        abort(503)
    return _download(data, registry.FORMATS[fmt].media_type, registry.export_name(journey, fmt))


def _download(data: bytes, media_type: str, name: str) -> Response:
    response = Response(data, mimetype=None, content_type=media_type)
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return response


@bp.get("/journeys/<int:journey_id>/steps/<step_id>")
def step(journey_id: int, step_id: str):
    """One step: its details, its checks panel, pain points and ideas."""
    journey = _load(journey_id)
    index = next((i for i, s in enumerate(journey.steps) if s.id == step_id), None)
    if index is None:
        abort(404)
    assessment = Assessment(journey)
    return render_template(
        "journeys/step.html", journey=journey, journey_id=journey_id,
        step=journey.steps[index], number=index + 1,
        stage=next(s for s in journey.stages if s.id == journey.steps[index].stage),
        panel=pages.checks_panel(assessment, index), failed=assessment.failed(index))


@bp.get("/rules")
def rules():
    """The design rule reference, generated from the registry."""
    return render_template("journeys/rules.html", rules=RULES)
