"""What 1C's site exchange writes and reads: products by their 1C id, warehouses, stock,
prices of the configured price type, and the exchange's own log. A batch of a thousand
products or offers costs a few statements, whatever the batch holds."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, column, func, or_, select, table, update
from sqlalchemy.ext.asyncio import AsyncSession

# The DTOs of this repository, importable from here too.
from storage.exchange_dto import CurrentPrice as CurrentPrice
from storage.exchange_dto import ExchangeProduct as ExchangeProduct
from storage.exchange_dto import ExchangeRunDTO as ExchangeRunDTO
from storage.exchange_dto import KnownProduct as KnownProduct
from storage.exchange_dto import PriceRow as PriceRow
from storage.exchange_dto import StockRow as StockRow
from storage.exchange_dto import WarehouseStock as WarehouseStock
from storage.models import ExchangeRun, Price, Product, StockLevel, Warehouse
from storage.statements import dialect_insert

# The stock and price tables without their column types: save_stock and save_prices bind
# values the columns' own types converted already.
_PRICES = table(
    "prices",
    column("product_id"),
    column("price"),
    column("currency"),
    column("effective_from"),
    column("removed_in_erp"),
    column("updated_at"),
)
_STOCK = table(
    "stock_levels",
    column("product_id"),
    column("warehouse_id"),
    column("quantity"),
    column("updated_at"),
)


class ExchangeRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _insert(self, model: Any) -> Any:
        # Core statements on the tables: tens of thousands of rows skip the ORM's bulk path.
        return dialect_insert(self._session.get_bind().dialect.name, model.__table__)

    # --- products ------------------------------------------------------------------------

    async def known_products(
        self, onec_ids: Collection[str], codes: Collection[str]
    ) -> list[KnownProduct]:
        """The stored products with one of these 1C ids or codes (articles)."""
        rows = await self._session.execute(
            select(Product.id, Product.onec_id, Product.code).where(
                or_(Product.onec_id.in_(list(onec_ids)), Product.code.in_(list(codes)))
            )
        )
        return [KnownProduct._make(r) for r in rows]

    async def add_products(self, products: Sequence[ExchangeProduct]) -> dict[str, int]:
        """Insert new products; their 1C id → id."""
        if not products:
            return {}
        table: Any = Product.__table__
        result = await self._session.execute(
            self._insert(Product).returning(table.c.onec_id, table.c.id),
            [_product_values(p) for p in products],
        )
        return {str(k): int(v) for k, v in result}

    async def update_products(self, changes: Sequence[tuple[int, ExchangeProduct]]) -> None:
        """Write the exchange's view of stored products (the id first): name, unit, code,
        the 1C id a product of a file import gets here, and the deletion mark."""
        if changes:
            table: Any = Product.__table__
            values = _product_values(changes[0][1])
            await self._session.execute(
                update(table)
                .where(table.c.id == bindparam("product_id"))
                .values({name: bindparam(name) for name in values}),
                [{"product_id": pid, **_product_values(p)} for pid, p in changes],
            )

    # --- warehouses and stock --------------------------------------------------------------

    async def save_warehouses(self, names: dict[str, str], now: datetime) -> dict[str, int]:
        """Insert or rename the warehouses (1C id → name); all stored ones, 1C id → id."""
        if names:
            stmt = self._insert(Warehouse)
            await self._session.execute(
                stmt.on_conflict_do_update(
                    index_elements=["onec_id"],
                    set_={"name": stmt.excluded.name, "updated_at": stmt.excluded.updated_at},
                ),
                [{"onec_id": k, "name": v, "updated_at": now} for k, v in names.items()],
            )
        rows = await self._session.execute(select(Warehouse.onec_id, Warehouse.id))
        return {str(k): int(v) for k, v in rows}

    async def save_stock(self, rows: Sequence[StockRow], now: datetime) -> None:
        """Upsert stock lines. An offers package states 150,000 of them: the values are
        converted here, once per batch for the time, through the columns' own types, and
        written through an untyped view of the table, so SQLAlchemy does not process each
        of 600,000 parameters again (a third of the whole apply)."""
        if not rows:
            return
        dialect = self._session.get_bind().dialect
        columns: Any = StockLevel.__table__.c
        quantity = columns.quantity.type
        at = columns.updated_at.type.dialect_impl(dialect).bind_processor(dialect)
        stamp = at(now) if at else now
        stmt = dialect_insert(dialect.name, _STOCK)
        await self._session.execute(
            stmt.on_conflict_do_update(
                index_elements=["product_id", "warehouse_id"],
                set_={"quantity": stmt.excluded.quantity, "updated_at": stmt.excluded.updated_at},
            ),
            [
                {
                    "product_id": r.product_id,
                    "warehouse_id": r.warehouse_id,
                    "quantity": quantity.process_bind_param(r.quantity, dialect),
                    "updated_at": stamp,
                }
                for r in rows
            ],
        )

    async def stock_levels(self, product_ids: Collection[int]) -> dict[tuple[int, int], Decimal]:
        """(product id, warehouse id) → the stock stored."""
        rows = await self._session.execute(
            select(StockLevel.product_id, StockLevel.warehouse_id, StockLevel.quantity).where(
                StockLevel.product_id.in_(list(product_ids))
            )
        )
        return {(pid, wid): quantity for pid, wid, quantity in rows}

    async def clear_stock_not_stated_since(self, started: datetime) -> int:
        """A full offers package states all stock: what it left out is out of stock."""
        result: Any = await self._session.execute(
            update(StockLevel)
            .where(StockLevel.updated_at < started, StockLevel.quantity != 0)
            .values(quantity=Decimal(0), updated_at=started)
        )
        return int(result.rowcount or 0)

    async def stock_of(self, product_ids: Collection[int]) -> dict[int, list[WarehouseStock]]:
        """Per product, its stock per warehouse (by warehouse name)."""
        rows = await self._session.execute(
            select(
                StockLevel.product_id, Warehouse.name, StockLevel.quantity, StockLevel.updated_at
            )
            .join(Warehouse, Warehouse.id == StockLevel.warehouse_id)
            .where(StockLevel.product_id.in_(list(product_ids)))
            .order_by(StockLevel.product_id, Warehouse.name)
        )
        stock: dict[int, list[WarehouseStock]] = {}
        for product_id, name, quantity, at in rows:
            stock.setdefault(product_id, []).append(WarehouseStock(name, quantity, at))
        return stock

    # --- prices ----------------------------------------------------------------------------

    async def current_prices(
        self, product_ids: Collection[int], on: date
    ) -> dict[int, CurrentPrice]:
        """The price in effect on `on` of each product that has one."""
        latest = (
            select(Price.product_id, func.max(Price.effective_from).label("since"))
            .where(
                Price.product_id.in_(list(product_ids)),
                Price.effective_from <= on,
                Price.removed_in_erp.is_(False),
            )
            .group_by(Price.product_id)
            .subquery()
        )
        rows = await self._session.execute(
            select(Price.product_id, Price.price, Price.currency, Price.effective_from).join(
                latest,
                (latest.c.product_id == Price.product_id)
                & (latest.c.since == Price.effective_from),
            )
        )
        return {r[0]: CurrentPrice._make(r) for r in rows}

    async def save_prices(self, rows: Sequence[PriceRow], now: datetime) -> None:
        """A price per product and date: a second package of the same day corrects it.
        Bound as save_stock binds: converted here, written through an untyped view."""
        if not rows:
            return
        dialect = self._session.get_bind().dialect
        columns: Any = Price.__table__.c
        money = columns.price.type
        day = columns.effective_from.type.dialect_impl(dialect).bind_processor(dialect)
        at = columns.updated_at.type.dialect_impl(dialect).bind_processor(dialect)
        stamp = at(now) if at else now
        days = {r.effective_from: day(r.effective_from) if day else r.effective_from for r in rows}
        stmt = dialect_insert(dialect.name, _PRICES)
        await self._session.execute(
            stmt.on_conflict_do_update(
                index_elements=["product_id", "effective_from"],
                set_={
                    "price": stmt.excluded.price,
                    "currency": stmt.excluded.currency,
                    "removed_in_erp": stmt.excluded.removed_in_erp,
                    "updated_at": stmt.excluded.updated_at,
                },
            ),
            [
                {
                    "product_id": r.product_id,
                    "price": money.process_bind_param(r.price, dialect),
                    "currency": r.currency,
                    "effective_from": days[r.effective_from],
                    "removed_in_erp": False,
                    "updated_at": stamp,
                }
                for r in rows
            ],
        )

    # --- the log ---------------------------------------------------------------------------

    async def start_run(
        self, exchange_type: str, action: str, file_name: str | None, now: datetime
    ) -> int:
        run = ExchangeRun(
            exchange_type=exchange_type,
            action=action,
            file_name=file_name,
            status="running",
            counts={},
            started_at=now,
        )
        self._session.add(run)
        await self._session.flush()
        return run.id

    async def finish_run(
        self,
        run_id: int,
        status: str,
        counts: dict[str, Any],
        error: str | None,
        now: datetime,
    ) -> None:
        await self._session.execute(
            update(ExchangeRun)
            .where(ExchangeRun.id == run_id)
            .values(status=status, counts=counts, error=error, finished_at=now)
        )

    async def recent_runs(self, limit: int) -> list[ExchangeRunDTO]:
        rows = await self._session.execute(
            select(
                ExchangeRun.id,
                ExchangeRun.exchange_type,
                ExchangeRun.action,
                ExchangeRun.file_name,
                ExchangeRun.status,
                ExchangeRun.counts,
                ExchangeRun.error,
                ExchangeRun.started_at,
                ExchangeRun.finished_at,
            )
            .order_by(ExchangeRun.started_at.desc(), ExchangeRun.id.desc())
            .limit(limit)
        )
        return [ExchangeRunDTO._make(r) for r in rows]


def _product_values(product: ExchangeProduct) -> dict[str, Any]:
    return {
        "onec_id": product.onec_id,
        "code": product.code,
        "name": product.name,
        "search_key": product.search_key,
        "unit": product.unit,
        "unit_code": product.unit_code,
        "removed_in_erp": product.removed,
    }
