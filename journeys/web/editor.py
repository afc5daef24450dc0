"""The step editor: each change saves at once through the store's edit services.

Every form posts, redirects and renders without JavaScript; with htmx the same route
answers with the edited section only. A refused edit re-renders the section with what
was typed and the message next to its field; a stale one shows who changed it, when,
both values, and lets the designer keep theirs or apply their own.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

import journeys.web.forms as forms
import journeys.web.pages as pages
from journeys.domain.checks import CHECKS, Assessment
from journeys.domain.document import (
    ACTORS,
    CHANNELS,
    CHECK_RESULTS,
    EVIDENCE,
    PAIN_CATEGORIES,
    PAIN_SOURCES,
    TRANSITION_KINDS,
    VISIBILITIES,
)
from journeys.domain.schemas import DocumentError
from journeys.store import services as store
from journeys.web.auth import current_actor
from journeys.web.db import get_session
from journeys.web.links import step_url

bp = Blueprint("editor", __name__)

SECTIONS = ("details", "checks", "pains", "ideas", "transitions", "place")
CHOICES = {"channels": CHANNELS, "actors": ACTORS, "visibilities": VISIBILITIES,
           "evidence": EVIDENCE, "results": CHECK_RESULTS, "categories": PAIN_CATEGORIES,
           "sources": PAIN_SOURCES, "kinds": TRANSITION_KINDS}


def _htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _state(journey_id: int):
    """The journey and its version, or the 404/403 page."""
    return store.load_journey_version(session=get_session(), actor=current_actor(),
                                      journey_id=journey_id)


def _index(journey, step_id: str) -> int:
    index = next((i for i, s in enumerate(journey.steps) if s.id == step_id), None)
    if index is None:
        abort(404)
    return index


def step_model(journey_id: int, step_id: str) -> dict:
    """Everything the step page shows."""
    journey, version = _state(journey_id)
    i = _index(journey, step_id)
    assessment = Assessment(journey)
    step = journey.steps[i]
    return {
        "journey": journey, "journey_id": journey_id, "version": version, "step": step,
        "number": i + 1, "stage": next(s for s in journey.stages if s.id == step.stage),
        "panel": pages.checks_panel(assessment, i), "failed": assessment.failed(i),
        "outgoing": [t for t in journey.transitions if t.source == step.id],
        "incoming": [t for t in journey.transitions if t.target == step.id],
        "others": [s for s in journey.steps if s.id != step.id],
        "choices": CHOICES, "errors": {}, "submitted": None, "conflict": None,
        "section": None, "message": None, "can_edit": True,
        "step_url": step_url(journey_id),
        "stage_options": [(s.id, f"{n}. {s.name}") for n, s in enumerate(journey.stages, 1)],
    }


def details_model(journey_id: int, step_id: str) -> dict:
    """What the details form alone shows: the step and the journey's stages, read without
    the rest of the journey (re-showing the form after a save costs the same at any size)."""
    found = store.load_step(session=get_session(), actor=current_actor(),
                            journey_id=journey_id, step_id=step_id)
    return {
        "journey_id": journey_id, "version": found.version, "step": found.step,
        "number": found.number, "choices": CHOICES, "errors": {}, "submitted": None,
        "conflict": None, "section": None, "message": None, "can_edit": True,
        "stage_options": [(s.id, f"{n}. {s.name}") for n, s in enumerate(found.stages, 1)],
    }


def _render(journey_id: int, step_id: str, section: str, *, status: int = 200,
            errors=None, submitted=None, conflict=None, message=None):
    """The section alone for htmx, else the whole step page; versions go in a header."""
    if _htmx() and section == "details":
        model = details_model(journey_id, step_id)
    else:
        model = step_model(journey_id, step_id)
    model.update(section=section, errors=errors or {}, submitted=submitted,
                 conflict=conflict, message=message)
    if conflict is not None:
        model["version"] = conflict["version"]
    template = f"editor/_{section}.html" if _htmx() else "editor/step.html"
    if _htmx() and section == "checks" and submitted:  # one check's form, not the panel
        rows = [r for rows in model["panel"].values() for r in rows]
        model["row"] = next(r for r in rows if r.id == submitted["check"])
        template = "editor/_check.html"
    response = render_template(template, **model), status
    headers = {"X-Journey-Version": str(model["version"] if conflict is None
                                        else conflict["version"])}
    if message and status == 200:
        headers["HX-Trigger"] = "journey-changed"
    return (*response, headers)


def _save(journey_id: int, step_id: str, section: str, edit, *, submitted=None,
          prefix_of=None, message: str, next_step: str | None = None):
    """Run one edit; answer with the section, its errors, or the conflict."""
    try:
        version = int(request.form.get("expected_version", ""))
    except ValueError:
        abort(400)
    try:
        edit(version)
    except DocumentError as exc:
        prefix = prefix_of() if prefix_of else ""
        return _render(journey_id, step_id, section, status=422, submitted=submitted,
                       errors=forms.field_errors(exc.problems, prefix))
    except store.Conflict as exc:
        conflict = {"version": exc.current_version, "by": exc.changed_by,
                    "at": exc.changed_at, "current": exc.current or {}}
        return _render(journey_id, step_id, section, status=409, submitted=submitted,
                       conflict=conflict)
    target = next_step or step_id
    if _htmx():
        # A check answers in its own row; the other sections show what is stored now.
        return _render(journey_id, target, section, message=message,
                       submitted=submitted if section == "checks" else None)
    flash(message)
    return redirect(url_for("editor.step", journey_id=journey_id, step_id=target)
                    + f"#{section}", code=303)


def _prefix(journey_id: int, step_id: str):
    def prefix() -> str:
        journey, _version = _state(journey_id)
        ids = [s.id for s in journey.steps]
        return f"steps[{ids.index(step_id)}]" if step_id in ids else ""
    return prefix


def _edit(service, journey_id: int, **kwargs):
    def run(version: int):
        return service(session=get_session(), actor=current_actor(), journey_id=journey_id,
                       expected_version=version, **kwargs)
    return run


@bp.app_template_filter("pair")
def pair(value, names) -> tuple:
    """``(value, its name)`` for a select's options."""
    return value, names.get(value, value)


