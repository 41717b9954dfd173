"""The foundation over HTTP: admission, invitations (chat and shell), access, deactivation."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ADMIN_ID, LINK, Person, Stack, texts, with_buttons

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

INVITE_ONLY_RU = (
    "KAM Assistant работает только по приглашениям. Попросите у администратора "
    "ссылку-приглашение и откройте её."
)


async def test_admin_start_shows_menu_and_sets_commands(stack: Stack) -> None:
    admin = Person(stack.fake, ADMIN_ID, name="Anna", language="en")
    replies = await admin.say("/start")
    assert texts(replies)[0].startswith("Welcome, Anna! You are signed in as admin.")
    keyboard = replies[0].params["reply_markup"]["keyboard"]
    labels = {b["text"] for row in keyboard for b in row}
    assert {"➕ Invite", "👥 Users", "⚙️ Settings", "❓ Help"} <= labels
    commands = stack.fake.commands_for("chat", chat_id=ADMIN_ID)
    assert commands is not None and {"invite", "users"} <= {c["command"] for c in commands}
    public = stack.fake.commands_for("default")
    assert public is not None and [c["command"] for c in public] == ["start", "help"]


async def test_invite_from_chat_then_manager_from_shell_then_start(stack: Stack) -> None:
    admin = Person(stack.fake, ADMIN_ID, name="Anna", language="en")
    await admin.say("/start")
    replies = await admin.say("/invite")
    replies = await admin.press(with_buttons(replies), "supervisor")
    match = LINK.search("\n".join(texts(replies)))
    assert match, texts(replies)

    supervisor = Person(stack.fake, 510_001, name="Sergey", language="ru")
    replies = await supervisor.say(f"/start {match.group(1)}")
    assert texts(replies)[0] == (
        "Добро пожаловать, Sergey! Ваша роль: руководитель. Пользуйтесь меню ниже или /help."
    )

    code, out, err = await stack.cli(
        "invite", "--role", "manager", "--supervisor", "510001", "--erp-name", "Иванов Иван"
    )
    assert code == 0, err
    shell_link = LINK.search(out)
    assert shell_link, out
    manager = Person(stack.fake, 510_002, name="Ivan", language="en")
    replies = await manager.say(f"/start {shell_link.group(1)}")
    assert texts(replies)[0].startswith("Welcome, Ivan! You are signed in as key account manager.")
    help_text = texts(await manager.say("/help"))[0]
    assert "/settings" in help_text and "/invite" not in help_text

    # The same link a second time, by someone else: refused, nothing registered.
    late = Person(stack.fake, 510_003, name="Late", language="en")
    replies = await late.say(f"/start {shell_link.group(1)}")
    assert texts(replies) == [
        "This invitation has already been used. Ask your administrator for a new one."
    ]
    assert texts(await late.say("/help"))[0].startswith("KAM Assistant works by invitation only")


async def test_stranger_refused_for_every_command(stack: Stack) -> None:
    stranger = Person(stack.fake, 520_001, name="Eve", language="ru")
    for text in (
        "/start",
        "/help",
        "/menu",
        "/settings",
        "/invite",
        "/users",
        "/cancel",
        "привет",
    ):
        assert texts(await stranger.say(text)) == [INVITE_ONLY_RU], text
    assert texts(await stranger.say("/start not-a-real-code")) == [
        "Ссылка-приглашение недействительна. "
        "Проверьте ссылку или попросите у администратора новую."
    ]


async def test_deactivated_user_refused(stack: Stack) -> None:
    admin = Person(stack.fake, ADMIN_ID, name="Anna", language="en")
    code, out, err = await stack.cli("invite", "--role", "supervisor")
    assert code == 0, err
    victim = Person(stack.fake, 530_001, name="Zoya", language="en")
    await victim.say(f"/start {LINK.search(out).group(1)}")  # type: ignore[union-attr]

    replies = await admin.say("/users")
    replies = await admin.press(with_buttons(replies), "Zoya")
    replies = await admin.press(with_buttons(replies), "Deactivate")
    replies = await admin.press(with_buttons(replies), "Yes, deactivate")
    assert any("Status: deactivated" in t for t in texts(replies))
    assert stack.fake.commands_for("chat", chat_id=530_001) is None
    assert texts(await victim.say("/help"))[0].startswith("KAM Assistant works by invitation only")
