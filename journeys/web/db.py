"""The per-request database session (``get_session`` / ``close_session`` / ``init_app``)."""

from flask import Flask, current_app, g
from sqlmodel import Session

from journeys.store import db as store_db
from journeys.store.db import engine_for


def get_session() -> Session:
    """The request's session, opened on first use."""
    if "session" not in g:
        # Writes run on one connection kept for the request, as on the command line.
        g.session = store_db.connected_session(engine_for(current_app.config["DATABASE_URL"]))
    return g.session


def close_session(_exc: BaseException | None = None) -> None:
    """Close the request's session, if one was opened."""
    session = g.pop("session", None)
    if session is not None:
        store_db.close_session(session)


def init_app(app: Flask) -> None:
    """Migrate the database at start-up and close sessions after each request."""
    engine_for(app.config["DATABASE_URL"])
    app.teardown_appcontext(close_session)
