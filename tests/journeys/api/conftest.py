"""Two teams with a journey each, and a token per role: owner, editor, viewer, outsider."""

from dataclasses import dataclass

import pytest

from journeys.domain.schemas import load_document
from journeys.store import accounts
from journeys.store import services as store


@dataclass
class World:
    """Who is who, their tokens, and the journeys of the two teams."""

    tokens: dict[str, str]
    journey: int  # in team A
    other_journey: int  # in team B
    team: int
    other_team: int

    def auth(self, who: str) -> dict[str, str]:
        """The Authorization header of ``who``'s token."""
        return {"Authorization": f"Bearer {self.tokens[who]}"}


@pytest.fixture
def world(session, samples_dir) -> World:
    """Team A (owner, editor, viewer) with the road-defect sample; team B with its own."""
    sample = load_document((samples_dir / "report-a-road-defect.json").read_bytes())
    birth = load_document((samples_dir / "register-a-birth.json").read_bytes())
    users = {}
    for who in ("owner", "editor", "viewer", "outsider", "revoked"):
        users[who] = accounts.create_user(session=session, email=f"{who}@example.org",
                                          name=who.title())
    team = accounts.create_team(session=session, actor=store.SYSTEM, name="Roads",
                                owner_email="owner@example.org")
    other = accounts.create_team(session=session, actor=store.SYSTEM, name="Registry",
                                 owner_email="outsider@example.org")
    for who, role in (("editor", "editor"), ("viewer", "viewer"), ("revoked", "owner")):
        accounts.add_member(session=session, actor=store.SYSTEM, team_id=team.id,
                            email=f"{who}@example.org", role=role)
    tokens = {}
    for who, user in users.items():
        row, tokens[who] = accounts.create_token(session=session, user_id=user.id, name="test")
        if who == "revoked":
            accounts.revoke_token(session=session, token_id=row.id)
    journey = store.import_journey(session=session, actor=store.SYSTEM, journey=sample,
                                   team_id=team.id)
    other_journey = store.import_journey(session=session, actor=store.SYSTEM, journey=birth,
                                         team_id=other.id)
    return World(tokens, journey, other_journey, team.id, other.id)
