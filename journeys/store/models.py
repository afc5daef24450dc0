"""SQLModel tables: teams, users, memberships, journeys and their parts.

All table models live here. A journey's stages, steps and transitions keep their
document order in a ``position`` column and their document id in ``slug``, so a
stored journey exports back to the same document. Schema changes go through the
Alembic migrations in ``journeys/store/migrations``.
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

TEAM_NAME_MAX = 100
"""The longest team name, in characters; checked before the database sees it."""
ACTOR_NAME_MAX = 254


class UTCDateTime(sa.TypeDecorator):
    """A time with its time zone on every database: SQLite drops it, so UTC is attached."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        if value is not None and dialect.name == "sqlite":
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _now() -> datetime:
    return datetime.now(UTC)


def _time(**kwargs):
    return Field(default_factory=_now, sa_type=UTCDateTime, **kwargs)


def _json_list():
    return Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))


class Team(SQLModel, table=True):
    """A service design team; it owns journeys."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=TEAM_NAME_MAX, unique=True)
    # The language of the team's pages ("en" or "fr"); members may override it.
    language: str = Field(default="en", max_length=8)
    created_at: datetime = _time()


class User(SQLModel, table=True):
    """A person who signs in to the tool (citizens in workshops need no account)."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    name: str = Field(max_length=100)
    password_hash: str | None = Field(default=None, max_length=255)
    # None: the language of the team being viewed.
    language: str | None = Field(default=None, max_length=8)
    # Bumped on sign-out and password change: a session cookie carrying an older
    # number is refused, so a signed-out session cannot be replayed.
    session_version: int = Field(default=1)
    created_at: datetime = _time()


class Membership(SQLModel, table=True):
    """A user's role in a team."""

    team_id: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    role: str = Field(default="editor", max_length=20)


class JourneyRow(SQLModel, table=True):
    """A stored journey: the document's top-level fields and its owning team."""

    __tablename__ = "journey"

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    service: str | None = Field(default=None, max_length=200)
    service_type: str | None = Field(default=None, max_length=20)
    organization: str | None = Field(default=None, max_length=200)
    persona_name: str | None = Field(default=None, max_length=100)
    persona_description: str | None = Field(default=None, sa_type=sa.Text)
    persona_needs: list[str] | None = Field(default=None, sa_column=sa.Column(sa.JSON))
    state: str = Field(default="as-is", max_length=10)
    reviewed_on: date | None = None
    # The number of the journey's latest revision: a write names the version it was based
    # on, and a stale one is refused (see journeys.store.services).
    version: int = Field(default=1)
    created_at: datetime = _time()
    updated_at: datetime = _time()
    # Set when the journey is deleted; it can be undeleted until it is purged (30 days).
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)


class StageRow(SQLModel, table=True):
    """A stage of a stored journey."""

    __tablename__ = "stage"
    __table_args__ = (sa.UniqueConstraint("journey_id", "slug"),
                      sa.Index("ix_stage_journey_position", "journey_id", "position"))

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int = Field(foreign_key="journey.id", index=True, ondelete="CASCADE")
    position: int
    slug: str = Field(max_length=64)
    name: str = Field(max_length=100)
    description: str | None = Field(default=None, sa_type=sa.Text)


class StepRow(SQLModel, table=True):
    """A step (touchpoint) of a stored journey."""

    __tablename__ = "step"
    __table_args__ = (sa.UniqueConstraint("journey_id", "slug"),
                      sa.Index("ix_step_journey_position", "journey_id", "position"))

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int = Field(foreign_key="journey.id", index=True, ondelete="CASCADE")
    stage_id: int = Field(foreign_key="stage.id", index=True, ondelete="CASCADE")
    position: int
    slug: str = Field(max_length=64)
    title: str = Field(max_length=200)
    description: str | None = Field(default=None, sa_type=sa.Text)
    channel: str = Field(default="web", max_length=20)
    actor: str = Field(default="citizen", max_length=20)
    agency: str | None = Field(default=None, max_length=200)
    visibility: str = Field(default="frontstage", max_length=20)
    level: int | None = None
    target_level: int | None = None
    emotion: int | None = None
    moment_of_truth: bool = False
    effort_minutes: float | None = None
    wait_days: float | None = None
    ideas: list[str] = _json_list()
    measure: str | None = Field(default=None, max_length=200)
    evidence: str = Field(default="assumed", max_length=20)
    tags: list[str] = _json_list()


