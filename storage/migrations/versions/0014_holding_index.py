"""an index on clients.holding_id: a holding's card lists its members

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-09
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clients_holding_id"), ["holding_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clients_holding_id"))
