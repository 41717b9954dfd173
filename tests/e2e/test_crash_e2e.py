"""Kill the bot with SIGKILL while it delivers the outbox, start it again: every notification
arrives, and at most the rows in flight at the kill (the concurrency) arrive twice."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest

from tests.e2e.conftest import TOKEN, bot_env
from tests.e2e.test_delivery_and_lifecycle import _owe_many
from tests.fakes.bot_process import BotProcess
from tests.fakes.telegram_server import FakeTelegram

pytestmark = [pytest.mark.e2e]

CONCURRENCY = 8


async def test_sigkill_mid_delivery_loses_nothing(tmp_path: Path) -> None:
    async with FakeTelegram(TOKEN, latency=0.4) as fake:
        env = {
            **bot_env(fake, tmp_path / "kam.db"),
            "SEND_LEASE_SECONDS": "2",
            "SEND_CONCURRENCY": str(CONCURRENCY),
        }
        first = BotProcess(env, log_path=tmp_path / "first.log")
        await first.start()
        try:
            await fake.wait_for("getUpdates", timeout=30)
            chats = await _owe_many(env["DATABASE_URL"], 700_000, 60, "crash")
            for _ in range(3000):
                if len(fake.delivered()) >= 15:
                    break
                await asyncio.sleep(0.01)
            await first.kill()
        finally:
            if first.running:
                await first.kill()
        second = BotProcess(env, log_path=tmp_path / "second.log")
        await second.start()
        try:
            for chat in chats:
                await fake.wait_for("sendMessage", chat_id=chat, timeout=60)
            await fake.wait_idle(quiet=1.0, timeout=30)
        finally:
            await second.stop()
        counts = Counter(r.chat_id for r in fake.delivered() if r.chat_id in set(chats))
    assert set(counts) == set(chats)
    assert sum(n - 1 for n in counts.values()) <= CONCURRENCY
