"""A command or a main-menu button sent in the middle of a dialog leaves the dialog and does
what it says, at every step of every dialog, in private chats and in groups (issue 14, 1)."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey

import handlers  # noqa: F401  (loads every feature's states)
from bot.runtime.factory import App
from storage.dto import Role, UserDTO
from tests.factories import make_client, make_user
from tests.helpers import BOT_ID, ChatClient, last_with_buttons, texts


def _every_state() -> list[State]:
    groups: list[type[StatesGroup]] = []
    pending = list(StatesGroup.__subclasses__())
    while pending:
        group = pending.pop()
        groups.append(group)
        pending.extend(group.__subclasses__())
    states = [state for group in groups for state in group.__all_states__]
    return sorted(states, key=lambda s: str(s.state))


EVERY_STATE = _every_state()


def _context(app_dp, chat_id: int, user_id: int) -> FSMContext:
    return FSMContext(
        storage=app_dp.storage, key=StorageKey(bot_id=BOT_ID, chat_id=chat_id, user_id=user_id)
    )


async def _people(app: App) -> tuple[UserDTO, UserDTO]:
    boss = await make_user(app, 8300, Role.SUPERVISOR, name="Boss")
    manager = await make_user(app, 8301, name="Ivan", supervisor=boss)
    await make_client(app, "ООО «Ромашка»", manager)
    return boss, manager


def test_every_dialog_is_covered():
    """The walk below is over every state of every dialog the bot has: a new dialog is
    covered without editing this test."""
    names = {str(s.state) for s in EVERY_STATE}
    assert {"NewClientStates:name", "LogStates:next_when", "ClaimStates:files"} <= names
    assert len(names) >= 39


async def test_a_command_at_any_step_leaves_the_dialog(app, dp, chat):
    _, manager = await _people(app)
    person: ChatClient = chat(manager.telegram_id, language_code="en")
    context = _context(dp, manager.telegram_id, manager.telegram_id)
    outside = texts(await person.send("/claims"))
    stuck = []
    for state in EVERY_STATE:
        await context.set_state(state)
        await context.update_data(client_id=1, quick="Ромашка: talked")
        inside = texts(await person.send("/claims"))
        if inside != outside or await context.get_state() or await context.get_data():
            stuck.append((state.state, inside))
    assert stuck == []


async def test_a_menu_button_at_any_step_leaves_the_dialog(app, dp, chat):
    _, manager = await _people(app)
    person: ChatClient = chat(manager.telegram_id, language_code="ru")
    context = _context(dp, manager.telegram_id, manager.telegram_id)
    button = app.translator.get("ru")("menu-debts")
    outside = texts(await person.send(button))
    stuck = []
    for state in EVERY_STATE:
        await context.set_state(state)
        inside = texts(await person.send(button))
        if inside != outside or await context.get_state():
            stuck.append((state.state, inside))
    assert stuck == []


async def test_new_client_name_step_does_not_take_a_command_for_the_name(app, dp, chat):
    _, manager = await _people(app)
    person = chat(manager.telegram_id, language_code="en")
    l10n = app.translator.get("en")
    listing = last_with_buttons(await person.send("/clients"))
    asked = texts(await person.click(listing, l10n("clients-new")))
    assert l10n("newclient-ask-name") in asked

    answered = texts(await person.send("/claims"))

    assert l10n("newclient-ask-inn") not in answered
    assert answered == texts(await person.send("/claims"))  # what /claims says anywhere
    state = _context(dp, manager.telegram_id, manager.telegram_id)
    assert await state.get_state() is None


async def test_log_when_step_runs_the_claim_command(app, chat):
    _, manager = await _people(app)
    await make_client(app, "ООО «Северный»", manager)
    person = chat(manager.telegram_id, language_code="en")
    l10n = app.translator.get("en")
    outside = texts(await person.send("/claim Северный"))
    await person.send("/cancel")
    await person.send("/log")
    step = last_with_buttons(await person.send("Ромашка"))
    step = last_with_buttons(await person.click(step, "ООО «Ромашка»"))
    await person.click(step, l10n("channel-call"))
    step = last_with_buttons(await person.send("Talked about volumes"))
    await person.click(step, l10n("outcome-positive"))
    asked = texts(await person.send("Send the offer"))
    assert l10n("log-ask-when") in asked

    answered = texts(await person.send("/claim Северный"))

    assert l10n("date-error-format") not in answered
    assert answered == outside


async def test_cancel_still_says_the_dialog_was_cancelled(app, dp, chat):
    _, manager = await _people(app)
    person = chat(manager.telegram_id, language_code="en")
    await _context(dp, manager.telegram_id, manager.telegram_id).set_state(EVERY_STATE[0])
    assert app.translator.get("en")("cancel-done") in texts(await person.send("/cancel"))


async def test_a_command_in_a_group_leaves_a_dialog_there(app, dp, chat):
    """In a department's group a dialog lives per (group, user): a command typed there
    leaves it too."""
    admin_user = await make_user(app, 8302, Role.ADMIN, name="Anna")
    group_id = -100_555
    context = _context(dp, group_id, admin_user.telegram_id)
    await context.set_state(EVERY_STATE[0])
    person = chat(admin_user.telegram_id, language_code="en")
    person.chat = person.chat.model_copy(update={"id": group_id, "type": "supergroup"})

    await person.send("/help@kam_test_bot")

    assert await context.get_state() is None
