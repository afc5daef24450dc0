"""Journey pages: the list, the Map, Flow, Text and Proposals views, downloads, rule help."""

from datetime import date

import flask_babel
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

import journeys.web.forms as forms
import journeys.web.pages as pages
import journeys.web.workshops as workshops
from designer import propose
from designer.report import render_md
from designer.rules import RULES
from journeys.domain.checks import Assessment
from journeys.domain.document import Journey, Stage, Step
from journeys.domain.document import Journey as JourneyDoc
from journeys.domain.schemas import DocumentError, load_data, load_document
from journeys.formats import registry
from journeys.formats.options import ExportError
from journeys.store import services as store
from journeys.web.auth import current_actor
from journeys.web.db import get_session
from journeys.web.links import step_url

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


def _load(journey_id: int) -> Journey:
    """The journey; a missing one, or another team's, is the 404 page (errors.py)."""
    return store.load_journey(session=get_session(), actor=current_actor(),
                              journey_id=journey_id)


@bp.app_template_filter("level_mix")
def level_mix(levels: dict) -> list[tuple[str, int]]:
    """``{2: 1, None: 3}`` as ``[("L2", 1), ("?", 3)]``: levels in order, unassessed last."""
    mix = [(f"L{k}", n) for k, n in sorted((k, n) for k, n in levels.items() if k) if n]
    return mix + ([("?", levels[None])] if levels.get(None) else [])


@bp.get("/health")
def health():
    """A trivial answer for load balancers and monitoring (no sign-in, no database)."""
    return Response("ok\n", content_type="text/plain; charset=utf-8")


@bp.get("/")
def index():
    """The list of stored journeys."""
    return render_template("journeys/index.html",
                           journeys=store.list_journeys(session=get_session(),
                                                         actor=current_actor()))


@bp.get("/journeys/<int:journey_id>")
@bp.get("/journeys/<int:journey_id>/<any(map, flow, text, proposals):view>")
def show(journey_id: int, view: str = "map"):
    """One journey in one of its views (Map by default)."""
    return render_template(f"journeys/{view}.html", **_journey_model(journey_id, view))


def _map_page(journey_id: int, *, errors: dict, submitted: dict, status: int):
    """The Map view again, with what was typed and what was wrong with it."""
    model = _journey_model(journey_id, "map")
    model.update(errors=errors, submitted=submitted)
    return render_template("journeys/map.html", **model), status


def _journey_model(journey_id: int, view: str) -> dict:
    """What a journey page shows: the journey, its version, and the view's own parts."""
    journey, version = store.load_journey_version(session=get_session(), actor=current_actor(),
                                                  journey_id=journey_id)
    assessment = Assessment(journey)
    step_url_of = step_url(journey_id)
    model = {"journey": journey, "journey_id": journey_id, "view": view,
             "version": version, "errors": {}, "submitted": {},
             "cards": pages.cards(journey, assessment, step_url_of),
             "downloads": [(f, DOWNLOADS.get(f.name, f.description))
                           for f in registry.FORMATS.values()]}
    if view == "map":
        model["grid"] = pages.journey_map(journey, assessment, step_url_of)
        model["heat"] = workshops.workshop_heat(journey_id)
    elif view == "flow":
        try:
            svg = registry.export(journey, "svg", assessment=assessment)
            model["svg"] = workshops.flow_badges(
                pages.flow_svg(svg, journey, step_url_of), journey, journey_id)
        except ExportError as exc:
            model["diagram_error"] = str(exc)
    elif view == "text":
        markdown = registry.export(journey, "md", assessment=assessment).decode("utf-8")
        model["text"] = pages.text_view(markdown, journey, step_url_of, _("Edit"))
    else:
        model.update(_proposals(journey, assessment))
    return model


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
        if fmt == "csv":  # the steps table with the stored journey's id, as the CLI writes
            from journeys.formats.tabular import steps_csv

            data = steps_csv(journey, journey_id=journey_id).encode("utf-8")
        else:
            data = registry.export(journey, fmt, assessment=Assessment(journey))
    except ExportError:
        abort(503)
    return _download(data, registry.FORMATS[fmt].media_type, registry.export_name(journey, fmt))


