"""Every main-menu button of every role, in both languages, gets a real answer: a menu
press carries no typed command, and a handler that needed one used to fail with the
apology."""

from __future__ import annotations

import pytest

from bot.views.common.menu import menu_commands
from storage.dto import Role
from tests.factories import make_client, make_user
from tests.helpers import texts

ROLES = (Role.MANAGER, Role.SUPERVISOR, Role.ADMIN, Role.DEPARTMENT)


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("role", ROLES)
async def test_every_menu_button_answers(app, chat, role, language):
    boss = await make_user(app, 8100, Role.SUPERVISOR, name="Boss", language=language)
    manager = await make_user(app, 8101, name="Ivan", supervisor=boss, language=language)
    await make_client(app, "ООО «Ромашка»", manager)
    users = {Role.MANAGER: manager, Role.SUPERVISOR: boss}
    if role in (Role.ADMIN, Role.DEPARTMENT):
        users[role] = await make_user(app, 8102, role, name="Other", language=language)
    person = chat(users[role].telegram_id, language_code=language)
    l10n = app.translator.get(language)
    apology = l10n("error-unexpected")
    for command in menu_commands(role):
        answered = texts(await person.send(l10n(f"menu-{command}")))
        assert answered, command
        assert apology not in answered, command
        await person.send("/cancel")  # leave whatever dialog the button started
