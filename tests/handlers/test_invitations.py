from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from aiogram.methods import SendMessage, SetMyCommands
from sqlalchemy import text

from bot.services.people import create_invite
from storage.dto import Role
from storage.repositories import Repos
from tests.helpers import BOT_USERNAME, last_with_buttons, texts

LINK = re.compile(rf"https://t\.me/{BOT_USERNAME}\?start=([A-Za-z0-9_-]{{1,64}})")


async def _invite_link(
    admin, role_button: str, *, supervisor: str | None = None, erp: str | None = None
) -> str:
    sent = await admin.send("/invite")
    sent = await admin.click(last_with_buttons(sent), role_button)
    if supervisor is not None:
        sent = await admin.click(last_with_buttons(sent), supervisor)
        if erp is None:
            sent = await admin.click(last_with_buttons(sent), "Skip")
        else:
            sent = await admin.send(erp)
    match = LINK.search("\n".join(texts(sent)))
    assert match, texts(sent)
    return match.group(1)


async def test_invite_supervisor_then_manager_from_chat(admin, chat, app, session):
    await admin.send("/start")
    code = await _invite_link(admin, "supervisor")
    sup = chat(2001, first_name="Sergey", last_name="Petrov", language_code="ru")
    sent = await sup.send(f"/start {code}")
    assert "Sergey Petrov" in texts(sent)[0] and "руководитель" in texts(sent)[0]
    assert session.of(SetMyCommands)[-1].method.scope.chat_id == 2001

    manager_code = await _invite_link(
        admin, "key account manager", supervisor="Sergey Petrov", erp="Иванов И.И."
    )
    mgr = chat(3001, first_name="Ivan", language_code="en")
    sent = await mgr.send(f"/start {manager_code}")
    assert texts(sent)[0].startswith("Welcome, Ivan!")
    async with app.database.read() as s:
        repos = Repos(s)
        manager = await repos.users.by_telegram_id(3001)
        supervisor = await repos.users.by_telegram_id(2001)
    assert manager.role is Role.MANAGER and manager.supervisor_id == supervisor.id
    assert manager.erp_name == "Иванов И.И." and manager.language == "en"


async def test_code_is_stored_hashed_and_single_use(admin, chat, app):
    code = await _invite_link(admin, "supervisor")
    async with app.database.read() as s:
        stored = (await s.execute(text("select code_hash from invites"))).scalars().all()
    assert stored and code not in stored[0]
    await chat(2002).send(f"/start {code}")
    again = await chat(2003, language_code="en").send(f"/start {code}")
    assert texts(again) == [
        "This invitation has already been used. Ask your administrator for a new one."
    ]
    async with app.database.read() as s:
        assert await Repos(s).users.by_telegram_id(2003) is None


async def test_expired_and_unknown_codes_refused(admin, chat, app, clock):
    code = await _invite_link(admin, "supervisor")
    clock.set(clock() + timedelta(days=8))
    sent = await chat(2004, language_code="en").send(f"/start {code}")
    assert "expired" in texts(sent)[0]
    sent = await chat(2005, language_code="en").send("/start nonsense-code")
    assert "not valid" in texts(sent)[0]
    sent = await chat(2006, language_code="ru").send("/start " + "x" * 80)
    assert "недействительна" in texts(sent)[0]


async def test_two_people_opening_one_link_at_once_only_one_admitted(app, chat, session):
    async with app.database.transaction() as s:
        created = await create_invite(
            Repos(s),
            role=Role.SUPERVISOR,
            supervisor_id=None,
            erp_name=None,
            created_by_id=None,
            ttl=timedelta(days=7),
            now=app.clock(),
        )
    people = [chat(4000 + i, language_code="en") for i in range(5)]
    await asyncio.gather(*(p.send(f"/start {created.code}") for p in people))
    replies = {
        p.user.id: [s.text for s in session.of(SendMessage) if s.chat_id == p.user.id]
        for p in people
    }
    welcomed = [uid for uid, got in replies.items() if got and got[0].startswith("Welcome")]
    refused = [uid for uid, got in replies.items() if got and "already been used" in got[0]]
    assert len(welcomed) == 1 and len(refused) == 4
    async with app.database.read() as s:
        assert await Repos(s).users.count() == 1


async def test_manager_invite_needs_a_supervisor(admin):
    sent = await admin.send("/invite")
    sent = await admin.click(last_with_buttons(sent), "key account manager")
    assert any("no supervisor yet" in t for t in texts(sent))


async def test_erp_name_too_long_keeps_dialog(admin, chat):
    code = await _invite_link(admin, "supervisor")
    await chat(2010, first_name="Olga").send(f"/start {code}")
    sent = await admin.send("/invite")
    sent = await admin.click(last_with_buttons(sent), "key account manager")
    sent = await admin.click(last_with_buttons(sent), "Olga")
    sent = await admin.send("x" * 300)
    assert "too long" in texts(sent)[0]
    sent = await admin.send("Петров П.П.")
    assert LINK.search(texts(sent)[0])


async def test_non_admin_cannot_invite_even_with_forged_buttons(admin, chat, session):
    code = await _invite_link(admin, "supervisor")
    sup = chat(2020, language_code="en")
    await sup.send(f"/start {code}")
    sent = await sup.send("/invite")
    assert texts(sent) == ["I did not understand that. See /help for what I can do."]
    sent = await sup.press(None, "inv:r:supervisor")
    assert [s for s in sent if isinstance(s.method, SendMessage)] == []
    assert "not available" in sent[-1].method.text
