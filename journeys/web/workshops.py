"""The facilitator's side of co-creation workshops: start, live board, projector,
moderation, closing and the report.

The board and the projector poll with the revision they have seen; an unchanged workshop
answers 204 with no body (one query), so a room of facilitators' screens costs little and
works across server processes. Every form posts and redirects without JavaScript; htmx
only keeps the board current. Participants' pages are another blueprint; they are reached
at :data:`JOIN_PATH`.
"""

import io
import re
from datetime import UTC, datetime, timedelta

import flask_babel
import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

import journeys.web.i18n as i18n
import journeys.web.pages as pages
from journeys.domain.checks import Assessment
from journeys.domain.schemas import DocumentError
from journeys.formats import registry
from journeys.formats import workshop_report as report_format
from journeys.formats.options import ExportError
from journeys.store import services as store
from journeys.store import workshops as ws
from journeys.store.actors import can
from journeys.store.errors import Forbidden, NotFound
from journeys.web.auth import current_actor
from journeys.web.db import get_session
from journeys.web.labels import CATEGORIES
from journeys.web.links import spaced, step_url

bp = Blueprint("workshops", __name__)

JOIN_PATH = "/w/{code}"
"""Where participants join (the participants' blueprint serves it)."""
POLL_SECONDS = 2
QUIET_POLL_SECONDS = 6
"""A board that has seen nothing new for ``QUIET_POLLS`` polls slows to this interval, until
its next change (the room is quiet: fewer requests for the same news)."""
QUIET_POLLS = 15
MAX_MINUTES = 24 * 60
"""A workshop's closing time is at most a day ahead (its pages' CSRF tokens last as long)."""


def join_url(code: str) -> str:
    """The address shown to the room, on this site's host."""
    return request.host_url.rstrip("/") + JOIN_PATH.format(code=code)


def _can_edit(journey_row) -> bool:
    return can(current_actor(), journey_row.team_id, "editor")


# --- the journey's workshops and starting one -------------------------------------------------


def _index_page(journey_id: int, *, errors=None, submitted=None, status: int = 200):
    session, actor = get_session(), current_actor()
    row = store.get_journey_row(session=session, actor=actor, journey_id=journey_id)
    journey = store.load_journey(session=session, actor=actor, journey_id=journey_id)
    found = ws.list_workshops(session=session, actor=actor, journey_id=journey_id)
    listed = [(w, ws.board(session=session, actor=actor, workshop_id=w.id)) for w in found]
    submitted = submitted or {"title": "", "stages": [s.id for s in journey.stages],
                              "moderation": "after", "language": "en", "minutes": ""}
    return render_template("workshops/index.html", journey=journey, journey_id=journey_id,
                           workshops=listed, can_edit=_can_edit(row), errors=errors or {},
                           submitted=submitted, languages=dict(ws_languages()),
                           view="workshops"), status


def ws_languages() -> list[tuple[str, str]]:
    """The languages a workshop's pages can speak, each named in itself."""
    from journeys.web.i18n import LANGUAGES

    return [(code, LANGUAGES.get(code, code)) for code in ws.LANGUAGES]


_START_FIELDS = {"title": "title", "open_stages": "stages", "moderation": "moderation",
                 "language": "language", "closes_at": "minutes"}


@bp.get("/journeys/<int:journey_id>/workshops")
def index(journey_id: int):
    """The journey's workshops, newest first, and the form to start one."""
    return _index_page(journey_id)