class TransitionRow(SQLModel, table=True):
    """A transition between two steps of the same journey."""

    __tablename__ = "transition"
    __table_args__ = (sa.UniqueConstraint("journey_id", "from_step_id", "to_step_id"),
                      sa.Index("ix_transition_journey_position", "journey_id", "position"))

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int = Field(foreign_key="journey.id", index=True, ondelete="CASCADE")
    position: int
    from_step_id: int = Field(foreign_key="step.id", ondelete="CASCADE")
    to_step_id: int = Field(foreign_key="step.id", ondelete="CASCADE")
    label: str | None = Field(default=None, max_length=200)
    kind: str = Field(default="flow", max_length=20)


class CheckResultRow(SQLModel, table=True):
    """The team's answer to one catalogue check at one step."""

    __tablename__ = "check_result"
    __table_args__ = (sa.UniqueConstraint("step_id", "check_id"),)

    id: int | None = Field(default=None, primary_key=True)
    step_id: int = Field(foreign_key="step.id", index=True, ondelete="CASCADE")
    position: int
    check_id: str = Field(max_length=10)
    result: str = Field(max_length=10)
    note: str | None = Field(default=None, sa_type=sa.Text)
    # The document gave the answer as an object ({"result": …}) rather than a string.
    as_object: bool = False


class PainPointRow(SQLModel, table=True):
    """A pain point raised at a step, by the team, a citizen or data."""

    __tablename__ = "pain_point"

    id: int | None = Field(default=None, primary_key=True)
    step_id: int = Field(foreign_key="step.id", index=True, ondelete="CASCADE")
    position: int
    text: str = Field(sa_type=sa.Text)
    category: str = Field(default="other", max_length=20)
    severity: int = 2
    source: str = Field(default="team", max_length=20)
    # BigInteger: PostgreSQL's integer is 32-bit, the format's votes go to 2**63 - 1.
    votes: int = Field(default=0, sa_type=sa.BigInteger)
    created_at: datetime = _time()