def _download(data: bytes, media_type: str, name: str) -> Response:
    response = Response(data, mimetype=None, content_type=media_type)
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return response


@bp.get("/rules")
def rules():
    """The design rule reference, generated from the registry."""
    return render_template("journeys/rules.html", rules=RULES)


def _back(default: str) -> str:
    """The ``next`` path of the form if it is a path of this site, else ``default``."""
    back = request.form.get("next", "")
    return back if back.startswith("/") and not back.startswith("//") else default


def _version() -> int:
    try:
        return int(request.form.get("expected_version", ""))
    except ValueError:
        abort(400)


@bp.get("/journeys/<int:journey_id>/flow-partial")
def flow_partial(journey_id: int):
    """The flow diagram alone, for refreshing it in place after a change."""
    journey = _load(journey_id)
    try:
        svg = registry.export(journey, "svg", assessment=Assessment(journey))
    except ExportError as exc:
        return render_template("journeys/_flow.html", svg=None, diagram_error=str(exc),
                               journey_id=journey_id)
    return render_template("journeys/_flow.html", journey_id=journey_id,
                           svg=pages.flow_svg(svg, journey, step_url(journey_id)))


@bp.post("/journeys/<int:journey_id>/undo")
def undo(journey_id: int):
    """Take back the journey's last change (a new revision restoring the one before)."""
    session, actor = get_session(), current_actor()
    revisions = store.history(session=session, actor=actor, journey_id=journey_id)
    back = _back(url_for("journeys.show", journey_id=journey_id))
    if len(revisions) < 2:
        flash(_("There is nothing to undo."))
        return redirect(back, code=303)
    try:
        store.restore_revision(session=session, actor=actor, journey_id=journey_id,
                               revision=revisions[1].number, expected_version=_version())
    except store.Conflict as exc:
        flash(_("Not undone: %(name)s changed the journey meanwhile. Look again, then undo.",
                name=exc.changed_by or _("someone")))
        return redirect(back, code=303)
    except store.StoreError as exc:
        flash(_("Not undone: %(reason)s", reason=str(exc)))
        return redirect(back, code=303)
    flash(_("Undone: %(change)s", change=revisions[0].summary))
    return redirect(back, code=303)


@bp.get("/journeys/<int:journey_id>/history")
def history(journey_id: int):
    """The journey's revisions, newest first, each with a restore button."""
    session, actor = get_session(), current_actor()
    journey = _load(journey_id)
    row = store.get_journey_row(session=session, actor=actor, journey_id=journey_id)
    return render_template("journeys/history.html", journey=journey, journey_id=journey_id,
                           version=row.version,
                           revisions=store.history(session=session, actor=actor,
                                                   journey_id=journey_id))


@bp.post("/journeys/<int:journey_id>/history/<int:revision>/restore")
def restore(journey_id: int, revision: int):
    """Make an earlier revision the journey's content again."""
    try:
        store.restore_revision(session=get_session(), actor=current_actor(),
                               journey_id=journey_id, revision=revision,
                               expected_version=_version())
    except store.Conflict as exc:
        flash(_("Not restored: %(name)s changed the journey meanwhile. Look again.",
                name=exc.changed_by or _("someone")))
        return redirect(url_for("journeys.history", journey_id=journey_id), code=303)
    except store.StoreError as exc:
        flash(_("Not restored: %(reason)s", reason=str(exc)))
        return redirect(url_for("journeys.history", journey_id=journey_id), code=303)
    flash(_("Revision %(n)s restored.", n=revision))
    return redirect(url_for("journeys.show", journey_id=journey_id), code=303)