@bp.post("/journeys/<int:journey_id>/workshops")
def start(journey_id: int):
    """Start a workshop; on success its live board."""
    session, actor = get_session(), current_actor()
    # The role first: a viewer is told they cannot, not what was wrong with the form.
    store.get_journey_row(session=session, actor=actor, journey_id=journey_id, need="editor")
    form = request.form
    submitted = {"title": (form.get("title") or "").strip(),
                 "stages": form.getlist("stages"),
                 "moderation": form.get("moderation", ""),
                 "language": form.get("language", ""),
                 "minutes": (form.get("minutes") or "").strip()}
    errors = {}
    closes_at = None
    # What the form alone can tell is told all at once, with the store's own checks after.
    if not submitted["title"]:
        errors["title"] = _("Title: enter a title that participants will see")
    if submitted["minutes"]:
        if not re.fullmatch(r"\d{1,5}", submitted["minutes"]) \
                or not 1 <= int(submitted["minutes"]) <= MAX_MINUTES:
            errors["minutes"] = _("Closes after: enter a whole number of minutes from 1 to "
                                  "%(max)s, or leave it empty", max=MAX_MINUTES)
        else:
            closes_at = datetime.now(UTC) + timedelta(minutes=int(submitted["minutes"]))
    if not submitted["stages"]:
        errors["stages"] = _("Stages open for comment: choose at least one stage")
    if not errors:
        try:
            w = ws.start_workshop(session=session, actor=actor, journey_id=journey_id,
                                  title=submitted["title"], open_stages=submitted["stages"],
                                  closes_at=closes_at, moderation=submitted["moderation"],
                                  language=submitted["language"])
        except DocumentError as exc:
            for path, message in exc.problems:
                key = _START_FIELDS.get(re.split(r"[.\[]", path, maxsplit=1)[0], "title")
                errors.setdefault(key, f"{_field_label(key)}: {message}")
        else:
            flash(_("Workshop started. Participants join with the code %(code)s.",
                    code=spaced(w.code)))
            return redirect(url_for("workshops.board", workshop_id=w.id), code=303)
    # The summary lists the problems in the order of the form's fields.
    order = ("title", "stages", "moderation", "language", "minutes")
    errors = dict(sorted(errors.items(), key=lambda kv: order.index(kv[0])
                         if kv[0] in order else len(order)))
    return _index_page(journey_id, errors=errors, submitted=submitted, status=422)


def _field_label(key: str) -> str:
    return {"title": _("Title"), "stages": _("Stages open for comment"),
            "moderation": _("Moderation"), "language": _("Language of the workshop"),
            "minutes": _("Closes after")}.get(key, key)


# --- the live board -----------------------------------------------------------------------------


def _since() -> int | None:
    value = request.args.get("since", "")
    return int(value) if re.fullmatch(r"\d{1,18}", value) else None


def _workshop_state(workshop_id: int, since: int | None = None):
    """(workshop, journey, journey row, board) or None when nothing changed since."""
    session, actor = get_session(), current_actor()
    summary = ws.board(session=session, actor=actor, workshop_id=workshop_id,
                       since_revision=since)
    if summary is None:
        return None
    w = ws.get_workshop(session=session, actor=actor, workshop_id=workshop_id)
    row = store.get_journey_row(session=session, actor=actor, journey_id=w.journey_id)
    journey = store.load_journey(session=session, actor=actor, journey_id=w.journey_id)
    return w, journey, row, summary


def _steps(w, journey, summary, items=()) -> list[dict]:
    """The steps open for comment in journey order, grouped under their stages, each with
    its counts and its items (shown, pending, hidden and merged apart)."""
    numbers = {s.id: i + 1 for i, s in enumerate(journey.steps)}
    by_step: dict[str, list] = {}
    for item in items:
        by_step.setdefault(item.step, []).append(item)
    stages = []
    for stage in journey.stages:
        if stage.id not in (w.open_stages or []):
            continue
        rows = []
        for s in journey.steps:
            if s.stage != stage.id or not s.citizen_facing:
                continue
            mine = by_step.get(s.id, [])
            live = [i for i in mine if i.hidden_reason is None and i.merged_into is None]
            rows.append({
                "step": s, "number": numbers[s.id],
                "counts": summary.steps.get(s.id, ws.StepBoard()),
                "pains": sorted((i for i in live if i.kind == "pain"),
                                key=lambda i: (i.approved, -i.votes, i.id)),
                "ideas": sorted((i for i in live if i.kind == "idea"),
                                key=lambda i: (i.approved, i.id)),
                "set_apart": [i for i in mine
                              if i.hidden_reason is not None or i.merged_into is not None],
            })
        stages.append({"stage": stage, "steps": rows})
    return stages


