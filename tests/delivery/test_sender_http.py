"""The sender over real HTTP against the fake Bot API enforcing Telegram's limits."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from bot.runtime.config import Settings
from bot.runtime.factory import create_bot
from bot.runtime.outbox_sender import DeliveryConfig, OutboxSender
from bot.services.local_time import QuietHours
from bot.services.notifications import notify_user
from storage.dto import OutboxStatus, Role, UserCreate
from storage.repositories import Repos
from tests.fakes.telegram_server import FakeTelegram
from tests.helpers import TEST_TOKEN

NO_QUIET = QuietHours.parse("00:00-00:00")


async def _owe(app, count: int, first: int = 800_000) -> list[int]:
    async with app.database.transaction() as s:
        repos = Repos(s)
        for n in range(count):
            user = await repos.users.create(
                UserCreate(
                    telegram_id=first + n,
                    role=Role.MANAGER,
                    full_name=f"M{n}",
                    language="ru",
                    timezone="Europe/Moscow",
                ),
                actor_id=None,
                now=app.clock(),
            )
            await notify_user(
                repos, user, kind="t", subject="x", text=f"hi {n}", now=app.clock(), quiet=NO_QUIET
            )
    return [first + n for n in range(count)]


async def test_limits_respected_and_faults_lose_nothing(app, clock):
    chats = await _owe(app, 45)
    async with FakeTelegram(TEST_TOKEN, enforce_limits=True, latency=0.01) as fake:
        settings = Settings(_env_file=None, bot_token=TEST_TOKEN, telegram_api_url=fake.base_url)  # type: ignore[call-arg]
        bot = create_bot(settings)
        try:
            fake.drop_next("sendMessage", count=3)
            fake.fail_next("sendMessage", 502, "Bad Gateway", count=2)
            sender = OutboxSender(
                bot, app.database, app.translator, app.clock, DeliveryConfig(backoff_base=1.0)
            )
            first = await sender.drain()
            clock.set(clock() + timedelta(seconds=1))
            await sender.drain()
        finally:
            await bot.session.close()
        counts = Counter(r.chat_id for r in fake.delivered())
    assert first.retried == 5
    assert fake.too_many_requests == 0
    assert sorted(counts) == chats and set(counts.values()) == {1}
    async with app.database.read() as s:
        rows = await Repos(s).outbox.list()
    assert {r.status for r in rows} == {OutboxStatus.SENT}
    assert all(r.message_ids for r in rows)
