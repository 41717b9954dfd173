"""Delivery over HTTP (the bot's sender and `job deliver` side by side), token-free logs,
and a graceful stop that lets a running handler finish."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.services.local_time import QuietHours
from bot.services.notifications import notify_user
from storage.dto import Role, UserCreate
from storage.engine import Database
from storage.repositories import Repos
from tests.e2e.conftest import ADMIN_ID, TOKEN, Person, Stack, texts

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

NO_QUIET = QuietHours.parse("00:00-00:00")


async def _owe_many(database_url: str, first_id: int, count: int, kind: str) -> list[int]:
    db = Database(database_url)
    now = datetime.now(UTC)
    chats = []
    try:
        async with db.transaction() as s:
            repos = Repos(s)
            for n in range(count):
                user = await repos.users.create(
                    UserCreate(
                        telegram_id=first_id + n,
                        role=Role.MANAGER,
                        full_name=f"M{n}",
                        language="ru",
                        timezone="Europe/Moscow",
                    ),
                    actor_id=None,
                    now=now,
                )
                for _ in range(2):  # owed twice: one row
                    await notify_user(
                        repos,
                        user,
                        kind=kind,
                        subject="hello",
                        text=f"Привет, M{n}",
                        now=now,
                        quiet=NO_QUIET,
                    )
                chats.append(user.telegram_id)
    finally:
        await db.dispose()
    return chats


async def test_notification_reaches_the_chat_once(stack: Stack) -> None:
    [chat] = await _owe_many(stack.env["DATABASE_URL"], 600_000, 1, "e2e_single")
    reply = await stack.fake.wait_for("sendMessage", chat_id=chat, timeout=15)
    assert reply.text == "Привет, M0"
    await stack.fake.wait_idle(quiet=1.0)
    assert len(stack.fake.delivered(chat)) == 1


async def test_job_deliver_beside_the_bot_sends_nothing_twice(stack: Stack) -> None:
    chats = await _owe_many(stack.env["DATABASE_URL"], 610_000, 120, "e2e_many")
    code, out, err = await stack.cli("job", "deliver")
    assert code == 0, err
    for chat in chats:
        await stack.fake.wait_for("sendMessage", chat_id=chat, timeout=30)
    await stack.fake.wait_idle(quiet=1.0, timeout=30)
    counts = Counter(r.chat_id for r in stack.fake.delivered() if r.chat_id in set(chats))
    assert set(counts) == set(chats)
    assert max(counts.values()) == 1
    assert "sent=" in out  # the job reports what it did


async def test_graceful_stop_finishes_running_handler_and_logs_no_token(stack: Stack) -> None:
    admin = Person(stack.fake, ADMIN_ID, name="Anna", language="en")
    await admin.say("/start")
    stack.fake.latency = 1.5  # the reply is still in flight when SIGTERM arrives
    mark = stack.fake.mark()
    stack.fake.send_text(ADMIN_ID, "/help", first_name="Anna", language_code="en")
    for _ in range(500):
        if any(
            r.method == "sendMessage" and r.chat_id == ADMIN_ID for r in stack.fake.requests[mark:]
        ):
            break
        await asyncio.sleep(0.01)
    code = await stack.bot.stop(timeout=20)
    stack.fake.latency = 0.0
    assert code == 0
    reply = [
        r
        for r in stack.fake.requests[mark:]
        if r.method == "sendMessage" and r.chat_id == ADMIN_ID
    ]
    assert len(reply) == 1 and reply[0].status == 200
    assert texts(reply)[0].startswith("You are signed in as admin")
    log = stack.bot.log_text()
    assert "all running updates finished" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log


async def test_bad_settings_stop_with_one_clear_line(stack: Stack, tmp_path: Path) -> None:
    env = {
        **stack.env,
        "BOT_TOKEN": "",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
    }
    from tests.fakes.bot_process import run_cli

    code, _, err = await run_cli(["run"], env, cwd=tmp_path)
    assert code == 2
    assert err.strip() == (
        "Configuration error: BOT_TOKEN is not set: create a bot with @BotFather and set it"
    )
    code, _, err = await run_cli(["run"], {**env, "ADMIN_IDS": "12,x"}, cwd=tmp_path)
    assert code == 2 and err.strip().startswith("Configuration error: ADMIN_IDS:")
    assert "Traceback" not in err
