"""Accounts over HTTP: search, a new client, a contact with a next step (dialog and quick
form), /today, and a forged button for another manager's client."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.dto import Role, UserCreate, UserDTO
from storage.engine import Database
from storage.repositories import Repos
from tests.e2e.conftest import Person, Stack, buttons, texts, with_buttons

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
