"""The order dialog through the dispatcher, on a real SQLite database: a new order from
/neworder and from the card (in both languages), the last order repeated, every bad input
(said, the step kept, nothing saved), the stock warning, changing and cancelling from the
order's view until 1C takes it, /orders, and access (another manager's client or order, a
supervisor's read-only view, forged buttons)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.services.client_search import search_key
from bot.views.chat_orders.callbacks import (
    ChatOrderAction,
    ChatOrderCallback,
    NewOrderCallback,
    OrderDialogCallback,
    OrderStep,
)
from bot.views.common.calendar import CalendarAction, CalendarCallback
from storage.chat_orders import ChatOrderState
from storage.dto import Role
from storage.exchange import PriceRow, StockRow
from storage.models import Order, OrderLine, Product, Warehouse
from storage.repositories import Repos
from tests.factories import make_client, make_user
from tests.helpers import BOT_ID, alerts, last_with_buttons, texts

NB = "\u00a0"  # money and quantities carry a no-break space before the sign or unit
TUESDAY = date(2026, 11, 24)  # the tests' clock: Monday 23.11.2026, 12:00 in Moscow


def rub(text: str) -> str:
    return f"{text}{NB}₽"


def qty(text: str, unit: str) -> str:
    return f"{text}{NB}{unit}"


def day(value: date) -> str:
    return CalendarCallback(
        action=CalendarAction.DAY, year=value.year, month=value.month, day=value.day
    ).pack()


def dialog(step: OrderStep, item: int = 0) -> str:
    return OrderDialogCallback(step=step, item=item).pack()


async def seed_catalogue(
    repos: Repos, client_ids: list[int], *, today: date, now: datetime
) -> dict[str, int]:
    """Products as 1C's exchange and a file import leave them, with prices of today, stock
    at two warehouses, and an order of each client 10 days ago (what it usually buys):

    B-8 Болт М8, pieces (OKEI 796), 20,00 (19,00 before), 60 + 40 in stock;
    G-1 Грунтовка ГФ-021, kg, 150,50, stock never stated;
    K-5 Краска белая, l, 300,00, out of stock;
    N-0 Гайка М8, pieces, no price;
    W-2 Шайба М8, "шт" from a file import (no 1C id, no unit code), 1,10, 5 in stock."""
    exchange = repos.exchange
    session = repos.session
    # Rows written directly: ExchangeRepo.add_products and save_warehouses read their ids
    # back with Result.tuples(), which SQLAlchemy 2.1 deprecates (warnings fail the tests).
    products = {
        "B-8": Product(code="B-8", name="Болт М8", unit="шт", unit_code="796"),
        "G-1": Product(code="G-1", name="Грунтовка ГФ-021", unit="кг", unit_code="166"),
        "K-5": Product(code="K-5", name="Краска белая", unit="л", unit_code="112"),
        "N-0": Product(code="N-0", name="Гайка М8", unit="шт", unit_code="796"),
        # From a file import: no 1C id, no unit code, the unit's name only.
        "W-2": Product(code="W-2", name="Шайба М8", unit="шт"),
    }
    for code, row in products.items():
        row.search_key = search_key(row.name)
        row.onec_id = None if code == "W-2" else f"guid-{code}"
    south, main = (
        Warehouse(onec_id=f"wh-{n}", name=name, updated_at=now)
        for n, name in ((2, "Южный"), (1, "Основной"))
    )
    session.add_all([*products.values(), south, main])
    await session.flush()
    by_code = {code: row.id for code, row in products.items()}
    await exchange.save_prices(
        [
            PriceRow(by_code["B-8"], Decimal("19.00"), "RUB", today - timedelta(days=60)),
            PriceRow(by_code["B-8"], Decimal("20.00"), "RUB", today - timedelta(days=1)),
            PriceRow(by_code["G-1"], Decimal("150.50"), "RUB", today - timedelta(days=30)),
            PriceRow(by_code["K-5"], Decimal("300.00"), "RUB", today - timedelta(days=30)),
            PriceRow(by_code["W-2"], Decimal("1.10"), "RUB", today - timedelta(days=30)),
            # Announced, not yet in effect: today's price is the one above.
            PriceRow(by_code["B-8"], Decimal("25.00"), "RUB", today + timedelta(days=7)),
        ],
        now,
    )
    warehouses = {"wh-1": main.id, "wh-2": south.id}
    await exchange.save_stock(
        [
            StockRow(by_code["B-8"], warehouses["wh-1"], Decimal(60)),
            StockRow(by_code["B-8"], warehouses["wh-2"], Decimal(40)),
            StockRow(by_code["K-5"], warehouses["wh-1"], Decimal(0)),
            StockRow(by_code["W-2"], warehouses["wh-1"], Decimal(5)),
        ],
        now,
    )
    for n, client_id in enumerate(client_ids, start=1):
        order = Order(
            number=f"45{n:02d}",
            order_date=today - timedelta(days=10),
            client_id=client_id,
            status="Закрыт",
            amount=Decimal("2377.25"),
            currency="RUB",
            updated_at=now,
        )
        repos.session.add(order)
        await repos.session.flush()
        for line_no, (code, name, quantity, price) in enumerate(
            [
                ("B-8", "Болт М8", "30", "19.00"),
                ("G-1", "Грунтовка ГФ-021", "12.5", "140.00"),
                ("N-0", "Гайка М8", "100", "2.00"),
            ],
            start=1,
        ):
            amount = (Decimal(quantity) * Decimal(price)).quantize(Decimal("0.01"))
            repos.session.add(
                OrderLine(
                    order_id=order.id,
                    line_no=line_no,
                    product_code=code,
                    product_name=name,
                    quantity=Decimal(quantity),
                    price=Decimal(price),
                    amount=amount,
                )
            )
    await repos.session.flush()
    return by_code


@pytest.fixture
async def company(app):
    boss = await make_user(app, 7700, Role.SUPERVISOR, name="Boss")
    ivan = await make_user(app, 7701, name="Ivan", supervisor=boss)
    olga = await make_user(app, 7702, name="Olga", supervisor=boss, language="ru")
    romashka = await make_client(app, "ООО «Ромашка»", ivan, inn="7707083893", kpp="770701001")
    lutik = await make_client(app, "ПАО «Лютик»", olga, inn="7736207543")
    no_inn = await make_client(app, "ИП Василёк", ivan)
    async with app.database.transaction() as s:
        products = await seed_catalogue(
            Repos(s), [romashka.id, lutik.id], today=date(2026, 11, 23), now=app.clock()
        )
    return {
        "boss": boss,
        "ivan": ivan,
        "olga": olga,
        "romashka": romashka,
        "lutik": lutik,
        "no_inn": no_inn,
        "products": products,
    }


async def _orders(app) -> list:
    async with app.database.read() as s:
        return await Repos(s).chat_orders.of_clients(None, open_only=False, limit=50)


async def _lines(app, order_id: int) -> list[tuple[str, Decimal, Decimal]]:
    async with app.database.read() as s:
        lines = await Repos(s).chat_orders.lines(order_id)
    return [(ln.code, ln.quantity, ln.price) for ln in lines]


async def _take_by_1c(app) -> None:
    """What 1C's exchange does: a query hands the orders over, its `success` confirms."""
    async with app.database.transaction() as s:
        repos = Repos(s)
        due = await repos.chat_orders.due_to_onec()
        await repos.chat_orders.mark_queried([(o.id, o.version) for o in due])
        await repos.chat_orders.confirm_queried(app.clock())


