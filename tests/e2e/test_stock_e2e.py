"""/stock over HTTP: the real bot process, on products, stock per warehouse and prices
written as 1C's site exchange writes them, answers a manager in either language, lists
several matches with buttons that open each, and refuses a department member."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from storage.dto import Role
from storage.engine import Database
from tests.e2e.conftest import Person, Stack, register, texts, with_buttons
from tests.stock_factories import add_products, put_prices, put_stock

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

NB = "\u00a0"
STOCK_AT = datetime(2026, 8, 1, 9, 0, tzinfo=UTC)  # 12:00 in Moscow


def _day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


async def _catalog(stack: Stack) -> date:
    """The exchange's products, stock and prices; the day the next price starts (the bot
    runs on the real clock: the prices are set around today)."""
    today = datetime.now(ZoneInfo("Europe/Moscow")).date()
    database = Database(stack.env["DATABASE_URL"])
    try:
        ids = await add_products(
            database,
            [("B-8", "Болт М8", "шт"), ("B-10", "Болт М10", "шт"), ("B-12", "Болт М12", "шт")],
        )
        await put_stock(
            database,
            {
                ids["B-8"]: {"wh-main": "120", "wh-north": "7"},
                ids["B-10"]: {"wh-main": "0"},
            },
            now=STOCK_AT,
        )
        starts = today + timedelta(days=10)
        await put_prices(
            database,
            [
                (ids["B-8"], "20.00", today - timedelta(days=30)),
                (ids["B-8"], "23.00", starts),
                (ids["B-10"], "25.00", today - timedelta(days=30)),
            ],
            now=STOCK_AT,
        )
    finally:
        await database.dispose()
    return starts


async def test_stock_answers_with_warehouses_price_and_next_change(stack: Stack) -> None:
    starts = await _catalog(stack)
    ivan = await register(stack, 910_001, Role.MANAGER, "Ivan", language="en")
    olga = await register(stack, 910_002, Role.MANAGER, "Ольга", language="ru")
    quality = await register(stack, 910_003, Role.DEPARTMENT, "Quality")

    me = Person(stack.fake, ivan.telegram_id, name="Ivan", language="en")
    assert texts(await me.say("/stock B-8")) == [
        "\n".join(
            [
                "📦 Болт М8 (B-8)",
                "Stock as of 01.08.2026 12:00:",
                f"• Основной склад: 120{NB}шт",
                f"• Склад Север: 7{NB}шт",
                f"Total: 127{NB}шт",
                f"Price: 20.00{NB}₽ / шт",
                f"Next price: ↑ 23.00{NB}₽ from {_day(starts)} (+15%)",
            ]
        )
    ]

    listed = with_buttons(await me.say("/stock болт"))
    assert (listed.text or "").splitlines() == [
        'Products matching "болт":',
        f"1. Болт М10 (B-10) — out of stock · 25.00{NB}₽",
        "2. Болт М12 (B-12) — no stock data · —",
        f"3. Болт М8 (B-8) — 127{NB}шт · 20.00{NB}₽",
    ]
    opened = texts(await me.press(listed, "2. Болт М12"))
    assert opened == [
        "📦 Болт М12 (B-12)\nNo stock data from 1C.\nPrice: not set\nNo price change scheduled."
    ]

    ru = Person(stack.fake, olga.telegram_id, name="Ольга", language="ru")
    [text] = texts(await ru.say("/stock B-10"))
    assert text.splitlines() == [
        "📦 Болт М10 (B-10)",
        "Остатки на 01.08.2026 12:00:",
        f"• Основной склад: 0{NB}шт",
        f"Всего: 0{NB}шт (нет в наличии)",
        f"Цена: 25,00{NB}₽ / шт",
        "Изменений цены не запланировано.",
    ]

    member = Person(stack.fake, quality.telegram_id, name="Quality", language="en")
    assert texts(await member.say("/stock B-8")) == [
        "This is not available to you (or no longer exists)."
    ]
