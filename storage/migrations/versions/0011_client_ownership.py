"""client ownership periods: who owned a client from which day

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_ownerships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_client_ownerships_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_client_ownerships_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_ownerships")),
    )
    with op.batch_alter_table("client_ownerships", schema=None) as batch_op:
        batch_op.create_index(
            "ix_client_ownerships_client",
            ["client_id", "since", "until", "owner_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_client_ownerships_owner", ["owner_id", "until", "client_id"], unique=False
        )
    # Until now a client had one owner for all of its past: its current one, from the
    # beginning, until a hand-over closes that period.
    op.execute(
        "INSERT INTO client_ownerships (client_id, owner_id, since, until) "
        "SELECT id, owner_id, NULL, NULL FROM clients WHERE owner_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("client_ownerships", schema=None) as batch_op:
        batch_op.drop_index("ix_client_ownerships_owner")
        batch_op.drop_index("ix_client_ownerships_client")
    op.drop_table("client_ownerships")