async def _state(dp, user) -> str | None:
    key = StorageKey(bot_id=BOT_ID, chat_id=user.telegram_id, user_id=user.telegram_id)
    return await dp.storage.get_state(key)


# --- the happy paths -------------------------------------------------------------------------


async def test_a_new_order_in_english_from_neworder_to_orders(app, chat, company):
    ivan = company["ivan"]
    me = chat(ivan.telegram_id, language_code="en")
    sent = await me.send("/neworder ромашка")
    step = last_with_buttons(sent)
    assert step.text == (
        "🛒 New order for ООО «Ромашка»\n\n"
        "Choose a product below (the client's usual ones) or type a name or article."
    )
    # The usual products first (bought in the last 90 days), with today's price; a
    # product without one shows a dash; the last order can be repeated.
    assert [t for t, _ in step.inline_buttons] == [
        f"Болт М8 · {rub('20.00')}",
        "Гайка М8 · —",
        f"Грунтовка ГФ-021 · {rub('150.50')}",
        "🔁 Repeat the last order",
    ]
    sent = await me.click(step, lambda t: t.startswith("Болт М8"))
    assert texts(sent) == [
        f"Болт М8 (B-8): {rub('20.00')} per шт, in stock: {qty('100', 'шт')}.\n"
        "How many (шт)? Type a number, for example 5 or 2,5."
    ]
    sent = await me.send("50")
    assert texts(sent)[0].startswith(f"Added: Болт М8 — {qty('50', 'шт')}.\n\n🛒 New order")
    assert f"In the order:\n1. Болт М8 — {qty('50', 'шт')}" in texts(sent)[0]
    # A typed search by name: one product found is asked for at once.
    sent = await me.send("грунт")
    assert (
        texts(sent)[0].startswith("Грунтовка ГФ-021 (G-1): ")
        and "not stated by 1C" in texts(sent)[0]
    )
    sent = await me.send("12,5")
    step = last_with_buttons(sent)
    assert [t for t, _ in step.inline_buttons][-3:] == [
        "✖ Болт М8",
        "✖ Грунтовка ГФ-021",
        "✅ Done: delivery date",
    ]
    sent = await me.click(step, "✅ Done: delivery date")
    picker = last_with_buttons(sent)
    assert texts(sent) == ["Delivery date: pick a business day, or type it (25.12, tomorrow)."]
    assert "November 2026" in [t for t, _ in picker.inline_buttons]
    sent = await me.press(picker, day(TUESDAY))
    assert texts(sent) == [
        "A comment for the order (where to deliver, who receives it…), or Skip."
    ]
    sent = await me.send("Deliver before noon, gate 3")
    summary = last_with_buttons(sent)
    assert summary.text == (
        "Check the order for ООО «Ромашка»:\n"
        f"1. Болт М8 (B-8) — {qty('50', 'шт')} × {rub('20.00')} = {rub('1,000.00')}\n"
        f"2. Грунтовка ГФ-021 (G-1) — {qty('12.5', 'кг')} × {rub('150.50')} = {rub('1,881.25')}\n"
        f"Total: {rub('2,881.25')}\n"
        "Delivery: 24.11.2026\n"
        "Comment: Deliver before noon, gate 3"
    )
    assert await _orders(app) == []  # nothing saved before the confirmation
    sent = await me.click(summary, "✅ Confirm the order")
    [order] = await _orders(app)
    assert texts(sent) == [
        f"Order {order.number} is saved: {rub('2,881.25')}, delivery 24.11.2026. It is waiting "
        "for 1C, which takes it on its next exchange; you will be told when 1C accepts it."
    ]
    assert order.number == "TG-000001" and order.state is ChatOrderState.WAITING
    assert (order.client_id, order.manager_id) == (company["romashka"].id, ivan.id)
    assert (order.delivery_date, order.comment) == (TUESDAY, "Deliver before noon, gate 3")
    assert order.amount == Decimal("2881.25") and not order.taken
    assert await _lines(app, order.id) == [
        ("B-8", Decimal(50), Decimal("20.00")),
        ("G-1", Decimal("12.5"), Decimal("150.50")),
    ]
    async with app.database.read() as s:
        [entry] = await Repos(s).audit.history("chat_order", order.id)
    assert (entry.action, entry.actor_id) == ("create", ivan.id)
    assert entry.changes["lines"] == [None, "B-8 × 50 @ 20.00; G-1 × 12.5 @ 150.50"]
    assert await _state(me.dp, ivan) is None

    # The confirmation's button opens the order; /orders lists it first, waiting for 1C.
    view = texts(await me.click(last_with_buttons(sent), lambda t: t.startswith("🛒")))[0]
    assert view.startswith("Order TG-000001 — ООО «Ромашка»\nState: waiting for 1C\n")
    assert "Taken in the chat: 23.11.2026 12:00" in view  # the manager's zone (Moscow)
    sent = await me.send("/orders")
    assert texts(sent)[0].startswith(
        "Taken in the chat, open (1):\n"
        f"• TG-000001 · ООО «Ромашка» · {rub('2,881.25')} · delivery 24.11.2026 · "
        "waiting for 1C\n\n"
    )
    assert last_with_buttons(sent).inline_buttons[0][0] == "🛒 TG-000001 · waiting for 1C"


