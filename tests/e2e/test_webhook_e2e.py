"""Webhook mode end to end: `python -m bot set-webhook` tells the fake Bot API server where
to post, then the real `python -m bot webhook` process takes the updates the fake posts to
its HTTP server (a user's /start, a dialog with buttons across two people), refuses a post
without the secret, and on SIGTERM finishes every update it had taken while refusing new
ones with 503, exits 0, and gets the refused one again once it is back. One bot process
for the module; the SIGTERM test, last, ends it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from tests.e2e.conftest import (
    ADMIN_ID,
    LINK,
    TOKEN,
    Person,
    Stack,
    bot_env,
    free_port,
    texts,
    with_buttons,
)
from tests.fakes.bot_process import BotProcess, run_cli
from tests.fakes.telegram_server import SECRET_HEADER, FakeTelegram

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

SECRET = "e2e_webhook-Secret-0123456789"
PATH = "/tg/webhook"
MAX_CONNECTIONS = 12
INVITE_ONLY_EN = "KAM Assistant works by invitation only"


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def _webhook_process(stack: Stack, log: str) -> BotProcess:
    return BotProcess(stack.env, args=("webhook",), cwd=_repo_root(), log_path=stack.workdir / log)


def _healthz(stack: Stack) -> str:
    return f"http://127.0.0.1:{stack.env['HTTP_PORT']}/healthz"


@asynccontextmanager
async def webhook_stack(workdir: Path) -> AsyncIterator[tuple[Stack, tuple[int, str, str]]]:
    """The fake Bot API, `set-webhook` run against it (its outcome returned beside), and
    the bot in webhook mode, ready once its HTTP server answers."""
    fake = FakeTelegram(TOKEN)
    await fake.start()
    port = free_port()
    env = {
        **bot_env(fake, workdir / "kam.db"),
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(port),
        "WEBHOOK_URL": f"http://127.0.0.1:{port}{PATH}",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_MAX_CONNECTIONS": str(MAX_CONNECTIONS),
    }
    stack = Stack(fake, BotProcess({}, cwd=workdir), env, workdir)
    stack.bot = _webhook_process(stack, "bot.log")
    try:
        told = await stack.cli("set-webhook")
        await stack.bot.start()
        await stack.bot.wait_http(_healthz(stack), timeout=30)
        yield stack, told
    finally:
        if stack.bot.running:
            await fake.wait_idle(quiet=0.3, timeout=10)
            await stack.bot.stop()
        await fake.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def hooked(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[tuple[Stack, tuple[int, str, str]]]:
    async with webhook_stack(tmp_path_factory.mktemp("e2e-webhook")) as started:
        yield started


async def test_set_webhook_tells_telegram_the_url_secret_types_and_connections(
    hooked: tuple[Stack, tuple[int, str, str]],
) -> None:
    stack, (code, out, err) = hooked
    assert code == 0, err
    url = stack.env["WEBHOOK_URL"]
    config = stack.fake.webhook
    assert config is not None
    assert (config.url, config.secret_token) == (url, SECRET)
    assert config.max_connections == MAX_CONNECTIONS
    assert not config.drop_pending_updates
    allowed = config.allowed_updates or ()
    assert list(allowed) == sorted(allowed)
    assert {"message", "callback_query", "my_chat_member"} <= set(allowed)
    assert out.splitlines()[:3] == ["Webhook set.", f"  url: {url}", "  pending updates: 0"]
    assert f"  max connections: {MAX_CONNECTIONS}" in out
    for secret in (SECRET, TOKEN, TOKEN.split(":", 1)[1]):
        assert secret not in out + err
    # The process never polls: the fake would answer 409.
    assert stack.fake.calls("getUpdates") == []
    assert "not to WEBHOOK_URL" not in stack.bot.log_text()


async def test_start_and_a_dialog_over_the_webhook(
    hooked: tuple[Stack, tuple[int, str, str]],
) -> None:
    stack, _ = hooked
    fake = stack.fake
    first = len(fake.deliveries)
    admin = Person(fake, ADMIN_ID, name="Anna", language="en")
    replies = await admin.say("/start")
    assert texts(replies)[0].startswith("Welcome, Anna! You are signed in as admin.")
    replies = await admin.say("/invite")
    replies = await admin.press(with_buttons(replies), "supervisor")
    match = LINK.search("\n".join(texts(replies)))
    assert match, texts(replies)
    supervisor = Person(fake, 910_001, name="Sergey", language="ru")
    replies = await supervisor.say(f"/start {match.group(1)}")
    assert texts(replies)[0] == (
        "Добро пожаловать, Sergey! Ваша роль: руководитель. Пользуйтесь меню ниже или /help."
    )
    deliveries = fake.deliveries[first:]
    assert len(deliveries) == 4  # three messages and a button, each posted once
    assert all(d.status == 200 and d.secret_sent for d in deliveries)


async def test_a_post_without_the_secret_is_refused(
    hooked: tuple[Stack, tuple[int, str, str]],
) -> None:
    stack, _ = hooked
    url = stack.env["WEBHOOK_URL"]
    update = {"update_id": 1, "message": {"message_id": 1, "date": 1, "chat": {"id": 1}}}
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: SECRET[:-1]}):
            async with http.post(url, json=update, headers=headers) as response:
                assert response.status == 401
                assert (await response.json())["error"] == "unauthorized"
        async with http.get(url, headers={SECRET_HEADER: SECRET}) as response:
            assert response.status == 405


async def test_set_webhook_refused_is_one_line_and_delete_webhook_goes_back_to_polling(
    tmp_path: Path,
) -> None:
    """The commands alone, against a fake of their own (no bot process)."""
    async with FakeTelegram(TOKEN) as fake:
        env = {
            **bot_env(fake, tmp_path / "kam.db"),
            "WEBHOOK_URL": "https://bot.example.com/tg/webhook",
            "WEBHOOK_SECRET": SECRET,
        }
        fake.fail_next("setWebhook", 400, "Bad Request: bad webhook: Failed to resolve host")
        code, out, err = await run_cli(["set-webhook"], env, cwd=tmp_path)
        assert code == 1, err
        assert err.strip().splitlines() == [
            "Error: Telegram refused the webhook: Bad Request: bad webhook: Failed to resolve host"
        ]
        # Set as the module's bot set it (no one listens there), an update waiting.
        bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url)))
        try:
            await bot.set_webhook(env["WEBHOOK_URL"], secret_token=SECRET)
        finally:
            await bot.session.close()
        fake.send_text(930_001, "/help")
        code, out, err = await run_cli(["delete-webhook"], env, cwd=tmp_path)
        assert code == 0, err
        assert fake.webhook is None
        assert out.splitlines()[:3] == [
            "Webhook deleted: updates wait for python -m bot run (getUpdates).",
            "  url: (none)",
            "  pending updates: 1",
        ]
        assert SECRET not in out + err


async def test_sigterm_finishes_what_was_taken_refuses_the_rest_and_exits_0(
    hooked: tuple[Stack, tuple[int, str, str]],
) -> None:
    stack, _ = hooked
    fake = stack.fake
    busy, late_user = 920_001, 920_002
    taken = 5
    # Each answer takes 0.5 s on Telegram's side: the bot acknowledges the user's five
    # messages at once and works through them one after the other.
    fake.latency = 0.5
    try:
        ids = [
            fake.send_text(busy, "/help", first_name="Busy", language_code="en")
            for _ in range(taken)
        ]
        for update_id in ids:
            await fake.wait_delivery(update_id)
        assert len(fake.delivered(busy)) < taken  # still queued in the bot
        stopping = asyncio.create_task(stack.bot.stop(timeout=30))
        await stack.bot.wait_log("SIGTERM: stopping")
        late = fake.send_text(late_user, "/help", first_name="Late", language_code="en")
        refused = await fake.wait_delivery(late, predicate=lambda d: d.status == 503)
        assert refused.retry_after == "1"
        assert await stopping == 0
    finally:
        fake.latency = 0.0
    log = stack.bot.log_text()
    assert "every taken update was handled" in log, log[-3000:]
    assert "Traceback" not in log
    answers = [r.text or "" for r in fake.delivered(busy)]
    assert len(answers) == taken and all(a.startswith(INVITE_ONLY_EN) for a in answers)
    assert fake.delivered(late_user) == []
    assert not any(d.ok for d in fake.deliveries_of(late))
    assert [u["update_id"] for u in fake.pending_updates] == [late]

    # Back up: Telegram posts the refused update again, and it is answered.
    restarted = _webhook_process(stack, "bot-restarted.log")
    await restarted.start()
    try:
        await restarted.wait_http(_healthz(stack), timeout=30)
        await fake.wait_delivery(late, timeout=15)
        reply = await fake.wait_for("sendMessage", chat_id=late_user, timeout=15)
        assert (reply.text or "").startswith(INVITE_ONLY_EN)
        await fake.wait_idle(quiet=0.3, timeout=10)
        assert len(fake.delivered(busy)) == taken  # nothing handled twice
    finally:
        assert await restarted.stop() == 0
