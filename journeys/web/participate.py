"""The participant side of a co-creation workshop: citizens join by code, without an account.

Joining gives a random token in an HttpOnly cookie (one per workshop, never in a URL); with
it a participant tags pain points and ideas on the citizen-facing steps of the open stages,
says how each step felt and endorses others' pain points. Every form posts, redirects and
renders without JavaScript; with htmx the same route answers with the step's section only,
and a poll carrying the revision it has seen gets 204 while nothing changed.

The pages speak the workshop's language (``g.workshop_language``, which the locale
selector puts first), or the one the participant chose, kept in their session.
"""

import functools
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import flask_babel
from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError, generate_csrf
from markupsafe import Markup

import journeys.web.i18n as i18n
from journeys.domain.document import IDEA_MAX, NOTE_MAX
from journeys.domain.schemas import DocumentError
from journeys.store import participation
from journeys.store import workshops as ws
from journeys.store.errors import NotFound, StoreError
from journeys.web.db import get_session
from journeys.web.i18n import LANGUAGES
from journeys.web.links import spaced

bp = Blueprint("participate", __name__)

COOKIE_PREFIX = "cj_w"
COOKIE_SECONDS = 30 * 24 * 3600
"""A participant's cookie lasts as long as its workshop: until its closing time when it
has one (and an hour more, so that a phone sending as it closes is told it closed rather
than asked to join again), else up to 30 days, as a remote workshop can run for weeks.
Visiting a closed workshop's pages removes it."""
COOKIE_GRACE_SECONDS = 3600
POLL_SECONDS = 4
ROOM_POLLS_PER_SECOND = 10
"""A room's phones together poll about this often at most: past 40 participants each
polls less often (a phone's own contributions still refresh its step at once), so a
room of hundreds does not spend the server on lists that changed a little."""
MAX_POLL_SECONDS = 30


