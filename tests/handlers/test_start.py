from __future__ import annotations

from aiogram.methods import SendMessage, SetMyCommands

from tests.helpers import texts


async def test_admin_from_admin_ids_is_greeted_with_menu_and_commands(admin, session, app):
    sent = await admin.send("/start")
    replies = [s for s in sent if isinstance(s.method, SendMessage)]
    assert len(replies) == 1
    assert "Anna Admin" in replies[0].text and "admin" in replies[0].text
    assert "➕ Invite" in replies[0].reply_buttons and "👥 Users" in replies[0].reply_buttons
    commands = session.of(SetMyCommands)
    assert commands[-1].method.scope.chat_id == admin.user.id
    assert {c.command for c in commands[-1].method.commands} >= {"invite", "users", "help"}


async def test_stranger_gets_only_invitation_prompt(chat):
    stranger = chat(555, language_code="en")
    for text in ("/start", "/help", "/users", "/invite", "hello", "/settings"):
        sent = await stranger.send(text)
        assert texts(sent) == [
            "KAM Assistant works by invitation only. Ask your administrator for an invitation "
            "link and open it."
        ], text


async def test_stranger_pressing_a_button_gets_the_prompt_as_alert(chat, app):
    from tests.helpers import alerts

    sent = await chat(556, language_code="ru").press(None, "usr:D:1:0")
    assert alerts(sent) == [
        "KAM Assistant работает только по приглашениям. Попросите у администратора "
        "ссылку-приглашение и откройте её."
    ]
