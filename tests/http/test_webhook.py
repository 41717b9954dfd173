"""Webhook mode in-process: aiohttp's test server over the production application
(`create_http_app`) with the production dispatcher on a real, migrated SQLite database and
a recording bot session; Telegram's posts made by hand. And the queue itself, over a plain
aiogram dispatcher: one chat in order, the others meanwhile, a failing handler survived."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import (
    CallbackQuery,
    Chat,
    InlineQuery,
    Message,
    Update,
    User,
)
from aiohttp.test_utils import TestClient, TestServer

from bot.http.server import create_http_app
from bot.http.webhook import RETRY_AFTER, SECRET_HEADER, UpdateQueue, lane_of
from bot.runtime.config import Settings
from tests.conftest import ADMIN_ID
from tests.helpers import TEST_TOKEN, ChatClient, RecordingSession, scrape, value

URL = "https://bot.example.com/tg/webhook"
PATH = "/tg/webhook"
SECRET = "s3cr3t_Webhook-token"
QUEUE_SIZE = 3
MAX_BYTES = 4096
INVITE_ONLY_EN = "KAM Assistant works by invitation only"
_ids = iter(range(9_000_000, 10_000_000))


class GatedSession(RecordingSession):
    """A recording session whose sendMessage waits while the gate is closed: a handler
    slow on Telegram's side, for as long as the test wants."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.gate.set()
        self.waiting = asyncio.Event()

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        if isinstance(method, SendMessage) and not self.gate.is_set():
            self.waiting.set()
            await self.gate.wait()
        return await super().make_request(bot, method, timeout)


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TEST_TOKEN,
        database_url=db_url,
        admin_ids=frozenset({ADMIN_ID}),
        webhook_url=URL,
        webhook_secret=SECRET,
        webhook_queue_size=QUEUE_SIZE,
        http_max_bytes=MAX_BYTES,
    )


@pytest.fixture
def session() -> GatedSession:
    return GatedSession()


@pytest.fixture
async def queue(app, dp, bot) -> AsyncIterator[UpdateQueue]:
    updates = app.webhook = UpdateQueue(dp, bot, capacity=app.settings.webhook_queue_size)
    yield updates
    await updates.stop()


@pytest.fixture
async def http(app, queue) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_http_app(app))) as client:
        yield client


def _update(client: ChatClient, text: str, update_id: int | None = None) -> Update:
    return Update(update_id=update_id or next(_ids), message=client.message(text))


def _body(update: Update) -> bytes:
    return update.model_dump_json(exclude_none=True, by_alias=True).encode()


async def _post(
    http: TestClient, body: bytes | Update, *, secret: str | None = SECRET, **headers: str
) -> tuple[int, Any, dict[str, str]]:
    sent = {"Content-Type": "application/json", **headers}
    if secret is not None:
        sent[SECRET_HEADER] = secret
    data = _body(body) if isinstance(body, Update) else body
    response = await http.post(PATH, data=data, headers=sent)
    return response.status, await response.json(), dict(response.headers)


def _answers_to(session: RecordingSession, chat_id: int) -> list[str]:
    return [s.text for s in session.of(SendMessage) if s.chat_id == chat_id]


# --- refusals -------------------------------------------------------------------------------


async def test_a_wrong_or_missing_secret_is_401_compared_in_constant_time(
    app, queue, http, chat, session, monkeypatch
) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(given: bytes, expected: bytes) -> bool:
        compared.append((given, expected))
        return real(given, expected)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    update = _update(chat(600_001), "/help")
    secrets = (None, "", "wrong", SECRET + "x", SECRET[:-1], SECRET.upper())
    for secret in secrets:
        status, body, _ = await _post(http, update, secret=secret)
        assert status == 401, secret
        assert body["error"] == "unauthorized"
        assert body["message"].startswith("Заголовка X-Telegram-Bot-Api-Secret-Token нет")
    assert [g for g, _ in compared] == [(s or "").encode() for s in secrets]
    assert {e for _, e in compared} == {SECRET.encode()}
    assert queue.depth == 0 and queue.accepted == 0 and session.sent == []
    assert value(await scrape(http), "kam_webhook_posts_total", status="401") == len(secrets)


async def test_a_refused_post_is_answered_on_its_headers_alone(queue, http) -> None:
    """Nothing past the headers is read: a wrong secret is answered while the declared
    body has not been sent at all, and a client asking first (`Expect: 100-continue`) is
    never told to send it. A non-ASCII secret is refused as any wrong one."""
    for extra in (b"", b"Expect: 100-continue\r\n"):
        reader, writer = await asyncio.open_connection(http.host, http.port)
        writer.write(
            f"POST {PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n".encode()
            + b"Content-Length: 3000\r\n"
            + f"{SECRET_HEADER}: ".encode()
            + "секрет".encode()
            + b"\r\n"
            + extra
            + b"\r\n"
        )
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), 5)
        writer.close()
        await writer.wait_closed()
        assert status.startswith(b"HTTP/1.1 401"), status
    assert queue.depth == 0


