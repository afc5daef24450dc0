"""Who acts: a user with their roles per team, or the explicit system actor.

Every store service takes an actor; none reads "no actor" as "may do everything". The
command line acts as :data:`SYSTEM`, the machine's owner, who has every role in every team.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from sqlmodel import Session, select

ROLES = ("viewer", "editor", "owner")
"""Viewers read, editors also write, owners also manage members and delete journeys."""

_RANK = {role: rank for rank, role in enumerate(ROLES)}


@dataclass(frozen=True)
class Actor:
    """Someone acting on the store: ``roles`` maps team id → role."""

    user_id: int | None
    name: str
    roles: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))
    is_system: bool = False


SYSTEM = Actor(user_id=None, name="command line", is_system=True)
"""The actor of the command line: every team, every role."""


def can(actor: Actor, team_id: int, need: str) -> bool:
    """Whether ``actor`` holds at least the role ``need`` in the team."""
    if need not in _RANK:
        raise ValueError(f"{need!r} is not a role (roles: {', '.join(ROLES)})")
    if actor.is_system:
        return True
    role = actor.roles.get(team_id)
    return role is not None and _RANK.get(role, -1) >= _RANK[need]


def actor_for_user(*, session: Session, user_id: int) -> Actor:
    """The actor of a signed-in user, with their role in each of their teams."""
    from journeys.store.errors import NotFound
    from journeys.store.models import Membership, User

    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    roles = dict(session.exec(select(Membership.team_id, Membership.role)
                              .where(Membership.user_id == user_id)).all())
    return Actor(user_id=user.id, name=user.name or user.email,
                 roles=MappingProxyType(roles))