async def test_a_new_order_in_russian_from_the_card(app, chat, company):
    olga = company["olga"]
    me = chat(olga.telegram_id, language_code="ru")
    card = last_with_buttons(await me.send("лютик"))
    sent = await me.click(card, "➕ Заказ")
    step = last_with_buttons(sent)
    assert step.text.startswith("🛒 Новый заказ: ПАО «Лютик»\n\nВыберите товар ниже")
    sent = await me.send("W-2")  # by article
    assert texts(sent)[0].startswith(
        f"Шайба М8 (W-2): {rub('1,10')} за шт, на складе: {qty('5', 'шт')}."
    )
    sent = await me.send("3,5")
    assert texts(sent) == ["Этот товар считается целыми штуками: введите целое число, например 5."]
    sent = await me.send("1 000")
    sent = await me.click(last_with_buttons(sent), "✅ Готово: дата доставки")
    sent = await me.send("завтра")
    sent = await me.click(last_with_buttons(sent), "Пропустить")
    summary = last_with_buttons(sent)
    assert summary.text == (
        "Проверьте заказ: ПАО «Лютик»\n"
        f"1. Шайба М8 (W-2) — {qty('1 000', 'шт').replace(' ', NB)} × {rub('1,10')} = "
        f"{rub('1 100,00').replace(' ', NB)}\n"
        f"    ⚠️ на складе только {qty('5', 'шт')}\n"
        f"Итого: {rub('1 100,00').replace(' ', NB)}\n"
        "Доставка: 24.11.2026\n"
        "Без комментария.\n"
        "⚠️ Часть количеств больше остатка по данным 1С: заказ можно отправить, срок "
        "отгрузки решит 1С."
    )
    sent = await me.click(summary, "✅ Подтвердить заказ")
    assert texts(sent)[0].startswith("Заказ TG-000001 сохранён: ")
    assert "Он ждёт 1С" in texts(sent)[0]
    assert last_with_buttons(sent).inline_buttons[0][0] == "🛒 TG-000001 · ждёт 1С"
    sent = await me.send("/orders")
    assert "· доставка 24.11.2026 · ждёт 1С" in texts(sent)[0]
    [order] = await _orders(app)
    assert order.client_id == company["lutik"].id and order.comment is None


