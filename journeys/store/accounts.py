"""Accounts: users and passwords, teams and their members, invites and API tokens.

Plain functions with keyword-only arguments, the session (and, for team management,
the acting ``Actor``) passed in; each write is one transaction. Roles and who may do
what come from ``journeys.store.actors``: viewers read, editors write, owners also
manage members. A team always keeps at least one owner.

Passwords are hashed with Argon2id (argon2-cffi) and rehashed on the next successful
sign-in when the parameters change; an unknown email costs the same work as a wrong
password, so timing does not tell which accounts exist. Invite and API tokens are
random (``secrets``), shown once, and stored only as their SHA-256 digest.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select, update

from journeys.domain.text import INVISIBLE_CHARS, visible
from journeys.store.actors import ROLES, Actor, can
from journeys.store.errors import Forbidden, NotFound, StoreError
from journeys.store.models import TEAM_NAME_MAX, ApiToken, Invite, Membership, Team, User
from journeys.store.services.common import MAX_ID, write
from journeys.store.services.common import now as _now
from journeys.store.services.journeys import DEMO_TEAM, check_team_name, get_or_create_team

# Limits come from the columns, so SQLite and PostgreSQL refuse nothing we accepted.
EMAIL_MAX = User.__table__.c.email.type.length
USER_NAME_MAX = User.__table__.c.name.type.length
TOKEN_NAME_MAX = ApiToken.__table__.c.name.type.length
PASSWORD_MIN = 10
PASSWORD_MAX = 1024
LANGUAGES = ("en", "fr")
TOKEN_PREFIX = "cj_"  # noqa: S105  (a marker, not a secret: lets scanners spot leaked tokens)
TOKEN_MAX_DAYS = 3650
INVITE_MAX = timedelta(days=90)
# A token's last use is recorded at most this often, so reads do not all become writes.
LAST_USE_PRECISION = timedelta(minutes=1)

DEMO_EMAIL = "demo@example.org"
DEMO_PASSWORD = "journeys-demo"  # noqa: S105  (documented: for trying the tool locally)
DEMO_NAME = "Demo designer"

# Argon2id with argon2-cffi's defaults (RFC 9106, low-memory profile). Raising the
# parameters here upgrades every stored hash at its user's next sign-in.
PASSWORD_HASHER = PasswordHasher()

_CONTROL = re.compile(f"[{INVISIBLE_CHARS}\t\n\r]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


class InvalidInput(StoreError):
    """A value a user gave is refused; ``field`` names it, so a form can show it there."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class InviteError(StoreError):
    """An invite link that is unknown, used or expired."""


@dataclass(frozen=True)
class Member:
    """A member of a team, as the team pages and ``journeys team list`` show one."""

    user_id: int
    email: str
    name: str
    role: str


def _get(session: Session, model, key):
    """The row with this id, or None; ids a database integer cannot hold are not found."""
    if isinstance(key, bool) or not isinstance(key, int) or not 0 < key <= MAX_ID:
        return None
    return session.get(model, key)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


# Checking values ------------------------------------------------------------------------


def normalise_email(email: str) -> str:
    """The form an email is stored and looked up in: no surrounding space, lower case."""
    return email.strip().lower()


def _check_email(email, field: str = "email") -> str:
    if not isinstance(email, str) or not email.strip():
        raise InvalidInput(field, "an email address is required")
    email = normalise_email(email)
    if len(email) > EMAIL_MAX:
        raise InvalidInput(field, f"is {len(email)} characters long; at most {EMAIL_MAX} "
                                  "are allowed")
    if _CONTROL.search(email) or not _EMAIL.fullmatch(email):
        raise InvalidInput(field, f"{visible(email)!r} is not an email address "
                                  "(expected something like name@example.org)")
    return email