def poll_seconds(participants: int) -> int:
    """How often a participant's page polls in a room of this size."""
    return max(POLL_SECONDS, min(MAX_POLL_SECONDS, -(-participants // ROOM_POLLS_PER_SECOND)))

# The pain point categories in words a citizen uses.
CATEGORIES = {
    "waiting": _l("I had to wait too long"),
    "effort": _l("It took too much effort"),
    "confusion": _l("It was confusing"),
    "access": _l("It was hard to reach or use"),
    "cost": _l("It cost too much"),
    "trust": _l("I did not trust it"),
    "repetition": _l("I had to give the same thing again"),
    "emotional": _l("It upset me"),
    "other": _l("Something else"),
}
SEVERITIES = {1: _l("A bit annoying"), 2: _l("A real problem"), 3: _l("It stopped me")}
FEELINGS = {-2: _l("Very bad"), -1: _l("Bad"), 0: _l("Neither good nor bad"),
            1: _l("Good"), 2: _l("Very good")}
FACES = {-2: "😣", -1: "🙁", 0: "😐", 1: "🙂", 2: "😀"}


def _htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _cookie_name(workshop_id: int) -> str:
    return f"{COOKIE_PREFIX}{workshop_id}"


def _token() -> str | None:
    return request.cookies.get(_cookie_name(g.workshop.id))


def _use_language(workshop_language: str | None) -> None:
    """Speak the participant's chosen language, else the workshop's."""
    chosen = session.get("workshop_language")
    g.workshop_language = chosen if chosen in LANGUAGES else workshop_language
    i18n.refresh()


@bp.before_request
def load_workshop():
    """Find the workshop behind the code of the URL, open or closed, and its language."""
    code = (request.view_args or {}).get("code")
    g.workshop = None
    if code is None:
        _use_language(None)
        return None
    try:
        g.workshop = participation.workshop_for_code(session=get_session(), code=code)
    except NotFound:
        _use_language(None)
        return _unknown(code)
    _use_language(g.workshop.language)
    if code != g.workshop.code and request.method == "GET":
        # One address per workshop, so its cookie and links stay the same.
        args = {k: v for k, v in request.args.items() if k != "code"}
        return redirect(url_for(request.endpoint, **{**request.view_args,
                                                     "code": g.workshop.code}, **args),
                        code=302)
    return None


@bp.context_processor
def workshop_context() -> dict:
    """The workshop of the page, for the layout's header and language switch."""
    return {"workshop": g.get("workshop")}


@bp.after_request
def vary(response):
    """Pages answer htmx with a fragment: caches must tell them apart."""
    response.vary.add("HX-Request")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.errorhandler(CSRFError)
def csrf_error(exc: CSRFError):
    """A form without its token, or a forged one: say so kindly, in the workshop's words."""
    code = (request.view_args or {}).get("code")
    if g.get("workshop") is None and code:  # refused before the workshop was looked up
        try:
            g.workshop = participation.workshop_for_code(session=get_session(), code=code)
        except NotFound:
            g.workshop = None
        _use_language(g.workshop.language if g.workshop else None)
    back = url_for("participate.enter_code")
    if g.get("workshop") is not None:
        page = "participate.join_page" if request.endpoint == "participate.join" \
            else "participate.steps"
        back = url_for(page, code=g.workshop.code)
    # With htmx the page's main part shows the problem (a step's place cannot hold it).
    headers = {"HX-Retarget": "#main", "HX-Reswap": "outerHTML", "HX-Select": "#main"} \
        if _htmx() else {}
    return render_template(
        "participate/problem.html", status=400,
        title=_("The form had expired"),
        text=_("We could not accept what you sent because the page was too old or did "
               "not come from this site. Nothing was saved. Go back to the page, reload it "
               "and send it again."),
        back=back), 400, headers


def _unknown(code: str):
    typed = ws.normalize_code(code)[:40]
    shown = spaced(typed) if len(typed) == ws.CODE_LENGTH else typed
    return render_template("participate/unknown.html", code=shown), 404


def cookie_seconds(closes_at: datetime | None, at: datetime) -> int:
    """How long a participant's cookie lasts when they join at ``at``."""
    if closes_at is None:
        return COOKIE_SECONDS
    left = int((closes_at - at).total_seconds()) + COOKIE_GRACE_SECONDS
    return max(COOKIE_GRACE_SECONDS, min(COOKIE_SECONDS, left))


def _closed():
    if _htmx():
        # The whole page changes: let htmx load it rather than swap a section.
        response = make_response("", 410, {"HX-Redirect": url_for(
            "participate.join_page", code=g.workshop.code)})
    else:
        response = make_response(render_template("participate/closed.html"), 410)
    # The workshop is over: its token opens nothing any more, so the phone forgets it.
    if _token() is not None:
        response.delete_cookie(_cookie_name(g.workshop.id), path="/w/", httponly=True,
                               samesite="Lax", secure=_secure_cookie())
    return response


def _secure_cookie() -> bool:
    return bool(current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def _rejoin():
    """A participant without a valid cookie goes to the join page with a message."""
    target = url_for("participate.join_page", code=g.workshop.code, again=1)
    if _htmx():
        return "", 204, {"HX-Redirect": target}
    return redirect(target, code=303)


# --- typing the code, joining -------------------------------------------------------------


@bp.get("/w")
def enter_code():
    """A form to type the join code; with ``?code=`` it goes to that workshop."""
    typed = request.args.get("code")
    if typed is not None:
        code = ws.normalize_code(typed)
        # Every code has the same length: a shorter or longer one is a typing slip,
        # told here rather than as "no workshop has this code".
        if len(code) == ws.CODE_LENGTH and code.isalnum():
            return redirect(url_for("participate.join_page", code=code), code=303)
        return render_template("participate/code.html", code=typed[:40],
                               error=_("Enter the code shown on the screen, for example "
                                       "K7M P2Q")), 422
    return render_template("participate/code.html", code="", error=None)


@bp.get("/w/<code>")
def join_page(code: str):
    """The join page: the workshop, what is collected and why, an optional name."""
    if g.workshop.closed:
        return _closed()
    joined = _joined()
    return render_template("participate/join.html", joined=joined, display_name="",
                           errors={}, again=bool(request.args.get("again")) and not joined)


def _joined() -> bool:
    token = _token()
    if not token:
        return False
    try:
        ws.participant_for(session=get_session(), workshop_id=g.workshop.id, token=token)
    except NotFound:
        return False
    return True


@bp.post("/w/<code>/join")
def join(code: str):
    """Join: a new participant token in an HttpOnly cookie, then the steps."""
    if g.workshop.closed:
        return _closed()
    name = (request.form.get("display_name") or "").strip() or None
    try:
        _participant, token = ws.join(session=get_session(), code=g.workshop.code,
                                      display_name=name)
    except DocumentError:
        return render_template("participate/join.html", joined=False, again=False,
                               display_name=name, errors={"display_name": _(
                                   "Your name can be at most %(max)s characters long",
                                   max=ws.DISPLAY_NAME_MAX)}), 422
    except NotFound:  # closed between the page and the click
        return render_template("participate/closed.html"), 410
    response = redirect(url_for("participate.steps", code=g.workshop.code), code=303)
    response.set_cookie(
        _cookie_name(g.workshop.id), token, path="/w/", httponly=True, samesite="Lax",
        max_age=cookie_seconds(g.workshop.closes_at, datetime.now(UTC)),
        secure=_secure_cookie())
    return response


@bp.post("/w/<code>/language")
def choose_language(code: str):
    """Keep the participant's language for the workshop pages and go back."""
    language = request.form.get("language", "")
    if language in LANGUAGES:
        session["workshop_language"] = language
    back = request.form.get("next", "")
    if not back.startswith("/w/") or "//" in back or "\\" in back:
        back = url_for("participate.join_page", code=g.workshop.code)
    return redirect(back, code=303)


# --- the steps ----------------------------------------------------------------------------


def _page(only_step: str | None = None):
    return participation.participant_page(session=get_session(), workshop_id=g.workshop.id,
                                          token=_token() or "", only_step=only_step)


_LABELS: dict[str, dict] = {}


def _labels() -> dict:
    """The choices' labels in the page's language, translated once per process."""
    language = i18n.current_language()
    if language not in _LABELS:
        _LABELS[language] = {name: {k: str(v) for k, v in labels.items()} for name, labels
                             in (("categories", CATEGORIES), ("severities", SEVERITIES),
                                 ("feelings", FEELINGS))}
    return _LABELS[language]


def _agrees():
    """``agrees(n)``, translated once per count for the request."""
    seen: dict = {}

    def label(n: int) -> str:
        if n not in seen:
            # "Nobody yet" rather than a zero, which some languages cannot say as a count.
            seen[n] = _("Nobody has agreed yet") if n == 0 else flask_babel.ngettext(
                "%(num)d person agrees", "%(num)d people agree", n)
        return seen[n]
    return label


# A room's pages repeat the same pieces for every phone: others' pain points, and each
# step's empty forms. Both are rendered once per language and what they show, kept in the
# process, and given the request's CSRF token in place of this slot, which no text can
# hold (it is random per process, and text is escaped).
_SLOT = f"csrf-slot-{secrets.token_hex(16)}"
FRAGMENTS_KEPT = 20_000
"""Fragments a process keeps, the least recently used forgotten first."""


@functools.lru_cache(maxsize=FRAGMENTS_KEPT)
def _fragment(template: str, language: str, **values) -> str:
    """The template rendered with ``values`` and the labels of ``language``, the CSRF
    token left as its slot."""
    return current_app.jinja_env.get_template(template).render(
        token=_SLOT, faces=FACES, **_LABELS[language], **values)


def _fragments(agrees) -> dict:
    """The page's ``other_item(item, step_id)`` and ``form_html(form, step_id, feeling)``."""
    language = i18n.current_language()
    _labels()
    token = generate_csrf()
    code = g.workshop.code
    item_base = url_for("participate.join_page", code=code) + "/items/"

    def other_item(item, step_id: str) -> Markup:
        html = _fragment("participate/_item.html", language, item_base=item_base,
                         step_id=step_id, agrees=agrees(item.votes), item=_ItemKey(
                             item.id, item.text, item.category, item.severity, item.voted))
        return Markup(html.replace(_SLOT, token))  # noqa: S704 - rendered with escaping

    def form_html(form: str, step_id: str, feeling) -> Markup:
        html = _fragment(f"participate/_form_{form}.html", language,
                         workshop=_CodeKey(code), step=_StepKey(step_id), sid=f"s-{step_id}",
                         feeling=feeling, typed=_EMPTY, feel_errors=_EMPTY,
                         pain_errors=_EMPTY, idea_errors=_EMPTY)
        return Markup(html.replace(_SLOT, token))  # noqa: S704 - rendered with escaping
    return {"other_item": other_item, "form_html": form_html}


@dataclass(frozen=True)
class _ItemKey:
    """What an other's item shows: the key of its kept fragment."""

    id: int
    text: str
    category: str | None
    severity: int | None
    voted: bool


@dataclass(frozen=True)
class _CodeKey:
    code: str


@dataclass(frozen=True)
class _StepKey:
    id: str


class _Empty(dict):
    """An empty mapping that can key a kept fragment."""

    def __hash__(self) -> int:
        return 0


_EMPTY = _Empty()


def _model(page, **extra) -> dict:
    agrees = _agrees()
    return {"page": page, "workshop": g.workshop, **_labels(), "faces": FACES,
            "agrees": agrees, "poll_seconds": poll_seconds(page.participants),
            "errors": {}, "submitted": {}, "done": None, "page_errors": [],
            "htmx": _htmx(), **_fragments(agrees), **extra}


@bp.get("/w/<code>/steps")
def steps(code: str):
    """The open stages' citizen-facing steps, each with its forms and others' pain points."""
    if g.workshop.closed:
        return _closed()
    try:
        page = _page()
    except NotFound:
        return _rejoin()
    done = session.pop("participate_done", None)
    return render_template("participate/steps.html", **_model(page, done=done))


def _answer(step_id: str, *, message: str, status: int = 200, errors=None,
            submitted=None, page_errors=None):
    """After a contribution: the step's section for htmx, else post/redirect/get.

    A refusal renders at once (no redirect) with the message next to the field.
    """
    try:
        page = _page(only_step=step_id if _htmx() else None)
    except NotFound:
        return _rejoin()
    known = step_id in page.step_ids
    if status == 200 and not _htmx():
        session["participate_done"] = {"step": step_id, "message": message}
        anchor = f"#step-{step_id}" if known else ""
        return redirect(url_for("participate.steps", code=g.workshop.code) + anchor,
                        code=303)
    done = {"step": step_id, "message": message} if status == 200 else None
    model = _model(page, done=done, errors=errors or {}, submitted=submitted or {},
                   error_step=step_id, page_errors=page_errors or [])
    if _htmx() and known:
        step = next(s for stage in page.stages for s in stage.steps if s.id == step_id)
        return render_template("participate/_step.html", step=step, **model), status
    if not known and not page_errors:
        model["page_errors"] = [message for message in (errors or {}).values()]
    if _htmx():
        # The step is not on the page: show the whole page with the problem at its top.
        page = _page()
        model["page"] = page
        return render_template("participate/_steps.html", **model), status, {
            "HX-Retarget": "#steps", "HX-Reswap": "outerHTML"}
    return render_template("participate/steps.html", **model), status


def _contribute(step_id: str, call, *, field: str, message: str, submitted: dict):
    """Run one contribution and answer with its outcome."""
    if g.workshop.closed:
        return _closed()
    if not _token():
        return _rejoin()
    try:
        call()
    except ws.WorkshopClosed:
        return _closed()
    except ws.RateLimited:
        return _answer(step_id, message="", status=429, submitted=submitted, errors={
            field: _("You are sending contributions very fast. Wait a minute, then send "
                     "this again: what you typed is still here.")})
    except NotFound:
        return _rejoin()
    except DocumentError as exc:
        return _answer(step_id, message="", status=422, submitted=submitted,
                       errors=_field_errors(exc.problems, field, submitted))
    return _answer(step_id, message=message)


def _field_errors(problems, field: str, submitted: dict) -> dict:
    """The store's problems as messages a participant reads, in their language."""
    errors = {}
    for path, text in problems:
        if path == "step":
            errors.setdefault(field, _("This step is not open for comment in this "
                                       "workshop."))
        elif path == "text":
            typed = (submitted.get("text") or "").strip()
            limit = IDEA_MAX if field == "idea" else NOTE_MAX
            if not typed:
                errors["text"] = (_("Write your idea") if field == "idea"
                                  else _("Write what went wrong or was hard"))
            elif len(typed) > limit:
                errors["text"] = _("Write at most %(max)s characters (you wrote "
                                   "%(count)s)", max=flask_babel.format_decimal(limit),
                                   count=flask_babel.format_decimal(len(typed)))
            else:
                errors["text"] = text
        elif path == "category":
            errors["category"] = _("Choose what kind of problem it is")
        elif path == "severity":
            errors["severity"] = _("Choose how bad it was")
        elif path == "value":
            errors["value"] = _("Choose one of the five answers")
        else:
            errors.setdefault(field, text)
    return errors


def _approving() -> bool:
    """The facilitator approves each contribution before others see it."""
    return g.workshop.moderation == "before"


def _whole(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


@bp.post("/w/<code>/steps/<step_id>/pain-points")
def add_pain_point(code: str, step_id: str):
    """Tag a pain point on the step."""
    submitted = {"form": "pain", "text": request.form.get("text") or "",
                 "category": request.form.get("category") or "other",
                 "severity": _whole(request.form.get("severity") or 2)}
    return _contribute(step_id, lambda: ws.add_pain_point(
        session=get_session(), workshop_id=g.workshop.id, token=_token(), step=step_id,
        text=submitted["text"].strip(), category=submitted["category"],
        severity=submitted["severity"]),
        field="pain", submitted=submitted,
        message=_("Thank you — your problem was sent. Others will see it once the "
                  "facilitator has approved it.") if _approving()
        else _("Thank you — your problem was added."))


@bp.post("/w/<code>/steps/<step_id>/ideas")
def add_idea(code: str, step_id: str):
    """Add an idea to the step."""
    submitted = {"form": "idea", "text": request.form.get("text") or ""}
    return _contribute(step_id, lambda: ws.add_idea(
        session=get_session(), workshop_id=g.workshop.id, token=_token(), step=step_id,
        text=submitted["text"].strip()),
        field="idea", submitted=submitted,
        message=_("Thank you — your idea was sent to the facilitator.") if _approving()
        else _("Thank you — your idea was added."))


@bp.post("/w/<code>/steps/<step_id>/feeling")
def set_feeling(code: str, step_id: str):
    """Say how the step felt; a new answer replaces the last."""
    value = _whole(request.form.get("value"))
    submitted = {"form": "feeling", "value": value}
    return _contribute(step_id, lambda: ws.set_feeling(
        session=get_session(), workshop_id=g.workshop.id, token=_token(), step=step_id,
        value=value),
        field="value", submitted=submitted, message=_("Thank you — your answer was saved."))


# The store's refusals of a vote (``VoteRefused.reason``), as a participant reads them.
VOTE_REFUSALS = {
    "hidden": _l("This problem was removed by the facilitator, so it takes no votes."),
    "merged": _l("This problem was merged into another one: agree with that one "
                 "instead."),
    "own": _l("You raised this problem: it already counts your voice."),
    "not_pain": _l("Only problems can be agreed with."),
}


@bp.post("/w/<code>/items/<int:item_id>/vote")
def vote(code: str, item_id: int):
    """Agree with another participant's pain point (``vote=1``) or withdraw (``vote=0``)."""
    if g.workshop.closed:
        return _closed()
    if not _token():
        return _rejoin()
    step_id = request.form.get("step") or ""
    choice = request.form.get("vote")
    if choice not in ("0", "1"):
        abort(400)
    try:
        item = ws.cast_vote(session=get_session(), workshop_id=g.workshop.id, token=_token(),
                            item_id=item_id, agree=choice == "1")
    except ws.WorkshopClosed:
        return _closed()
    except ws.RateLimited:
        return _vote_refused(step_id, 429, _(
            "You are sending contributions very fast. Wait a minute, then try again."))
    except ws.NoSuchItem:
        return _vote_refused(step_id, 404, _("There is no such problem in this workshop."))
    except NotFound:
        return _rejoin()
    except ws.VoteRefused as exc:
        return _vote_refused(step_id, 422, str(VOTE_REFUSALS[exc.reason]))
    except StoreError as exc:  # the store is busy, say: its own one-line message
        return _vote_refused(step_id, 422, str(exc))
    message = _("Thank you — you agreed with this problem.") if item.voted \
        else _("Your agreement was withdrawn.")
    if not _htmx():
        return _answer(item.step, message=message)
    # With htmx only the item changes: its count and its button, and the live region says
    # so. The rest of the page is the poll's to refresh.
    agrees = _agrees()
    return str(_fragments(agrees)["other_item"](item, item.step)) + render_template(
        "participate/_status.html", message=message)


def _vote_refused(step_id: str, status: int, message: str):
    """A refused vote: its step with the message, in place of the item htmx aimed at."""
    response = make_response(_answer(step_id, message="", status=status,
                                     errors={"vote": message}))
    if _htmx() and "HX-Retarget" not in response.headers:
        response.headers.update({"HX-Retarget": f"#step-{step_id}", "HX-Reswap": "outerHTML"})
    return response


@bp.get("/w/<code>/poll")
def poll(code: str):
    """204 while nothing changed since ``since``; else others' pain points, refreshed."""
    if g.workshop.closed:
        return render_template("participate/_poll.html", closed=True)
    since = request.args.get("since", "")
    if since.isdigit() and int(since) == g.workshop.revision:
        return "", 204
    try:
        page = _page()
    except NotFound:
        return _rejoin()
    return render_template("participate/_poll.html", closed=False, oob=True, **_model(page))