@bp.app_template_filter("stage_option")
def stage_option(stage) -> tuple:
    """``(stage id, name)`` for a select of stages."""
    return stage.id, stage.name


@bp.app_template_filter("team_option")
def team_option(team_and_role) -> tuple:
    """``(team id, name)`` for a select of teams."""
    return team_and_role[0].id, team_and_role[0].name


@bp.app_template_filter("step_option")
def step_option(step, titles) -> tuple:
    """``(step id, "N. title")`` for a select of steps."""
    return step.id, titles[step.id]


@bp.get("/journeys/<int:journey_id>/steps/<step_id>")
def step(journey_id: int, step_id: str):
    """One step with its editor: details, checks, pain points, ideas, transitions."""
    return render_template("editor/step.html", **step_model(journey_id, step_id))


@bp.post("/journeys/<int:journey_id>/steps/<step_id>")
def update_step(journey_id: int, step_id: str):
    """Save the step's fields."""
    changes = forms.step_changes(request.form)
    new_id = step_id
    return _save(journey_id, step_id, "details",
                 _edit(store.update_step, journey_id, step_id=step_id, changes=changes),
                 submitted=changes, prefix_of=_prefix(journey_id, step_id),
                 message=_("Step saved."), next_step=new_id)


@bp.post("/journeys/<int:journey_id>/steps/<step_id>/checks/<check_id>")
def set_check(journey_id: int, step_id: str, check_id: str):
    """Answer one catalogue check at the step, with a note."""
    if check_id not in CHECKS:
        abort(404)
    result = request.form.get("result") or None
    note = forms.text(request.form.get("note"))
    return _save(journey_id, step_id, "checks",
                 _edit(store.set_check, journey_id, step_id=step_id, check_id=check_id,
                       result=result, note=note if result else None),
                 submitted={"check": check_id, "result": result, "note": note},
                 prefix_of=_prefix(journey_id, step_id),
                 message=_("Check %(id)s saved.", id=check_id))


@bp.post("/journeys/<int:journey_id>/steps/<step_id>/pain-points")
def add_pain_point(journey_id: int, step_id: str):
    """Add a pain point to the step."""
    pain = _pain_form()
    return _save(journey_id, step_id, "pains",
                 _edit(store.add_pain_point, journey_id, step_id=step_id, pain_point=pain),
                 submitted=pain, prefix_of=_prefix(journey_id, step_id),
                 message=_("Pain point added."))


def _pain_form() -> dict:
    return {"text": (request.form.get("text") or "").strip(),
            "category": request.form.get("category", "other"),
            "severity": forms.whole(request.form.get("severity")) or 2,
            "source": request.form.get("source", "team")}


@bp.post("/journeys/<int:journey_id>/steps/<step_id>/pain-points/<int:index>")
def update_pain_point(journey_id: int, step_id: str, index: int):
    """Change one of the step's pain points: its text, category, severity or source."""
    pain = _pain_form()
    return _save(journey_id, step_id, "pains",
                 _edit(store.update_pain_point, journey_id, step_id=step_id, index=index,
                       changes=pain),
                 submitted={**pain, "index": index}, prefix_of=_prefix(journey_id, step_id),
                 message=_("Pain point saved."))