def _heat_levels(stages: list[dict], *, pending: bool = True) -> None:
    """Give each step a heat level 0…4 against the busiest step (what the strip shades);
    without ``pending``, only what the room can see counts."""
    def total(c):
        return c.pain_points + c.ideas + c.votes + c.feeling_count + (c.pending if pending
                                                                       else 0)
    most = max((total(r["counts"]) for st in stages for r in st["steps"]), default=0)
    for st in stages:
        for r in st["steps"]:
            n = total(r["counts"])
            r["total"] = n
            r["heat"] = 0 if not n else max(1, round(4 * n / most))


def board_model(workshop_id: int, since: int | None = None) -> dict | None:
    """Everything the board shows, or None when nothing changed since ``since``."""
    state = _workshop_state(workshop_id, since)
    if state is None:
        return None
    w, journey, row, summary = state
    items = ws.contributions(session=get_session(), actor=current_actor(),
                             workshop_id=workshop_id)
    stages = _steps(w, journey, summary, items)
    _heat_levels(stages)
    return {"workshop": w, "journey": journey, "journey_id": w.journey_id,
            "version": row.version, "board": summary, "stages": stages,
            "can_edit": _can_edit(row) and not summary.closed,
            "can_close": _can_edit(row) and w.closed_at is None,
            "closed": summary.closed, "join_url": join_url(w.code), "code": spaced(w.code),
            "poll": POLL_SECONDS, **_quiet(), "errors": {},
            "pending": sum(c.pending for c in summary.steps.values()),
            "votes_label": _memo(lambda n: ngettext("%(num)d vote", "%(num)d votes", n)),
            "category_label": _memo(lambda c: str(CATEGORIES.get(c, c)))}


def _memo(fn):
    """``fn`` translated once per value for the whole board: a big room's board renders
    thousands of items, each with the same few words."""
    seen: dict = {}

    def label(value) -> str:
        if value not in seen:
            seen[value] = fn(value)
        return seen[value]
    return label


@bp.get("/workshops/<int:workshop_id>")
def board(workshop_id: int):
    """The live board: contributions arriving per step, with moderation."""
    model = board_model(workshop_id)
    model.update(_flow(model["journey"], model["journey_id"], model["board"]))
    return render_template("workshops/board.html", **model)


@bp.get("/workshops/<int:workshop_id>/board")
def board_partial(workshop_id: int):
    """The board's live part; 204 and no body when nothing changed since ``since``."""
    model = board_model(workshop_id, _since())
    if model is None:
        return Response(status=204)
    response = Response(render_template("workshops/_board.html", **model))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/workshops/<int:workshop_id>/flow")
def flow_partial(workshop_id: int):
    """The flow diagram with a badge of contributions on each step; 204 when unchanged."""
    state = _workshop_state(workshop_id, _since())
    if state is None:
        return Response(status=204)
    w, journey, _row, summary = state
    return render_template("workshops/_flow.html", workshop=w, board=summary,
                           **_flow(journey, w.journey_id, summary))


def _flow(journey, journey_id: int, summary) -> dict:
    try:
        svg = registry.export(journey, "svg", assessment=Assessment(journey))
    except ExportError as exc:
        return {"svg": None, "diagram_error": str(exc), "journey_id": journey_id}
    inline = pages.flow_svg(svg, journey, step_url(journey_id))
    return {"svg": _badged(inline, journey, summary), "diagram_error": None,
            "journey_id": journey_id}


def _badged(inline: Markup, journey, summary) -> Markup:
    """The inline diagram with each step's count of contributions so far as a badge."""
    counts = {}
    for i, s in enumerate(journey.steps):
        c = summary.steps.get(s.id)
        if c is not None and c.pain_points + c.ideas + c.pending:
            counts[i] = c.pain_points + c.ideas + c.pending
    return badges(inline, counts, lambda n: ngettext(
        "%(num)d contribution", "%(num)d contributions", n))


def flow_badges(inline: Markup, journey, journey_id: int) -> Markup:
    """The journey's own flow diagram with badges while one of its workshops is open."""
    heat = workshop_heat(journey_id)
    return _badged(inline, journey, heat["board"]) if heat else inline