@bp.post("/journeys/<int:journey_id>/stages")
def add_stage(journey_id: int):
    """Add a stage at the end of the journey."""
    journey = _load(journey_id)
    name = (request.form.get("stage_name") or "").strip()
    stage = {"id": forms.new_id(name, {s.id for s in journey.stages}, "stage"), "name": name}
    return _journey_edit(journey_id, lambda version: store.add_stage(
        session=get_session(), actor=current_actor(), journey_id=journey_id, stage=stage,
        expected_version=version), _("Stage added."), {"stage_name": name})


@bp.post("/journeys/<int:journey_id>/steps")
def add_step(journey_id: int):
    """Add a step at the end of a stage."""
    journey = _load(journey_id)
    title = (request.form.get("step_title") or "").strip()
    stage = request.form.get("step_stage", "")
    step = {"id": forms.new_id(title, {s.id for s in journey.steps}, "step"),
            "stage": stage, "title": title}
    # At the end of its stage: after the last step of that stage in document order.
    last = max((i for i, s in enumerate(journey.steps) if s.stage == stage), default=None)
    position = None if last is None else last + 1
    return _journey_edit(journey_id, lambda version: store.add_step(
        session=get_session(), actor=current_actor(), journey_id=journey_id, step=step,
        position=position, expected_version=version), _("Step added."),
        {"step_title": title, "step_stage": stage}, new_step=step["id"])


def _journey_edit(journey_id: int, edit, message: str, submitted: dict,
                  new_step: str | None = None):
    """Run a journey-level edit from the map page; on refusal show it again with errors."""
    try:
        edit(_version())
    except DocumentError as exc:
        errors = {}
        for path, text in exc.problems:
            key = "stage_name" if path.startswith("stages") else (
                "step_stage" if path.endswith(".stage") else "step_title")
            errors.setdefault(key, text)
        return _map_page(journey_id, errors=errors, submitted=submitted, status=422)
    except store.Conflict as exc:
        return _map_page(journey_id, submitted=submitted, status=409, errors={
            "": _("%(name)s changed the journey at %(time)s while you were editing. "
                  "Your entry is kept below: send it again.",
                  name=exc.changed_by or _("Someone"),
                  time=flask_babel.format_datetime(exc.changed_at, "short")
                  if exc.changed_at else "")})
    flash(message)
    if new_step:
        return redirect(url_for("editor.step", journey_id=journey_id, step_id=new_step),
                        code=303)
    return redirect(url_for("journeys.show", journey_id=journey_id) + "#add", code=303)


# --- creating, uploading, duplicating and deleting journeys ----------------------------------


def _teams() -> list:
    """The teams where the user may create journeys (editor or owner)."""
    from journeys.store.accounts import teams_of

    return [(t, role) for t, role in teams_of(session=get_session(), actor=current_actor())
            if role in ("editor", "owner")]


def _new_page(errors=None, submitted=None, problems=None, status=200):
    return render_template(
        "journeys/new.html", teams=_teams(), errors=errors or {}, submitted=submitted or {},
        problems=problems or [],
        templates=[(name, load_document(raw).title) for name, raw in store.demo_documents()]
    ), status


@bp.get("/journeys/new")
def new():
    """Start a journey: from nothing, from a demo template, or from a file."""
    return _new_page()


def _team_id() -> int | None:
    try:
        return int(request.form.get("team", ""))
    except ValueError:
        return None


def _store_new(journey: JourneyDoc, submitted: dict, problems_field: str):
    try:
        journey_id = store.import_journey(session=get_session(), actor=current_actor(),
                                          journey=journey, team_id=_team_id())
    except DocumentError as exc:
        return _new_page(errors={problems_field: _("The journey has problems, listed below.")},
                         submitted=submitted, problems=exc.problems, status=422)
    except store.StoreError as exc:
        return _new_page(errors={"team": str(exc)}, submitted=submitted, status=422)
    flash(_("Journey created."))
    return redirect(url_for("journeys.show", journey_id=journey_id), code=303)


