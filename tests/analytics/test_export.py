"""/export through the dispatcher: the workbook of tests/analytics/company.py opened with
openpyxl (sheets, headers, frozen first row, money and date cells, the expected rows),
scopes by role, an empty period, forged buttons, both languages."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from aiogram.methods import SendDocument
from openpyxl import load_workbook

from storage.dto import UserUpdate
from storage.repositories import Repos
from tests.analytics.company import build_company
from tests.helpers import alerts, last_with_buttons, texts

NOT_AVAILABLE = "This is not available to you (or no longer exists)."
RUB = '#,##0.00 "₽"'


@pytest.fixture
async def company(app, tmp_path):
    return await build_company(app, tmp_path)


async def _export(client, period: str):
    sent = await client.send("/export")
    sent = await client.click(last_with_buttons(sent), lambda t: t.startswith(period))
    documents = [s for s in sent if isinstance(s.method, SendDocument)]
    return sent, documents


def _book(document):
    data = document.method.document.data
    return load_workbook(io.BytesIO(data))


def naive(*parts: int) -> datetime:
    """What openpyxl reads from a date cell: a wall-clock time without a zone."""
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)


def _rows(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


async def test_supervisor_exports_the_teams_month(app, chat, company):
    c = company
    lead = chat(c.boss.telegram_id, language_code="en")
    sent = await lead.send("/export")
    assert texts(sent) == ["Excel workbook for which period?"]
    assert [t for t, _ in last_with_buttons(sent).inline_buttons] == [
        "This week · 23.11–29.11.2026",
        "Last week · 16.11–22.11.2026",
        "This month · 11.2026",
        "This quarter · Q4 2026",
    ]
    sent, [document] = await _export(lead, "This month")
    assert "⏳ Preparing the workbook for 11.2026…" in texts(sent)
    assert document.method.document.filename == "kam-2026-11.xlsx"
    assert document.method.caption == "📎 KAM workbook, 11.2026"
    assert document.chat_id == c.boss.telegram_id
    book = _book(document)
    assert book.sheetnames == [
        "Contacts",
        "Orders",
        "Receivables",
        "Claims",
        "Plan fulfilment",
        "ABC clients",
        "ABC products",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb.endswith("DDEBF7")

    contacts = book["Contacts"]
    assert [c.value for c in contacts[1]] == [
        "When",
        "Client",
        "Manager",
        "Channel",
        "Outcome",
        "Summary",
    ]
    # 02.11 15:30 in Moscow; October's call and Olga's (another team's) are not here.
    assert _rows(contacts) == [
        (
            naive(2026, 11, 2, 15, 30),
            "Альфа",
            "Ivan",
            "Visit",
            "👍 Positive",
            "Обсудили объёмы на декабрь",
        )
    ]
    assert contacts["A2"].number_format == "DD.MM.YYYY HH:MM"

    orders = book["Orders"]
    assert _rows(orders) == [("З-4", naive(2026, 11, 16), "Гамма", "Ivan", None, 7500, None)]
    assert orders["F2"].number_format == RUB and orders["B2"].number_format == "DD.MM.YYYY"

    receivables = book["Receivables"]
    assert [c.value for c in receivables[1]] == [
        "Client",
        "Manager",
        "Shipment",
        "Date",
        "Due",
        "Owed",
        "Days overdue",
        "Aging",
    ]
    # As of 23.11, by due date; Зета's shipment was closed by its return, Р-6 was removed.
    assert _rows(receivables) == [
        ("Альфа", "Ivan", "Р-1", naive(2026, 10, 1), naive(2026, 10, 15), 500000, 39, "31–60"),
        ("Гамма", "Ivan", "Р-3", naive(2026, 10, 6), naive(2026, 10, 23), 150000, 31, "31–60"),
        ("Дельта", "Ivan", "Р-4", naive(2026, 10, 7), naive(2026, 10, 24), 50000, 30, "1–30"),
        ("Бета", "Ivan", "Р-2", naive(2026, 11, 5), naive(2026, 11, 30), 300000, 0, "not due"),
    ]  # fmt: skip
    assert receivables["F2"].number_format == RUB
    assert isinstance(receivables["F2"].value, int | float)

    claims = book["Claims"]
    assert _rows(claims) == [
        (
            "CL-2026-0001",
            naive(2026, 11, 10, 10, 0),
            "Гамма",
            "Ivan",
            "from the client",
            "Quality",
            "new",
            12500.5,
            naive(2026, 11, 24),
            naive(2026, 12, 10),
            "Брак в партии",
        )
    ]
    assert claims["H2"].number_format == RUB

    plan = book["Plan fulfilment"]
    # 300 000 of 2 000 000; 15 of 20 business days worked: forecast 400 000, 340 000 a day.
    assert _rows(plan) == [("Ivan", None, 2000000, 300000, 0.15, 400000, 340000, 5)]
    assert plan["E2"].number_format == "0.00%" and plan["C2"].number_format == RUB

    abc = book["ABC clients"]
    assert [c.value for c in abc[1]] == [
        "Class",
        "Client",
        "Manager",
        "Revenue",
        "Share",
        "Cumulative",
    ]
    assert _rows(abc) == [
        ("A", "Бета", "Ivan", 300000, 1, 1),
        ("C", "Альфа", "Ivan", 0, 0, 1),
        ("C", "Гамма", "Ivan", 0, 0, 1),
        ("C", "Дельта", "Ivan", 0, 0, 1),
        ("C", "Зета", "Ivan", 0, 0, 1),
        ("C", "Эпсилон", "Ivan", 0, 0, 1),
    ]
    # November's only order with lines is Olga's: the team's products sheet has a header.
    assert _rows(book["ABC products"]) == []


async def test_quarter_products_and_the_admins_whole_company(app, chat, company):
    lead = chat(company.boss.telegram_id, language_code="en")
    _, [document] = await _export(lead, "This quarter")
    assert document.method.document.filename == "kam-2026-Q4.xlsx"
    assert _rows(_book(document)["ABC products"]) == [
        ("A", "А-1", "Гвозди", 600, 0.6, 0.6),
        ("A", "А-2", "Шурупы", 300, 0.3, 0.9),
        ("B", None, "Болты", 100, 0.1, 1),
    ]
    admin = chat(company.admin.telegram_id, language_code="en")
    _, [document] = await _export(admin, "This quarter")
    book = _book(document)
    assert [r[1] for r in _rows(book["ABC clients"])][:2] == ["Омега", "Альфа"]
    assert len(_rows(book["ABC clients"])) == 7
    assert _rows(book["Receivables"])[-1][:2] == ("Омега", "Olga")
    assert [r[2] for r in _rows(book["Orders"])] == ["Альфа", "Омега", "Гамма"]


async def test_empty_period_manager_and_forged_buttons(app, chat, company):
    lead = chat(company.boss.telegram_id, language_code="en")
    sent, documents = await _export(lead, "This week")
    assert documents == []
    assert texts(sent) == [
        "Nothing happened in 23.11–29.11.2026: no contacts, orders, shipments, claims or "
        "plans. No file was made; choose another period."
    ]
    assert alerts(await lead.press(None, "ex:zz")) == [NOT_AVAILABLE]
    ivan = chat(company.ivan.telegram_id, language_code="en")
    assert texts(await ivan.send("/export")) == ["The Excel export is for supervisors and admins."]
    forged = await ivan.press(None, "ex:m")
    assert alerts(forged) == [NOT_AVAILABLE]
    assert not [s for s in forged if isinstance(s.method, SendDocument)]


async def test_russian_workbook_and_messages(app, chat, company):
    c = company
    async with app.database.transaction() as s:
        await Repos(s).users.update(
            c.other_boss.id, UserUpdate(language="ru"), actor_id=None, now=app.clock()
        )
    other = chat(c.other_boss.telegram_id, language_code="ru")
    sent, documents = await _export(other, "Эта неделя")
    assert documents == [] and texts(sent)[0].startswith("За 23.11–29.11.2026 ничего не было")
    _, [document] = await _export(other, "Этот месяц")
    assert document.method.caption == "📎 Книга KAM, 11.2026"
    book = _book(document)
    assert book.sheetnames == [
        "Контакты",
        "Заказы",
        "Дебиторка",
        "Претензии",
        "Выполнение плана",
        "ABC клиентов",
        "ABC товаров",
    ]
    assert [c.value for c in book["Дебиторка"][1]][-3:] == [
        "Долг",
        "Дней просрочки",
        "Срок просрочки",
    ]
    # Only Olga's client: the other team's supervisor sees nothing of Ivan's.
    assert _rows(book["Дебиторка"]) == [
        ("Омега", "Olga", "Р-7", naive(2026, 11, 2), naive(2026, 12, 2), 2000000, 0, "не наступил")
    ]  # fmt: skip
    assert [r[1] for r in _rows(book["Контакты"])] == ["Омега"]
    assert _rows(book["ABC товаров"]) == [("A", "А-1", "Гвозди", 9000, 1, 1)]
