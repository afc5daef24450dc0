"""Signing in and out, and who acts for each request.

Flask-Login keeps the user's id in the signed session cookie together with the user's
session version; signing out bumps the version in the database, so a copied cookie of a
signed-out session no longer works. There is no remember-me.
"""

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from journeys.store import accounts
from journeys.store import services as store
from journeys.web.db import get_session

bp = Blueprint("auth", __name__)
login_manager = LoginManager()

# Pages anyone may see: signing in, the error pages' assets, the language switch.
PUBLIC = {"auth.sign_in", "auth.sign_in_form", "static", "i18n.choose_language",
          "journeys.health"}
# Blueprints anyone may use: citizens join workshops without an account.
PUBLIC_BLUEPRINTS = {"participate"}
# The JSON API under this prefix authenticates every request by its bearer token.
API_PREFIX = "/api/"

# An invite link's page, and making an account from it, are for people without one.
PUBLIC |= {"teams.join_form", "teams.join_new_account"}


class WebUser(UserMixin):
    """The signed-in user as Flask-Login sees them."""

    def __init__(self, user):
        self.id = user.id
        self.name = user.name
        self.email = user.email
        self.language = user.language


@login_manager.user_loader
def load_user(user_id: str):
    """The user of the session, unless the session was signed out since."""
    try:
        version = int(session.get("session_version", 0))
        user = accounts.user_for_session(session=get_session(), user_id=int(user_id),
                                         session_version=version)
    except (TypeError, ValueError):
        return None
    return WebUser(user) if user is not None else None


def current_actor() -> store.Actor:
    """The actor of this request: the signed-in user with their roles."""
    if "actor" not in g:
        g.actor = store.actor_for_user(session=get_session(), user_id=current_user.id)
    return g.actor


def _safe_next(value: str | None) -> str:
    return value if value and value.startswith("/") and not value.startswith("//") \
        else url_for("journeys.index")


@bp.get("/sign-in")
def sign_in_form():
    """The sign-in page."""
    return render_template("auth/sign_in.html", email="", errors={},
                           next=_safe_next(request.args.get("next")))


@bp.post("/sign-in")
def sign_in():
    """Check the email and password; start a fresh session."""
    email = (request.form.get("email") or "").strip()
    password = request.form.get("password") or ""
    back = _safe_next(request.form.get("next"))
    errors = {}
    if not email:
        errors["email"] = _("Enter your email address")
    if not password:
        errors["password"] = _("Enter your password")
    user = None
    if not errors:
        user = accounts.authenticate(session=get_session(), email=email, password=password)
        if user is None:
            errors["email"] = _("The email or the password is not right")
    if errors:
        return render_template("auth/sign_in.html", email=email, errors=errors,
                               next=back), 422
    start_session(user)
    return redirect(back, code=303)


def start_session(user) -> None:
    """Sign the user in on a fresh session (the interface language chosen before is kept)."""
    language = session.get("language")
    session.clear()  # no session fixation: a new session for the signed-in user
    if language:
        session["language"] = language
    session["session_version"] = user.session_version
    login_user(WebUser(user), remember=False)
    g.pop("actor", None)


@bp.post("/sign-out")
def sign_out():
    """End this session and every copy of it."""
    if current_user.is_authenticated:
        accounts.bump_session_version(session=get_session(), user_id=current_user.id)
    logout_user()
    session.clear()
    flash(_("You have signed out."))
    return redirect(url_for("auth.sign_in_form"), code=303)


def init_app(app: Flask) -> None:
    """Bind Flask-Login; every page but the public ones needs a signed-in user."""
    login_manager.init_app(app)
    login_manager.session_protection = None  # the session version does this job
    app.register_blueprint(bp)

    @app.before_request
    def require_sign_in():
        if request.endpoint in PUBLIC or request.endpoint is None \
                or request.blueprint in PUBLIC_BLUEPRINTS \
                or request.path.startswith(API_PREFIX):
            return None
        if not current_user.is_authenticated:
            return redirect(url_for("auth.sign_in_form", next=request.full_path.rstrip("?")))
        user_language = current_user.language
        if user_language:
            g.user_language = user_language
        else:
            teams = accounts.teams_of(session=get_session(), actor=current_actor())
            if teams:
                g.team_language = teams[0][0].language
        return None