@bp.post("/journeys/new/blank")
def create_blank():
    """A new journey with one stage and one step to start from."""
    title = (request.form.get("title") or "").strip()
    submitted = {"title": title, "team": request.form.get("team", "")}
    if not title:
        return _new_page(errors={"title": _("Enter the journey's title")},
                         submitted=submitted, status=422)
    journey = JourneyDoc(title=title, stages=[Stage("start", _("Start"))],
                         steps=[Step(id="first-step", stage="start",
                                     title=_("First step: rename me"))])
    return _store_new(journey, submitted, "title")


@bp.post("/journeys/new/template")
def create_from_template():
    """A new journey copied from one of the demo journeys."""
    name = request.form.get("template", "")
    documents = dict(store.demo_documents())
    if name not in documents:
        return _new_page(errors={"template": _("Choose one of the templates")}, status=422)
    journey = load_document(documents[name])
    return _store_new(journey, {"template": name}, "template")


@bp.post("/journeys/new/upload")
def upload():
    """Import a journey document (JSON) or a Mermaid journey diagram."""
    from journeys.formats.mermaid import MermaidError, parse_mermaid

    file = request.files.get("file")
    submitted = {"team": request.form.get("team", "")}
    if file is None or not file.filename:
        return _new_page(errors={"file": _("Choose a file to upload")}, status=422)
    raw = file.read()
    name = file.filename.lower()
    try:
        if name.endswith((".mmd", ".mermaid")):
            journey = load_data(parse_mermaid(raw.decode("utf-8-sig")))
        elif name.endswith(".json"):
            journey = load_document(raw)
        else:
            return _new_page(errors={"file": _("Upload a .json journey document or a .mmd "
                                               "Mermaid journey diagram")},
                             submitted=submitted, status=422)
    except DocumentError as exc:
        return _new_page(errors={"file": _("The file has problems, listed below.")},
                         submitted=submitted, problems=exc.problems, status=422)
    except (MermaidError, UnicodeDecodeError) as exc:
        return _new_page(errors={"file": str(exc)}, submitted=submitted, status=422)
    return _store_new(journey, submitted, "file")


@bp.post("/journeys/<int:journey_id>/duplicate")
def duplicate(journey_id: int):
    """Copy the journey as its to-be version."""
    new_id = store.duplicate_journey(session=get_session(), actor=current_actor(),
                                     journey_id=journey_id, state="to-be")
    flash(_("Copied as a to-be journey: redesign it here."))
    return redirect(url_for("journeys.show", journey_id=new_id), code=303)


@bp.post("/journeys/<int:journey_id>/delete")
def delete(journey_id: int):
    """Delete the journey; it stays in "Recently deleted" for 30 days."""
    store.delete_journey(session=get_session(), actor=current_actor(), journey_id=journey_id)
    flash(_("Journey deleted. You can bring it back from Recently deleted."))
    return redirect(url_for("journeys.deleted"), code=303)


@bp.get("/journeys/deleted")
def deleted():
    """Journeys deleted in the last 30 days, each with a button to bring it back."""
    return render_template("journeys/deleted.html", journeys=store.list_journeys(
        session=get_session(), actor=current_actor(), deleted=True))


@bp.post("/journeys/<int:journey_id>/undelete")
def undelete(journey_id: int):
    """Bring back a deleted journey."""
    store.undelete_journey(session=get_session(), actor=current_actor(), journey_id=journey_id)
    flash(_("Journey restored."))
    return redirect(url_for("journeys.show", journey_id=journey_id), code=303)


# --- the journey's own details and its stages -----------------------------------------------


def _detail_values(journey: Journey) -> dict:
    """The details form's fields for a journey, as the form shows them (text)."""
    persona = journey.persona
    return {
        "title": journey.title, "service": journey.service or "",
        "service_type": journey.service_type or "", "organization": journey.organization or "",
        "state": journey.state,
        "reviewed_on": journey.reviewed_on.isoformat() if journey.reviewed_on else "",
        "persona_name": persona.name if persona else "",
        "persona_description": (persona.description or "") if persona else "",
        "persona_needs": "\n".join(persona.needs) if persona else "",
    }