@bp.post("/journeys/<int:journey_id>/steps/<step_id>/pain-points/<int:index>/vote")
def vote_pain_point(journey_id: int, step_id: str, index: int):
    """Add one vote to a pain point (votes change no version: no open form goes stale)."""
    store.vote_pain_point(session=get_session(), actor=_writer(journey_id), journey_id=journey_id,
                          step_id=step_id, index=index)
    message = _("Vote counted.")
    if _htmx():
        return _render(journey_id, step_id, "pains", message=message)
    flash(message)
    return redirect(url_for("editor.step", journey_id=journey_id, step_id=step_id)
                    + "#pains", code=303)


def _writer(journey_id: int) -> store.Actor:
    """The actor, once it is known they may change the journey (votes need an editor)."""
    actor = current_actor()
    store.get_journey_row(session=get_session(), actor=actor, journey_id=journey_id,
                          need="editor")
    return actor


@bp.post("/journeys/<int:journey_id>/steps/<step_id>/pain-points/<int:index>/delete")
def delete_pain_point(journey_id: int, step_id: str, index: int):
    """Delete one of the step's pain points."""
    return _save(journey_id, step_id, "pains",
                 _edit(store.delete_pain_point, journey_id, step_id=step_id, index=index),
                 message=_("Pain point deleted."))


@bp.post("/journeys/<int:journey_id>/steps/<step_id>/ideas")
def add_idea(journey_id: int, step_id: str):
    """Add an improvement idea to the step."""
    idea = (request.form.get("idea") or "").strip()
    return _save(journey_id, step_id, "ideas",
                 _edit(store.add_idea, journey_id, step_id=step_id, text=idea),
                 submitted={"idea": idea}, prefix_of=_prefix(journey_id, step_id),
                 message=_("Idea added."))


@bp.post("/journeys/<int:journey_id>/steps/<step_id>/ideas/<int:index>/delete")
def delete_idea(journey_id: int, step_id: str, index: int):
    """Delete one of the step's ideas."""
    return _save(journey_id, step_id, "ideas",
                 _edit(store.delete_idea, journey_id, step_id=step_id, index=index),
                 message=_("Idea deleted."))


@bp.post("/journeys/<int:journey_id>/steps/<step_id>/transitions")
def add_transition(journey_id: int, step_id: str):
    """Add a transition from this step to another step of the journey."""
    transition = {"from": step_id, "to": request.form.get("to", ""),
                  "kind": request.form.get("kind", "flow")}
    label = forms.text(request.form.get("label"))
    if label:
        transition["label"] = label
    return _save(journey_id, step_id, "transitions",
                 _edit(store.add_transition, journey_id, transition=transition),
                 submitted=transition, message=_("Transition added."))


@bp.post("/journeys/<int:journey_id>/steps/<step_id>/transitions/<to_step>/delete")
def delete_transition(journey_id: int, step_id: str, to_step: str):
    """Delete the transition from this step to ``to_step``."""
    return _save(journey_id, step_id, "transitions",
                 _edit(store.delete_transition, journey_id, from_step=step_id,
                       to_step=to_step),
                 message=_("Transition deleted."))


@bp.post("/journeys/<int:journey_id>/steps/<step_id>/move")
def move_step(journey_id: int, step_id: str):
    """Move the step one place earlier or later, or to another stage."""
    journey, _version = _state(journey_id)
    i = _index(journey, step_id)
    where = request.form.get("to", "")
    kwargs: dict = {}
    if where == "earlier":
        kwargs["position"] = max(i - 1, 0)
    elif where == "later":
        kwargs["position"] = min(i + 1, len(journey.steps) - 1)
    elif where == "stage":
        kwargs["stage"] = request.form.get("stage", "")
    else:
        abort(400)
    return _save(journey_id, step_id, "place",
                 _edit(store.move_step, journey_id, step_id=step_id, **kwargs),
                 message=_("Step moved."))


@bp.post("/journeys/<int:journey_id>/steps/<step_id>/delete")
def delete_step(journey_id: int, step_id: str):
    """Delete the step and the transitions touching it (Undo brings it back)."""
    try:
        version = int(request.form.get("expected_version", ""))
    except ValueError:
        abort(400)
    try:
        store.delete_step(session=get_session(), actor=current_actor(), journey_id=journey_id,
                          step_id=step_id, expected_version=version)
    except store.Conflict:
        flash(_("The journey changed while you were looking at it; nothing was deleted."))
        return redirect(url_for("editor.step", journey_id=journey_id, step_id=step_id),
                        code=303)
    flash(_("Step deleted. Undo brings it back."))
    return redirect(url_for("journeys.show", journey_id=journey_id), code=303)
