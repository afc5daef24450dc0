"""workshop items: indexes for a step's most endorsed and newest pain points

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 14:30:00.000000
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshop_item", schema=None) as batch_op:
        batch_op.create_index("ix_workshop_item_step_votes",
                              ["workshop_id", "step", "kind", "votes", "id"], unique=False)
        batch_op.create_index("ix_workshop_item_step_newest",
                              ["workshop_id", "step", "kind", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("workshop_item", schema=None) as batch_op:
        batch_op.drop_index("ix_workshop_item_step_newest")
        batch_op.drop_index("ix_workshop_item_step_votes")