_NODE_GROUP = re.compile(r'(<g id="step_(\d+)_node" class="node">)(.*?)(</a></g>)', re.S)
_POINTS = re.compile(r'<(?:polygon|path)[^>]*? (?:points|d)="([^"]+)"')
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def badges(svg: Markup, counts: dict[int, int], label) -> Markup:
    """The inline flow diagram with a numbered badge at the top right of each step node
    that received contributions, ``label(n)`` its tooltip. Only numbers and our own words
    are added: no user text becomes markup."""
    def add(match: re.Match) -> str:
        i = int(match.group(2))
        n = counts.get(i)
        shape = _POINTS.search(match.group(3))
        if not n or shape is None:
            return match.group(0)
        numbers = [float(v) for v in _NUMBER.findall(shape.group(1))]
        xs, ys = numbers[0::2], numbers[1::2]
        if not xs or not ys:
            return match.group(0)
        x, y = max(xs), min(ys)
        badge = (f'<g class="app-flow__badge" aria-hidden="true"><circle cx="{x:.1f}" '
                 f'cy="{y:.1f}" r="11"/><text x="{x:.1f}" y="{y + 4:.1f}" '
                 f'text-anchor="middle">{int(n)}</text></g>'
                 f'<title>{escape(label(int(n)))}</title>')
        return match.group(1) + match.group(3) + badge + match.group(4)

    return Markup(_NODE_GROUP.sub(add, str(svg)))  # noqa: S704 - numbers and our own label


# --- the projector ----------------------------------------------------------------------------


def _speak(w) -> None:
    """The projector speaks the workshop's language, whatever the facilitator's."""
    g.workshop_language = w.language
    i18n.refresh()


def projector_model(workshop_id: int, since: int | None = None) -> dict | None:
    """What the projector shows, or None when nothing changed since ``since``."""
    state = _workshop_state(workshop_id, since)
    if state is None:
        return None
    w, journey, _row, summary = state
    _speak(w)
    stages = _steps(w, journey, summary)
    _heat_levels(stages, pending=False)
    return {"workshop": w, "journey": journey, "board": summary, "stages": stages,
            "closed": summary.closed, "join_url": join_url(w.code), "code": spaced(w.code),
            "poll": POLL_SECONDS, **_quiet()}


def _quiet() -> dict:
    """When and how much a poll slows down in a quiet room (the server's choice)."""
    return {"quiet_poll": QUIET_POLL_SECONDS,
            "quiet_polls": current_app.config.get("WORKSHOP_QUIET_POLLS", QUIET_POLLS)}


@bp.get("/workshops/<int:workshop_id>/projector")
def projector(workshop_id: int):
    """The room's screen: the join code and QR code, participants, contributions per step."""
    return render_template("workshops/projector.html", **projector_model(workshop_id))


@bp.get("/workshops/<int:workshop_id>/projector/live")
def projector_partial(workshop_id: int):
    """The projector's live part; 204 when nothing changed since ``since``."""
    model = projector_model(workshop_id, _since())
    if model is None:
        return Response(status=204)
    response = Response(render_template("workshops/_projector.html", **model))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/workshops/<int:workshop_id>/qr.svg")
def qr(workshop_id: int):
    """The join address as a QR code (SVG, a full-size code: phones read it best)."""
    w = ws.get_workshop(session=get_session(), actor=current_actor(), workshop_id=workshop_id)
    code = segno.make_qr(join_url(w.code), error="m")
    out = io.BytesIO()
    code.save(out, kind="svg", scale=10, border=4, xmldecl=False, svgns=True,
              title=f"QR code: {join_url(w.code)}")
    response = Response(out.getvalue(), content_type="image/svg+xml; charset=utf-8")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


# --- moderation ----------------------------------------------------------------------------
# Each moderation has its own small page (one thing per page): the board stays light enough
# to poll every two seconds with a room's worth of contributions, and a form being filled
# in is never replaced under the facilitator's fingers.


def _require_editor(workshop_id: int) -> None:
    """403 for a viewer before anything they sent is read (404 for another team)."""
    session, actor = get_session(), current_actor()
    w = ws.get_workshop(session=session, actor=actor, workshop_id=workshop_id)
    store.get_journey_row(session=session, actor=actor, journey_id=w.journey_id, need="editor")