async def test_repeat_the_last_order_in_one_tap_at_todays_prices(app, chat, company):
    me = chat(company["ivan"].telegram_id, language_code="en")
    step = last_with_buttons(await me.send("/neworder ромашка"))
    sent = await me.click(step, "🔁 Repeat the last order")
    text = texts(sent)[0]
    assert text.startswith(
        "The last order is in: its quantities, at today's prices.\n"
        "Left out (no price today): Гайка М8.\n\n"
    )
    assert f"1. Болт М8 — {qty('30', 'шт')}\n2. Грунтовка ГФ-021 — {qty('12.5', 'кг')}" in text
    assert "🔁 Repeat the last order" not in [t for t, _ in last_with_buttons(sent).inline_buttons]
    sent = await me.click(last_with_buttons(sent), "✅ Done: delivery date")
    sent = await me.press(last_with_buttons(sent), day(TUESDAY))
    sent = await me.click(last_with_buttons(sent), "Skip")
    summary = last_with_buttons(sent).text
    # 1C's 19,00 then; 20,00 today (the 25,00 announced for next week not yet).
    assert f"{qty('30', 'шт')} × {rub('20.00')} = {rub('600.00')}" in summary
    assert f"Total: {rub('2,481.25')}" in summary
    sent = await me.click(last_with_buttons(sent), "✅ Confirm the order")
    [order] = await _orders(app)
    # The chat order is now the last order: repeating again takes it.
    step = last_with_buttons(await me.send("/neworder ромашка"))
    sent = await me.click(step, "🔁 Repeat the last order")
    assert "Left out" not in texts(sent)[0]
    assert order.amount == Decimal("2481.25")


