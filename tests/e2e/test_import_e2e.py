"""An admin sends ERP exports to the bot over the fake Bot API (getFile and the download
path); a manager then sees the order and the debt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.dto import Role, UserCreate
from storage.engine import Database
from storage.repositories import Repos
from tests.e2e.conftest import ADMIN_ID, Person, Stack, register, texts
from tests.erp.files import csv_1c, xlsx_1c
from tests.erp.test_bank_import import document, statement
from tests.fakes.telegram_server import Recorded

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]


async def _manager(stack: Stack) -> int:
    db = Database(stack.env["DATABASE_URL"])
    try:
        async with db.transaction() as s:
            user = await Repos(s).users.create(
                UserCreate(
                    telegram_id=800_001,
                    role=Role.MANAGER,
                    full_name="Ivan",
                    language="en",
                    timezone="Europe/Moscow",
                    erp_name="Иванов Иван Иванович",
                ),
                actor_id=None,
                now=datetime.now(UTC),
            )
            return user.telegram_id
    finally:
        await db.dispose()


def _answer(replies: list[Recorded], start: str) -> str:
    found = [t for t in texts(replies) if t.startswith(start)]
    assert found, texts(replies)
    return found[0]


async def _send(stack: Stack, path: Path, caption: str | None) -> str:
    mark = stack.fake.mark()
    stack.fake.send_document(
        ADMIN_ID,
        f"file-{path.name}",
        path.name,
        path.read_bytes(),
        caption=caption,
        first_name="Anna",
        language_code="en",
    )

    def done(rec) -> bool:
        return bool(rec.text) and ("done:" in rec.text or "Nothing was changed" in rec.text)

    final = await stack.fake.wait_for(
        "editMessageText", chat_id=ADMIN_ID, after=mark, predicate=done, timeout=30
    )
    assert any(r.method == "downloadFile" for r in stack.fake.requests[mark:])
    return final.text or ""


async def test_admin_imports_files_and_manager_sees_order_and_debt(
    stack: Stack, tmp_path: Path
) -> None:
    manager_id = await _manager(stack)
    admin = Person(stack.fake, ADMIN_ID, name="Anna", language="en")
    await admin.say("/start")
    today = datetime.now(UTC).date()
    shipped = today - timedelta(days=50)
    summary = await _send(
        stack,
        csv_1c(
            tmp_path / "clients.csv",
            ["Код", "Наименование", "ИНН", "Ответственный"],
            [
                ["К-1", "ООО «Ромашка»", "7707083893", "Иванов И.И."],
                ["К-2", "Битый", "123", "Иванов И.И."],
            ],
        ),
        "/import clients",
    )
    assert summary.startswith(
        "Import of clients done: 2 rows read, 1 new, 0 updated, 0 unchanged, 1 rejected."
    )
    rejected = await stack.fake.wait_for("sendDocument", chat_id=ADMIN_ID)
    assert b"invalid" in next(iter(rejected.files.values()))

    await _send(
        stack,
        csv_1c(
            tmp_path / "contracts.csv",
            ["Код контрагента", "Договор", "Отсрочка"],
            [["К-1", "15", "30"]],
        ),
        "/import contracts",
    )
    await _send(
        stack,
        csv_1c(
            tmp_path / "orders.csv",
            ["Номер", "Дата", "Код контрагента", "Договор", "Статус", "Сумма"],
            [
                ["4512", shipped.strftime("%d.%m.%Y"), "К-1", "15", "Отгружен", "12 000,00"],
            ],
        ),
        "/import orders",
    )
    # No caption: the bot asks what the file holds.
    mark = stack.fake.mark()
    ship_file = xlsx_1c(
        tmp_path / "shipments.xlsx",
        ["Номер", "Дата", "Код контрагента", "Договор", "Заказ", "Сумма"],
        [
            ["Р-1", shipped, "К-1", "15", "4512", 12000],
        ],
    )
    stack.fake.send_document(
        ADMIN_ID,
        "file-ship",
        ship_file.name,
        ship_file.read_bytes(),
        first_name="Anna",
        language_code="en",
    )
    question = await stack.fake.wait_for("sendMessage", chat_id=ADMIN_ID, after=mark)
    assert question.text == "What does this file hold?"
    mark = stack.fake.mark()
    await admin.press(question, "Shipments")
    final = await stack.fake.wait_for(
        "editMessageText",
        chat_id=ADMIN_ID,
        after=mark,
        predicate=lambda r: "done:" in (r.text or ""),
        timeout=30,
    )
    assert "1 new" in (final.text or "")

    manager = Person(stack.fake, manager_id, name="Ivan", language="en")
    # The clients import told Ivan of his new client through the outbox: that message may
    # arrive beside an answer, so each answer is picked by what it starts with.
    order = _answer(await manager.say("/order 4512"), "Order 4512 of")
    assert "ООО «Ромашка»" in order and "Р-1" in order
    debts = _answer(await manager.say("/debts"), "Owed")
    assert debts.startswith("Owed: 12,000.00\u00a0₽, overdue: 12,000.00\u00a0₽")
    assert "1–30 d: 12,000.00\u00a0₽" in debts


async def test_bad_file_changes_nothing(stack: Stack, tmp_path: Path) -> None:
    garbage = tmp_path / "photo.jpg"
    garbage.write_bytes(b"\xff\xd8\xff\x00" * 500)
    summary = await _send(stack, garbage, "/import shipments")
    assert summary == "This is not a CSV or XLSX file. Nothing was changed."


async def test_a_bank_statement_sent_in_the_chat_pays_the_shipment_it_names(
    stack: Stack, tmp_path: Path
) -> None:
    await register(stack, 800_002, Role.MANAGER, "Pyotr", erp_name="Петров Пётр Петрович")
    admin = Person(stack.fake, ADMIN_ID, name="Anna", language="en")
    await admin.say("/start")
    header = ["Код", "Наименование", "ИНН", "Ответственный"]
    await _send(
        stack,
        csv_1c(tmp_path / "c.csv", header, [["К-9", "ПАО «Лютик»", "7736207543", "Петров П.П."]]),
        "/import clients",
    )
    shipped = (datetime.now(UTC).date() - timedelta(days=50)).strftime("%d.%m.%Y")
    for number in ("Р-8", "Р-9"):  # Р-8 is older: FIFO would pay it first
        await _send(
            stack,
            csv_1c(
                tmp_path / f"{number}.csv",
                ["Номер", "Дата", "Код контрагента", "Сумма"],
                [[number, shipped, "К-9", "9 000,00"]],
            ),
            "/import shipments",
        )
    # The bank's file "for 1C", in Windows-1251, sent without a caption.
    day = datetime.now(UTC).date().strftime("%d.%m.%Y")
    payer = ("7736207543", "773601001", "40702810500000011111")
    text = statement(document("731", day, "5000.00", payer, "Оплата по УПД № Р-9, НДС 22%"))
    path = tmp_path / "kl_to_1c.txt"
    path.write_bytes(text.encode("cp1251"))
    summary = await _send(stack, path, None)
    assert "Bank statement: 1 documents." in summary
    assert "Import of payments done: 1 rows read, 1 new" in summary
    manager = Person(stack.fake, 800_002, name="Pyotr", language="en")
    card = _answer(await manager.say("/debts Лютик"), "Owed")
    assert card.startswith("Owed: 13,000.00\u00a0₽"), card
    # The payment went to Р-9, which it names, not to the older Р-8.
    lines = {n: next(line for line in card.splitlines() if n in line) for n in ("Р-8", "Р-9")}
    assert "9,000.00\u00a0₽" in lines["Р-8"], card
    assert "4,000.00\u00a0₽" in lines["Р-9"], card
