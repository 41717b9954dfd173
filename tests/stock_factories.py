"""Test data for stock: products, warehouses, stock and prices written as 1C's site
exchange writes them (through repos.exchange), and orders as the ERP import leaves them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from bot.runtime.factory import App
from bot.services.client_search import search_key
from storage.engine import Database
from storage.exchange import ExchangeProduct, PriceRow, StockRow
from storage.models import Order, OrderLine
from storage.repositories import Repos

WAREHOUSES = {"wh-main": "Основной склад", "wh-north": "Склад Север"}


async def add_products(
    database: Database, products: Sequence[tuple[str, str, str | None]]
) -> dict[str, int]:
    """(article, name, unit) → the products, as an exchange's catalog adds them; article →
    id."""
    rows = [
        ExchangeProduct(
            onec_id=f"guid-{code}",
            code=code,
            name=name,
            search_key=search_key(name),
            unit=unit,
            unit_code="796" if unit == "шт" else None,
            removed=False,
        )
        for code, name, unit in products
    ]
    async with database.transaction() as s:
        ids = await Repos(s).exchange.add_products(rows)
    return {onec_id.removeprefix("guid-"): pid for onec_id, pid in ids.items()}


async def put_stock(
    database: Database, stock: Mapping[int, Mapping[str, str]], *, now: datetime
) -> None:
    """Product id → {warehouse 1C id: quantity}, as an offers package states them."""
    rows = [(pid, wh, Decimal(q)) for pid, levels in stock.items() for wh, q in levels.items()]
    async with database.transaction() as s:
        exchange = Repos(s).exchange
        warehouses = await exchange.save_warehouses(WAREHOUSES, now)
        await exchange.save_stock([StockRow(pid, warehouses[wh], q) for pid, wh, q in rows], now)


async def put_prices(
    database: Database, prices: Sequence[tuple[int, str, date]], *, now: datetime
) -> None:
    """(product id, price, effective from) rows, in roubles."""
    async with database.transaction() as s:
        await Repos(s).exchange.save_prices(
            [PriceRow(pid, Decimal(price), "RUB", since) for pid, price, since in prices], now
        )


async def add_order(
    app: App, client_id: int, day: date, articles: Sequence[str], *, number: str
) -> None:
    """An order of the client's from the ERP, one line per article."""
    async with app.database.transaction() as s:
        order = Order(
            number=number,
            order_date=day,
            client_id=client_id,
            status="Закрыт",
            amount=Decimal("100.00") * len(articles),
            currency="RUB",
            updated_at=app.clock(),
        )
        s.add(order)
        await s.flush()
        s.add_all(
            OrderLine(
                order_id=order.id,
                line_no=n,
                product_code=code,
                product_name=code,
                quantity=Decimal(1),
                price=Decimal("100.00"),
                amount=Decimal("100.00"),
            )
            for n, code in enumerate(articles, start=1)
        )