async def test_stock_warnings_are_warnings(app, chat, company):
    me = chat(company["ivan"].telegram_id, language_code="en")
    await me.send("/neworder ромашка")
    await me.send("B-8")
    await me.send("150")
    await me.send("краска")
    sent = await me.send("2")
    await me.send("G-1")
    sent = await me.send("1000")
    sent = await me.click(last_with_buttons(sent), "✅ Done: delivery date")
    sent = await me.press(last_with_buttons(sent), day(TUESDAY))
    sent = await me.click(last_with_buttons(sent), "Skip")
    summary = last_with_buttons(sent).text
    assert f"= {rub('3,000.00')}\n    ⚠️ only {qty('100', 'шт')} in stock\n" in summary
    assert f"= {rub('600.00')}\n    ⚠️ out of stock\n" in summary
    # Grunt's stock was never stated: no warning under it.
    assert f"= {rub('150,500.00')}\nTotal:" in summary
    assert summary.endswith("decides when it ships.")
    await me.click(last_with_buttons(sent), "✅ Confirm the order")
    [order] = await _orders(app)
    assert order.amount == Decimal("154100.00")


# --- bad input: said, the step kept, nothing saved ---------------------------------------------


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("0", "The quantity must be more than zero."),
        ("-3", "The quantity must be more than zero."),
        ("five", "That is not a quantity. Type a number, for example 5 or 2,5 (no letters)."),
        ("5 pcs", "That is not a quantity. Type a number, for example 5 or 2,5 (no letters)."),
        ("2,5", "This product is counted in whole pieces: type a whole number, for example 5."),
        ("99999999", "That quantity is too large for one line of an order."),
    ],
)
async def test_bad_quantities(app, dp, chat, company, typed, answer):
    ivan = company["ivan"]
    me = chat(ivan.telegram_id, language_code="en")
    await me.send("/neworder ромашка")
    await me.send("B-8")
    assert texts(await me.send(typed)) == [answer]
    assert await _state(dp, ivan) == "ChatOrderStates:quantity"
    sent = await me.send("5")  # the step was kept: a right answer goes on
    assert texts(sent)[0].startswith("Added: Болт М8")
    assert await _orders(app) == []


async def test_more_than_three_decimals_of_kilograms(app, dp, chat, company):
    me = chat(company["ivan"].telegram_id, language_code="en")
    await me.send("/neworder ромашка")
    await me.send("G-1")
    assert texts(await me.send("1,2345")) == ["At most three decimals, for example 2,125."]
    assert texts(await me.send("1,234"))[0].startswith(
        f"Added: Грунтовка ГФ-021 — {qty('1.234', 'кг')}"
    )


async def test_unknown_and_unpriced_products(app, dp, chat, company):
    ivan = company["ivan"]
    me = chat(ivan.telegram_id, language_code="en")
    step = last_with_buttons(await me.send("/neworder ромашка"))
    assert texts(await me.send("xyzzy")) == [
        'No product matches "xyzzy". Type another name or an article.'
    ]
    sent = await me.click(step, "Гайка М8 · —")
    assert texts(sent) == [
        "Гайка М8 has no price, so it cannot be ordered. Choose another product."
    ]
    sent = await me.send("м8")  # several: buttons to choose from
    assert texts(sent) == ['Found 3 for "м8": choose one.']
    assert await _state(dp, ivan) == "ChatOrderStates:products"
    sent = await me.press(None, dialog(OrderStep.DONE))  # Done is not offered yet: forged
    assert texts(sent) == ["Add at least one product first."]
    assert await _state(dp, ivan) == "ChatOrderStates:products"
    assert await _orders(app) == []


