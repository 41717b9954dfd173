"""Plans per client in the chat: the whole book or one client (typed, matched among that
manager's clients, several → buttons), bad amounts, forged buttons; the manager's /plan
lists the per-client plans with their fulfilment."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.dto import Role, Tier
from storage.repositories import Repos
from tests.erp.files import import_rows
from tests.factories import make_client, make_user
from tests.helpers import alerts, last_with_buttons, texts

NOT_AVAILABLE = "This is not available to you (or no longer exists)."


async def _team(app, tmp_path, language: str = "en"):
    boss = await make_user(app, 6201, Role.SUPERVISOR, name="Boss", language=language)
    ivan = await make_user(app, 6202, name="Ivan", supervisor=boss)
    petr = await make_user(app, 6203, name="Petr", supervisor=boss)
    romashka = await make_client(app, "ООО «Ромашка»", ivan, tier=Tier.A)
    await make_client(app, "Ромашка-Юг", ivan)
    lyutik = await make_client(app, "ПАО «Лютик»", ivan)
    petrs = await make_client(app, "ООО «Лютик-Петра»", petr)
    await import_rows(
        app,
        tmp_path,
        "shipments",
        ["Номер", "Дата", "Контрагент", "Сумма"],
        [
            ["Р-1", "05.11.2026", "ООО «Ромашка»", "600 000,00"],
            ["Р-2", "20.11.2026", "ООО «Ромашка»", "400 000,00"],
            ["Р-3", "10.11.2026", "ПАО «Лютик»", "50 000,00"],
        ],
    )
    return boss, ivan, petr, romashka, lyutik, petrs


async def _to_client_step(lead, name: str = "Ivan"):
    sent = await lead.send("/plan")
    sent = await lead.click(last_with_buttons(sent), "✏️ Set a plan")
    sent = await lead.click(last_with_buttons(sent), name)
    sent = await lead.click(last_with_buttons(sent), "11.2026")
    assert texts(sent) == ["Ivan, 11.2026: a plan for the whole book or for one client?"]
    return await lead.click(last_with_buttons(sent), "🏢 One client")


async def test_a_plan_for_one_client_and_its_fulfilment(app, chat, tmp_path, clock):
    boss, ivan, _, romashka, _, _ = await _team(app, tmp_path)
    clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    lead = chat(boss.telegram_id, language_code="en")
    sent = await _to_client_step(lead)
    assert texts(sent) == ["Which of Ivan's clients? Type part of its name, its ИНН or ERP code."]
    # Petr's client is not among Ivan's.
    assert texts(await lead.send("Петра")) == [
        "No client of this manager matches “Петра”. Type another name, or /cancel."
    ]
    sent = await lead.send("ромашка")  # two of Ivan's clients match: buttons
    assert texts(sent) == ["2 clients match; which one?"]
    sent = await lead.click(last_with_buttons(sent), "ООО «Ромашка»")
    assert texts(sent) == ["The plan of ООО «Ромашка» for 11.2026, in roubles:"]
    for bad in ("0", "-5", "много"):
        assert texts(await lead.send(bad)) == [
            "The plan must be a positive amount, for example 2 500 000. Nothing was changed."
        ]
    assert texts(await lead.send("1 500 000")) == [
        "Plan of ООО «Ромашка» for 11.2026 set: 1,500,000.00\u00a0₽."
    ]
    # One match goes straight to the amount.
    sent = await _to_client_step(lead)
    assert texts(await lead.send("лютик")) == ["The plan of ПАО «Лютик» for 11.2026, in roubles:"]
    await lead.send("100 000")
    async with app.database.read() as s:
        audit = await Repos(s).audit.history("plan", 1)
    assert audit[0].actor_id == boss.id
    assert audit[0].changes == {
        "amount": [None, "1500000.00"],
        "user_id": [None, ivan.id],
        "client_id": [None, romashka.id],
    }

    view = texts(await chat(ivan.telegram_id, language_code="en").send("/plan"))[0]
    # 20 business days in November 2026, 14 worked by 20.11, 6 left.
    # Ромашка: 1 000 000 of 1 500 000 → 66.7 %, forecast 1 000 000 / 14 × 20, gap 500 000 / 6.
    # Лютик: 50 000 of 100 000 → 50.0 %, forecast 71 428.57, gap 8 333.33.
    assert (
        "  ◦ ООО «Ромашка»: 1,000,000.00\u00a0₽ of 1,500,000.00\u00a0₽ (66.7%), "
        "forecast 1,428,571.43\u00a0₽; needed 83,333.33\u00a0₽ a business day"
    ) in view.splitlines()
    assert (
        "  ◦ ПАО «Лютик»: 50,000.00\u00a0₽ of 100,000.00\u00a0₽ (50%), "
        "forecast 71,428.57\u00a0₽; needed 8,333.33\u00a0₽ a business day"
    ) in view.splitlines()
    # The whole-book line is separate (no book plan: 0 of 0).
    assert "• Ivan: 1,050,000.00\u00a0₽ of 0.00\u00a0₽ (0%)" in view


async def test_forged_buttons_and_other_teams_are_refused(app, chat, tmp_path):
    boss, ivan, _, romashka, _, petrs = await _team(app, tmp_path)
    other = await make_user(app, 6209, Role.SUPERVISOR, name="Other boss")
    stranger = chat(other.telegram_id, language_code="en")
    for data in (f"pl:p:{ivan.id}|11.2026", f"pl:o:{ivan.id}|11.2026", f"pl:w:{ivan.id}|11.2026"):
        assert alerts(await stranger.press(None, data)) == [NOT_AVAILABLE]
    lead = chat(boss.telegram_id, language_code="en")
    await _to_client_step(lead)
    # A client of another manager (even in the same team), a made-up id, a bad value.
    for data in (f"pl:c:{petrs.id}", "pl:c:999999", "pl:c:x", "pl:m:x"):
        assert alerts(await lead.press(None, data)) == [NOT_AVAILABLE]
    # A client button outside the client step.
    await lead.send("/cancel")
    assert alerts(await lead.press(None, f"pl:c:{romashka.id}")) == [NOT_AVAILABLE]
    # A manager cannot set plans at all.
    manager = chat(ivan.telegram_id, language_code="en")
    sent = await manager.send("/plan")
    assert [t for t, _ in last_with_buttons(sent).inline_buttons] == ["📊 ABC"]
    assert alerts(await manager.press(None, f"pl:o:{ivan.id}|11.2026")) == [NOT_AVAILABLE]
    async with app.database.read() as s:
        assert await Repos(s).audit.history("plan", 1) == []


async def test_russian_texts_of_the_client_step(app, chat, tmp_path):
    boss, *_ = await _team(app, tmp_path, language="ru")
    lead = chat(boss.telegram_id, language_code="ru")
    sent = await lead.send("/plan")
    sent = await lead.click(last_with_buttons(sent), "✏️ Задать план")
    sent = await lead.click(last_with_buttons(sent), "Ivan")
    sent = await lead.click(last_with_buttons(sent), "11.2026")
    assert texts(sent) == ["Ivan, 11.2026: план на всех клиентов или на одного?"]
    sent = await lead.click(last_with_buttons(sent), "🏢 На одного клиента")
    assert texts(await lead.send("нет такого")) == [
        "У этого менеджера нет клиента по запросу «нет такого». "
        "Напишите другое название или /cancel."
    ]
    assert texts(await lead.send("лютик")) == ["План по клиенту ПАО «Лютик» на 11.2026, в рублях:"]
    assert texts(await lead.send("0")) == [
        "План — положительная сумма, например 2 500 000. Ничего не изменено."
    ]
    assert texts(await lead.send("250 000")) == [
        "План по клиенту ПАО «Лютик» на 11.2026: 250\u00a0000,00\u00a0₽."
    ]
