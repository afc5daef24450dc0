"""What every API view needs at the edge: the session, bodies read safely, versions as ETags.

Bodies are read the way journey documents are (size, UTF-8, nesting, finite numbers,
unique keys), so a body nested 50,000 levels deep or that is not JSON gets a 4xx, never
a 500.
"""

import re

import flask_smorest
from flask import current_app, g, request
from flask_smorest import abort
from marshmallow import EXCLUDE, RAISE, Schema
from sqlmodel import Session
from webargs.flaskparser import FlaskParser

from journeys.api.errors import handle_errors
from journeys.domain.schemas import MAX_BYTES, DocumentError, Unreadable, load_document, parse_json
from journeys.store import services as store
from journeys.store.accounts import user_for_token
from journeys.store.db import close_session as close_store_session
from journeys.store.db import connected_session, engine_for
from journeys.store.workshops import WorkshopClosed

JSON = "application/json"
_ETAG = re.compile(r'\s*(?:W/)?"([0-9]{1,18})"\s*')


# --- the per-request session --------------------------------------------------------------


def get_session() -> Session:
    """The request's session, opened on first use and closed after the request."""
    if "api_session" not in g:
        g.api_session = connected_session(engine_for(current_app.config["DATABASE_URL"]))
    return g.api_session


def close_session(_exc: BaseException | None = None) -> None:
    """Close the request's session, if one was opened."""
    session = g.pop("api_session", None)
    if session is not None:
        close_store_session(session)


# --- who acts ------------------------------------------------------------------------------


def current_actor() -> store.Actor:
    """The actor of the request's ``Authorization: Bearer`` token; 401 without a valid one."""
    if "api_actor" not in g:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        challenge = {"WWW-Authenticate": 'Bearer realm="journeys"'}
        if scheme.lower() != "bearer" or not token.strip():
            abort(401, headers=challenge)
        session = get_session()
        user = user_for_token(session=session, plaintext=token.strip())
        if user is None:
            abort(401, message="the API token is unknown, expired or revoked", headers=challenge)
        g.api_actor = store.actor_for_user(session=session, user_id=user.id)
        session.commit()  # end the read transaction; each service opens its own
    return g.api_actor


def call(service, /, **kwargs):
    """Run one store service as the request's actor; its refusals become 4xx answers."""
    actor = current_actor()
    try:
        return service(session=get_session(), actor=actor, **kwargs)
    except store.NotFound as exc:
        abort(404, message=str(exc))
    except store.Forbidden as exc:
        abort(403, message=str(exc))
    except store.Conflict as exc:
        abort(412, message=str(exc), current_version=exc.current_version, current=exc.current,
              changed_by=exc.changed_by, headers={"ETag": etag(exc.current_version)})
    except DocumentError as exc:
        abort(422, problems=exc.problems)
    except WorkshopClosed as exc:
        abort(409, message=str(exc))
    except store.StoreError as exc:
        abort(422, message=str(exc))


# --- bodies ---------------------------------------------------------------------------------


def limit_body() -> None:
    """API bodies may be as large as a journey document (the pages accept less)."""
    request.max_content_length = MAX_BYTES


def _raw_body() -> bytes:
    if request.mimetype != JSON:
        got = request.mimetype or "no Content-Type"
        abort(415, message=f"send the body as {JSON} (got {got})")
    return request.get_data(cache=True)


def json_body():
    """The request's JSON body; 415 unless JSON, 413 over the limit, 400 unless readable."""
    try:
        return parse_json(_raw_body())
    except DocumentError as err:
        abort(400, message="the body is not a JSON value this API reads",
              problems=err.problems)


def object_body() -> dict:
    """The request's body, which must be a JSON object."""
    body = json_body()
    if not isinstance(body, dict):
        abort(422, problems=[("$", "expected a JSON object")])
    return body


def journey_body():
    """The request's body as a validated journey document (the same rules as the CLI)."""
    try:
        return load_document(_raw_body())
    except Unreadable as err:
        abort(400, message="the body is not a JSON value this API reads",
              problems=err.problems)
    except DocumentError as err:
        abort(422, message="the body is not a valid journey document",
              problems=err.problems)


class Parser(FlaskParser):
    """webargs parser: unknown query parameters are refused (a typo is never ignored)."""

    DEFAULT_UNKNOWN_BY_LOCATION = {"query": RAISE, "json": RAISE, "headers": EXCLUDE,
                                   "view_args": RAISE, "path": RAISE}

    def load_json(self, req, schema: Schema):
        """JSON read as documents are read, never with an unbounded parser."""
        return json_body()


class Blueprint(flask_smorest.Blueprint):
    """An API blueprint: bodies up to a document's size, errors in the one JSON shape."""

    ARGUMENTS_PARSER = Parser()

    def __init__(self, *args, public: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.before_request(limit_body)
        if not public:  # who asks comes first: no token gets 401 before any other answer
            self.before_request(_authenticate)
        handle_errors(self)


def _authenticate() -> None:
    current_actor()


# --- versions as ETags ------------------------------------------------------------------------


def etag(version: int) -> str:
    """The ETag of a journey at ``version``: the version, quoted."""
    return f'"{version}"'


def expected_version() -> int:
    """The version a write is based on, from If-Match: 428 when missing, 400 when unreadable."""
    header = request.headers.get("If-Match")
    if header is None:
        abort(428)
    match = _ETAG.fullmatch(header)
    if not match:
        abort(400, message='If-Match must be one ETag of the journey, as sent with it '
                           '(e.g. "3")', problems=[("If-Match", f"cannot read {header[:40]!r}")])
    return int(match.group(1))


def stale(current_version: int):
    """412: the write was based on another version than the journey's current one."""
    abort(412, message=f"the journey is at version {current_version}; read it again and "
                       "base the change on that version", current_version=current_version,
          headers={"ETag": etag(current_version)})


def unavailable(message: str):
    """503: a render could not be made (Graphviz missing, too slow or failing)."""
    abort(503, message=message)