def _item_of(workshop_id: int, item_id: int):
    """The item, only if it belongs to this workshop (an id of another is a 404)."""
    for item in ws.contributions(session=get_session(), actor=current_actor(),
                                 workshop_id=workshop_id, after_id=item_id - 1):
        if item.id == item_id:
            return item
        break
    abort(404)


def _step_of(journey, step_id: str):
    for i, s in enumerate(journey.steps):
        if s.id == step_id:
            return s, i + 1
    abort(404)


def _item_page(workshop_id: int, item_id: int, *, errors=None, submitted=None,
               status: int = 200):
    w, journey, row, summary = _workshop_state(workshop_id)
    item = _item_of(workshop_id, item_id)
    step, number = _step_of(journey, item.step)
    return render_template("workshops/item.html", workshop=w, item=item, step=step,
                           number=number, can_edit=_can_edit(row) and not summary.closed,
                           errors=errors or {}, submitted=submitted or {}), status


@bp.get("/workshops/<int:workshop_id>/items/<int:item_id>")
def item(workshop_id: int, item_id: int):
    """One contribution with the forms to reword or hide it."""
    _require_editor(workshop_id)
    return _item_page(workshop_id, item_id)


def _moderate(workshop_id: int, item_id: int, run, done: str, field: str | None = None,
              submitted=None):
    """Run one moderation; back to the board, or the item's page again with the message."""
    _require_editor(workshop_id)
    found = _item_of(workshop_id, item_id)
    try:
        run()
    except (NotFound, Forbidden):
        raise
    except DocumentError as exc:
        message = "; ".join(m for _p, m in exc.problems)
        return _item_page(workshop_id, item_id, status=422, submitted=submitted,
                          errors={field or "": f"{_label(field)}: {message}"})
    except store.StoreError as exc:
        return _item_page(workshop_id, item_id, status=422, submitted=submitted,
                          errors={"": str(exc)})
    flash(done)
    return redirect(url_for("workshops.board", workshop_id=workshop_id)
                    + f"#step-{found.step}", code=303)


def _refused_here(workshop_id: int, item_id: int, field: str, message: str, typed: str):
    """The item's page again, with the form's own problem next to its field."""
    _require_editor(workshop_id)
    return _item_page(workshop_id, item_id, status=422, submitted={field: typed},
                      errors={field: message})


def _label(field: str | None) -> str:
    return {"reason": _("Reason for hiding"), "text": _("Wording")}.get(field or "", "")


@bp.post("/workshops/<int:workshop_id>/items/<int:item_id>/hide")
def hide(workshop_id: int, item_id: int):
    """Hide a contribution from everyone, with the reason (kept for the report)."""
    reason = (request.form.get("reason") or "").strip()
    if not reason:
        return _refused_here(workshop_id, item_id, "reason", _(
            "Reason for hiding: write why you hide it; the report keeps it"), reason)
    return _moderate(workshop_id, item_id, lambda: ws.hide(
        session=get_session(), actor=current_actor(), item_id=item_id, reason=reason),
        _("Contribution hidden."), "reason", {"reason": reason})


@bp.post("/workshops/<int:workshop_id>/items/<int:item_id>/unhide")
def unhide(workshop_id: int, item_id: int):
    """Show a hidden contribution again (a hide made by mistake is undone)."""
    return _moderate(workshop_id, item_id, lambda: ws.unhide(
        session=get_session(), actor=current_actor(), item_id=item_id),
        _("Contribution shown again."))


@bp.post("/workshops/<int:workshop_id>/items/<int:item_id>/edit")
def edit(workshop_id: int, item_id: int):
    """Change a contribution's wording (a typo, a name to take out)."""
    text = (request.form.get("text") or "").strip()
    if not text:
        return _refused_here(workshop_id, item_id, "text", _(
            "Wording: write the new wording, or hide the contribution instead"), text)
    return _moderate(workshop_id, item_id, lambda: ws.edit_wording(
        session=get_session(), actor=current_actor(), item_id=item_id, text=text),
        _("Wording changed."), "text", {"text": text})


@bp.post("/workshops/<int:workshop_id>/items/<int:item_id>/approve")
def approve(workshop_id: int, item_id: int):
    """Show a contribution to the room (workshops that approve first)."""
    return _moderate(workshop_id, item_id, lambda: ws.approve(
        session=get_session(), actor=current_actor(), item_id=item_id),
        _("Contribution approved."))