async def test_bad_delivery_dates(app, dp, chat, company):
    ivan = company["ivan"]
    me = chat(ivan.telegram_id, language_code="en")
    await me.send("/neworder ромашка")
    await me.send("B-8")
    sent = await me.send("5")
    picker = last_with_buttons(await me.click(last_with_buttons(sent), "✅ Done: delivery date"))
    assert texts(await me.send("20.11.2026")) == [
        "20.11.2026 has passed. Pick today or a later business day."
    ]
    assert texts(await me.send("28.11")) == [
        "28.11.2026 is not a business day. Pick a business day."
    ]
    assert texts(await me.press(picker, day(date(2026, 11, 29)))) == [
        "29.11.2026 is not a business day. Pick a business day."
    ]
    # A past day the picker does not offer, forged: refused the same way.
    assert texts(await me.press(picker, day(date(2026, 11, 2)))) == [
        "02.11.2026 has passed. Pick today or a later business day."
    ]
    assert texts(await me.send("someday")) == [
        "I cannot read that date. Try 25.12, 25.12.2026, 25.12 14:30, tomorrow, +3 or fri."
    ]
    assert await _state(dp, ivan) == "ChatOrderStates:delivery"
    # The picker pages to the next month; the day picked there goes on.
    sent = await me.press(
        picker, CalendarCallback(action=CalendarAction.MONTH, year=2026, month=12).pack()
    )
    assert "December 2026" in [t for t, _ in last_with_buttons(sent).inline_buttons]
    sent = await me.press(picker, day(date(2026, 12, 1)))
    assert texts(sent)[0].startswith("A comment for the order")
    assert await _orders(app) == []


async def test_a_client_without_inn_is_refused_at_the_start(app, dp, chat, company):
    ivan = company["ivan"]
    me = chat(ivan.telegram_id, language_code="en")
    sent = await me.send("/neworder василёк")
    assert texts(sent) == [
        "ИП Василёк has no ИНН here, and 1C finds the buyer of an order by its ИНН and КПП: the "
        "order could not reach 1C. Have the ИНН entered for the client in 1C first; it arrives "
        "with the next import."
    ]
    assert await _state(dp, ivan) is None
    sent = await me.press(None, NewOrderCallback(client_id=company["no_inn"].id).pack())
    assert texts(sent)[0].startswith("ИП Василёк has no ИНН here")
    assert await _state(dp, ivan) is None and await _orders(app) == []


async def test_neworder_without_a_client_asks_and_offers_a_choice(app, dp, chat, company):
    ivan = company["ivan"]
    await make_client(app, "Ромашка-Юг", ivan, inn="7707083894")
    me = chat(ivan.telegram_id, language_code="en")
    assert texts(await me.send("/neworder")) == ["Whose order? Type the client's name or ИНН."]
    assert texts(await me.send("лютик")) == ['Nothing found for "лютик".']  # Olga's client
    sent = await me.send("ромашка")
    assert texts(sent) == ['Found 2 for "ромашка":']
    sent = await me.click(last_with_buttons(sent), "1. ООО «Ромашка»")
    assert texts(sent)[0].startswith("🛒 New order for ООО «Ромашка»")
    assert await _state(dp, ivan) == "ChatOrderStates:products"
    assert texts(await me.send("/cancel")) == ["Cancelled. Nothing was saved."]
    sent = await me.click(last_with_buttons(sent), lambda t: t.startswith("Болт М8"))
    assert alerts(sent) == ["This is not available to you (or no longer exists)."]


# --- changing and cancelling -------------------------------------------------------------------


async def _place(me, *, comment: str = "Gate 3") -> None:
    await me.send("/neworder ромашка")
    await me.send("B-8")
    await me.send("50")
    await me.send("G-1")
    sent = await me.send("10")
    sent = await me.click(last_with_buttons(sent), "✅ Done: delivery date")
    sent = await me.press(last_with_buttons(sent), day(TUESDAY))
    sent = await me.send(comment)
    await me.click(last_with_buttons(sent), "✅ Confirm the order")


