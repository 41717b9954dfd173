"""Churn signals from imported shipments and orders, at the windows' edges; a constant
number of queries; the signals in the manager's /today, each opening its client.

Today is 23.11.2026: the last 90 days are 26.08–23.11, the 90 before 28.05–25.08."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import event

from bot.services.analytics import ChurnSignal, churn_signals
from bot.services.business_settings import load_settings
from storage.dto import Role, Tier
from storage.repositories import Repos
from tests.erp.files import import_rows
from tests.factories import make_client, make_user
from tests.helpers import last_with_buttons, texts

TODAY = date(2026, 11, 23)
D = Decimal


async def _company(app, tmp_path):
    boss = await make_user(app, 6101, Role.SUPERVISOR, name="Boss")
    ivan = await make_user(app, 6102, name="Ivan", supervisor=boss)
    olga = await make_user(app, 6103, name="Olga", supervisor=boss, language="ru")
    clients = {}
    for name in ("Альфа", "Бета", "Гамма", "Дельта", "Эпсилон", "Зета", "Эта", "Тета"):
        clients[name] = await make_client(app, name, ivan, tier=Tier.B, is_key=True)
    clients["Йота"] = await make_client(app, "Йота", ivan, tier=Tier.B, is_key=False)
    clients["Омега"] = await make_client(app, "Омега", olga, tier=Tier.A)
    shipments = [
        # Альфа: 100 000 before, 40 000 lately: fell 60 % (> 50 %).
        ("Альфа", "01.07.2026", "100 000,00"),
        ("Альфа", "01.10.2026", "40 000,00"),
        # Бета: fell exactly 50 %: no signal.
        ("Бета", "01.07.2026", "100 000,00"),
        ("Бета", "01.10.2026", "50 000,00"),
        # Гамма: 27.05 is before both windows: nothing before, so nothing fell.
        ("Гамма", "27.05.2026", "100 000,00"),
        ("Гамма", "26.08.2026", "10 000,00"),
        # Дельта: the last day of the earlier window against the first of the recent one.
        ("Дельта", "25.08.2026", "100 000,00"),
        ("Дельта", "26.08.2026", "40 000,00"),
        # Йота fell too, but is not a key client.
        ("Йота", "01.07.2026", "100 000,00"),
        ("Омега", "01.07.2026", "100 000,00"),
    ]
    await import_rows(
        app,
        tmp_path,
        "shipments",
        ["Номер", "Дата", "Контрагент", "Сумма"],
        [[f"Р-{n}", d, c, a] for n, (c, d, a) in enumerate(shipments)],
    )
    orders = [
        # Эпсилон orders every 10 days; the last 94 days ago (> 2 × 10): silence.
        ("Эпсилон", "01.08.2026"),
        ("Эпсилон", "11.08.2026"),
        ("Эпсилон", "21.08.2026"),
        # Зета: every 10 days, last 10 days ago.
        ("Зета", "24.10.2026"),
        ("Зета", "03.11.2026"),
        ("Зета", "13.11.2026"),
        # Эта: last order exactly 2 × 10 days ago: no signal (two orders on one day once).
        ("Эта", "14.10.2026"),
        ("Эта", "24.10.2026"),
        ("Эта", "03.11.2026"),
        ("Эта", "03.11.2026"),
        # Тета: 21 days: silence.
        ("Тета", "13.10.2026"),
        ("Тета", "23.10.2026"),
        ("Тета", "02.11.2026"),
    ]
    await import_rows(
        app,
        tmp_path,
        "orders",
        ["Номер", "Дата", "Контрагент", "Сумма"],
        [[f"З-{n}", d, c, "1 000,00"] for n, (c, d) in enumerate(orders)],
    )
    return boss, ivan, olga, clients


async def test_fall_and_silence_at_their_boundaries(app, tmp_path):
    _, ivan, _, clients = await _company(app, tmp_path)
    async with app.database.read() as s:
        repos = Repos(s)
        settings = await load_settings(repos)
        signals = await churn_signals(repos, [ivan.id], TODAY, settings)
    c = clients
    fell = (D("40000.00"), D("100000.00"), None, None)
    assert signals == [
        ChurnSignal(c["Альфа"].id, "Альфа", ivan.id, "fall", *fell),
        ChurnSignal(c["Дельта"].id, "Дельта", ivan.id, "fall", *fell),
        ChurnSignal(c["Тета"].id, "Тета", ivan.id, "silence", D("0.00"), D("0.00"), 21, 10),
        ChurnSignal(c["Эпсилон"].id, "Эпсилон", ivan.id, "silence", D(0), D(0), 94, 10),
    ]


async def test_queries_do_not_grow_with_owners(app, tmp_path):
    _, ivan, olga, _ = await _company(app, tmp_path)
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        if not statement.startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            statements.append(statement)

    async with app.database.read() as s:
        repos = Repos(s)
        settings = await load_settings(repos)
        engine = app.database.engine.sync_engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            one = await churn_signals(repos, [ivan.id], TODAY, settings)
            single = len(statements)
            both = await churn_signals(repos, [ivan.id, olga.id], TODAY, settings)
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert single == 2 and len(statements) == 4
    assert [s.client_name for s in both if s.owner_id == olga.id] == ["Омега"]
    assert len(both) == len(one) + 1


async def test_churn_in_the_managers_agenda_opens_the_client(app, chat, tmp_path):
    _, ivan, olga, _ = await _company(app, tmp_path)
    me = chat(ivan.telegram_id, language_code="en")
    sent = await me.send("/today")
    agenda = texts(sent)[0].splitlines()
    assert agenda[0] == "Agenda for 23.11.2026 (4):"
    assert agenda[1:] == [
        "1. 📉 Альфа — revenue of the last 90 days fell 60% "
        "(40,000.00\u00a0₽ against 100,000.00\u00a0₽ before)",
        "2. 📉 Дельта — revenue of the last 90 days fell 60% "
        "(40,000.00\u00a0₽ against 100,000.00\u00a0₽ before)",
        "3. 📉 Тета — no order for 21 days, usually every 10 days",
        "4. 📉 Эпсилон — no order for 94 days, usually every 10 days",
    ]
    card = texts(await me.click(last_with_buttons(sent), "3"))[0]
    assert card.startswith("Тета · B ★")

    ru = texts(await chat(olga.telegram_id, language_code="ru").send("/today"))[0]
    assert ru.splitlines()[1] == (
        "1. 📉 Омега — выручка за последние 90 дней упала на 100\u00a0% "
        "(0,00\u00a0₽ против 100\u00a0000,00\u00a0₽ до этого)"
    )