def _merge_page(workshop_id: int, step_id: str, *, errors=None, submitted=None,
                status: int = 200):
    w, journey, _row, _summary = _workshop_state(workshop_id)
    step, number = _step_of(journey, step_id)
    pains = [i for i in ws.contributions(session=get_session(), actor=current_actor(),
                                         workshop_id=workshop_id)
             if i.step == step.id and i.kind == "pain" and i.approved
             and i.hidden_reason is None and i.merged_into is None]
    pains.sort(key=lambda i: (-i.votes, i.id))
    return render_template("workshops/merge.html", workshop=w, step=step, number=number,
                           pains=pains, errors=errors or {},
                           submitted=submitted or {}), status


@bp.get("/workshops/<int:workshop_id>/steps/<step_id>/merge")
def merge_form(workshop_id: int, step_id: str):
    """The step's pain points, to tick the duplicates and choose the one to keep."""
    _require_editor(workshop_id)
    return _merge_page(workshop_id, step_id)


@bp.post("/workshops/<int:workshop_id>/merge")
def merge(workshop_id: int):
    """Merge duplicate pain points into the one kept, with their votes."""
    _require_editor(workshop_id)
    ids = [int(v) for v in request.form.getlist("item_ids") if re.fullmatch(r"\d{1,18}", v)]
    into = request.form.get("into", "")
    into_id = int(into) if re.fullmatch(r"\d{1,18}", into) else None
    step = request.form.get("step", "")
    if not step and into_id is not None:
        step = _item_of(workshop_id, into_id).step
    submitted = {"item_ids": ids, "into": into_id}
    errors = {}
    if len([i for i in ids if i != into_id]) < 1:
        errors["item_ids"] = _("Duplicates to merge: tick at least one pain point besides "
                               "the one kept")
    if into_id is None:
        errors["into"] = _("The one to keep: choose the pain point the others are merged "
                           "into")
    if not errors:
        try:
            _item_of(workshop_id, into_id)
            votes = ws.merge(session=get_session(), actor=current_actor(),
                             item_ids=ids, into=into_id)
        except (NotFound, Forbidden):
            raise
        except DocumentError as exc:
            errors["item_ids"] = "; ".join(m for _p, m in exc.problems)
        except store.StoreError as exc:
            key = "into" if str(exc).startswith("into") else "item_ids"
            errors[key] = str(exc)
        else:
            flash(ngettext("Merged: the pain point kept has %(num)d vote.",
                           "Merged: the pain point kept has %(num)d votes.", votes))
            return redirect(url_for("workshops.board", workshop_id=workshop_id)
                            + f"#step-{step}", code=303)
    return _merge_page(workshop_id, step, errors=errors, submitted=submitted, status=422)


# --- closing and the report ------------------------------------------------------------------


@bp.get("/workshops/<int:workshop_id>/close")
def close_confirm(workshop_id: int):
    """Ask before closing: closing adds the contributions to the journey for good."""
    _require_editor(workshop_id)
    return render_template("workshops/close.html", **board_model(workshop_id))


@bp.post("/workshops/<int:workshop_id>/close")
def close(workshop_id: int):
    """Close the workshop: what citizens said joins the journey as one revision."""
    _require_editor(workshop_id)
    try:
        version = int(request.form.get("expected_version", ""))
    except ValueError:
        abort(400)
    try:
        new = ws.close_workshop(session=get_session(), actor=current_actor(),
                                workshop_id=workshop_id, expected_version=version)
    except store.Conflict:
        model = board_model(workshop_id)
        model["errors"] = {"": _("The journey changed while you were deciding. Look at "
                                 "the board again, then close the workshop.")}
        return render_template("workshops/close.html", **model), 409
    except (NotFound, Forbidden):
        raise
    except (DocumentError, store.StoreError) as exc:
        model = board_model(workshop_id)
        message = "; ".join(f"{p}: {m}" for p, m in exc.problems) \
            if isinstance(exc, DocumentError) else str(exc)
        model["errors"] = {"": message}
        return render_template("workshops/close.html", **model), 422
    flash(_("Workshop closed. The citizens' contributions are revision %(n)s of the "
            "journey.", n=new))
    return redirect(url_for("workshops.board", workshop_id=workshop_id), code=303)