def _check_text(field: str, value, max_length: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(field, "must not be empty")
    value = value.strip()
    if len(value) > max_length:
        raise InvalidInput(field, f"is {len(value)} characters long; at most {max_length} "
                                  "are allowed")
    if _CONTROL.search(value):
        raise InvalidInput(field, "must not contain control characters or line breaks")
    return value


def _check_password(password) -> str:
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        raise InvalidInput("password", f"must be at least {PASSWORD_MIN} characters long")
    if len(password) > PASSWORD_MAX:
        raise InvalidInput("password", f"must be at most {PASSWORD_MAX} characters long")
    return password


def _check_role(role) -> str:
    if role not in ROLES:
        raise InvalidInput("role", f"{visible(str(role))!r} is not a role "
                                   f"(roles: {', '.join(ROLES)})")
    return role


def _check_language(language, field: str = "language") -> str:
    if language not in LANGUAGES:
        raise InvalidInput(field, f"{visible(str(language))!r} is not a language of the tool "
                                  f"(languages: {', '.join(LANGUAGES)})")
    return language


# Users and passwords --------------------------------------------------------------------


def create_user(*, session: Session, email: str, name: str | None = None,
                password: str | None = None, language: str | None = None) -> User:
    """Create an account; without a password it cannot sign in until one is set.

    The name defaults to the part of the email before the @.
    """
    email = _check_email(email)
    name = (_check_text("name", name, USER_NAME_MAX) if name is not None
            else email.split("@", 1)[0][:USER_NAME_MAX])
    if language is not None:
        _check_language(language)
    # Hash before the transaction: 0.1 s of Argon2 should not hold a write lock.
    password_hash = PASSWORD_HASHER.hash(_check_password(password)) if password is not None \
        else None
    duplicate = InvalidInput("email", f"an account with the email {email} already exists")
    with write(session):
        if session.exec(select(User.id).where(User.email == email)).first() is not None:
            raise duplicate
        user = User(email=email, name=name, password_hash=password_hash, language=language)
        session.add(user)
        try:
            session.flush()
        except IntegrityError as exc:  # created by someone else since the check
            raise duplicate from exc
    return user


def get_user(*, session: Session, user_id: int) -> User:
    """The user with this id, or NotFound."""
    user = _get(session, User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    return user


def find_user(*, session: Session, email: str) -> User:
    """The user with this email (normalised), or NotFound."""
    user = None
    if isinstance(email, str) and len(email) <= 4 * EMAIL_MAX:
        user = session.exec(select(User).where(User.email == normalise_email(email))).first()
    if user is None:
        raise NotFound(f"there is no account with the email {visible(str(email).strip())}")
    return user


def list_users(*, session: Session) -> list[User]:
    """Every account, by email."""
    return list(session.exec(select(User).order_by(User.email)))


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash(secrets.token_urlsafe(16))


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    """The user whose email and password these are, else None.

    An unknown email, an account without a password and a wrong password all cost one
    Argon2 verification. A hash made with older parameters is replaced on success.
    """
    hasher = PASSWORD_HASHER
    if not isinstance(password, str):
        password = ""
    password = password[:PASSWORD_MAX + 1]
    user = None
    if isinstance(email, str) and len(email) <= 4 * EMAIL_MAX:
        user = session.exec(select(User).where(User.email == normalise_email(email))).first()
    if user is None or user.password_hash is None or len(password) > PASSWORD_MAX:
        try:
            hasher.verify(_dummy_hash(hasher), password)
        except VerificationError:
            pass
        return None
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if hasher.check_needs_rehash(user.password_hash):
        new_hash = hasher.hash(password)
        with write(session):
            user.password_hash = new_hash
            session.add(user)
    return user


def set_password(*, session: Session, user_id: int, password: str) -> User:
    """Set a user's password; sessions signed in before the change stop working."""
    password_hash = PASSWORD_HASHER.hash(_check_password(password))
    with write(session):
        user = get_user(session=session, user_id=user_id)
        user.password_hash = password_hash
        user.session_version += 1
        session.add(user)
    return user


def bump_session_version(*, session: Session, user_id: int) -> int:
    """Invalidate every signed-in session of the user (sign-out); return the new version."""
    with write(session):
        get_user(session=session, user_id=user_id)
        session.exec(update(User).where(User.id == user_id)
                     .values(session_version=User.session_version + 1))
        version = session.exec(select(User.session_version).where(User.id == user_id)).one()
    session.expire_all()
    return version


def user_for_session(*, session: Session, user_id: int, session_version: int) -> User | None:
    """The user a signed-in session belongs to, or None once it was signed out since.

    The web keeps ``user.session_version`` in the session when the user signs in;
    signing out and changing the password bump the stored number, so an older
    session (a copied cookie, say) no longer matches.
    """
    user = _get(session, User, user_id)
    if user is None or user.session_version != session_version:
        return None
    return user


def set_user_language(*, session: Session, user_id: int, language: str | None) -> User:
    """Set the language a user sees the tool in; None follows the team's."""
    if language is not None:
        _check_language(language)
    with write(session):
        user = get_user(session=session, user_id=user_id)
        user.language = language
        session.add(user)
    return user


# Teams and members ----------------------------------------------------------------------


def _team_for(session: Session, actor: Actor, team_id: int, need: str) -> Team:
    """The team if the actor may see it, with role ``need``: NotFound, else Forbidden."""
    team = _get(session, Team, team_id)
    if team is None or not can(actor, team_id, "viewer"):
        raise NotFound(f"team {team_id} does not exist")
    if not can(actor, team_id, need):
        raise Forbidden(f"only a team {need} can do this in {team.name}")
    return team


def get_team(*, session: Session, actor: Actor, team_id: int) -> Team:
    """A team the actor is a member of, or NotFound (another team's id looks missing)."""
    return _team_for(session, actor, team_id, "viewer")


def find_team(*, session: Session, actor: Actor, name: str) -> Team:
    """A team by its exact name, among those the actor may see, or NotFound."""
    team = None
    if isinstance(name, str) and len(name) <= 4 * TEAM_NAME_MAX:
        team = session.exec(select(Team).where(Team.name == name.strip())).first()
    if team is None or not can(actor, team.id, "viewer"):
        raise NotFound(f"there is no team named {visible(str(name).strip())!r}")
    return team


def create_team(*, session: Session, actor: Actor, name: str, owner_email: str,
                language: str = "en") -> Team:
    """Create a team with its first owner. A user can only create a team they own."""
    try:
        name = check_team_name(name.strip() if isinstance(name, str) else name)
    except StoreError as exc:  # the same rules as for a team named on import
        raise InvalidInput("name", str(exc).removeprefix("team name: ")) from exc
    owner_email = _check_email(owner_email, "owner")
    _check_language(language)
    duplicate = InvalidInput("name", f"a team named {name!r} already exists")
    with write(session):
        owner = session.exec(select(User).where(User.email == owner_email)).first()
        if owner is None:
            raise InvalidInput("owner", f"there is no account with the email {owner_email}")
        if not actor.is_system and actor.user_id != owner.id:
            raise Forbidden("you can only create a team with yourself as its owner")
        if session.exec(select(Team.id).where(Team.name == name)).first() is not None:
            raise duplicate
        team = Team(name=name, language=language)
        session.add(team)
        try:
            session.flush()
        except IntegrityError as exc:
            raise duplicate from exc
        session.add(Membership(team_id=team.id, user_id=owner.id, role="owner"))
        session.flush()
    return team


def set_team_language(*, session: Session, actor: Actor, team_id: int, language: str) -> Team:
    """Set the language of a team's pages (owners only)."""
    _check_language(language)
    with write(session):
        team = _team_for(session, actor, team_id, "owner")
        team.language = language
        session.add(team)
    return team


def _membership(session: Session, team: Team, user_id: int) -> Membership:
    user = _get(session, User, user_id)
    membership = session.get(Membership, (team.id, user.id)) if user is not None else None
    if membership is None:
        raise NotFound(f"user {user_id} is not a member of {team.name}")
    return membership


def _lock_members(session: Session, team: Team) -> None:
    """Hold the team's row until commit, so two owners demoting each other at once take
    turns and the second sees the first's change (SQLite's write lock already does)."""
    session.exec(select(Team.id).where(Team.id == team.id).with_for_update()).one()


def _keep_an_owner(session: Session, team: Team, membership: Membership) -> None:
    """Refuse to take away the team's last owner."""
    if membership.role != "owner":
        return
    other = session.exec(
        select(Membership.user_id)
        .where(Membership.team_id == team.id, Membership.role == "owner",
               Membership.user_id != membership.user_id)
    ).first()
    if other is None:
        user = session.get(User, membership.user_id)
        raise StoreError(f"{user.name} is the last owner of {team.name}: make another member "
                         "an owner first")


def add_member(*, session: Session, actor: Actor, team_id: int, email: str,
               role: str) -> Membership:
    """Add an existing account to a team with a role (owners only)."""
    _check_role(role)
    email = _check_email(email)
    with write(session):
        team = _team_for(session, actor, team_id, "owner")
        user = session.exec(select(User).where(User.email == email)).first()
        if user is None:
            raise InvalidInput("email", f"there is no account with the email {email}")
        existing = session.get(Membership, (team.id, user.id))
        if existing is not None:
            raise InvalidInput("email", f"{email} is already a member of {team.name} "
                                        f"(as {existing.role})")
        membership = Membership(team_id=team.id, user_id=user.id, role=role)
        session.add(membership)
        try:
            session.flush()
        except IntegrityError as exc:  # added by another owner since the check
            raise InvalidInput("email", f"{email} is already a member of {team.name}") \
                from exc
    return membership


def set_role(*, session: Session, actor: Actor, team_id: int, user_id: int,
             role: str) -> Membership:
    """Change a member's role (owners only); the last owner cannot be demoted."""
    _check_role(role)
    with write(session):
        team = _team_for(session, actor, team_id, "owner")
        _lock_members(session, team)
        membership = _membership(session, team, user_id)
        if role != "owner":
            _keep_an_owner(session, team, membership)
        membership.role = role
        session.add(membership)
    return membership


def remove_member(*, session: Session, actor: Actor, team_id: int, user_id: int) -> None:
    """Take a member out of a team: owners remove anyone, members themselves.

    The last owner cannot be removed.
    """
    with write(session):
        leaving = not actor.is_system and actor.user_id == user_id
        team = _team_for(session, actor, team_id, "viewer" if leaving else "owner")
        _lock_members(session, team)
        membership = _membership(session, team, user_id)
        _keep_an_owner(session, team, membership)
        session.delete(membership)


def list_members(*, session: Session, actor: Actor, team_id: int) -> list[Member]:
    """The team's members, owners first, then by name (any member may see them)."""
    team = _team_for(session, actor, team_id, "viewer")
    rows = session.exec(
        select(User, Membership.role).join(Membership, Membership.user_id == User.id)
        .where(Membership.team_id == team.id)
    ).all()
    members = [Member(u.id, u.email, u.name, role) for u, role in rows]
    return sorted(members, key=lambda m: (-ROLES.index(m.role), m.name.casefold(), m.email))


def teams_of(*, session: Session, actor: Actor) -> list[tuple[Team, str]]:
    """The teams the actor belongs to, with its role in each, by name.

    The system actor sees every team, as owner.
    """
    if actor.is_system:
        return [(t, "owner") for t in session.exec(select(Team).order_by(Team.name))]
    if not actor.roles:
        return []
    teams = session.exec(select(Team).where(Team.id.in_(list(actor.roles)))
                         .order_by(Team.name))
    return [(t, actor.roles[t.id]) for t in teams]


# Invites --------------------------------------------------------------------------------


def create_invite(*, session: Session, actor: Actor, team_id: int, role: str,
                  expires_in: timedelta = timedelta(days=7)) -> str:
    """An invite link's token for joining a team with a role (owners only).

    The token is returned once and only its digest is stored; it works once.
    """
    _check_role(role)
    if not timedelta(0) < expires_in <= INVITE_MAX:
        raise InvalidInput("expires_in", f"an invite lasts between a minute and "
                                         f"{INVITE_MAX.days} days")
    token = secrets.token_urlsafe(32)
    with write(session):
        team = _team_for(session, actor, team_id, "owner")
        session.add(Invite(team_id=team.id, role=role, token_hash=_digest(token),
                           created_by=actor.user_id, expires_at=_now() + expires_in))
        session.flush()
    return token


def list_invites(*, session: Session, actor: Actor, team_id: int) -> list[Invite]:
    """The team's invites not yet used nor expired, newest first (owners only)."""
    team = _team_for(session, actor, team_id, "owner")
    now = _now()
    invites = session.exec(select(Invite).where(Invite.team_id == team.id,
                                                Invite.accepted_at.is_(None))
                           .order_by(Invite.id.desc()))
    return [i for i in invites if i.expires_at > now]


def revoke_invite(*, session: Session, actor: Actor, team_id: int, invite_id: int) -> None:
    """Withdraw an invite before anyone uses it (owners only)."""
    with write(session):
        team = _team_for(session, actor, team_id, "owner")
        invite = _get(session, Invite, invite_id)
        if invite is None or invite.team_id != team.id:
            raise NotFound(f"invite {invite_id} does not exist")
        session.delete(invite)


_STALE = "ask a team owner for a new invite link"


def _usable_invite(session: Session, token) -> Invite:
    """The invite of a link that can still be used, or an InviteError saying why not."""
    invite = None
    if isinstance(token, str) and 0 < len(token) <= 200:
        invite = session.exec(select(Invite).where(Invite.token_hash == _digest(token))).first()
    if invite is None or not hmac.compare_digest(invite.token_hash, _digest(token)):
        raise InviteError(f"this invite link is not valid: {_STALE}")
    if invite.accepted_at is not None:
        raise InviteError(f"this invite link has already been used: {_STALE}")
    expires_at = invite.expires_at
    if expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=_now().tzinfo)
    if expires_at <= _now():
        raise InviteError(f"this invite link expired on {expires_at:%Y-%m-%d at %H:%M} UTC: "
                          f"{_STALE}")
    return invite


@dataclass(frozen=True)
class InviteInfo:
    """What an invite link's page says before anyone accepts it."""

    team_id: int
    team_name: str
    role: str
    expires_at: datetime


def invite_info(*, session: Session, token: str) -> InviteInfo:
    """The team and role an invite link is for; an InviteError when it cannot be used."""
    invite = _usable_invite(session, token)
    team = session.get(Team, invite.team_id)
    return InviteInfo(team.id, team.name, invite.role, invite.expires_at)


def _take_invite(session: Session, invite: Invite, user_id: int) -> Team:
    """Mark the invite used by the user and make them a member (in the caller's write)."""
    # Conditional, so two people following one link at once cannot both join.
    taken = session.exec(update(Invite)
                         .where(Invite.id == invite.id, Invite.accepted_at.is_(None))
                         .values(accepted_at=_now(), accepted_by=user_id))
    if taken.rowcount != 1:
        raise InviteError(f"this invite link has already been used: {_STALE}")
    membership = session.get(Membership, (invite.team_id, user_id))
    if membership is None:
        session.add(Membership(team_id=invite.team_id, user_id=user_id, role=invite.role))
    elif ROLES.index(membership.role) < ROLES.index(invite.role):
        membership.role = invite.role
        session.add(membership)
    return session.get(Team, invite.team_id)


def accept_invite(*, session: Session, token: str, user_id: int) -> Team:
    """Join the team an invite is for, with its role; return the team.

    An unknown, used or expired token is refused with an InviteError. A member who
    already has a higher role keeps it.
    """
    invite = _usable_invite(session, token)
    with write(session):
        get_user(session=session, user_id=user_id)
        team = _take_invite(session, invite, user_id)
    session.expire(invite)
    return team


def join_with_new_account(*, session: Session, token: str, email: str, name: str,
                          password: str) -> tuple[User, Team]:
    """Create an account and join the invite's team with it, in one transaction.

    The invite is checked first (an InviteError), then the values (an InvalidInput naming
    the field); nothing is stored unless both the account and the membership are.
    """
    invite = _usable_invite(session, token)
    email = _check_email(email)
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("name", "must contain at least one character that is not white "
                                   "space")
    name = _check_text("name", name.strip(), USER_NAME_MAX)
    # Hash before the transaction: 0.1 s of Argon2 should not hold a write lock.
    password_hash = PASSWORD_HASHER.hash(_check_password(password))
    duplicate = InvalidInput("email", f"an account with the email {email} already exists: "
                                      "sign in with it to join")
    with write(session):
        if session.exec(select(User.id).where(User.email == email)).first() is not None:
            raise duplicate
        user = User(email=email, name=name, password_hash=password_hash)
        session.add(user)
        try:
            session.flush()
        except IntegrityError as exc:  # created by someone else since the check
            raise duplicate from exc
        team = _take_invite(session, invite, user.id)
    session.expire(invite)
    return user, team


# API tokens -----------------------------------------------------------------------------


def token_state(token: ApiToken, *, now: datetime | None = None) -> str:
    """``active``, ``expired`` or ``revoked``."""
    now = now or _now()
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"


def create_token(*, session: Session, user_id: int, name: str | None = None,
                 expires_days: int | None = None) -> tuple[ApiToken, str]:
    """A new personal API token for a user: the row and the token, shown only now."""
    if name is not None:
        name = _check_text("name", name, TOKEN_NAME_MAX)
    if expires_days is not None and (isinstance(expires_days, bool)
                                     or not isinstance(expires_days, int)
                                     or not 1 <= expires_days <= TOKEN_MAX_DAYS):
        raise InvalidInput("expires_days", f"must be a whole number of days from 1 to "
                                           f"{TOKEN_MAX_DAYS}")
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = _now()
    with write(session):
        get_user(session=session, user_id=user_id)
        token = ApiToken(user_id=user_id, name=name, token_hash=_digest(plaintext),
                         created_at=now,
                         expires_at=now + timedelta(days=expires_days) if expires_days else None)
        session.add(token)
        session.flush()
    return token, plaintext


def list_tokens(*, session: Session, user_id: int) -> list[ApiToken]:
    """A user's API tokens, oldest first, revoked and expired ones included."""
    get_user(session=session, user_id=user_id)
    return list(session.exec(select(ApiToken).where(ApiToken.user_id == user_id)
                             .order_by(ApiToken.id)))


def revoke_token(*, session: Session, token_id: int, user_id: int | None = None) -> ApiToken:
    """Revoke a token at once; with ``user_id``, only one of that user's (else NotFound)."""
    with write(session):
        token = _get(session, ApiToken, token_id)
        if token is None or (user_id is not None and token.user_id != user_id):
            raise NotFound(f"token {token_id} does not exist")
        if token.revoked_at is None:
            token.revoked_at = _now()
            session.add(token)
    return token


def user_for_token(*, session: Session, plaintext: str) -> User | None:
    """The user an API token acts for, or None when it is unknown, expired or revoked."""
    if not isinstance(plaintext, str) or not plaintext.startswith(TOKEN_PREFIX) \
            or len(plaintext) > 200:
        return None
    digest = _digest(plaintext)
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == digest)).first()
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    now = _now()
    if token_state(token, now=now) != "active":
        return None
    last = token.last_used_at
    if last is None or now - last >= LAST_USE_PRECISION:
        with write(session):
            session.exec(update(ApiToken).where(ApiToken.id == token.id)
                         .values(last_used_at=now))
        session.expire(token)
    return session.get(User, token.user_id)


# The demo account -----------------------------------------------------------------------


def ensure_demo_account(*, session: Session) -> tuple[str, str]:
    """Make sure the demo user exists and owns the demo team; return its email and password.

    An existing demo user keeps its password and name.
    """
    password_hash = None
    if session.exec(select(User.id).where(User.email == DEMO_EMAIL)).first() is None:
        password_hash = PASSWORD_HASHER.hash(DEMO_PASSWORD)
    with write(session):
        team = get_or_create_team(session=session, name=DEMO_TEAM)
        user = session.exec(select(User).where(User.email == DEMO_EMAIL)).first()
        if user is None:
            user = User(email=DEMO_EMAIL, name=DEMO_NAME,
                        password_hash=password_hash or PASSWORD_HASHER.hash(DEMO_PASSWORD))
            session.add(user)
            session.flush()
        membership = session.get(Membership, (team.id, user.id))
        if membership is None:
            session.add(Membership(team_id=team.id, user_id=user.id, role="owner"))
        elif membership.role != "owner":
            membership.role = "owner"
            session.add(membership)
    return DEMO_EMAIL, DEMO_PASSWORD
