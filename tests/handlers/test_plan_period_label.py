"""/plan in Russian names a quarter «4 кв. 2026», as Russian business documents do; the
button's callback data keeps the language-free value it is parsed back from."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.dto import Role
from tests.factories import make_user
from tests.helpers import last_with_buttons, texts


async def test_a_russian_supervisor_sets_a_quarter_plan(app, chat, clock):
    boss = await make_user(app, 9100, Role.SUPERVISOR, name="Начальник", language="ru")
    await make_user(app, 9101, name="Иван", supervisor=boss, language="ru")
    clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    lead = chat(boss.telegram_id, language_code="ru")
    sent = await lead.send("/plan")
    sent = await lead.click(last_with_buttons(sent), "✏️ Задать план")
    sent = await lead.click(last_with_buttons(sent), "Иван")
    periods = last_with_buttons(sent).inline_buttons
    assert [text for text, _ in periods] == ["11.2026", "12.2026", "4 кв. 2026", "1 кв. 2027"]
    assert periods[2][1].endswith("|Q4 2026")  # the machine value, not the shown text
    sent = await lead.click(last_with_buttons(sent), "4 кв. 2026")
    assert texts(sent)[-1].startswith("Иван, 4 кв. 2026: план")
    sent = await lead.click(last_with_buttons(sent), "📒 На всех клиентов")
    assert texts(sent)[-1] == "План на 4 кв. 2026, в рублях:"
    assert texts(await lead.send("3 000 000")) == [
        "План на 4 кв. 2026: 3\u00a0000\u00a0000,00\u00a0₽."
    ]