class NotYet(Exception):
    """The report of a workshop that has not closed yet."""


def report_data(workshop_id: int) -> tuple:
    """(workshop, the report's plain data); the report exists once the workshop closed."""
    session, actor = get_session(), current_actor()
    w, journey, _row, summary = _workshop_state(workshop_id)
    if w.closed_at is None:
        raise NotYet
    items = ws.contributions(session=session, actor=actor, workshop_id=workshop_id)
    numbers = {s.id: i + 1 for i, s in enumerate(journey.steps)}
    stage_names = {s.id: s.name for s in journey.stages}
    steps = [report_format.ReportStep(
        s.id, s.title, stage_names.get(s.stage, s.stage), numbers[s.id],
        dict(summary.steps[s.id].feelings) if s.id in summary.steps else {})
        for stage in journey.stages if stage.id in (w.open_stages or [])
        for s in journey.steps if s.stage == stage.id and s.citizen_facing]
    contributions = [report_format.Contribution(
        i.id, i.step, i.kind, i.text, i.category, i.severity, i.votes,
        "hidden" if i.hidden_reason is not None else "merged" if i.merged_into is not None
        else "pending" if not i.approved else "shown", i.hidden_reason, i.merged_into)
        for i in items]
    return w, report_format.Report(
        title=w.title, journey_title=journey.title, participants=summary.participants,
        steps=steps, contributions=contributions,
        closed=flask_babel.format_datetime(w.closed_at, "short"),
        revision=w.closed_revision)


def _file_name(w, suffix: str) -> str:
    from journeys.domain.text import slugify

    return f"workshop-{w.id}-{slugify(w.title, fallback='workshop')}{suffix}"


@bp.errorhandler(NotYet)
def not_yet(_exc):
    """A report asked for too early: say when it will be there."""
    from journeys.web.errors import render_error

    return render_error(404, _("The report and the contributions file are ready once the "
                               "workshop has closed."))


@bp.get("/workshops/<int:workshop_id>/report.md")
def report_md(workshop_id: int):
    """The closed workshop's report as Markdown."""
    w, data = report_data(workshop_id)
    return _download(report_format.report_md(data), "text/markdown; charset=utf-8",
                     _file_name(w, ".md"))


@bp.get("/workshops/<int:workshop_id>/contributions.csv")
def contributions_csv(workshop_id: int):
    """Every contribution of the closed workshop, hidden ones marked, as CSV."""
    w, data = report_data(workshop_id)
    return _download(report_format.contributions_csv(data), "text/csv; charset=utf-8",
                     _file_name(w, "-contributions.csv"))


def _download(text: str, media_type: str, name: str) -> Response:
    response = Response(text.encode("utf-8"), content_type=media_type)
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return response


# --- the heat strip on the journey map --------------------------------------------------------


def workshop_heat(journey_id: int, since: int | None = None):
    """The newest open workshop of the journey with its steps' heat; None without one;
    ``False`` when it is unchanged since ``since``."""
    session, actor = get_session(), current_actor()
    try:
        found = [w for w in ws.list_workshops(session=session, actor=actor,
                                              journey_id=journey_id) if w.closed_at is None]
    except (NotFound, Forbidden):
        return None
    for w in found:
        summary = ws.board(session=session, actor=actor, workshop_id=w.id,
                           since_revision=since)
        if summary is None:
            return False
        if summary.closed:
            continue
        journey = store.load_journey(session=session, actor=actor, journey_id=journey_id)
        stages = _steps(w, journey, summary)
        _heat_levels(stages)
        return {"workshop": w, "board": summary, "stages": stages}
    return None


@bp.get("/journeys/<int:journey_id>/workshops/heat")
def heat(journey_id: int):
    """The heat strip alone, for refreshing it on the map; 204 while its workshop is
    unchanged since ``since``, empty once no workshop of the journey is open."""
    found = workshop_heat(journey_id, _since())
    if found is False:
        return Response(status=204)
    return render_template("workshops/_heat.html", journey_id=journey_id, heat=found)