async def test_change_an_order_1c_has_not_taken(app, dp, chat, company):
    ivan = company["ivan"]
    me = chat(ivan.telegram_id, language_code="en")
    await _place(me)
    [order] = await _orders(app)
    view = last_with_buttons(await me.press(None, ChatOrderCallback(order_id=order.id).pack()))
    assert [t for t, _ in view.inline_buttons] == ["✏️ Change", "✖ Cancel the order"]
    sent = await me.click(view, "✏️ Change")
    step = last_with_buttons(sent)
    assert step.text.startswith("✏️ Changing order TG-000001 for ООО «Ромашка»\n\nIn the order:")
    sent = await me.click(step, "✖ Грунтовка ГФ-021")
    assert "Грунтовка" not in texts(sent)[0].split("In the order:")[1].split("\n\n")[0]
    sent = await me.click(last_with_buttons(sent), lambda t: t.startswith("Болт М8"))
    assert texts(sent)[0].endswith(f"Now {qty('50', 'шт')} in the order: type the new quantity.")
    sent = await me.send("70")
    sent = await me.click(last_with_buttons(sent), "✅ Done: delivery date")
    sent = await me.click(last_with_buttons(sent), "Keep 24.11.2026")
    sent = await me.click(last_with_buttons(sent), "Keep the comment")
    summary = last_with_buttons(sent)
    assert "Comment: Gate 3" in summary.text and f"Total: {rub('1,400.00')}" in summary.text
    sent = await me.click(summary, "✅ Save the changes")
    assert texts(sent) == [
        f"Order TG-000001 is changed: {rub('1,400.00')}, delivery 24.11.2026. "
        "It is waiting for 1C."
    ]
    [changed] = await _orders(app)
    assert changed.amount == Decimal("1400.00") and changed.comment == "Gate 3"
    assert await _lines(app, order.id) == [("B-8", Decimal(70), Decimal("20.00"))]
    async with app.database.read() as s:
        history = await Repos(s).audit.history("chat_order", order.id)
    assert [e.action for e in history] == ["create", "update"]
    assert history[1].changes == {
        "amount": ["2505.00", "1400.00"],
        "lines": ["B-8 × 50 @ 20.00; G-1 × 10 @ 150.50", "B-8 × 70 @ 20.00"],
    }


async def test_cancel_an_order_then_it_leaves_orders(app, dp, chat, company):
    ivan = company["ivan"]
    me = chat(ivan.telegram_id, language_code="en")
    await _place(me)
    [order] = await _orders(app)
    view = last_with_buttons(await me.press(None, ChatOrderCallback(order_id=order.id).pack()))
    question = last_with_buttons(await me.click(view, "✖ Cancel the order"))
    assert question.text == "Cancel order TG-000001 for ООО «Ромашка»?"
    back = await me.click(question, "« No, keep it")
    assert texts(back)[0].startswith("Order TG-000001 — ООО «Ромашка»\nState: waiting for 1C")
    [kept] = await _orders(app)
    assert kept.state is ChatOrderState.WAITING
    question = last_with_buttons(await me.click(view, "✖ Cancel the order"))
    sent = await me.click(question, "✖ Yes, cancel it")
    assert sent[0].text.startswith(
        "Order TG-000001 is cancelled.\n\nOrder TG-000001 — ООО «Ромашка»\nState: cancelled"
    )
    [cancelled] = await _orders(app)
    assert cancelled.state is ChatOrderState.CANCELLED
    async with app.database.read() as s:
        history = await Repos(s).audit.history("chat_order", order.id)
    assert (history[-1].action, history[-1].changes) == (
        "cancel",
        {"state": ["waiting", "cancelled"]},
    )
    assert "Taken in the chat" not in texts(await me.send("/orders"))[0]
    # Cancelled: its old buttons change nothing.
    sent = await me.press(
        None, ChatOrderCallback(order_id=order.id, action=ChatOrderAction.EDIT).pack()
    )
    assert texts(sent) == ["Order TG-000001 is cancelled: there is nothing more to change."]


