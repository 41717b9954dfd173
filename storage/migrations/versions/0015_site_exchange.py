"""1C's site exchange: products' 1C ids, warehouses and stock, orders taken in the chat,
and the exchange's log

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

AT = storage.types.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("onec_id", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("unit_code", sa.String(length=8), nullable=True))
        batch_op.add_column(
            sa.Column("removed_in_erp", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_unique_constraint(batch_op.f("uq_products_onec_id"), ["onec_id"])
    # The import's pending copy of the products table carries every column of it.
    with op.batch_alter_table("import_pending_products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("onec_id", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("unit_code", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("removed_in_erp", sa.Boolean(), nullable=True))
    op.create_table(
        "warehouses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("onec_id", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=False),
        sa.Column("updated_at", AT(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warehouses")),
        sa.UniqueConstraint("onec_id", name=op.f("uq_warehouses_onec_id")),
    )
    op.create_table(
        "stock_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("quantity", storage.types.Quantity(), nullable=False),
        sa.Column("updated_at", AT(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_stock_levels_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_stock_levels_warehouse_id_warehouses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_levels")),
        sa.UniqueConstraint(
            "product_id", "warehouse_id", name="uq_stock_levels_product_warehouse"
        ),
    )
    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stock_levels_product_id"), ["product_id"])
    op.create_table(
        "chat_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("site_id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("delivery_date", sa.Date(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("amount", storage.types.MinorUnits(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("queried_version", sa.Integer(), nullable=True),
        sa.Column("exported_version", sa.Integer(), nullable=True),
        sa.Column("exported_at", AT(timezone=True), nullable=True),
        sa.Column("onec_number", sa.String(length=64), nullable=True),
        sa.Column("onec_date", sa.Date(), nullable=True),
        sa.Column("onec_status", sa.String(length=128), nullable=True),
        sa.Column("created_at", AT(timezone=True), nullable=False),
        sa.Column("updated_at", AT(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_chat_orders_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"], ["users.id"], name=op.f("fk_chat_orders_manager_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_orders")),
        sa.UniqueConstraint("number", name=op.f("uq_chat_orders_number")),
        sa.UniqueConstraint("site_id", name=op.f("uq_chat_orders_site_id")),
    )
    with op.batch_alter_table("chat_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chat_orders_client_id"), ["client_id"])
        batch_op.create_index(batch_op.f("ix_chat_orders_manager_id"), ["manager_id"])
        batch_op.create_index(batch_op.f("ix_chat_orders_state"), ["state"])
    op.create_table(
        "chat_order_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", storage.types.Quantity(), nullable=False),
        sa.Column("price", storage.types.MinorUnits(), nullable=False),
        sa.Column("amount", storage.types.MinorUnits(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["chat_orders.id"], name=op.f("fk_chat_order_lines_order_id_chat_orders")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_chat_order_lines_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_order_lines")),
        sa.UniqueConstraint("order_id", "line_no", name="uq_chat_order_lines_order_line"),
    )
    with op.batch_alter_table("chat_order_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chat_order_lines_order_id"), ["order_id"])
    op.create_table(
        "exchange_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exchange_type", sa.String(length=8), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.String(length=256), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("started_at", AT(timezone=True), nullable=False),
        sa.Column("finished_at", AT(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_runs")),
    )
    with op.batch_alter_table("exchange_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exchange_runs_started_at"), ["started_at"])


def downgrade() -> None:
    op.drop_table("exchange_runs")
    op.drop_table("chat_order_lines")
    op.drop_table("chat_orders")
    op.drop_table("stock_levels")
    op.drop_table("warehouses")
    with op.batch_alter_table("import_pending_products", schema=None) as batch_op:
        batch_op.drop_column("removed_in_erp")
        batch_op.drop_column("unit_code")
        batch_op.drop_column("onec_id")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_products_onec_id"), type_="unique")
        batch_op.drop_column("removed_in_erp")
        batch_op.drop_column("unit_code")
        batch_op.drop_column("onec_id")
