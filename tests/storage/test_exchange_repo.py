"""The site exchange's repository on SQLite and PostgreSQL: products by 1C id and article,
warehouses, stock upserts through the untyped view of the table (stored as the typed
columns read them back), a full package clearing what it left out, prices per day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bot.services.client_search import search_key
from storage.engine import Database
from storage.exchange_dto import ExchangeProduct, PriceRow, StockRow
from storage.repositories import Repos
from tests.storage.conftest import database  # noqa: F401  (SQLite and PostgreSQL)

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
DAY = date(2026, 11, 23)


def _product(onec_id: str, code: str, name: str) -> ExchangeProduct:
    return ExchangeProduct(onec_id, code, name, search_key(name), "шт", "796", False)


async def test_products_stock_and_prices_round_trip(database: Database) -> None:
    async with database.transaction() as s:
        repos = Repos(s)
        ids = await repos.exchange.add_products(
            [_product("g-1", "A-1", "Болт М8"), _product("g-2", "A-2", "Гайка М8")]
        )
        await repos.exchange.update_products(
            [(ids["g-2"], _product("g-2", "A-2", "Гайка М8 оцинкованная"))]
        )
        warehouses = await repos.exchange.save_warehouses({"w-1": "Основной", "w-2": "Север"}, NOW)
        await repos.exchange.save_stock(
            [
                StockRow(ids["g-1"], warehouses["w-1"], Decimal("120.5")),
                StockRow(ids["g-1"], warehouses["w-2"], Decimal("0.125")),
                StockRow(ids["g-2"], warehouses["w-1"], Decimal("7")),
            ],
            NOW,
        )
        await repos.exchange.save_prices(
            [PriceRow(ids["g-1"], Decimal("20.00"), "RUB", DAY - timedelta(days=5))], NOW
        )
    later = NOW + timedelta(minutes=15)
    async with database.transaction() as s:
        repos = Repos(s)
        # A second package: one line changed, a same-day price corrected, a full package's
        # clearing of the lines it did not state.
        await repos.exchange.save_stock(
            [StockRow(ids["g-1"], warehouses["w-1"], Decimal("100"))], later
        )
        await repos.exchange.save_prices(
            [PriceRow(ids["g-1"], Decimal("21.00"), "RUB", DAY)], later
        )
        await repos.exchange.save_prices(
            [PriceRow(ids["g-1"], Decimal("22.50"), "RUB", DAY)], later
        )
        cleared = await repos.exchange.clear_stock_not_stated_since(later)
    async with database.read() as s:
        repos = Repos(s)
        known = await repos.exchange.known_products(["g-2"], ["A-1"])
        levels = await repos.exchange.stock_levels(list(ids.values()))
        stock = await repos.exchange.stock_of(list(ids.values()))
        prices = await repos.exchange.current_prices(list(ids.values()), DAY)
        before = await repos.exchange.current_prices(list(ids.values()), DAY - timedelta(days=1))
    assert sorted((k.onec_id, k.code) for k in known) == [("g-1", "A-1"), ("g-2", "A-2")]
    assert cleared == 2
    assert levels == {
        (ids["g-1"], warehouses["w-1"]): Decimal("100"),
        (ids["g-1"], warehouses["w-2"]): Decimal("0"),
        (ids["g-2"], warehouses["w-1"]): Decimal("0"),
    }
    assert [(w.warehouse, w.quantity, w.updated_at) for w in stock[ids["g-1"]]] == [
        ("Основной", Decimal("100"), later),
        ("Север", Decimal("0"), later),
    ]
    assert prices[ids["g-1"]].price == Decimal("22.50")
    assert prices[ids["g-1"]].effective_from == DAY
    assert before[ids["g-1"]].price == Decimal("20.00")
    assert ids["g-2"] not in prices
