"""A manager takes a client's order in the chat over the fake Bot API, through the whole
dialog of the real bot process (a usual product, a quantity, a product found by its name,
the date picker, a comment, the summary, the confirmation), and /orders shows it first,
waiting for 1C; the database holds it as 1C's next exchange will take it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.services.business_calendar import BusinessCalendar
from bot.views.common.calendar import CalendarAction, CalendarCallback
from storage.chat_orders import ChatOrderState
from storage.dto import Role
from storage.engine import Database
from storage.repositories import Repos
from tests.e2e.conftest import Person, Stack, add_client, add_person, buttons, texts, with_buttons
from tests.handlers.test_chat_orders import seed_catalogue

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

NB = "\u00a0"
MANAGER = 960_001


async def _company(stack: Stack, today: date) -> None:
    db = Database(stack.env["DATABASE_URL"])
    now = datetime.now(UTC)
    try:
        async with db.transaction() as s:
            repos = Repos(s)
            manager = await add_person(repos, MANAGER, Role.MANAGER, "Ivan", language="en")
            client = await add_client(
                repos,
                "ООО «Ромашка»",
                manager.id,
                is_key=True,
                inn="7707083893",
                kpp="770701001",
                now=now,
            )
            await seed_catalogue(repos, [client.id], today=today, now=now)
    finally:
        await db.dispose()


def _day(value: date) -> str:
    return CalendarCallback(
        action=CalendarAction.DAY, year=value.year, month=value.month, day=value.day
    ).pack()


async def test_an_order_taken_in_the_chat_waits_for_1c_in_orders(stack: Stack) -> None:
    today = datetime.now(ZoneInfo("Europe/Moscow")).date()  # the manager's zone
    await _company(stack, today)
    delivery = BusinessCalendar("RU").next_business_day(today)
    me = Person(stack.fake, MANAGER, name="Ivan", language="en")

    replies = await me.say("/neworder ромашка")
    step = with_buttons(replies)
    assert (step.text or "").startswith("🛒 New order for ООО «Ромашка»")
    replies = await me.press(step, "Болт М8")
    assert texts(replies)[-1].startswith(f"Болт М8 (B-8): 20.00{NB}₽ per шт, in stock: 100{NB}шт.")
    replies = await me.say("2,5")  # pieces: refused, the step kept
    assert texts(replies) == [
        "This product is counted in whole pieces: type a whole number, for example 5."
    ]
    replies = await me.say("40")
    assert texts(replies)[-1].startswith(f"Added: Болт М8 — 40{NB}шт.")
    replies = await me.say("грунтовка")
    replies = await me.say("2,25")
    replies = await me.press(with_buttons(replies), "✅ Done: delivery date")
    picker = with_buttons(replies)
    if (delivery.year, delivery.month) != (today.year, today.month):
        month = CalendarCallback(
            action=CalendarAction.MONTH, year=delivery.year, month=delivery.month
        ).pack()
        assert month in [data for _, data in buttons(picker)]
        picker = with_buttons(await me.press_data(picker, month))
    assert _day(delivery) in [data for _, data in buttons(picker)]
    replies = await me.press_data(picker, _day(delivery))
    assert texts(replies)[-1].startswith("A comment for the order")
    replies = await me.say("Gate 3, before noon")
    summary = with_buttons(replies)
    shown = delivery.strftime("%d.%m.%Y")
    assert summary.text == (
        "Check the order for ООО «Ромашка»:\n"
        f"1. Болт М8 (B-8) — 40{NB}шт × 20.00{NB}₽ = 800.00{NB}₽\n"
        f"2. Грунтовка ГФ-021 (G-1) — 2.25{NB}кг × 150.50{NB}₽ = 338.63{NB}₽\n"
        f"Total: 1,138.63{NB}₽\n"
        f"Delivery: {shown}\n"
        "Comment: Gate 3, before noon"
    )
    replies = await me.press(summary, "✅ Confirm the order")
    assert texts(replies)[-1].startswith(
        f"Order TG-000001 is saved: 1,138.63{NB}₽, delivery {shown}. It is waiting for 1C"
    )

    replies = await me.say("/orders")
    assert texts(replies)[-1].startswith(
        "Taken in the chat, open (1):\n"
        f"• TG-000001 · ООО «Ромашка» · 1,138.63{NB}₽ · delivery {shown} · waiting for 1C"
    )
    listing = with_buttons(replies)
    replies = await me.press(listing, "🛒 TG-000001 · waiting for 1C")
    view = texts(replies)[-1]
    assert view.startswith("Order TG-000001 — ООО «Ромашка»\nState: waiting for 1C\n")
    assert [t for t, _ in buttons(with_buttons(replies))] == ["✏️ Change", "✖ Cancel the order"]

    db = Database(stack.env["DATABASE_URL"])
    try:
        async with db.read() as s:
            repos = Repos(s)
            [due] = await repos.chat_orders.due_to_onec()
    finally:
        await db.dispose()
    assert (due.number, due.state, due.client_inn, due.client_kpp) == (
        "TG-000001",
        ChatOrderState.WAITING,
        "7707083893",
        "770701001",
    )
    assert (due.delivery_date, due.comment, due.amount) == (
        delivery,
        "Gate 3, before noon",
        Decimal("1138.63"),
    )
    assert [(ln.product_onec_id, ln.quantity, ln.price) for ln in due.lines] == [
        ("guid-B-8", Decimal(40), Decimal("20.00")),
        ("guid-G-1", Decimal("2.25"), Decimal("150.50")),
    ]