async def test_not_an_update_is_400_and_nothing_is_queued(queue, http, session) -> None:
    for body in (b"garbage", b"", b"[]", b"{}", b'{"update_id": "x"}', b'{"message": {}}'):
        status, answer, _ = await _post(http, body, **{"Accept-Language": "en"})
        assert (status, answer["error"]) == (400, "bad_update"), body
        assert answer["message"] == "The body is not a Telegram update (JSON with an update_id)."
    assert queue.depth == 0 and session.sent == []


async def test_a_body_over_http_max_bytes_is_413(queue, http, chat) -> None:
    update = _update(chat(600_002), "x" * MAX_BYTES)
    status, answer, _ = await _post(http, update)
    assert (status, answer["error"]) == (413, "too_large")

    async def chunked() -> AsyncIterator[bytes]:  # no Content-Length: counted as it comes
        body = _body(update)
        for start in range(0, len(body), 512):
            yield body[start : start + 512]

    response = await http.post(PATH, data=chunked(), headers={SECRET_HEADER: SECRET})
    assert response.status == 413
    assert queue.depth == 0


async def test_post_only(http) -> None:
    response = await http.get(PATH, headers={SECRET_HEADER: SECRET})
    assert response.status == 405
    assert (await response.json())["error"] == "method_not_allowed"


async def test_a_polling_bot_has_no_webhook_route(app, dp) -> None:
    assert app.webhook is None
    async with TestClient(TestServer(create_http_app(app))) as client:
        response = await client.post(PATH, data=b"{}", headers={SECRET_HEADER: SECRET})
        assert response.status == 404


async def test_draining_is_503_with_retry_after(app, queue, http, chat) -> None:
    app.draining = True
    status, answer, headers = await _post(http, _update(chat(600_003), "/help"))
    assert (status, answer["error"]) == (503, "draining")
    assert headers["Retry-After"] == str(RETRY_AFTER)
    # A stranger is still told only that the secret is wrong.
    assert (await _post(http, _update(chat(600_003), "/help"), secret="x"))[0] == 401
    assert queue.depth == 0 and queue.accepted == 0


# --- taking and handling ----------------------------------------------------------------------


async def test_an_update_is_acknowledged_before_it_is_handled(queue, http, admin, session) -> None:
    status, answer, _ = await _post(http, _update(admin, "/start"))
    # 200 at once; no worker runs yet, so nothing was handled: the answer did not wait.
    assert (status, answer) == (200, {})
    assert queue.depth == 1 and session.sent == []
    queue.start()
    assert await queue.drain(10)
    [welcome] = _answers_to(session, ADMIN_ID)
    assert welcome.startswith("Welcome, Anna Admin! You are signed in as admin.")


async def test_telegram_posting_an_update_again_is_answered_once(
    queue, http, chat, session
) -> None:
    stranger = chat(600_004, language_code="en")
    update = _update(stranger, "/help")
    queue.start()
    assert (await _post(http, update))[0] == 200
    assert (await _post(http, update))[0] == 200  # Telegram retried: our 200 was lost
    assert await queue.drain(10)
    assert [t.startswith(INVITE_ONLY_EN) for t in _answers_to(session, 600_004)] == [True]


async def test_a_full_queue_is_429_with_retry_after_until_it_empties(
    queue, http, chat, session
) -> None:
    """One user's updates are handled one at a time: while the first waits on Telegram,
    the next ones queue; past WEBHOOK_QUEUE_SIZE the post is refused with 429 (the body
    unread), and taken again once the queue has room."""
    user = chat(600_005, language_code="en")
    session.gate.clear()
    queue.start()
    assert (await _post(http, _update(user, "/help")))[0] == 200
    await asyncio.wait_for(session.waiting.wait(), 10)  # the first is being handled
    for _ in range(QUEUE_SIZE):
        assert (await _post(http, _update(user, "/help")))[0] == 200
    assert (queue.depth, queue.running) == (QUEUE_SIZE, 1)
    status, answer, headers = await _post(
        http, _update(user, "/help"), **{"Accept-Language": "en"}
    )
    assert (status, answer["error"]) == (429, "queue_full")
    assert headers["Retry-After"] == str(RETRY_AFTER)
    assert answer["message"] == (
        f"Too many updates are waiting to be handled; send this one again in {RETRY_AFTER} s."
    )
    assert queue.refused == 1
    session.gate.set()
    assert await queue.drain(10)
    assert len(_answers_to(session, 600_005)) == 1 + QUEUE_SIZE
    assert (await _post(http, _update(user, "/help")))[0] == 200
    assert await queue.drain(10)
    assert len(_answers_to(session, 600_005)) == 2 + QUEUE_SIZE
    # Every answer counted in /metrics by its status.
    samples = await scrape(http)
    assert value(samples, "kam_webhook_posts_total", status="200") == 2 + QUEUE_SIZE
    assert value(samples, "kam_webhook_posts_total", status="429") == 1


