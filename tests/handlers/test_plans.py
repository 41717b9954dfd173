"""/plan: a supervisor sets a manager's plan in the chat; the manager sees fulfilment,
forecast and the daily gap; access is checked."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.dto import Role, UserUpdate
from storage.repositories import Repos
from tests.erp.files import import_rows
from tests.factories import make_user
from tests.helpers import alerts, last_with_buttons, texts


async def test_plan_set_by_supervisor_seen_by_manager(app, chat, tmp_path, clock):
    boss = await make_user(app, 9000, Role.SUPERVISOR, name="Boss")
    ivan = await make_user(app, 9001, name="Ivan", supervisor=boss)
    other_boss = await make_user(app, 9002, Role.SUPERVISOR, name="Other boss")
    async with app.database.transaction() as s:
        await Repos(s).users.update(
            ivan.id, UserUpdate(erp_name="Иванов Иван"), actor_id=None, now=clock()
        )
    for kind, header, rows in (
        (
            "clients",
            ["Код", "Наименование", "ИНН", "Ответственный"],
            [["К-1", "ООО «Ромашка»", "7707083893", "Иванов И."]],
        ),
        (
            "shipments",
            ["Номер", "Дата", "Код контрагента", "Сумма"],
            [
                ["Р-1", "05.11.2026", "К-1", "600 000,00"],
                ["Р-2", "20.11.2026", "К-1", "400 000,00"],
                ["Р-3", "20.10.2026", "К-1", "1 000 000,00"],
            ],
        ),
    ):
        await import_rows(app, tmp_path, kind, header, rows, now=clock())
    clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    lead = chat(boss.telegram_id, language_code="en")
    sent = await lead.send("/plan")
    sent = await lead.click(last_with_buttons(sent), "✏️ Set a plan")
    sent = await lead.click(last_with_buttons(sent), "Ivan")
    sent = await lead.click(last_with_buttons(sent), "11.2026")
    sent = await lead.click(last_with_buttons(sent), "📒 Whole book")
    assert texts(await lead.send("-5")) == [
        "The plan must be a positive amount, for example 2 500 000. Nothing was changed."
    ]
    assert texts(await lead.send("2 000 000")) == ["Plan for 11.2026 set: 2,000,000.00\u00a0₽."]

    view = texts(await chat(ivan.telegram_id, language_code="en").send("/plan"))[0]
    assert view.splitlines()[0] == "Plan for 11.2026:"
    assert (
        "• Ivan: 1,000,000.00\u00a0₽ of 2,000,000.00\u00a0₽ (50%), "
        "forecast 1,428,571.43\u00a0₽; "
        "needed 166,666.67\u00a0₽ a business day for 6 business days"
    ) in view
    assert "Plan for Q4 2026:" in view and "2,000,000.00\u00a0₽ of 0.00\u00a0₽" in view
    # Another team's supervisor cannot set Ivan's plan, even with forged buttons.
    stranger = chat(other_boss.telegram_id, language_code="en")
    assert alerts(await stranger.press(None, f"pl:m:{ivan.id}")) == [
        "This is not available to you (or no longer exists)."
    ]
    async with app.database.read() as s:
        audit = await Repos(s).audit.history("plan", 1)
    assert audit[0].changes["amount"] == [None, "2000000.00"] and audit[0].actor_id == boss.id
