"""1C's site exchange end to end: the real bot process with its HTTP server, the fake 1C
exchange client running the protocol against it, and a manager in the chat over the fake
Bot API. 1C uploads its catalog and offers (zipped, chunked); /stock shows them; the
manager takes an order in the chat; the next `query` hands it to 1C in orders.xml; 1C's
answer makes it *accepted* with 1C's number, and the manager is told; /sync shows the
exchange's steps to the admin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio
from lxml import etree

from bot.services.business_calendar import BusinessCalendar
from bot.views.common.calendar import CalendarAction, CalendarCallback
from storage.dto import Role
from storage.engine import Database
from storage.repositories import Repos
from tests.e2e.conftest import (
    ADMIN_ID,
    Person,
    Stack,
    add_client,
    add_person,
    buttons,
    free_port,
    midday_zone,
    running_stack,
    texts,
    with_buttons,
)
from tests.fakes.onec_exchange import FakeOneCExchange
from tests.fakes.onec_exchange_docs import P1, catalog_xml, offers_xml, statuses_xml

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

USER = "Обмен"
PASSWORD = "пароль-1С"
MANAGER = 970_001
NB = "\u00a0"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def exchange_stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    env = {
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(free_port()),
        "ONEC_EXCHANGE_USER": USER,
        "ONEC_EXCHANGE_PASSWORD": PASSWORD,
        # Small chunks: 1C cuts the upload into several `file` calls.
        "ONEC_EXCHANGE_FILE_LIMIT": "65536",
    }
    async with running_stack(tmp_path_factory.mktemp("e2e-exchange"), **env) as started:
        yield started


async def _company(stack: Stack, zone: str) -> None:
    database = Database(stack.env["DATABASE_URL"])
    try:
        async with database.transaction() as s:
            repos = Repos(s)
            manager = await add_person(repos, MANAGER, Role.MANAGER, "Ivan", timezone=zone)
            await add_client(
                repos, "ООО «Ромашка»", manager.id, is_key=True, inn="7707083893", kpp="770701001"
            )
    finally:
        await database.dispose()


def _day(value: date) -> str:
    return CalendarCallback(
        action=CalendarAction.DAY, year=value.year, month=value.month, day=value.day
    ).pack()


async def test_1c_exchanges_catalog_and_orders_with_the_bot(
    exchange_stack: Stack, tmp_path: Path
) -> None:
    stack = exchange_stack
    zone = midday_zone()
    await _company(stack, zone)
    onec = FakeOneCExchange(
        f"http://127.0.0.1:{stack.env['HTTP_PORT']}/1c_exchange", USER, PASSWORD
    )
    # 1C: the catalog and the offers, zipped, in 64 KB chunks.
    import_xml, offers = tmp_path / "import.xml", tmp_path / "offers.xml"
    import_xml.write_bytes(catalog_xml(encoding="windows-1251"))
    offers.write_bytes(offers_xml())
    answers = await onec.send_catalog([import_xml, offers])
    assert [a.lines[0] for a in answers] == ["success", "success"]

    me = Person(stack.fake, MANAGER, name="Ivan", language="en")
    shown = texts(await me.say("/stock ШУР-4x40"))[-1]
    assert shown.startswith("📦 Шуруп 4x40 оцинкованный (ШУР-4x40)")
    assert f"• Основной склад: 120{NB}шт" in shown
    assert f"• Склад Подольск: 30{NB}шт" in shown
    assert f"2.50{NB}₽" in shown

    # The manager takes an order in the chat.
    started = texts(await me.say("/neworder ромашка"))[-1]
    assert started.startswith("🛒 New order for ООО «Ромашка»")
    replies = await me.say("ШУР-4x40")  # by article: one product, its quantity asked
    assert texts(replies)[-1].startswith(f"Шуруп 4x40 оцинкованный (ШУР-4x40): 2.50{NB}₽ per шт")
    replies = await me.say("200")  # more than the 150 in stock: a warning, not a refusal
    assert texts(replies)[-1].startswith(f"Added: Шуруп 4x40 оцинкованный — 200{NB}шт.")
    picker = with_buttons(await me.press(with_buttons(replies), "✅ Done: delivery date"))
    today = datetime.now(ZoneInfo(zone))
    delivery = BusinessCalendar("RU").next_business_day(today.date())
    wanted = _day(delivery)
    if wanted not in [data for _, data in buttons(picker)]:
        month = CalendarCallback(
            action=CalendarAction.MONTH, year=delivery.year, month=delivery.month
        ).pack()
        picker = with_buttons(await me.press_data(picker, month))
    replies = await me.press_data(picker, wanted)
    assert texts(replies)[-1].startswith("A comment for the order")
    summary = with_buttons(await me.say("Ворота 3, до обеда"))
    assert "⚠️" in (summary.text or "")
    replies = await me.press(summary, "✅ Confirm the order")
    assert texts(replies)[-1].startswith("Order TG-000001 is saved")

    # 1C's next exchange takes it.
    taken = await onec.take_orders()
    document = etree.fromstring(taken.body)

    def values(path: str) -> list[str]:
        return [str(v) for v in document.xpath(path)]

    assert values("//*[local-name()='Документ']/*[local-name()='Номер']/text()") == ["TG-000001"]
    assert values("//*[local-name()='Контрагент']/*[local-name()='ИНН']/text()") == ["7707083893"]
    assert values("//*[local-name()='Товар']/*[local-name()='Ид']/text()") == [P1]
    assert values("//*[local-name()='Товар']/*[local-name()='Количество']/text()") == ["200"]
    assert values("//*[local-name()='Комментарий']/text()") == ["Ворота 3, до обеда"]
    [site_id] = values("//*[local-name()='Документ']/*[local-name()='Ид']/text()")
    # Taken: the next query is empty.
    again = etree.fromstring((await onec.take_orders()).body)
    assert again.xpath("//*[local-name()='Документ']") == []

    # 1C's answer: accepted, with its own number; the manager hears of it.
    mark = stack.fake.mark()
    await onec.send_order_statuses("orders.xml", statuses_xml(site_id, "TG-000001"))
    await stack.fake.wait_for("sendMessage", chat_id=MANAGER, after=mark, timeout=30)
    news = [m.params.get("text") for m in stack.fake.messages_to(MANAGER)][-1]
    assert news == "✅ 1C accepted order TG-000001 for ООО «Ромашка»: 1C's number ЗК-000451."
    view = texts(await me.say("/orders"))[-1]
    assert "TG-000001" in view and "accepted" in view

    # The admin sees the exchange's steps in /sync.
    admin = Person(stack.fake, ADMIN_ID, name="Admin", language="ru")
    await admin.say("/start")
    status = texts(await admin.say("/sync"))[-1]
    assert "Обмен с сайтом 1С" in status
    assert "каталог и предложения · offers.xml" in status
    assert "заказы переданы в 1С" in status