class RevisionRow(SQLModel, table=True):
    """One write to a journey: who, when, and what changed, enough to rebuild the journey.

    Revision 1 (the import or creation) and every replace or restore keep a full
    ``snapshot`` of the document; the others keep per-object ``changes`` (before and
    after), replayed from the nearest snapshot to rebuild the journey at that revision.
    """

    __tablename__ = "revision"
    __table_args__ = (sa.UniqueConstraint("journey_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int = Field(foreign_key="journey.id", index=True, ondelete="CASCADE")
    number: int
    created_at: datetime = _time()
    user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    actor_name: str = Field(max_length=ACTOR_NAME_MAX)
    summary: str = Field(sa_type=sa.Text)
    changes: list = _json_list()
    snapshot: dict | None = Field(default=None,
                                  sa_column=sa.Column(sa.JSON(none_as_null=True)))


# Accounts: invitations to a team and personal API tokens. Their secrets are shown
# once and stored only as SHA-256 digests.


class Invite(SQLModel, table=True):
    """A link that makes whoever follows it a member of a team; single use, expiring."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=20)
    token_hash: str = Field(max_length=64, unique=True)
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = _time()
    expires_at: datetime = Field(sa_type=UTCDateTime)
    accepted_by: int | None = Field(default=None, foreign_key="users.id",
                                    ondelete="SET NULL")
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ApiToken(SQLModel, table=True):
    """A personal API token: it acts as its user, with the user's roles."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    name: str | None = Field(default=None, max_length=100)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = _time()
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# Workshops: citizens' contributions to a journey, kept apart from the journey's own tables
# until the workshop closes (see journeys.store.workshops). Participants have no account:
# a random token per participant and workshop, stored only as its SHA-256 digest.


class Workshop(SQLModel, table=True):
    """A co-creation workshop on one journey, joined with a short code."""

    __table_args__ = (
        # A code names one open workshop; closed ones keep theirs for the record.
        sa.Index("ix_workshop_open_code", "code", unique=True,
                 sqlite_where=sa.text("closed_at IS NULL"),
                 postgresql_where=sa.text("closed_at IS NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int = Field(foreign_key="journey.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    code: str = Field(max_length=8)
    open_stages: list[str] = _json_list()
    moderation: str = Field(default="after", max_length=10)
    language: str = Field(default="en", max_length=8)
    closes_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Bumped by every contribution and moderation: a poll that has seen it needs nothing.
    revision: int = Field(default=0, sa_type=sa.BigInteger)
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = _time()
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The journey's revision that holds what the citizens contributed.
    closed_revision: int | None = None


class WorkshopParticipant(SQLModel, table=True):
    """A citizen who joined a workshop; known only by the digest of their token."""

    __tablename__ = "workshop_participant"

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    display_name: str | None = Field(default=None, max_length=100)
    created_at: datetime = _time()


class WorkshopItem(SQLModel, table=True):
    """A pain point or an idea a participant tagged on a step during a workshop."""

    __tablename__ = "workshop_item"
    __table_args__ = (
        sa.Index("ix_workshop_item_participant_created", "participant_id", "created_at"),
        # A participant's page reads a step's most endorsed and newest pain points by these
        # two, without sorting every item of a room of a thousand.
        sa.Index("ix_workshop_item_step_votes", "workshop_id", "step", "kind", "votes", "id"),
        sa.Index("ix_workshop_item_step_newest", "workshop_id", "step", "kind", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    participant_id: int = Field(foreign_key="workshop_participant.id", ondelete="CASCADE")
    step: str = Field(max_length=64)
    kind: str = Field(max_length=10)  # "pain" or "idea"
    text: str = Field(sa_type=sa.Text)
    category: str | None = Field(default=None, max_length=20)
    severity: int | None = None
    # The number of vote rows of the item, kept in step with them in each vote's transaction.
    votes: int = Field(default=0, sa_type=sa.BigInteger)
    approved: bool = True
    hidden_reason: str | None = Field(default=None, sa_type=sa.Text)
    merged_into: int | None = Field(default=None, foreign_key="workshop_item.id",
                                    ondelete="SET NULL")
    edited: bool = False
    created_at: datetime = _time()


class WorkshopVote(SQLModel, table=True):
    """One participant's endorsement of one item: the primary key makes it one per pair."""

    __tablename__ = "workshop_vote"
    __table_args__ = (sa.Index("ix_workshop_vote_participant_created", "participant_id",
                               "created_at"),)

    item_id: int = Field(foreign_key="workshop_item.id", primary_key=True,
                         ondelete="CASCADE")
    participant_id: int = Field(foreign_key="workshop_participant.id", primary_key=True,
                                ondelete="CASCADE")
    created_at: datetime = _time()


class WorkshopFeeling(SQLModel, table=True):
    """How a step felt to one participant (−2…+2); one per participant and step."""

    __tablename__ = "workshop_feeling"
    __table_args__ = (sa.UniqueConstraint("participant_id", "step"),
                      sa.Index("ix_workshop_feeling_workshop_step", "workshop_id", "step"))

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", ondelete="CASCADE")
    participant_id: int = Field(foreign_key="workshop_participant.id", ondelete="CASCADE")
    step: str = Field(max_length=64)
    value: int
    updated_at: datetime = _time()
