"""A gateway in front of the Bot API failing (a 502 with nginx's HTML page, not Telegram's
JSON) is retried, and logged as one warning line per attempt: the status and reason and
the retry delay, no traceback (issue 14, item 15). Nothing is lost: the retry delivers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import web

from bot.runtime.config import Settings
from bot.runtime.factory import create_bot
from bot.runtime.outbox_sender import DeliveryConfig, OutboxSender
from bot.services.local_time import QuietHours
from bot.services.notifications import notify_user
from storage.dto import OutboxStatus, Role, UserCreate
from storage.repositories import Repos
from tests.helpers import TEST_TOKEN

NGINX_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@dataclass
class Gateway:
    """A Bot API behind a proxy that answers its first `failures` sends with a 502 page."""

    failures: int
    url: str = ""
    seen: list[str] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.seen.append(method)
        if self.failures > 0:
            self.failures -= 1
            return web.Response(status=502, text=NGINX_502, content_type="text/html")
        form = await request.post()
        message: dict[str, Any] = {
            "message_id": len(self.seen),
            "date": 1_790_000_000,
            "chat": {"id": int(str(form["chat_id"])), "type": "private"},
            "text": str(form.get("text", "")),
        }
        return web.json_response({"ok": True, "result": message})


@pytest.fixture
async def gateway() -> AsyncIterator[Gateway]:
    server = Gateway(failures=2)
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", server.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield server
    await runner.cleanup()


async def test_a_502_page_is_one_warning_line_and_the_retry_delivers(
    app: Any, clock: Any, gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    async with app.database.transaction() as session:
        repos = Repos(session)
        user = await repos.users.create(
            UserCreate(
                telegram_id=810_001,
                role=Role.MANAGER,
                full_name="M",
                language="ru",
                timezone="Europe/Moscow",
            ),
            actor_id=None,
            now=app.clock(),
        )
        await notify_user(
            repos,
            user,
            kind="t",
            subject="x",
            text="Привет",
            now=app.clock(),
            quiet=QuietHours.parse("00:00-00:00"),
        )
    settings = Settings(_env_file=None, bot_token=TEST_TOKEN, telegram_api_url=gateway.url)
    bot = create_bot(settings)
    sender = OutboxSender(bot, app.database, app.translator, clock, DeliveryConfig())
    caplog.set_level(logging.INFO, logger="bot.runtime.outbox_sender")
    try:
        for _ in range(3):  # two 502s, each retried after its delay, then delivered
            await sender.drain()
            clock.set(clock() + timedelta(seconds=10))
    finally:
        await bot.session.close()

    records = [r for r in caplog.records if r.name == "bot.runtime.outbox_sender"]
    assert [r.exc_info for r in records] == [None, None]  # no traceback
    assert [r.levelno for r in records] == [logging.WARNING, logging.WARNING]
    first, second = (r.getMessage() for r in records)
    assert "502 Bad Gateway" in first and "retry in 2s" in first, first
    assert "502 Bad Gateway" in second and "retry in 4s" in second, second
    assert "<html>" not in first + second and "\n" not in first + second
    assert sender.stats.retried == 2 and sender.stats.sent == 1
    async with app.database.read() as session:
        [row] = await Repos(session).outbox.list()
    assert row.status is OutboxStatus.SENT
    assert gateway.seen == ["sendMessage"] * 3
