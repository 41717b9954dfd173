"""/debts, /orders, /order, /prices and the card's money line, through the dispatcher."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.services.erp_import import run_import
from storage.dto import Role
from tests.erp.files import csv_1c, import_rows
from tests.factories import make_user
from tests.helpers import alerts, last_with_buttons, texts


async def _load(app, tmp_path: Path) -> None:
    async def imp(kind: str, header: list[str], rows: list[list[str]]) -> None:
        await import_rows(app, tmp_path, kind, header, rows)

    await imp(
        "clients",
        ["Код", "Наименование", "ИНН", "Ответственный"],
        [
            ["К-1", "ООО «Ромашка»", "7707083893", "Иванов И.И."],
            ["К-2", "ПАО «Лютик»", "7736207543", "Петрова О.О."],
        ],
    )
    await imp(
        "contracts",
        ["Код контрагента", "Договор", "Отсрочка", "Кредитный лимит"],
        [
            ["К-1", "15", "30", "100 000"],
            ["К-2", "7", "10", ""],
        ],
    )
    await imp(
        "orders",
        ["Номер", "Дата", "Код контрагента", "Договор", "Статус", "Сумма"],
        [
            ["4512", "01.08.2026", "К-1", "15", "Закрыт", "60 000,00"],
            ["4600", "15.11.2026", "К-1", "15", "В работе", "5 000,00"],
            ["4700", "01.09.2026", "К-2", "7", "Закрыт", "9 000,00"],
        ],
    )
    await imp(
        "order_lines",
        ["Номер заказа", "Дата заказа", "N", "Номенклатура", "Количество", "Сумма"],
        [
            ["4512", "01.08.2026", "1", "Болт М8", "3000", "60 000,00"],
        ],
    )
    await imp(
        "shipments",
        ["Номер", "Дата", "Код контрагента", "Договор", "Заказ", "Сумма"],
        [
            ["Р-1", "02.08.2026", "К-1", "15", "4512", "60 000,00"],
            ["Р-2", "02.09.2026", "К-2", "7", "4700", "9 000,00"],
        ],
    )
    await imp(
        "payments",
        ["Номер", "Дата", "Код контрагента", "Договор", "Сумма"],
        [
            ["П-1", "01.10.2026", "К-1", "15", "20 000,00"],
        ],
    )
    await imp(
        "prices",
        ["Артикул", "Номенклатура", "Цена", "Дата начала действия"],
        [
            ["B-8", "Болт М8", "20,00", "01.01.2026"],
            ["B-8", "Болт М8", "23,00", "01.12.2026"],
        ],
    )


@pytest.fixture
async def people(app, tmp_path):
    boss = await make_user(app, 6000, Role.SUPERVISOR, name="Boss")
    ivan = await make_user(app, 6001, name="Ivan", supervisor=boss)
    olga = await make_user(app, 6002, name="Olga", supervisor=boss)
    from storage.dto import UserUpdate
    from storage.repositories import Repos

    async with app.database.transaction() as s:
        await Repos(s).users.update(
            ivan.id, UserUpdate(erp_name="Иванов Иван"), actor_id=None, now=app.clock()
        )
        await Repos(s).users.update(
            olga.id, UserUpdate(erp_name="Петрова Ольга"), actor_id=None, now=app.clock()
        )
    await _load(app, tmp_path)
    return boss, ivan, olga


async def test_manager_debts_orders_order_and_card(app, chat, people):
    _, ivan, _ = people
    me = chat(ivan.telegram_id, language_code="en")
    debts = texts(await me.send("/debts"))[0]
    assert debts.startswith("Owed: 40,000.00\u00a0₽, overdue: 40,000.00\u00a0₽")
    assert "61–90 d: 40,000.00\u00a0₽" in debts and "Лютик" not in debts
    one = texts(await me.send("/debts ромашка"))[0]
    assert "• shipment Р-1 of 02.08.2026: 40,000.00\u00a0₽, 83 days overdue" in one
    assert "Credit limit used: 40,000.00\u00a0₽ of 100,000.00\u00a0₽" in one

    sent = await me.send("/orders")
    assert texts(sent)[0].startswith("Orders (2):\n1. №4600")
    sent = await me.click(last_with_buttons(sent), "Open")
    assert (
        texts(sent)[0]
        == "Orders (1):\n1. №4600 15.11.2026 · ООО «Ромашка» · 5,000.00\u00a0₽ · В работе · "
        "not shipped"
    )
    order = texts(await me.send("/order 4512"))[0]
    assert "1. Болт М8 — quantity 3,000, amount 60,000.00\u00a0₽" in order
    assert "• Р-1 of 02.08.2026: 60,000.00\u00a0₽, due 01.09.2026, paid 20,000.00\u00a0₽" in order
    assert texts(await me.send("/order 4700")) == ["No order 4700 among your clients' orders."]

    card = texts(await me.send("ромашка"))[0]
    assert "Receivable: 40,000.00\u00a0₽, overdue 40,000.00\u00a0₽ (up to 83 days)" in card
    prices = texts(await me.send("/prices болт"))[0]
    assert (
        "• Болт М8 (B-8): 20.00\u00a0₽" in prices
        and "from 01.12.2026: 23.00\u00a0₽ (+15%)" in prices
    )


async def test_supervisor_sees_team_totals_by_manager(app, chat, people):
    boss, _, _ = people
    debts = texts(await chat(boss.telegram_id, language_code="en").send("/debts"))[0]
    assert debts.startswith("Owed: 49,000.00\u00a0₽")
    assert "• Ivan: 40,000.00\u00a0₽ / 40,000.00\u00a0₽" in debts
    assert "• Olga: 9,000.00\u00a0₽ / 9,000.00\u00a0₽" in debts


async def test_forged_orders_button_for_another_managers_client(app, chat, people):
    _, ivan, _ = people
    from storage.repositories import Repos

    async with app.database.read() as s:
        [lutik] = await Repos(s).clients.search("лютик", None, None, 5)
    me = chat(ivan.telegram_id, language_code="en")
    for data in (f"or:{lutik.id}:a:0", f"db:{lutik.id}", f"or:{lutik.id}:x:0"):
        assert alerts(await me.press(None, data)) == [
            "This is not available to you (or no longer exists)."
        ]


async def test_non_admin_file_refused_and_admin_asked_kind(app, chat, people, admin):
    from aiogram.types import Document

    _, ivan, _ = people
    me = chat(ivan.telegram_id, language_code="en")
    doc = Document(file_id="f1", file_unique_id="u1", file_name="x.csv", file_size=10)
    sent = await me.send_update_message(document=doc)
    assert texts(sent) == ["Only an admin can import files."]
    await admin.send("/start")
    sent = await admin.send_update_message(document=doc)
    assert texts(sent) == ["What does this file hold?"]
    big = Document(
        file_id="f2", file_unique_id="u2", file_name="big.xlsx", file_size=30 * 1024 * 1024
    )
    assert "too large" in texts(await admin.send_update_message(document=big))[0]


async def test_history_mixes_contacts_and_erp_milestones(app, chat, people):
    _, ivan, _ = people
    me = chat(ivan.telegram_id, language_code="en")
    await me.send("/log Ромашка: called about the debt")
    history = texts(await me.send("/history ромашка"))[0]
    lines = history.splitlines()
    assert lines[0] == "ООО «Ромашка»: timeline (5), newest first"
    assert "called about the debt" in lines[2]  # today's contact first
    kinds = [
        line
        for line in lines
        if ("·" in line and "order" in line) or "shipment" in line or "payment" in line
    ]
    assert any("💳 payment П-1 · 20,000.00\u00a0₽" in line for line in kinds)
    assert lines.index(next(line for line in lines if "🚚 shipment Р-1" in line)) < lines.index(
        next(line for line in lines if "📦 order 4512" in line)
    )


async def test_order_status_history_from_successive_imports(app, chat, people, tmp_path, clock):
    from datetime import timedelta

    _, ivan, _ = people
    for day, status in ((1, "Отгружается"), (2, "Закрыт")):
        clock.set(clock() + timedelta(days=1))
        path = csv_1c(
            tmp_path / f"orders{day}.csv",
            ["Номер", "Дата", "Код контрагента", "Статус", "Сумма"],
            [
                ["4600", "15.11.2026", "К-1", status, "5 000,00"],
            ],
        )
        await run_import(
            app.database,
            "orders",
            path,
            file_name=path.name,
            snapshot=False,
            actor_id=None,
            now=clock(),
            texts=app.translator,
        )
    order = texts(await chat(ivan.telegram_id, language_code="en").send("/order 4600"))[0]
    assert (
        "Status changes seen in imports:\n"
        "• 24.11.2026 12:00: Отгружается\n• 25.11.2026 12:00: Закрыт" in order
    )


async def test_payment_claim_from_the_debts_view(app, chat, people):
    _, ivan, _ = people
    from storage.repositories import Repos

    me = chat(ivan.telegram_id, language_code="ru")
    async with app.database.transaction() as s:
        from storage.dto import UserUpdate

        await Repos(s).users.update(
            ivan.id, UserUpdate(language="ru"), actor_id=None, now=app.clock()
        )
    sent = await me.send("/debts ромашка")
    sent = await me.click(last_with_buttons(sent), "⚖️ Подготовить претензию об оплате")
    letter = "\n".join(s.text for s in sent if s.name == "SendMessage")
    assert "ПРЕТЕНЗИЯ" in letter and "40 000,00 руб." in letter and "Р-1" in letter
    [document] = [s for s in sent if s.name == "SendDocument"]
    assert document.method.document.filename == "CL-2026-0001.docx"
    assert "записана как направленная" in document.method.caption
    listing = texts(await me.send("/claims"))[0]
    assert "CL-2026-0001 · ООО «Ромашка» · направлена" in listing
    async with app.database.read() as s:
        [line] = await Repos(s).claims.lines(
            managers=None, departments=None, state="open", today=app.clock().date()
        )
    assert line.claim.direction == "outgoing" and str(line.claim.amount) == "40000.00"
    # Лютик is Olga's: Ivan cannot forge a claim on it.
    async with app.database.read() as s:
        [lutik] = await Repos(s).clients.search("лютик", None, None, 5)
    assert alerts(await me.press(None, f"pc:{lutik.id}")) == [
        "Это вам недоступно (или уже не существует)."
    ]
