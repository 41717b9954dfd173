from __future__ import annotations

from datetime import timedelta

from aiogram import Dispatcher
from aiogram.methods import DeleteMyCommands, SetMyCommands
from aiogram.types import Update

from bot.runtime.factory import create_dispatcher
from bot.services.people import create_invite
from storage.dto import Role
from storage.repositories import Repos
from tests.helpers import ChatClient, alerts, last_with_buttons, texts


async def _register(
    app, chat, user_id: int, role: Role, *, name: str, supervisor_id=None, lang="en"
):
    async with app.database.transaction() as s:
        created = await create_invite(
            Repos(s),
            role=role,
            supervisor_id=supervisor_id,
            erp_name=None,
            created_by_id=None,
            ttl=timedelta(days=7),
            now=app.clock(),
        )
    client = chat(user_id, first_name=name, language_code=lang)
    await client.send(f"/start {created.code}")
    async with app.database.read() as s:
        return client, await Repos(s).users.by_telegram_id(user_id)


async def test_deactivated_user_loses_access_at_once_and_change_is_audited(
    admin, chat, app, session
):
    await admin.send("/start")
    sup, sup_user = await _register(app, chat, 2100, Role.SUPERVISOR, name="Sveta")
    assert texts(await sup.send("/help"))[0].startswith("You are signed in as supervisor")

    sent = await admin.send("/users")
    sent = await admin.click(last_with_buttons(sent), lambda t: t.startswith("Sveta"))
    sent = await admin.click(last_with_buttons(sent), "Deactivate")
    sent = await admin.click(last_with_buttons(sent), "Yes, deactivate")
    assert any("Status: deactivated" in t for t in texts(sent))
    assert session.of(DeleteMyCommands)[-1].method.scope.chat_id == 2100

    assert texts(await sup.send("/help")) == [
        "KAM Assistant works by invitation only. "
        "Ask your administrator for an invitation link and open it."
    ]
    async with app.database.read() as s:
        repos = Repos(s)
        history = await repos.audit.history("user", sup_user.id)
        admin_user = await repos.users.by_telegram_id(admin.user.id)
    last = history[-1]
    assert last.action == "update" and last.actor_id == admin_user.id
    assert last.changes == {"is_active": [True, False]}


async def test_role_change_sets_commands_and_asks_for_team(admin, chat, app, session):
    await admin.send("/start")
    _, sup_user = await _register(app, chat, 2200, Role.SUPERVISOR, name="Boris")
    _, other = await _register(app, chat, 2201, Role.SUPERVISOR, name="Vera")
    sent = await admin.send("/users")
    sent = await admin.click(last_with_buttons(sent), lambda t: t.startswith("Vera"))
    sent = await admin.click(last_with_buttons(sent), "Change role")
    sent = await admin.click(last_with_buttons(sent), "key account manager")
    commands = session.of(SetMyCommands)[-1].method
    assert commands.scope.chat_id == 2201 and "invite" not in {
        c.command for c in commands.commands
    }
    sent = await admin.click(last_with_buttons(sent), "Boris")
    assert any("Supervisor: Boris" in t for t in texts(sent))
    async with app.database.read() as s:
        vera = await Repos(s).users.get(other.id)
        changes = [e.changes for e in await Repos(s).audit.history("user", other.id)]
    assert vera.role is Role.MANAGER and vera.supervisor_id == sup_user.id
    assert {"role": ["supervisor", "manager"]} in changes
    assert any(c.get("supervisor_id") == [None, sup_user.id] for c in changes)


async def test_admin_cannot_deactivate_self_and_forged_user_ids_refused(admin, app):
    await admin.send("/start")
    async with app.database.read() as s:
        me = await Repos(s).users.by_telegram_id(admin.user.id)
    sent = await admin.press(None, f"usr:D:{me.id}:0")
    assert alerts(sent) == ["You cannot change your own role or deactivate yourself."]
    sent = await admin.press(None, "usr:o:99999:0")
    assert alerts(sent) == ["This is not available to you (or no longer exists)."]
    sent = await admin.press(None, "usr:R:1:77")
    assert alerts(sent) == ["This is not available to you (or no longer exists)."]


async def test_manager_cannot_use_admin_callbacks(admin, chat, app):
    await admin.send("/start")
    sup, _ = await _register(app, chat, 2300, Role.SUPERVISOR, name="Gleb")
    sent = await sup.press(None, "usr:D:1:0")
    assert alerts(sent) == ["This is not available to you (or no longer exists)."]
    async with app.database.read() as s:
        assert (await Repos(s).users.get(1)).is_active


