"""Accounts over HTTP: search, a new client, a contact with a next step (dialog and quick
form), /today, and a forged button for another manager's client."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.dto import Role, UserCreate, UserDTO
from storage.engine import Database
from storage.repositories import Repos
from tests.e2e.conftest import Person, Stack, buttons, midday_zone, texts, with_buttons

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]


async def _managers(stack: Stack) -> tuple[UserDTO, UserDTO]:
    db = Database(stack.env["DATABASE_URL"])
    try:
        async with db.transaction() as s:
            repos = Repos(s)
            made = []
            for telegram_id, name in ((700_001, "Ivan"), (700_002, "Olga")):
                user = await repos.users.by_telegram_id(telegram_id)
                made.append(
                    user
                    or await repos.users.create(
                        UserCreate(
                            telegram_id=telegram_id,
                            role=Role.MANAGER,
                            full_name=name,
                            language="en",
                            timezone="Asia/Novosibirsk",
                        ),
                        actor_id=None,
                        now=datetime.now(UTC),
                    )
                )
            return made[0], made[1]
    finally:
        await db.dispose()


async def _new_client(person: Person, name: str, inn: str) -> list:
    replies = await person.say("/clients")
    replies = await person.press(with_buttons(replies), "➕ New client")
    await person.say(name)
    replies = await person.say(inn)
    replies = await person.press(with_buttons(replies), "Skip")  # no КПП
    return await person.press(with_buttons(replies), "A — key")


async def test_add_search_log_and_today(stack: Stack) -> None:
    ivan, _ = await _managers(stack)
    me = Person(stack.fake, ivan.telegram_id, name="Ivan", language="en")
    replies = await _new_client(me, "ООО «Ромашка»", "7707083893")
    assert texts(replies)[-1].startswith("Client added.\n\nООО «Ромашка» · A ★")

    card = (await me.say("ромашка"))[-1]  # one match: the card itself
    assert card.text and card.text.startswith("ООО «Ромашка» · A ★")
    replies = await me.press(card, "✍️ Log contact")
    replies = await me.press(with_buttons(replies), "Call")
    replies = await me.say("Discussed Q1 volumes")
    replies = await me.press(with_buttons(replies), "👍 Positive")
    replies = await me.say("Send the offer")
    replies = await me.press(with_buttons(replies), "Tomorrow")
    assert texts(replies)[-1].startswith("Contact logged. Next step")

    replies = await me.say("/log Ромашка: called the buyer; next: confirm volumes today")
    assert "Next step" in texts(replies)[-1] and "confirm volumes" in texts(replies)[-1]
    agenda = await me.say("/today")
    assert "1. ООО «Ромашка» — confirm volumes (today)" in texts(agenda)[0]
    replies = await me.press(agenda[0], "1")
    assert texts(replies)[-1].startswith("ООО «Ромашка»")


async def test_forged_button_for_another_managers_client(stack: Stack) -> None:
    ivan, olga = await _managers(stack)
    her = Person(stack.fake, olga.telegram_id, name="Olga", language="en")
    replies = await _new_client(her, "ПАО «Лютик»", "7736207543")
    card = with_buttons(replies)
    log_data = next(d for t, d in buttons(card) if t == "✍️ Log contact")
    me = Person(stack.fake, ivan.telegram_id, name="Ivan", language="en")
    own = (await me.say("/clients"))[-1]  # a message in Ivan's own chat
    mark = stack.fake.mark()
    sent = await me.press_data(own, log_data)  # the same data, forged onto his button
    answer = await stack.fake.wait_for("answerCallbackQuery", after=mark)
    assert answer.params.get("text") == "This is not available to you (or no longer exists)."
    assert sent == []
    assert texts(await me.say("лютик")) == ['Nothing found for "лютик".']


async def _more_clients(stack: Stack, owner_id: int, *names: str) -> None:
    from tests.e2e.conftest import add_client

    db = Database(stack.env["DATABASE_URL"])
    try:
        async with db.transaction() as s:
            for name in names:
                await add_client(Repos(s), name, owner_id)
    finally:
        await db.dispose()


async def test_a_command_or_menu_button_leaves_a_dialog(stack: Stack) -> None:
    ivan, _ = await _managers(stack)
    me = Person(stack.fake, ivan.telegram_id, name="Ivan", language="en")
    listing = await me.say("/clients")
    asked = await me.press(with_buttons(listing), "➕ New client")
    assert texts(asked) == ["Name of the new client (as on the contract, e.g. ООО «Ромашка»):"]

    claims = texts(await me.say("/claims"))  # not a client named "/claims"

    assert claims == texts(await me.say("/claims"))
    assert not any("Tax id" in t for t in claims)
    await me.say("/log")
    debts = texts(await me.say("💰 Debts"))  # the menu button, not a client search
    assert debts and not any(t.startswith("Nothing found") for t in debts)


async def test_quick_log_asks_for_a_missing_date_and_refuses_a_wrong_one(stack: Stack) -> None:
    ivan, _ = await _managers(stack)
    await _more_clients(stack, ivan.id, "ООО «Вектор»")
    me = Person(stack.fake, ivan.telegram_id, name="Ivan", language="en")

    refused = texts(await me.say("/log Вектор: talked; next: call 31.02"))
    assert refused == [
        'I cannot read "31.02" as the date of the next step: there is no such date. '
        "Nothing was saved."
    ]
    asked = await me.say("/log Вектор: talked; next: call back")
    assert texts(asked) == [
        'When is the next step "call back"? Tap, or type 25.12, 25.12 14:30, tomorrow, +3, '
        "fri. Nothing is saved until then."
    ]
    logged = await me.press(with_buttons(asked), "Tomorrow")
    assert texts(logged)[-1].startswith("Contact logged. Next step")
    assert "call back" in texts(logged)[-1]


async def test_debts_with_several_matches_open_the_debts_view(stack: Stack) -> None:
    ivan, _ = await _managers(stack)
    await _more_clients(stack, ivan.id, "Север Опт", "Север Трейд")
    me = Person(stack.fake, ivan.telegram_id, name="Ivan", language="en")

    listing = await me.say("/debts север")
    assert texts(listing) == ['Found 2 for "север":']
    view = await me.press(with_buttons(listing), "2. Север Трейд")

    assert [t for t, _ in buttons(view[-1])] == ["⚖️ Prepare a payment claim"]


async def test_a_reassignment_with_its_confirmation_reaches_both_managers(stack: Stack) -> None:
    zone = midday_zone()
    db = Database(stack.env["DATABASE_URL"])
    try:
        async with db.transaction() as s:
            repos = Repos(s)

            async def person(telegram_id: int, role: Role, name: str, language: str, boss=None):
                return await repos.users.create(
                    UserCreate(
                        telegram_id=telegram_id,
                        role=role,
                        full_name=name,
                        language=language,
                        timezone=zone,
                        supervisor_id=boss.id if boss else None,
                    ),
                    actor_id=None,
                    now=datetime.now(UTC),
                )

            boss = await person(700_101, Role.SUPERVISOR, "Boss", "en")
            ivan = await person(700_102, Role.MANAGER, "Ivan", "en", boss)
            olga = await person(700_103, Role.MANAGER, "Olga", "ru", boss)
            from tests.e2e.conftest import add_client

            await add_client(repos, "ООО «Передача»", ivan.id)
    finally:
        await db.dispose()
    me = Person(stack.fake, boss.telegram_id, name="Boss", language="en")
    card = with_buttons(await me.say("передача"))
    choice = await me.press(card, "🔁 Reassign")
    asked = await me.press(with_buttons(choice), "Olga")
    assert texts(asked)[-1] == (
        "Give ООО «Передача» to Olga? Past results stay with Ivan; from today on the client's "
        "results count for Olga. Its open next steps and opportunities go with it."
    )
    assert stack.fake.messages_to(olga.telegram_id) == []  # nothing happens before the yes
    mark = stack.fake.mark()
    done = await me.press(with_buttons(asked), "✅ Yes, hand over")
    assert texts(done)[-1].startswith(
        "ООО «Передача» now belongs to Olga. Past results stay with Ivan. Both have been told."
    )
    told_ivan = await stack.fake.wait_for(
        "sendMessage", chat_id=ivan.telegram_id, after=mark, timeout=20
    )
    told_olga = await stack.fake.wait_for(
        "sendMessage", chat_id=olga.telegram_id, after=mark, timeout=20
    )
    assert told_ivan.text == (
        "ООО «Передача» was handed over to Olga, with its open next steps and opportunities. "
        "Your results with it so far stay yours."
    )
    assert told_olga.text is not None and told_olga.text.startswith(
        "Теперь вы ведёте клиента ООО «Передача» — вместе с открытыми шагами и возможностями. "
        "Прежний менеджер — Ivan"
    )
    # The same confirmation pressed again changes nothing and tells no one.
    again = await me.press(with_buttons(asked), "✅ Yes, hand over")
    assert texts(again)[-1].startswith("The client's manager is no longer the one")
    await stack.fake.wait_idle(quiet=0.5)
    assert len(stack.fake.messages_to(olga.telegram_id)) == 1
