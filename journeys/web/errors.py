"""Error pages in the app's own layout: 400, 403, 404, 405, 413, 500 and CSRF failures."""

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from journeys.store.errors import Forbidden, NotFound, StoreError


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("The request could not be understood"),
              _("Something in what was sent is not right. Go back, check the form and try "
                "again.")),
        403: (_("You cannot do that"),
              _("Your role in this team does not allow this. Ask a team owner if you need "
                "it.")),
        404: (_("Page not found"),
              _("There is nothing at this address, or it belongs to another team. Check the "
                "address, or go back to the journeys.")),
        405: (_("That action is not possible here"),
              _("This page cannot be used that way. Go back and use the page's buttons.")),
        413: (_("The file is too large"),
              _("What you sent is larger than the %(size)s MB this site accepts. A journey "
                "document is usually far smaller: check that you chose the right file.",
                size=2)),
        500: (_("Sorry, something went wrong"),
              _("Nothing you sent has been half-saved. Try again in a moment.")),
    }


def render_error(code: int, detail: str | None = None):
    """The error page for ``code``, with an optional more precise message."""
    messages = _messages()
    title, text = messages.get(code, messages[500 if code >= 500 else 400])
    return render_template("errors/error.html", code=code, title=title, text=text,
                           detail=detail), code


def init_app(app: Flask) -> None:
    """Render every HTTP error, CSRF failures and unexpected errors in the layout."""

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return render_error(400, _("The form had expired or did not come from this site. "
                                   "Reload the page and send it again."))

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound):
        return render_error(404)

    @app.errorhandler(Forbidden)
    def forbidden(exc: Forbidden):
        return render_error(403, str(exc))

    @app.errorhandler(StoreError)
    def refused(exc: StoreError):
        # The store's message is written for users and names what is wrong.
        return render_error(400, str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code is None or exc.code < 400:
            return exc
        return render_error(exc.code)

    @app.errorhandler(500)
    def unexpected(exc: Exception):
        # Unhandled exceptions arrive here wrapped (and propagate instead when testing).
        return render_error(500)