async def test_settings_language_timezone_and_digest(admin, app, session):
    await admin.send("/start")
    sent = await admin.send("/settings")
    assert "Time zone: Moscow (MSK)" in texts(sent)[0]
    menu = last_with_buttons(sent)
    sent = await admin.click(menu, "Language")
    sent = await admin.click(last_with_buttons(sent), "Русский")
    assert "Часовой пояс" in texts(sent)[0]
    assert any(s.reply_buttons and "⚙️ Настройки" in s.reply_buttons for s in sent)
    commands = session.of(SetMyCommands)[-1].method.commands
    descriptions = {c.command: c.description for c in commands}
    assert descriptions["help"] == "Что я умею"

    sent = await admin.click(last_with_buttons(sent), "Часовой пояс")
    sent = await admin.send("Mars/Olympus")
    assert "такого часового пояса я не знаю" in texts(sent)[0]
    sent = await admin.send("Asia/Novosibirsk")
    assert "Часовой пояс: Новосибирск (МСК+4)" in texts(sent)[0]

    sent = await admin.click(last_with_buttons(sent), "Час утренней сводки")
    sent = await admin.click(last_with_buttons(sent), "07:00")
    assert "Утренняя сводка: 07:00" in texts(sent)[0]
    sent = await admin.press(None, "set:D:99")
    assert alerts(sent) == ["Это вам недоступно (или уже не существует)."]
    async with app.database.read() as s:
        me = await Repos(s).users.by_telegram_id(admin.user.id)
    assert (me.language, me.timezone, me.digest_hour) == ("ru", "Asia/Novosibirsk", 7)


async def test_company_setting_validated_and_audited(admin, chat, app):
    await admin.send("/start")
    sent = await admin.send("/settings")
    sent = await admin.click(last_with_buttons(sent), "Company settings")
    assert "Quiet hours: 21:00-08:00" in texts(sent)[0]
    sent = await admin.click(last_with_buttons(sent), "Quiet hours")
    sent = await admin.send("late evening")
    assert "Nothing was changed" in texts(sent)[0]
    sent = await admin.send("22:00-07:30")
    assert "Quiet hours is now 22:00-07:30" in texts(sent)[0]
    async with app.database.read() as s:
        history = await Repos(s).audit.history("setting", "quiet_hours")
    assert history[-1].changes == {"value": ["21:00-08:00", "22:00-07:30"]}

    sup, _ = await _register(app, chat, 2400, Role.SUPERVISOR, name="Dina")
    sent = await sup.press(None, "set:c:")
    assert alerts(sent) == ["This is not available to you (or no longer exists)."]


async def test_cancel_leaves_dialog_and_nothing_written(admin, app):
    await admin.send("/start")
    sent = await admin.send("/settings")
    sent = await admin.click(last_with_buttons(sent), "Company settings")
    await admin.click(last_with_buttons(sent), "Invitation lifetime, days")
    sent = await admin.send("/cancel")
    assert texts(sent) == ["Cancelled. Nothing was saved."]
    sent = await admin.send("30")  # outside a dialog, plain text searches clients
    assert texts(sent) == ['Nothing found for "30".']
    async with app.database.read() as s:
        assert await Repos(s).audit.history("setting", "invite_ttl_days") == []


async def test_dialog_state_survives_a_restart(admin, app, bot, session):
    await admin.send("/start")
    sent = await admin.send("/settings")
    await admin.click(last_with_buttons(sent), "Time zone")
    # A new dispatcher over the same database, as after a process restart.
    restarted = ChatClient(
        create_dispatcher(app), bot, session, admin.user.id, first_name="Anna", language_code="en"
    )
    sent = await restarted.send("Asia/Kamchatka")
    assert "Time zone: Kamchatka (MSK+9)" in texts(sent)[0]


async def test_replayed_update_changes_nothing(admin, dp: Dispatcher, bot, session):
    await admin.send("/start")
    update = Update(update_id=42, message=admin.message("/help"))
    first = await admin.send_update(update)
    replay = await admin.send_update(update)
    assert len(texts(first)) == 1 and replay == []


async def test_unexpected_error_is_logged_and_apologised(admin, session, caplog):
    await admin.send("/start")
    from aiogram.exceptions import TelegramNetworkError
    from aiogram.methods import SendMessage

    session.fail_next(SendMessage, TelegramNetworkError(method=None, message="boom"))  # type: ignore[arg-type]
    sent = await admin.send("/help")
    assert texts(sent) == [
        "Sorry, something went wrong on our side. It has been logged; please try again."
    ]
    assert any("unhandled error in update" in r.getMessage() for r in caplog.records)
    assert texts(await admin.send("/help"))[0].startswith("You are signed in as admin")


async def test_group_messages_from_strangers_are_ignored(dp, bot, session):
    from datetime import UTC, datetime

    from aiogram.types import Chat, Message, User

    msg = Message(
        message_id=1,
        date=datetime.now(UTC),
        chat=Chat(id=-100123, type="supergroup"),
        from_user=User(id=777, is_bot=False, first_name="X"),
        text="/help",
    )
    await dp.feed_update(bot, Update(update_id=9_000_001, message=msg))
    assert session.sent == []


def test_catch_all_router_is_last():
    from handlers import get_routers

    private = get_routers()[-1]
    assert private.sub_routers[-1].name == "handlers.fallback"