def _conflict(exc: store.Conflict) -> dict:
    """A stale edit's conflict as the details page shows it: who, when, their values."""
    current = exc.current if isinstance(exc.current, dict) else {}
    persona = current.get("persona") or {}
    flat = {key: "" if current.get(key) is None else current[key]
            for key in ("title", "service", "service_type", "organization", "state",
                        "reviewed_on")}
    flat.update(persona_name=persona.get("name", ""),
                persona_description=persona.get("description") or "",
                persona_needs="\n".join(persona.get("needs") or []))
    return {"version": exc.current_version, "by": exc.changed_by, "at": exc.changed_at,
            "current": flat}


def _details_page(journey_id: int, *, status: int = 200, errors=None, submitted=None,
                  conflict=None, stage: str | None = None, stage_errors=None,
                  stage_submitted=None):
    """The journey's details form and its stages, with what was typed and what was wrong."""
    journey, version = store.load_journey_version(session=get_session(), actor=current_actor(),
                                                  journey_id=journey_id)
    steps_in = {s.id: 0 for s in journey.stages}
    for s in journey.steps:
        steps_in[s.stage] += 1
    return render_template(
        "journeys/details.html", journey=journey, journey_id=journey_id, version=version,
        view=None, values=submitted or _detail_values(journey), errors=errors or {},
        submitted=submitted, conflict=conflict, steps_in=steps_in, error_stage=stage,
        stage_errors=stage_errors or {}, stage_submitted=stage_submitted or {},
        field_labels=_detail_labels()), status


def _detail_labels() -> dict:
    return {"title": _("Title"), "service": _("Service"), "service_type": _("Type of service"),
            "organization": _("Organisation"), "state": _("State"),
            "reviewed_on": _("Last reviewed with citizens"), "persona_name": _("Persona's name"),
            "persona_description": _("About the persona"), "persona_needs": _("Their needs")}


def _stale(exc: store.Conflict) -> str:
    return _("%(name)s changed the journey at %(time)s while you were editing. "
             "Your entry is kept below: send it again.",
             name=exc.changed_by or _("Someone"),
             time=flask_babel.format_datetime(exc.changed_at, "short") if exc.changed_at else "")


@bp.get("/journeys/<int:journey_id>/details")
def details(journey_id: int):
    """The journey's own details (title, service, persona, state…) and its stages."""
    return _details_page(journey_id)


@bp.post("/journeys/<int:journey_id>/details")
def update_details(journey_id: int):
    """Save the journey's own fields; only what differs from the stored journey is sent."""
    version = _version()
    submitted = {key: request.form.get(key, "") for key in forms.JOURNEY_FIELDS}
    journey = _load(journey_id)
    stored = forms.journey_changes(_detail_values(journey))
    changes = {k: v for k, v in forms.journey_changes(request.form).items()
               if stored.get(k, None) != v}
    if not changes:
        flash(_("Nothing changed."))
        return redirect(url_for("journeys.details", journey_id=journey_id), code=303)
    try:
        store.update_journey(session=get_session(), actor=current_actor(),
                             journey_id=journey_id, changes=changes, expected_version=version)
    except DocumentError as exc:
        return _details_page(journey_id, status=422, submitted=submitted,
                             errors=forms.journey_errors(exc.problems))
    except store.Conflict as exc:
        return _details_page(journey_id, status=409, submitted=submitted,
                             conflict=_conflict(exc))
    flash(_("Journey details saved."))
    return redirect(url_for("journeys.details", journey_id=journey_id), code=303)


