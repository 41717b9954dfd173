"""import switch: pending operations per imported table, run heartbeat and one active run

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

MONEY = storage.types.MinorUnits
AT = storage.types.UTCDateTime


def _pending(target: str, *columns: sa.Column[Any]) -> None:
    name = f"import_pending_{target}"
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        *columns,
        sa.ForeignKeyConstraint(
            ["run_id"], ["import_runs.id"], name=op.f(f"fk_{name}_run_id_import_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    op.create_index(f"ix_{name}_run", name, ["run_id", "op", "target_id"], unique=False)


def _c(name: str, type_: Any) -> sa.Column[Any]:
    return sa.Column(name, type_, nullable=True)


def upgrade() -> None:
    _pending(
        "contracts",
        _c("client_id", sa.Integer()),
        _c("number", sa.String(length=128)),
        _c("signed_on", sa.Date()),
        _c("deferral_days", sa.Integer()),
        _c("credit_limit", MONEY()),
        _c("penalty_rate", sa.String(length=16)),
        _c("currency", sa.String(length=3)),
        _c("removed_in_erp", sa.Boolean()),
        _c("updated_at", AT(timezone=True)),
    )
    _pending(
        "order_lines",
        _c("order_id", sa.Integer()),
        _c("line_no", sa.Integer()),
        _c("product_code", sa.String(length=64)),
        _c("product_name", sa.String(length=512)),
        _c("quantity", storage.types.Quantity()),
        _c("price", MONEY()),
        _c("amount", MONEY()),
        _c("removed_in_erp", sa.Boolean()),
    )
    _pending(
        "orders",
        _c("number", sa.String(length=64)),
        _c("order_date", sa.Date()),
        _c("client_id", sa.Integer()),
        _c("contract_id", sa.Integer()),
        _c("status", sa.String(length=64)),
        _c("amount", MONEY()),
        _c("currency", sa.String(length=3)),
        _c("ship_date", sa.Date()),
        _c("removed_in_erp", sa.Boolean()),
        _c("updated_at", AT(timezone=True)),
        _c("previous_status", sa.String(length=64)),
    )
    _pending(
        "payments",
        _c("number", sa.String(length=64)),
        _c("paid_on", sa.Date()),
        _c("client_id", sa.Integer()),
        _c("contract_id", sa.Integer()),
        _c("shipment_id", sa.Integer()),
        _c("amount", MONEY()),
        _c("currency", sa.String(length=3)),
        _c("removed_in_erp", sa.Boolean()),
        _c("updated_at", AT(timezone=True)),
    )
    _pending(
        "shipments",
        _c("number", sa.String(length=64)),
        _c("shipped_on", sa.Date()),
        _c("client_id", sa.Integer()),
        _c("contract_id", sa.Integer()),
        _c("order_id", sa.Integer()),
        _c("base_shipment_id", sa.Integer()),
        _c("amount", MONEY()),
        _c("currency", sa.String(length=3)),
        _c("due_on", sa.Date()),
        _c("removed_in_erp", sa.Boolean()),
        _c("open_amount", MONEY()),
        _c("updated_at", AT(timezone=True)),
        _c("base_number", sa.String(length=64)),
        _c("base_shipped_on", sa.Date()),
    )
    _pending(
        "clients",
        _c("external_id", sa.String(length=64)),
        _c("name", sa.String(length=512)),
        _c("search_key", sa.String(length=512)),
        _c("inn", sa.String(length=12)),
        _c("kpp", sa.String(length=9)),
        _c("holding_id", sa.Integer()),
        _c("tier", sa.String(length=1)),
        _c("is_key", sa.Boolean()),
        _c("owner_id", sa.Integer()),
        _c("owner_source", sa.String(length=8)),
        _c("erp_manager", sa.String(length=256)),
        _c("removed_in_erp", sa.Boolean()),
        _c("created_at", AT(timezone=True)),
        _c("updated_at", AT(timezone=True)),
        _c("holding_code", sa.String(length=64)),
    )
    _pending(
        "products",
        _c("code", sa.String(length=64)),
        _c("name", sa.String(length=512)),
        _c("search_key", sa.String(length=512)),
        _c("unit", sa.String(length=16)),
    )
    _pending(
        "prices",
        _c("product_id", sa.Integer()),
        _c("price", MONEY()),
        _c("currency", sa.String(length=3)),
        _c("effective_from", sa.Date()),
        _c("removed_in_erp", sa.Boolean()),
        _c("updated_at", AT(timezone=True)),
        _c("product_code", sa.String(length=64)),
    )
    _pending(
        "plans",
        _c("user_id", sa.Integer()),
        _c("client_id", sa.Integer()),
        _c("period_start", sa.Date()),
        _c("period_end", sa.Date()),
        _c("amount", MONEY()),
        _c("currency", sa.String(length=3)),
        _c("updated_at", AT(timezone=True)),
        _c("previous_amount", MONEY()),
    )
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heartbeat_at", AT(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("active", sa.Boolean(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_import_runs_active"), ["active"])


def downgrade() -> None:
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_import_runs_active"), type_="unique")
        batch_op.drop_column("active")
        batch_op.drop_column("heartbeat_at")
    for target in (
        "plans",
        "prices",
        "products",
        "clients",
        "shipments",
        "payments",
        "orders",
        "order_lines",
        "contracts",
    ):
        op.drop_index(f"ix_import_pending_{target}_run", table_name=f"import_pending_{target}")
        op.drop_table(f"import_pending_{target}")
