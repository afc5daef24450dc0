"""Journey pages."""

from flask import Blueprint, render_template

from journeys.store import services as store
from journeys.web.db import get_session

bp = Blueprint("journeys", __name__)


@bp.get("/")
def index():
    """The list of stored journeys."""
    return render_template("journeys/index.html",
                           journeys=store.list_journeys(session=get_session(),
                                                         actor=store.SYSTEM))
