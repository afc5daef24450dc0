"""The interface's language: the user's choice, else the team's, else English."""

import flask_babel
from flask import Blueprint, Flask, g, redirect, request, session, url_for
from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from flask_login import current_user

LANGUAGES = {"en": "English", "fr": "Français"}
FORMATS = {"en": "en_GB"}
"""The locale whose dates and numbers a language uses, where it is not the language's own:
English is written for public services here, so dates read day, month, year and times
run to 24 hours (2 Dec 2026, 18:44), not the American 12/2/26, 6:44 PM. Translations
are still looked up under the language (``en_GB`` falls back to ``en``)."""
babel = Babel()
bp = Blueprint("i18n", __name__)


def current_locale() -> str:
    """The locale of the page: its language, with the formats of :data:`FORMATS`."""
    language = current_language()
    return FORMATS.get(language, language)


def current_language() -> str:
    """The language the page is shown in (journey content stays as the team wrote it)."""
    # A workshop's pages speak its language, or the one its participant chose.
    if g.get("workshop_language") in LANGUAGES:
        return g.workshop_language
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return chosen
    if g.get("user_language") in LANGUAGES:
        return g.user_language
    team_language = g.get("team_language")
    if team_language in LANGUAGES:
        return team_language
    return "en"


@bp.post("/language")
def choose_language():
    """Keep the chosen interface language for this browser and go back to the page."""
    language = request.form.get("language", "")
    if language in LANGUAGES:
        session["language"] = language
        if current_user.is_authenticated:  # kept for the user's next sign-in too
            from journeys.store.accounts import set_user_language
            from journeys.web.db import get_session

            set_user_language(session=get_session(), user_id=current_user.id,
                              language=language)
    back = request.form.get("next", "")
    # Only a path on this site, never another origin.
    if not back.startswith("/") or back.startswith("//"):
        back = url_for("journeys.index")
    return redirect(back, code=303)


def translations():
    """The request's translations, looked up once: a page of a workshop repeats dozens of
    labels, and each lookup through Flask-Babel costs more than the translation itself.
    :func:`refresh` forgets them when the page's language changes."""
    try:
        return g._journeys_translations
    except AttributeError:
        found = g._journeys_translations = flask_babel.get_translations()
        return found


def refresh() -> None:
    """Forget the request's locale and translations (its language was just decided)."""
    g.pop("_journeys_translations", None)
    flask_babel.refresh()


def init_app(app: Flask) -> None:
    """Bind Babel and the language switch."""
    babel.init_app(app, locale_selector=current_locale)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True)
    app.jinja_env.filters["format_number"] = flask_babel.format_decimal
    app.jinja_env.filters["format_datetime"] = flask_babel.format_datetime
    app.jinja_env.filters["format_date"] = flask_babel.format_date
    app.register_blueprint(bp)

    @app.context_processor
    def languages():
        from journeys.web.labels import all_labels

        return {"languages": LANGUAGES, "current_language": current_language(),
                "language_label": _l("Language"), "labels": all_labels()}
