"""The path of one update (issue 15): one read statement for an update that writes nothing,
no write lock for it, the dialog state written once and only when it changed, and the same
guarantees as before (a replay changes nothing, also after a restart; an update that fails
leaves no trace, so its replay is handled)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from aiogram.types import Update
from sqlalchemy import event

from bot.runtime.factory import create_dispatcher
from storage.dto import Role, UserCreate
from storage.engine import ReadOnlyViolation
from storage.repositories import Repos
from tests.factories import make_client, make_user
from tests.helpers import ChatClient, last_with_buttons, texts


@contextmanager
def statements(app: Any) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement.split(None, 1)[0].upper())

    engine = app.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@contextmanager
def write_lock_held(app: Any) -> Iterator[None]:
    """Another process holding SQLite's write lock (an import's switch, say)."""
    path = Path(app.settings.database_url.split(":///", 1)[1])
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


async def test_help_is_one_statement_and_writes_nothing(app, chat):
    user = await make_user(app, 4300, name="Ivan")
    me = chat(user.telegram_id, language_code="en")
    await me.send("/help")  # the first update of a process loads its catalogues

    with statements(app) as seen:
        answered = texts(await me.send("/help"))

    assert answered and answered[0].startswith("You are signed in as")
    assert seen == ["SELECT"]


async def test_reading_updates_are_answered_while_another_writer_holds_the_lock(app, chat):
    user = await make_user(app, 4301, name="Ivan")
    await make_client(app, "ООО «Ромашка»", user)
    me = chat(user.telegram_id, language_code="en")

    with write_lock_held(app), statements(app) as seen:
        # Without the read path each of these would wait out the 10 s busy timeout.
        helped = await asyncio.wait_for(me.send("/help"), 5)
        agenda = await asyncio.wait_for(me.send("/today"), 5)
        found = await asyncio.wait_for(me.send("/client Ромашка"), 5)

    assert texts(helped) and texts(agenda) and "Ромашка" in texts(found)[0]
    assert "INSERT" not in seen and "UPDATE" not in seen
    assert not any(s.startswith("BEGIN") and "IMMEDIATE" in s for s in seen)


async def test_a_writing_update_takes_the_lock_and_marks_itself_in_one_transaction(app, chat):
    user = await make_user(app, 4302, name="Ivan", language="ru")
    me = chat(user.telegram_id, language_code="ru")
    l10n = app.translator.get("ru")
    await me.click(last_with_buttons(await me.send("/settings")), l10n("settings-digest"))

    with statements(app) as seen:
        answered = texts(await me.send("7"))

    assert answered[0].startswith(l10n("settings-saved"))
    # The mark is the first statement of the write transaction; the dialog's end (a
    # delete of its record) is written once, with the change, before the reply.
    assert seen[:2] == ["SELECT", "BEGIN"]
    assert seen[2] == "INSERT"
    assert seen.count("DELETE") == 1
    async with app.database.read() as s:
        assert (await Repos(s).users.get(user.id)).digest_hour == 7


async def test_a_state_set_to_what_it_was_writes_nothing(app, chat):
    user = await make_user(app, 4303, name="Ivan", language="ru")
    me = chat(user.telegram_id, language_code="ru")
    l10n = app.translator.get("ru")
    await me.click(last_with_buttons(await me.send("/settings")), l10n("settings-digest"))

    with statements(app) as seen:
        refused = texts(await me.send("25"))  # refused: the step stays as it was
        cancelled = texts(await me.send("/cancel"))
        again = texts(await me.send("/cancel"))  # clears a dialog that is not there

    assert refused == [l10n("settings-hour-invalid")]
    assert cancelled == [l10n("cancel-done")] and again == [l10n("cancel-nothing")]
    # One read per update; the only write is the first /cancel's (its mark, the delete).
    assert seen == ["SELECT", "SELECT", "BEGIN", "INSERT", "DELETE", "SELECT"]


async def test_a_writing_update_replayed_after_a_restart_changes_nothing(app, bot, session):
    user = await make_user(app, 4304, name="Ivan", language="ru")
    l10n = app.translator.get("ru")
    me = ChatClient(create_dispatcher(app), bot, session, user.telegram_id, language_code="ru")
    await me.click(last_with_buttons(await me.send("/settings")), l10n("settings-digest"))
    update = Update(update_id=77_001, message=me.message("8"))
    assert texts(await me.send_update(update))[0].startswith(l10n("settings-saved"))
    await me.send("/settings")

    restarted = ChatClient(create_dispatcher(app), bot, session, user.telegram_id)
    assert await restarted.send_update(update) == []
    async with app.database.read() as s:
        assert (await Repos(s).users.get(user.id)).digest_hour == 8


async def test_a_failed_update_leaves_no_mark_and_its_replay_is_handled(
    app, chat, session, monkeypatch
):
    from aiogram.exceptions import TelegramNetworkError
    from aiogram.methods import SendMessage

    user = await make_user(app, 4305, name="Ivan", language="ru")
    me = chat(user.telegram_id, language_code="ru")
    l10n = app.translator.get("ru")
    await me.click(last_with_buttons(await me.send("/settings")), l10n("settings-digest"))
    update = Update(update_id=77_002, message=me.message("9"))
    # The reply fails after the change was committed (commit before send): the change
    # and its mark are kept together, so the replay is skipped.
    session.fail_next(SendMessage, TelegramNetworkError(method=None, message="boom"))  # type: ignore[arg-type]
    await me.send_update(update)
    assert await me.send_update(update) == []
    async with app.database.read() as s:
        assert (await Repos(s).users.get(user.id)).digest_hour == 9


async def test_a_read_session_refuses_a_write(app, clock):
    """A handler flagged READS_ONLY that wrote would lose the write when its session
    closes: the write fails loudly instead."""
    profile = UserCreate(
        telegram_id=4306, role=Role.MANAGER, full_name="Ivan", language="ru", timezone="UTC"
    )
    async with app.database.read() as s:
        with pytest.raises(ReadOnlyViolation):
            await Repos(s).users.create(profile, actor_id=None, now=clock())