async def test_drain_finishes_what_was_queued_while_new_posts_get_503(
    app, queue, http, chat, session
) -> None:
    users = [chat(600_010 + n, language_code="en") for n in range(QUEUE_SIZE)]
    session.gate.clear()
    queue.start()
    for user in users:
        assert (await _post(http, _update(user, "/help")))[0] == 200
    await asyncio.wait_for(session.waiting.wait(), 10)
    app.draining = True  # what SIGTERM sets
    assert (await _post(http, _update(users[0], "/help")))[0] == 503
    session.gate.set()
    assert await queue.drain(10)
    for user in users:
        assert len(_answers_to(session, user.user.id)) == 1


# --- the queue over a plain dispatcher -----------------------------------------------------


def _message(chat_id: int, text: str) -> Update:
    return Update(
        update_id=next(_ids),
        message=Message(
            message_id=next(_ids),
            date=datetime.now(UTC),
            chat=Chat(id=chat_id, type="private"),
            from_user=User(id=chat_id, is_bot=False, first_name="T"),
            text=text,
        ),
    )


def _plain_bot() -> Bot:
    return Bot(TEST_TOKEN, session=RecordingSession())


async def test_one_chat_in_order_while_other_chats_go_on() -> None:
    dp = Dispatcher()
    order: list[str] = []
    release = asyncio.Event()
    other_done = asyncio.Event()

    @dp.message()
    async def on_message(message: Message) -> None:
        order.append(f"{message.chat.id}:{message.text}")
        if message.text == "slow":
            await release.wait()
        if message.text == "b2":
            other_done.set()

    queue = UpdateQueue(dp, _plain_bot(), capacity=10)
    for chat_id, text in ((1, "slow"), (1, "a2"), (1, "a3"), (2, "b1"), (2, "b2")):
        assert queue.put(_message(chat_id, text))
    queue.start()
    try:
        await asyncio.wait_for(other_done.wait(), 10)  # chat 2 went on past the slow one
        assert order == ["1:slow", "2:b1", "2:b2"]
        assert (queue.depth, queue.running) == (2, 1)
        release.set()
        assert await queue.drain(10)
        assert [o for o in order if o.startswith("1:")] == ["1:slow", "1:a2", "1:a3"]
    finally:
        await queue.stop()


async def test_a_failing_handler_is_logged_and_the_worker_goes_on(caplog) -> None:
    dp = Dispatcher()
    handled: list[str] = []

    @dp.message()
    async def on_message(message: Message) -> None:
        if message.text == "boom":
            raise RuntimeError("the handler broke")
        handled.append(str(message.text))

    queue = UpdateQueue(dp, _plain_bot(), capacity=10, workers=1)
    boom = _message(3, "boom")
    for update in (boom, _message(3, "after"), _message(4, "other")):
        queue.put(update)
    queue.start()
    try:
        with caplog.at_level(logging.ERROR, logger="bot.http.webhook"):
            assert await queue.drain(10)
    finally:
        await queue.stop()
    # Chat 3's lane went to the back of the line after "boom": chat 4 came first.
    assert handled == ["other", "after"]
    [failure] = [r for r in caplog.records if r.name == "bot.http.webhook"]
    assert failure.getMessage() == f"update {boom.update_id} failed in webhook mode"
    assert failure.exc_info is not None and "the handler broke" in str(failure.exc_info[1])


async def test_a_closed_queue_takes_nothing() -> None:
    queue = UpdateQueue(Dispatcher(), _plain_bot(), capacity=1)
    assert queue.put(_message(5, "one"))
    assert not queue.put(_message(5, "two"))  # full
    await queue.stop()
    assert queue.closed and not queue.put(_message(6, "three"))


def test_lanes_are_chats() -> None:
    user = User(id=42, is_bot=False, first_name="T")
    group = Chat(id=-100, type="supergroup", title="G")
    in_group = Message(message_id=1, date=datetime.now(UTC), chat=group, from_user=user, text="x")
    assert lane_of(Update(update_id=1, message=in_group)) == ("chat", -100)
    pressed = CallbackQuery(id="q", from_user=user, chat_instance="c", message=in_group, data="d")
    assert lane_of(Update(update_id=2, callback_query=pressed)) == ("chat", -100)
    inline = InlineQuery(id="i", from_user=user, query="", offset="")
    assert lane_of(Update(update_id=3, inline_query=inline)) == ("chat", 42)
    assert lane_of(Update(update_id=4)) == ("update", 4)


def test_the_body_posted_is_what_telegram_sends() -> None:
    """The bodies above are aiogram's own serialisation of Update, as Telegram's JSON."""
    update = _message(7, "/help")
    data = json.loads(_body(update))
    assert data["message"]["from"]["id"] == 7 and "from_user" not in data["message"]
