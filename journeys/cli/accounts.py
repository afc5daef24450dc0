"""Accounts: users, teams and API tokens (``journeys user|team|token ...``)."""

import sys

import click

from journeys.cli.common import (
    Invalid,
    _store,
    _store_errors,
    out,
    say,
)
from journeys.domain.text import tsv_line

# Accounts: users, teams and API tokens -------------------------------------------------


def _read_password() -> str:
    """The password: typed twice, hidden, on a terminal; else the first line of stdin."""
    from journeys.store.accounts import PASSWORD_MAX

    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    line = sys.stdin.buffer.readline(4 * PASSWORD_MAX + 3)
    try:
        return line.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise Invalid("password: the line read from stdin is not UTF-8 text") from exc


def _team(session, ref: str):
    """A team by name, or by id when ``ref`` is a number that names no team."""
    from journeys.store import accounts
    from journeys.store.actors import SYSTEM
    from journeys.store.errors import NotFound

    try:
        return accounts.find_team(session=session, actor=SYSTEM, name=ref)
    except NotFound:
        if not ref.strip().isdigit():
            raise
        return accounts.get_team(session=session, actor=SYSTEM, team_id=int(ref))


def _when(moment) -> str:
    return "-" if moment is None else f"{moment:%Y-%m-%d %H:%M}"


@click.group("user")
def user_group():
    """Create and list the accounts that sign in to the web app and the API."""


@user_group.command("create")
@click.argument("email")
@click.option("--name", default=None, help="Name shown to others (default: the email's "
              "part before the @).")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of stdin (at least 10 characters).")
def user_create(email, name, password_stdin):
    """Create an account; print its id on stdout."""
    from journeys.store import accounts

    password = _read_password() if password_stdin else None
    with _store() as session, _store_errors():
        user = accounts.create_user(session=session, email=email, name=name, password=password)
    click.echo(user.id)
    if password is None:
        say(f"{user.email} has no password yet, so it cannot sign in: set one "
                             f"with 'journeys user set-password {user.email}'")


@user_group.command("set-password")
@click.argument("email")
def user_set_password(email):
    """Set an account's password, read from stdin; its open sessions end."""
    from journeys.store import accounts

    password = _read_password()
    with _store() as session, _store_errors():
        user = accounts.find_user(session=session, email=email)
        accounts.set_password(session=session, user_id=user.id, password=password)
    say(f"password of {user.email} changed")


@user_group.command("list")
def user_list():
    """List the accounts: id, email, name and teams."""
    from journeys.store import accounts
    from journeys.store.actors import actor_for_user

    with _store() as session:
        users = accounts.list_users(session=session)
        for user in users:
            actor = actor_for_user(session=session, user_id=user.id)
            teams = ", ".join(f"{team.name} ({role})" for team, role
                              in accounts.teams_of(session=session, actor=actor))
            out(tsv_line(user.id, user.email, user.name, teams or "-"))
    if not users:
        say("no accounts yet (try 'journeys user create EMAIL --password-stdin')")


@click.group("team")
def team_group():
    """Create teams and manage their members (TEAM is a team's name or id)."""


@team_group.command("create")
@click.argument("name")
@click.option("--owner", "owner_email", required=True, metavar="EMAIL",
              help="The account that owns the team.")
@click.option("--language", type=click.Choice(["en", "fr"]), default="en", show_default=True,
              help="Language of the team's pages.")
def team_create(name, owner_email, language):
    """Create a team with its owner; print its id on stdout."""
    from journeys.store import accounts
    from journeys.store.actors import SYSTEM

    with _store() as session, _store_errors():
        team = accounts.create_team(session=session, actor=SYSTEM, name=name,
                                    owner_email=owner_email, language=language)
    click.echo(team.id)


_role_option = click.option("--role", type=click.Choice(["owner", "editor", "viewer"]),
                            required=True, help="Owners manage members, editors write, "
                            "viewers read.")