def _stage_edit(journey_id: int, stage_id: str, edit, message: str, submitted: dict,
                field_of=None, anchor: str | None = None):
    """Run an edit of one stage from the details page; refusals come back next to it."""
    try:
        edit(_version())
    except DocumentError as exc:
        errors = {}
        for path, text in exc.problems:
            key = field_of(path) if field_of else forms.field_errors([(path, text)]).popitem()[0]
            errors.setdefault(key, text)
        return _details_page(journey_id, status=422, stage=stage_id, stage_errors=errors,
                             stage_submitted=submitted)
    except store.Conflict as exc:
        return _details_page(journey_id, status=409, stage=stage_id,
                             stage_errors={"": _stale(exc)}, stage_submitted=submitted)
    flash(message)
    return redirect(url_for("journeys.details", journey_id=journey_id)
                    + f"#{anchor or 'stage-' + stage_id}", code=303)


def _stage_index(journey: Journey, stage_id: str) -> int:
    index = next((i for i, s in enumerate(journey.stages) if s.id == stage_id), None)
    if index is None:
        abort(404)
    return index


@bp.post("/journeys/<int:journey_id>/stages/<stage_id>")
def update_stage(journey_id: int, stage_id: str):
    """Rename a stage or change its description."""
    _stage_index(_load(journey_id), stage_id)
    name = (request.form.get("name") or "").strip()
    description = forms.text(request.form.get("description"))
    return _stage_edit(journey_id, stage_id, lambda version: store.update_stage(
        session=get_session(), actor=current_actor(), journey_id=journey_id,
        stage_id=stage_id, changes={"name": name, "description": description},
        expected_version=version), _("Stage saved."),
        {"name": name, "description": description or ""},
        lambda path: "name" if path.endswith(".name") else (
            "description" if path.endswith(".description") else ""))


@bp.post("/journeys/<int:journey_id>/stages/<stage_id>/move")
def move_stage(journey_id: int, stage_id: str):
    """Move a stage one place earlier or later in the journey."""
    journey = _load(journey_id)
    i = _stage_index(journey, stage_id)
    where = request.form.get("to", "")
    if where not in ("earlier", "later"):
        abort(400)
    position = max(i - 1, 0) if where == "earlier" else min(i + 1, len(journey.stages) - 1)
    return _stage_edit(journey_id, stage_id, lambda version: store.move_stage(
        session=get_session(), actor=current_actor(), journey_id=journey_id,
        stage_id=stage_id, position=position, expected_version=version),
        _("Stage moved."), {}, lambda path: "")


@bp.post("/journeys/<int:journey_id>/stages/<stage_id>/delete")
def delete_stage(journey_id: int, stage_id: str):
    """Delete a stage; its steps move to another stage or are deleted, as the user chose."""
    journey = _load(journey_id)
    _stage_index(journey, stage_id)
    has_steps = any(s.stage == stage_id for s in journey.steps)
    choice = request.form.get("steps", "")
    move_to = request.form.get("move_to", "")
    submitted = {"steps": choice, "move_to": move_to}
    kwargs: dict = {}
    if has_steps:
        others = {s.id for s in journey.stages if s.id != stage_id}
        if choice not in ("move", "delete"):
            return _details_page(journey_id, status=422, stage=stage_id, stage_submitted=submitted,
                                 stage_errors={"steps": _("Choose what happens to the stage's "
                                                          "steps")})
        if choice == "move" and move_to not in others:
            return _details_page(journey_id, status=422, stage=stage_id, stage_submitted=submitted,
                                 stage_errors={"move_to": _("Choose the stage the steps move "
                                                            "to")})
        kwargs = {"move_to": move_to} if choice == "move" else {"steps": "delete"}
    return _stage_edit(journey_id, stage_id, lambda version: store.delete_stage(
        session=get_session(), actor=current_actor(), journey_id=journey_id,
        stage_id=stage_id, expected_version=version, **kwargs),
        _("Stage deleted. Undo brings it back."), submitted,
        lambda path: "move_to" if path == "move_to" else ("steps" if path == "steps" else ""),
        anchor="stages")
