"""Reassigning a client in the chat: a confirmation first (the past stays with the previous
manager), both managers told who has the client now, each in their own language, and a
replayed, stale or forged confirmation changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from bot.services.accounts import reassign_client
from storage.accounts import OwnershipPeriod
from storage.dto import Role
from storage.repositories import Repos
from tests.factories import make_client, make_user
from tests.helpers import alerts, last_with_buttons, texts

NOT_AVAILABLE = "This is not available to you (or no longer exists)."
NOT_AVAILABLE_RU = "Это вам недоступно (или уже не существует)."
TODAY = date(2026, 11, 23)  # the clock's day in Moscow
CONFIRM = (
    "Give ООО «Ромашка» to Olga Manager? Past results stay with Ivan Manager; from today on "
    "the client's results count for Olga Manager. Its open next steps and opportunities go "
    "with it."
)
CHANGED = (
    "The client's manager is no longer the one this question named, so nothing was done. "
    "The card as it is now:"
)


@pytest.fixture
async def team(app):
    boss = await make_user(app, 6000, Role.SUPERVISOR, name="Sergey Boss")
    ivan = await make_user(app, 6001, name="Ivan Manager", supervisor=boss)
    olga = await make_user(app, 6002, name="Olga Manager", supervisor=boss, language="ru")
    petr = await make_user(app, 6003, name="Petr Manager", supervisor=boss)
    return boss, ivan, olga, petr


async def _ask(boss_chat, name: str = "Olga Manager"):
    card = last_with_buttons(await boss_chat.send("ромашка"))
    sent = await boss_chat.click(card, "🔁 Reassign")
    return await boss_chat.click(last_with_buttons(sent), name)


async def _state(app, client_id: int):
    async with app.database.read() as s:
        repos = Repos(s)
        owner = (await repos.clients.get(client_id)).owner_id
        told = [r for r in await repos.outbox.list() if r.kind == "handover"]
        audit = [
            e for e in await repos.audit.history("client", client_id) if e.action == "reassign"
        ]
        periods = await repos.clients.ownership(client_id)
    return owner, told, audit, periods


async def test_a_reassignment_asks_first_then_tells_both_managers(app, chat, team):
    boss, ivan, olga, _ = team
    client = await make_client(app, "ООО «Ромашка»", ivan)
    await chat(ivan.telegram_id, language_code="en").send("/log Ромашка: talked; next: call +2")
    boss_chat = chat(boss.telegram_id, language_code="en")

    asked = await _ask(boss_chat)
    assert texts(asked) == [CONFIRM]
    assert [t for t, _ in last_with_buttons(asked).inline_buttons] == [
        "✅ Yes, hand over",
        "✖ Cancel",
    ]
    assert await _state(app, client.id) == (ivan.id, [], [], [])  # nothing happened yet

    done = await boss_chat.click(last_with_buttons(asked), "✅ Yes, hand over")
    result = texts(done)[0]
    assert result.startswith(
        "ООО «Ромашка» now belongs to Olga Manager. Past results stay with Ivan Manager. "
        "Both have been told.\n\nООО «Ромашка» · B"
    )
    assert "Manager: Olga Manager" in result
    owner, told, audit, periods = await _state(app, client.id)
    assert owner == olga.id and len(audit) == 1
    assert periods == [
        OwnershipPeriod(ivan.id, None, TODAY),
        OwnershipPeriod(olga.id, TODAY, None),
    ]
    by_chat = {r.chat_id: r.payload["text"] for r in told}
    assert by_chat == {
        ivan.telegram_id: (
            "ООО «Ромашка» was handed over to Olga Manager, with its open next steps and "
            "opportunities. Your results with it so far stay yours."
        ),
        olga.telegram_id: (  # Olga reads Russian
            "Теперь вы ведёте клиента ООО «Ромашка» — вместе с открытыми шагами и "
            "возможностями. Прежний менеджер — Ivan Manager: результаты до передачи "
            "остаются за ним, а с сегодняшнего дня всё идёт в ваш зачёт."
        ),
    }
    async with app.database.read() as s:
        assert (await Repos(s).follow_ups.next_for_client(client.id)).owner_id == olga.id

    # The same confirmation again (a replayed update, a double tap): nothing more happens.
    yes = dict(last_with_buttons(asked).inline_buttons)["✅ Yes, hand over"]
    again = await boss_chat.press(None, yes)
    assert texts(again)[0].startswith(CHANGED + "\n\nООО «Ромашка» · B")
    assert await _state(app, client.id) == (owner, told, audit, periods)


async def test_a_confirmation_after_someone_else_moved_the_client_changes_nothing(
    app, chat, team, admin
):
    boss, ivan, olga, petr = team
    client = await make_client(app, "ООО «Ромашка»", ivan)
    boss_chat = chat(boss.telegram_id, language_code="en")
    asked = await _ask(boss_chat)
    async with app.database.transaction() as s:  # meanwhile an admin gives it to Petr
        admin_user = await make_user(app, 6010, Role.ADMIN, name="Anna Admin")
        await reassign_client(
            Repos(s), admin_user, client.id, petr.id, now=app.clock(), texts=app.translator
        )
    before = await _state(app, client.id)
    stale = await boss_chat.click(last_with_buttons(asked), "✅ Yes, hand over")
    assert texts(stale)[0].startswith(CHANGED) and "Manager: Petr Manager" in texts(stale)[0]
    assert await _state(app, client.id) == before
    assert before[0] == petr.id and olga.telegram_id not in {r.chat_id for r in before[1]}


async def test_cancel_leaves_the_client_where_it_was(app, chat):
    boss = await make_user(app, 6100, Role.SUPERVISOR, name="Сергей", language="ru")
    ivan = await make_user(app, 6101, name="Иван", supervisor=boss, language="ru")
    await make_user(app, 6102, name="Ольга", supervisor=boss, language="ru")
    client = await make_client(app, "ООО «Ромашка»", ivan)
    boss_chat = chat(boss.telegram_id)
    card = last_with_buttons(await boss_chat.send("ромашка"))
    sent = await boss_chat.click(card, "🔁 Передать")
    asked = await boss_chat.click(last_with_buttons(sent), "Ольга")
    assert texts(asked) == [
        "Передать ООО «Ромашка»? Новый менеджер: Ольга. Прошлые результаты останутся за "
        "прежним менеджером (Иван), а с сегодняшнего дня всё пойдёт в зачёт нового. "
        "Открытые шаги и возможности перейдут вместе с клиентом."
    ]
    back = await boss_chat.click(last_with_buttons(asked), "✖ Отмена")
    assert texts(back)[0].startswith("ООО «Ромашка» · B")
    assert await _state(app, client.id) == (ivan.id, [], [], [])


async def test_forged_confirmations_are_refused(app, chat, team):
    boss, ivan, olga, _ = team
    other = await make_user(app, 6200, Role.SUPERVISOR, name="Other boss")
    fedor = await make_user(app, 6201, name="Fedor", supervisor=other)
    client = await make_client(app, "ООО «Ромашка»", ivan)
    forged = (
        (other, f"ho:{client.id}:{fedor.id}:{ivan.id}"),  # not their team's client
        (ivan, f"ho:{client.id}:{olga.id}:{ivan.id}"),  # a manager cannot hand over
        (olga, f"ho:{client.id}:{olga.id}:{ivan.id}"),  # nor take a client
        (boss, f"ho:{client.id}:{fedor.id}:{ivan.id}"),  # to another team's manager
        (boss, f"ho:{client.id + 99}:{olga.id}:{ivan.id}"),  # no such client
    )
    for user, data in forged:
        sent = await chat(user.telegram_id, language_code="en").press(None, data)
        refused = NOT_AVAILABLE if user.language == "en" else NOT_AVAILABLE_RU
        assert alerts(sent) == [refused], data
    # Boss's own team, but a question that never named this owner: nothing happens.
    sent = await chat(boss.telegram_id, language_code="en").press(
        None, f"ho:{client.id}:{olga.id}:{olga.id}"
    )
    assert texts(sent)[0].startswith(CHANGED)
    assert await _state(app, client.id) == (ivan.id, [], [], [])
