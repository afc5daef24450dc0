"""workshops: workshops, their participants, contributions, votes and feelings

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 02:30:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("journey_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("open_stages", sa.JSON(), nullable=False),
        sa.Column("moderation", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_revision", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["journey_id"], ["journey.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workshop_journey_id"), ["journey_id"], unique=False)
        batch_op.create_index(
            "ix_workshop_open_code",
            ["code"],
            unique=True,
            sqlite_where=sa.text("closed_at IS NULL"),
            postgresql_where=sa.text("closed_at IS NULL"),
        )

    op.create_table(
        "workshop_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshop.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("workshop_participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workshop_participant_workshop_id"), ["workshop_id"], unique=False
        )

    op.create_table(
        "workshop_feeling",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("step", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["workshop_participant.id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshop.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("participant_id", "step"),
    )
    with op.batch_alter_table("workshop_feeling", schema=None) as batch_op:
        batch_op.create_index(
            "ix_workshop_feeling_workshop_step", ["workshop_id", "step"], unique=False
        )

    op.create_table(
        "workshop_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("step", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("severity", sa.Integer(), nullable=True),
        sa.Column("votes", sa.BigInteger(), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("hidden_reason", sa.Text(), nullable=True),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.Column("edited", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["merged_into"], ["workshop_item.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["workshop_participant.id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshop.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("workshop_item", schema=None) as batch_op:
        batch_op.create_index(
            "ix_workshop_item_participant_created", ["participant_id", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_workshop_item_workshop_id"), ["workshop_id"], unique=False
        )

    op.create_table(
        "workshop_vote",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["workshop_item.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["workshop_participant.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("item_id", "participant_id"),
    )
    with op.batch_alter_table("workshop_vote", schema=None) as batch_op:
        batch_op.create_index(
            "ix_workshop_vote_participant_created", ["participant_id", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("workshop_vote", schema=None) as batch_op:
        batch_op.drop_index("ix_workshop_vote_participant_created")

    op.drop_table("workshop_vote")
    with op.batch_alter_table("workshop_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_item_workshop_id"))
        batch_op.drop_index("ix_workshop_item_participant_created")

    op.drop_table("workshop_item")
    with op.batch_alter_table("workshop_feeling", schema=None) as batch_op:
        batch_op.drop_index("ix_workshop_feeling_workshop_step")

    op.drop_table("workshop_feeling")
    with op.batch_alter_table("workshop_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_participant_workshop_id"))

    op.drop_table("workshop_participant")
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_workshop_open_code",
            sqlite_where=sa.text("closed_at IS NULL"),
            postgresql_where=sa.text("closed_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_workshop_journey_id"))

    op.drop_table("workshop")