async def test_once_1c_has_taken_it_the_order_no_longer_changes(app, dp, chat, company):
    ivan = company["ivan"]
    me = chat(ivan.telegram_id, language_code="en")
    await _place(me)
    [order] = await _orders(app)
    # The manager starts changing it; 1C takes it meanwhile; Save says so, nothing changes.
    view = last_with_buttons(await me.press(None, ChatOrderCallback(order_id=order.id).pack()))
    sent = await me.click(view, "✏️ Change")
    sent = await me.click(last_with_buttons(sent), "✅ Done: delivery date")
    sent = await me.click(last_with_buttons(sent), "Keep 24.11.2026")
    summary = last_with_buttons(await me.click(last_with_buttons(sent), "Skip"))
    await _take_by_1c(app)
    sent = await me.click(summary, "✅ Save the changes")
    assert texts(sent) == [
        "1C has already taken order TG-000001: it can no longer be changed or cancelled "
        "in the chat."
    ]
    assert await _state(dp, ivan) is None
    [taken] = await _orders(app)
    assert taken.comment == "Gate 3" and taken.taken
    # Its view has no buttons any more; forged ones are refused with the reason.
    sent = await me.press(None, ChatOrderCallback(order_id=order.id).pack())
    assert sent[-1].inline_buttons == []
    for action in (ChatOrderAction.EDIT, ChatOrderAction.CANCEL, ChatOrderAction.CANCEL_YES):
        sent = await me.press(None, ChatOrderCallback(order_id=order.id, action=action).pack())
        assert texts(sent) == [
            "1C has already taken order TG-000001: it can no longer be changed or cancelled "
            "in the chat."
        ]
    [still] = await _orders(app)
    assert still.state is ChatOrderState.WAITING and still.taken


# --- access ------------------------------------------------------------------------------------


async def test_another_managers_client_and_order_and_forged_buttons(app, dp, chat, company):
    ivan, olga = company["ivan"], company["olga"]
    await _place(chat(ivan.telegram_id, language_code="en"))
    [order] = await _orders(app)
    her = chat(olga.telegram_id, language_code="ru")
    not_available = ["Это вам недоступно (или уже не существует)."]
    assert texts(await her.send("/neworder ромашка")) == [
        "По запросу «ромашка» ничего не найдено."
    ]
    sent = await her.press(None, NewOrderCallback(client_id=company["romashka"].id).pack())
    assert alerts(sent) == not_available and await _state(dp, olga) is None
    for action in ChatOrderAction:
        data = ChatOrderCallback(order_id=order.id, action=action).pack()
        assert alerts(await her.press(None, data)) == not_available
    sent = await her.press(None, ChatOrderCallback(order_id=999_999).pack())
    assert alerts(sent) == not_available
    assert "TG-000001" not in texts(await her.send("/orders"))[0]
    [untouched] = await _orders(app)
    assert untouched.state is ChatOrderState.WAITING and untouched.updated_at == order.updated_at

    # Inside her own dialog: a product that does not exist, a line she has not added.
    await her.send("/neworder лютик")
    for data in (dialog(OrderStep.PRODUCT, 999_999), dialog(OrderStep.REMOVE, 1)):
        assert alerts(await her.press(None, data)) == not_available
    assert await _state(dp, olga) == "ChatOrderStates:products"
    # An id no row can have fails to unpack: the catch-all refuses it.
    assert alerts(await her.press(None, "on:0")) == not_available


async def test_a_supervisor_sees_the_teams_orders_read_only(app, dp, chat, company):
    ivan, boss = company["ivan"], company["boss"]
    await _place(chat(ivan.telegram_id, language_code="en"))
    [order] = await _orders(app)
    me = chat(boss.telegram_id, language_code="en")
    sent = await me.send("/orders")
    assert texts(sent)[0].startswith("Taken in the chat, open (1):\n• TG-000001 · ООО «Ромашка»")
    view = await me.click(last_with_buttons(sent), "🛒 TG-000001 · waiting for 1C")
    assert (
        view[-1].text.startswith("Order TG-000001 — ООО «Ромашка»") and not view[-1].inline_buttons
    )
    card = last_with_buttons(await me.send("ромашка"))
    assert "➕ Order" not in [t for t, _ in card.inline_buttons]
    for action in (ChatOrderAction.EDIT, ChatOrderAction.CANCEL_YES):
        data = ChatOrderCallback(order_id=order.id, action=action).pack()
        assert alerts(await me.press(None, data)) == [
            "This is not available to you (or no longer exists)."
        ]
    data = NewOrderCallback(client_id=company["romashka"].id).pack()
    assert alerts(await me.press(None, data)) == [
        "This is not available to you (or no longer exists)."
    ]
    [untouched] = await _orders(app)
    assert untouched.state is ChatOrderState.WAITING and untouched.updated_at == order.updated_at
