"""the HTTP API's tokens and the live 1C sync's record per entity

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

AT = storage.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", AT(timezone=True), nullable=False),
        sa.Column("revoked_at", AT(timezone=True), nullable=True),
        sa.Column("last_used_at", AT(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_table(
        "erp_sync_entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("last_run_at", AT(timezone=True), nullable=True),
        sa.Column("last_success_at", AT(timezone=True), nullable=True),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_changed", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erp_sync_entities")),
        sa.UniqueConstraint("entity", name=op.f("uq_erp_sync_entities_entity")),
    )


def downgrade() -> None:
    op.drop_table("erp_sync_entities")
    op.drop_table("api_tokens")