@team_group.command("add-member")
@click.argument("team")
@click.argument("email")
@_role_option
def team_add_member(team, email, role):
    """Add an account to a team with a role."""
    from journeys.store import accounts
    from journeys.store.actors import SYSTEM

    with _store() as session, _store_errors():
        found = _team(session, team)
        accounts.add_member(session=session, actor=SYSTEM, team_id=found.id, email=email,
                            role=role)
    say(f"{email.strip().lower()} is now {role} in {found.name}")


@team_group.command("set-role")
@click.argument("team")
@click.argument("email")
@_role_option
def team_set_role(team, email, role):
    """Change a member's role (a team keeps at least one owner)."""
    from journeys.store import accounts
    from journeys.store.actors import SYSTEM

    with _store() as session, _store_errors():
        found = _team(session, team)
        user = accounts.find_user(session=session, email=email)
        accounts.set_role(session=session, actor=SYSTEM, team_id=found.id, user_id=user.id,
                          role=role)
    say(f"{user.email} is now {role} in {found.name}")


@team_group.command("remove-member")
@click.argument("team")
@click.argument("email")
def team_remove_member(team, email):
    """Take a member out of a team (never its last owner)."""
    from journeys.store import accounts
    from journeys.store.actors import SYSTEM

    with _store() as session, _store_errors():
        found = _team(session, team)
        user = accounts.find_user(session=session, email=email)
        accounts.remove_member(session=session, actor=SYSTEM, team_id=found.id,
                               user_id=user.id)
    say(f"{user.email} is no longer a member of {found.name}")


@team_group.command("list")
def team_list():
    """List the teams: id, name, language and members."""
    from journeys.store import accounts
    from journeys.store.actors import SYSTEM

    with _store() as session:
        teams = accounts.teams_of(session=session, actor=SYSTEM)
        for team, _role in teams:
            members = accounts.list_members(session=session, actor=SYSTEM, team_id=team.id)
            who = ", ".join(f"{m.email} ({m.role})" for m in members)
            out(tsv_line(team.id, team.name, team.language, who or "-"))
    if not teams:
        say("no teams yet (try 'journeys team create NAME --owner EMAIL')")


@click.group("token")
def token_group():
    """Personal API tokens: each acts as its user, with the user's roles."""


@token_group.command("create")
@click.option("--user", "email", required=True, metavar="EMAIL", help="The token's user.")
@click.option("--name", default=None, help="What the token is for, to recognise it later.")
@click.option("--expires", "days", type=click.IntRange(1, 3650), default=None, metavar="DAYS",
              help="Days until the token stops working (default: never).")
def token_create(email, name, days):
    """Create a token and print it, once, alone on stdout; only its hash is stored."""
    from journeys.store import accounts

    with _store() as session, _store_errors():
        user = accounts.find_user(session=session, email=email)
        token, plaintext = accounts.create_token(session=session, user_id=user.id, name=name,
                                                 expires_days=days)
    click.echo(plaintext)
    until = f"until {token.expires_at:%Y-%m-%d}" if token.expires_at else "with no expiry"
    say(f"token {token.id} for {user.email}, valid {until}: it is shown only "
                         f"now; send it as 'Authorization: Bearer <token>'")


@token_group.command("list")
@click.option("--user", "email", required=True, metavar="EMAIL", help="Whose tokens.")
def token_list(email):
    """List a user's tokens: id, name, state, created, expires, last used."""
    from journeys.store import accounts

    with _store() as session, _store_errors():
        user = accounts.find_user(session=session, email=email)
        tokens = accounts.list_tokens(session=session, user_id=user.id)
    for t in tokens:
        out(tsv_line(t.id, t.name or "-", accounts.token_state(t), _when(t.created_at),
                     _when(t.expires_at), _when(t.last_used_at)))
    if not tokens:
        say(f"{user.email} has no tokens (try 'journeys token create --user {user.email}')")


@token_group.command("revoke")
@click.argument("token_id", metavar="ID", type=int)
def token_revoke(token_id):
    """Revoke a token: requests sending it are refused from now on."""
    from journeys.store import accounts

    with _store() as session, _store_errors():
        token = accounts.revoke_token(session=session, token_id=token_id)
    say(f"token {token.id} revoked")
