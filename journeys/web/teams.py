"""Team pages: members and their roles, invite links, the team's language."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from journeys.store import accounts
from journeys.store import services as store
from journeys.web.auth import current_actor, start_session
from journeys.web.db import get_session
from journeys.web.i18n import LANGUAGES

bp = Blueprint("teams", __name__)


def _refresh_actor() -> None:
    g.pop("actor", None)


@bp.get("/teams")
def index():
    """The teams the user belongs to, with their role in each."""
    return render_template("teams/index.html",
                           teams=accounts.teams_of(session=get_session(),
                                                   actor=current_actor()))


def _team_page(team_id: int, *, errors=None, invite_link=None, status=200):
    session, actor = get_session(), current_actor()
    team = accounts.get_team(session=session, actor=actor, team_id=team_id)
    owner = store.can(actor, team.id, "owner")
    return render_template(
        "teams/team.html", team=team, owner=owner, roles=store.ROLES, languages=LANGUAGES,
        members=accounts.list_members(session=session, actor=actor, team_id=team.id),
        invites=accounts.list_invites(session=session, actor=actor, team_id=team.id)
        if owner else [],
        errors=errors or {}, invite_link=invite_link), status


@bp.get("/teams/<int:team_id>")
def team(team_id: int):
    """A team: its members and roles; owners also manage them and invite."""
    return _team_page(team_id)


def _owner_action(team_id: int, action, message: str):
    try:
        action()
    except accounts.InvalidInput as exc:
        return _team_page(team_id, errors={exc.field: str(exc)}, status=422)
    except store.Forbidden:
        raise
    except store.StoreError as exc:
        return _team_page(team_id, errors={"": str(exc)}, status=422)
    _refresh_actor()
    flash(message)
    return redirect(url_for("teams.team", team_id=team_id), code=303)


@bp.post("/teams/<int:team_id>/members/<int:user_id>/role")
def set_role(team_id: int, user_id: int):
    """Change a member's role (owners only; never the last owner)."""
    role = request.form.get("role", "")
    return _owner_action(team_id, lambda: accounts.set_role(
        session=get_session(), actor=current_actor(), team_id=team_id, user_id=user_id,
        role=role), _("Role changed."))


@bp.post("/teams/<int:team_id>/members/<int:user_id>/remove")
def remove_member(team_id: int, user_id: int):
    """Remove a member from the team (owners only; never the last owner)."""
    return _owner_action(team_id, lambda: accounts.remove_member(
        session=get_session(), actor=current_actor(), team_id=team_id, user_id=user_id),
        _("Member removed."))


@bp.post("/teams/<int:team_id>/language")
def set_language(team_id: int):
    """Set the language the team's pages are shown in."""
    language = request.form.get("language", "")
    return _owner_action(team_id, lambda: accounts.set_team_language(
        session=get_session(), actor=current_actor(), team_id=team_id, language=language),
        _("Team language changed."))


@bp.post("/teams/<int:team_id>/invites")
def invite(team_id: int):
    """Make an invite link; it is shown once, works once and expires."""
    role = request.form.get("role", "")
    try:
        token = accounts.create_invite(session=get_session(), actor=current_actor(),
                                       team_id=team_id, role=role)
    except accounts.InvalidInput as exc:
        return _team_page(team_id, errors={"role": str(exc)}, status=422)
    link = url_for("teams.join_form", token=token, _external=True)
    return _team_page(team_id, invite_link=link)


def _join_page(token: str, *, errors=None, submitted=None, status: int = 200):
    """The invite's page: join with this account, sign in, or create an account; or why the
    link cannot be used."""
    try:
        invite = accounts.invite_info(session=get_session(), token=token)
    except accounts.InviteError as exc:
        return render_template("teams/join.html", token=token, error=str(exc),
                               invite=None, errors={}, submitted={}), 410
    return render_template("teams/join.html", token=token, error=None, invite=invite,
                           errors=errors or {}, submitted=submitted or {}), status


@bp.get("/join/<token>")
def join_form(token: str):
    """The page an invite link opens: join the team with one button, or with a new account."""
    return _join_page(token)


@bp.post("/join/<token>")
def join(token: str):
    """Accept an invite: the signed-in user joins its team."""
    try:
        joined = accounts.accept_invite(session=get_session(), token=token,
                                        user_id=current_user.id)
    except store.StoreError as exc:
        return render_template("teams/join.html", token=token, error=str(exc), invite=None,
                               errors={}, submitted={}), 410
    _refresh_actor()
    flash(_("You have joined %(team)s.", team=joined.name))
    return redirect(url_for("teams.team", team_id=joined.id), code=303)


@bp.post("/join/<token>/account")
def join_new_account(token: str):
    """Create an account from an invite and join its team, signed in, in one step."""
    form = request.form
    submitted = {"name": (form.get("name") or "").strip(),
                 "email": (form.get("email") or "").strip()}
    password, confirm = form.get("password") or "", form.get("password_confirm") or ""
    errors = {}
    if not submitted["name"]:
        errors["name"] = _("Enter your name")
    if not submitted["email"]:
        errors["email"] = _("Enter your email address")
    if not password:
        errors["password"] = _("Enter a password")
    elif password != confirm:
        errors["password_confirm"] = _("The two passwords are not the same")
    if errors:
        return _join_page(token, errors=errors, submitted=submitted, status=422)
    try:
        user, joined = accounts.join_with_new_account(
            session=get_session(), token=token, email=submitted["email"],
            name=submitted["name"], password=password)
    except accounts.InvalidInput as exc:
        message = exc.message
        field = exc.field if exc.field in ("name", "email", "password") else "email"
        labels = {"name": _("Your name"), "email": _("Email address"), "password": _("Password")}
        return _join_page(token, errors={field: f"{labels[field]}: {message}"},
                          submitted=submitted, status=422)
    except accounts.InviteError:
        return _join_page(token)
    start_session(user)
    flash(_("Your account is ready and you have joined %(team)s.", team=joined.name))
    return redirect(url_for("teams.team", team_id=joined.id), code=303)


@bp.errorhandler(store.NotFound)
def no_team(exc):
    abort(404)
