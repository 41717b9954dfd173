"""Tests of the fake Bot API server itself, driven by a real aiogram Bot over HTTP."""

from __future__ import annotations

import asyncio
import socket
import textwrap
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    MediaUnion,
    Message,
    Update,
)
from aiohttp import web

from tests.fakes.bot_process import BotProcess, child_env, run_cli
from tests.fakes.telegram_server import (
    DROPPED,
    SECRET_HEADER,
    FakeTelegram,
    Recorded,
    WebhookConfig,
)

TOKEN = "123456789:AAEfakeTokenForTests_abcdefghijklmnop"
USER = 501


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram(TOKEN)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def make_bot(base_url: str, token: str = TOKEN) -> Bot:
    return Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(base_url)))


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    client = make_bot(fake.base_url)
    try:
        yield client
    finally:
        await client.session.close()


def keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Yes", callback_data="answer:yes")]]
    )


async def test_get_me(bot: Bot, fake: FakeTelegram) -> None:
    me = await bot.get_me()
    assert me.id == fake.bot_id == bot.id
    assert me.is_bot
    assert me.username == "kam_test_bot"
    assert fake.calls("getMe")[0].status == 200


async def test_wrong_token_is_unauthorized(fake: FakeTelegram) -> None:
    other = make_bot(fake.base_url, token="42:wrong")
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await other.get_me()
    finally:
        await other.session.close()
    assert fake.calls("getMe")[0].status == 401


async def test_send_message_with_inline_keyboard(bot: Bot, fake: FakeTelegram) -> None:
    sent = await bot.send_message(
        USER, "Hello <b>there</b>", reply_markup=keyboard(), parse_mode="HTML"
    )
    assert isinstance(sent, Message)
    assert sent.chat.id == USER
    assert sent.chat.type == "private"
    assert sent.date.timestamp() > time.time() - 60
    assert sent.reply_markup is not None
    # Compare dumps: aiogram models carry the bot instance, so == between them is False.
    assert sent.reply_markup.model_dump() == keyboard().model_dump()
    assert sent.from_user is not None
    assert sent.from_user.id == fake.bot_id

    rec = fake.calls("sendMessage", chat_id=USER)[0]
    assert rec.params["chat_id"] == USER
    assert rec.params["text"] == "Hello <b>there</b>"
    assert rec.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Yes", "callback_data": "answer:yes"}]]
    }
    assert fake.delivered(USER) == [rec]
    assert fake.messages_to(USER) == [rec]

    second = await bot.send_message(USER, "again")
    assert second.message_id == sent.message_id + 1
    assert second.reply_markup is None


async def test_edit_message_text_returns_the_edited_message(bot: Bot, fake: FakeTelegram) -> None:
    sent = await bot.send_message(USER, "before", reply_markup=keyboard())
    edited = await sent.edit_text("after")
    assert isinstance(edited, Message)
    assert edited.text == "after"
    assert edited.message_id == sent.message_id
    # Like Telegram, an edit without reply_markup drops the keyboard.
    assert edited.reply_markup is None
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(text="after", chat_id=USER, message_id=sent.message_id)


async def test_bad_html_is_rejected(bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(USER, "a <3 b", parse_mode="HTML")


async def test_get_updates_offset_confirms(bot: Bot, fake: FakeTelegram) -> None:
    first = fake.send_text(USER, "/start")
    second = fake.send_text(USER, "hello")
    updates = await bot.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [first, second]
    message = updates[0].message
    assert message is not None
    assert message.text == "/start"
    assert message.entities is not None
    assert message.entities[0].type == "bot_command"

    again = await bot.get_updates(offset=first + 1, timeout=0)
    assert [u.update_id for u in again] == [second]
    assert await bot.get_updates(offset=second + 1, timeout=0) == []
    # Confirmed updates are gone for good, even without an offset.
    assert await bot.get_updates(timeout=0) == []
    assert fake.first_poll.is_set()
    assert fake.poll_count == 4


async def test_long_poll_wakes_on_add_update(bot: Bot, fake: FakeTelegram) -> None:
    fake.long_poll_cap = 5.0
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.wait_for(fake.first_poll.wait(), 2)
    started = time.monotonic()
    update_id = fake.add_update(
        Update.model_validate(
            {
                "update_id": 77,
                "message": {
                    "message_id": 1,
                    "date": int(time.time()),
                    "chat": {"id": USER, "type": "private"},
                    "from": {"id": USER, "is_bot": False, "first_name": "T"},
                    "text": "ping",
                },
            }
        )
    )
    updates = await asyncio.wait_for(poll, 3)
    assert time.monotonic() - started < 1.0
    assert [u.update_id for u in updates] == [update_id] == [77]


async def test_long_poll_is_capped(bot: Bot, fake: FakeTelegram) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=30) == []
    assert 0.9 <= time.monotonic() - started < 2.0


async def test_second_poller_gets_conflict(bot: Bot, fake: FakeTelegram) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=1))
    await asyncio.wait_for(fake.first_poll.wait(), 2)
    assert await bot.get_updates(timeout=0) == []
    with pytest.raises(TelegramConflictError):
        await first


async def test_builders_validate_with_aiogram(bot: Bot, fake: FakeTelegram) -> None:
    sent = await bot.send_message(USER, "pick", reply_markup=keyboard())
    rec = await fake.wait_for("sendMessage", chat_id=USER)
    fake.click(USER, rec, "answer:yes")
    fake.send_contact(USER, "+79001234567", "Ivan")
    fake.send_document(USER, "doc-1", "report.xlsx", b"xlsx", caption="May")
    fake.send_photo(USER, "photo-1", b"jpeg", caption="look")
    fake.my_chat_member(USER, "kicked")
    fake.send_text(-100123, "/help@kam_test_bot", chat_id=-100123)
    updates = await bot.get_updates(timeout=0)
    assert len(updates) == 6
    query = updates[0].callback_query
    assert query is not None
    assert query.data == "answer:yes"
    assert isinstance(query.message, Message)
    assert query.message.message_id == sent.message_id
    assert updates[1].message is not None
    assert updates[1].message.contact is not None
    assert updates[1].message.contact.user_id == USER
    assert updates[2].message is not None
    assert updates[2].message.document is not None
    assert updates[2].message.document.mime_type is not None
    assert updates[3].message is not None
    assert updates[3].message.photo is not None
    member = updates[4].my_chat_member
    assert member is not None
    assert (member.old_chat_member.status, member.new_chat_member.status) == (
        "member",
        "kicked",
    )
    group = updates[5].message
    assert group is not None
    assert group.chat.type == "supergroup"


async def test_fail_next_429(bot: Bot, fake: FakeTelegram) -> None:
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(USER, "hi")
    assert caught.value.retry_after == 7
    await bot.send_message(USER, "hi")
    assert [r.status for r in fake.calls("sendMessage")] == [429, 200]
    assert len(fake.delivered()) == 1
    assert fake.too_many_requests == 1


async def test_block_chat_forbidden(bot: Bot, fake: FakeTelegram) -> None:
    fake.block_chat(USER)
    with pytest.raises(TelegramForbiddenError, match="blocked by the user"):
        await bot.send_message(USER, "hi")
    assert fake.calls("sendMessage")[0].status == 403
    fake.unblock_chat(USER)
    await bot.send_message(USER, "hi")
    assert len(fake.delivered(USER)) == 1


async def test_drop_next_network_error(bot: Bot, fake: FakeTelegram) -> None:
    await bot.get_me()  # A kept-alive connection must not hide the drop either.
    fake.drop_next("sendMessage")
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(USER, "hi")
    assert fake.calls("sendMessage")[0].status == -1
    assert fake.delivered() == []
    sent = await bot.send_message(USER, "hi")
    assert sent.text == "hi"


async def test_enforce_limits(fake: FakeTelegram, bot: Bot) -> None:
    fake.enforce_limits = True
    await bot.send_message(USER, "one")
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(USER, "two")
    assert caught.value.retry_after == 1

    # 29 more chats fill the global budget of 30 a second; the 31st send is refused.
    # Concurrently, so even a slow machine stays inside the one-second window.
    await asyncio.gather(*(bot.send_message(USER + offset, "hi") for offset in range(1, 30)))
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(USER + 100, "hi")
    assert len(fake.delivered()) == 30
    assert fake.too_many_requests == 2
    assert fake.calls("sendMessage", chat_id=USER + 100)[0].status == 429


async def test_group_limit(fake: FakeTelegram, bot: Bot) -> None:
    fake.enforce_limits = True
    fake.group_per_minute = 3
    for _ in range(3):
        await bot.send_message(-100500, "hi")
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(-100500, "hi")
    assert 50 <= caught.value.retry_after <= 60


async def test_get_file_and_download(bot: Bot, fake: FakeTelegram) -> None:
    fake.add_file("file-xyz", b"hello bytes", "documents/a.txt")
    info = await bot.get_file("file-xyz")
    assert info.file_path == "documents/a.txt"
    assert info.file_size == len(b"hello bytes")
    data = await bot.download("file-xyz")
    assert data is not None
    assert data.read() == b"hello bytes"
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        await bot.get_file("nope")


async def test_multipart_send_document(bot: Bot, fake: FakeTelegram) -> None:
    payload = b"\x00\x01binary,report"
    sent = await bot.send_document(
        USER, BufferedInputFile(payload, filename="report.csv"), caption="May report"
    )
    rec = fake.calls("sendDocument")[0]
    assert rec.params["chat_id"] == USER
    assert rec.params["caption"] == "May report"
    key = rec.params["document"].removeprefix("attach://")
    assert rec.files[key] == payload
    assert rec.filenames[key] == "report.csv"
    assert sent.document is not None
    assert sent.document.file_name == "report.csv"
    # The uploaded file can be fetched back by its new file_id.
    downloaded = await bot.download(sent.document.file_id)
    assert downloaded is not None
    assert downloaded.read() == payload


async def test_send_media_group(bot: Bot, fake: FakeTelegram) -> None:
    album: list[MediaUnion] = [
        InputMediaPhoto(media=BufferedInputFile(b"p1", filename="1.jpg"), caption="first"),
        InputMediaPhoto(media=BufferedInputFile(b"p2", filename="2.jpg")),
    ]
    messages = await bot.send_media_group(USER, album)
    assert len(messages) == 2
    assert messages[0].media_group_id == messages[1].media_group_id
    assert messages[0].caption == "first"
    assert sorted(fake.calls("sendMediaGroup")[0].files.values()) == [b"p1", b"p2"]


async def test_set_my_commands_per_scope(bot: Bot, fake: FakeTelegram) -> None:
    commands = [
        BotCommand(command="start", description="Start"),
        BotCommand(command="help", description="Help"),
    ]
    await bot.set_my_commands(
        commands, scope=BotCommandScopeChat(chat_id=USER), language_code="en"
    )
    assert fake.commands_for("chat", chat_id=USER, language_code="en") == [
        {"command": "start", "description": "Start"},
        {"command": "help", "description": "Help"},
    ]
    assert fake.commands_for("chat", chat_id=USER) is None
    assert fake.commands_for("default") is None
    got = await bot.get_my_commands(scope=BotCommandScopeChat(chat_id=USER), language_code="en")
    assert [c.model_dump() for c in got] == [c.model_dump() for c in commands]
    await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=USER), language_code="en")
    assert fake.commands_for("chat", chat_id=USER, language_code="en") is None
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad-Name", description="x")])


async def test_wait_helpers(bot: Bot, fake: FakeTelegram) -> None:
    mark = fake.mark()

    async def later() -> None:
        await asyncio.sleep(0.1)
        await bot.send_message(USER, "late")

    task = asyncio.create_task(later())
    rec = await fake.wait_for("sendMessage", chat_id=USER, after=mark, timeout=3)
    await task
    assert isinstance(rec, Recorded)
    assert rec.result["text"] == "late"
    await fake.wait_idle(quiet=0.2, timeout=3)
    with pytest.raises(AssertionError, match="recent requests"):
        await fake.wait_for("sendPhoto", timeout=0.1)


async def test_latency(bot: Bot, fake: FakeTelegram) -> None:
    fake.latency = 0.2
    started = time.monotonic()
    await bot.send_message(USER, "slow")
    assert time.monotonic() - started >= 0.2


async def test_drop_pending_updates_on_delete_webhook(bot: Bot, fake: FakeTelegram) -> None:
    fake.send_text(USER, "old")
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates(timeout=0) == []


# ---------------------------------------------------------------------- webhook mode


class Receiver:
    """A stand-in for the bot's webhook route: records each POST, answers the statuses
    scripted per update id (then 200), and holds an update's answer while it is gated."""

    def __init__(self) -> None:
        self.got: list[tuple[int, str | None]] = []
        self.script: dict[int, list[int]] = {}
        self.gates: dict[int, asyncio.Event] = {}
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self, port: int = 0) -> str:
        app = web.Application()
        app.router.add_post("/hook", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/hook"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def ids(self) -> list[int]:
        return [update_id for update_id, _ in self.got]

    async def _handle(self, request: web.Request) -> web.Response:
        data = await request.json()
        update_id = int(data["update_id"])
        Update.model_validate(data)  # what the fake posts is a valid update
        self.got.append((update_id, request.headers.get(SECRET_HEADER)))
        gate = self.gates.get(update_id)
        if gate is not None:
            await gate.wait()
        script = self.script.get(update_id)
        status = script.pop(0) if script else 200
        headers = {"Retry-After": "1"} if status in (429, 503) else None
        return web.json_response({}, status=status, headers=headers)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    server = Receiver()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def test_set_webhook_info_and_get_updates_conflict(
    bot: Bot, fake: FakeTelegram, receiver: Receiver
) -> None:
    receiver.gates[fake.send_text(USER, "held")] = asyncio.Event()  # stays pending
    assert await bot.set_webhook(
        receiver.url,
        secret_token="s3cret_-",
        allowed_updates=["message", "callback_query"],
        max_connections=7,
    )
    assert fake.webhook == WebhookConfig(
        url=receiver.url,
        secret_token="s3cret_-",
        allowed_updates=("message", "callback_query"),
        max_connections=7,
        drop_pending_updates=False,
    )
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count, info.max_connections) == (receiver.url, 1, 7)
    assert info.allowed_updates == ["message", "callback_query"]
    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await bot.get_updates(timeout=0)
    # Back to polling: what was not delivered waits for getUpdates.
    assert await bot.delete_webhook()
    assert fake.webhook is None and (await bot.get_webhook_info()).url == ""
    assert [u.message.text for u in await bot.get_updates(timeout=0) if u.message] == ["held"]


async def test_a_waiting_long_poll_ends_with_conflict_when_a_webhook_is_set(
    bot: Bot, fake: FakeTelegram, receiver: Receiver
) -> None:
    fake.long_poll_cap = 5.0
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await fake.first_poll.wait()
    other = make_bot(fake.base_url)
    try:
        await other.set_webhook(receiver.url)
    finally:
        await other.session.close()
    with pytest.raises(TelegramConflictError):
        await poll


async def test_set_webhook_refuses_what_telegram_refuses(bot: Bot, fake: FakeTelegram) -> None:
    with pytest.raises(TelegramBadRequest, match="HTTPS URL must be provided"):
        await bot.set_webhook("http://bot.example.com/hook")
    with pytest.raises(TelegramBadRequest, match="secret token"):
        await bot.set_webhook("https://bot.example.com/hook", secret_token="not allowed!")
    assert fake.webhook is None


async def test_updates_are_posted_with_the_secret_one_chat_at_a_time_and_retried(
    bot: Bot, fake: FakeTelegram, receiver: Receiver
) -> None:
    await bot.set_webhook(receiver.url, secret_token="s3cret")
    first = fake.send_text(USER, "one")
    receiver.script[first] = [503, 429, 401]  # refused three times, then taken
    second = fake.send_text(USER, "two")
    other = fake.send_text(USER + 1, "other chat")
    await fake.wait_delivery(second)
    await fake.wait_idle(quiet=0.05)
    assert [d.status for d in fake.deliveries_of(first)] == [503, 429, 401, 200]
    assert [d.attempt for d in fake.deliveries_of(first)] == [1, 2, 3, 4]
    assert fake.deliveries_of(first)[0].retry_after == "1"
    # The user's second update only after the first was taken; the other chat meanwhile.
    got = receiver.ids()
    taken = len(got) - 1 - got[::-1].index(first)  # the first's last (successful) POST
    assert got.index(second) == taken + 1 == len(got) - 1
    assert got.index(other) < taken
    assert {secret for _, secret in receiver.got} == {"s3cret"}
    assert fake.pending_updates == []
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0
    assert info.last_error_message == "Wrong response from the webhook: 401"


async def test_one_chat_waits_for_its_answer_while_others_are_posted(
    bot: Bot, fake: FakeTelegram, receiver: Receiver
) -> None:
    await bot.set_webhook(receiver.url)
    held = fake.send_text(USER, "slow")
    receiver.gates[held] = gate = asyncio.Event()
    after = fake.send_text(USER, "after")
    others = [fake.send_text(USER + n, "x") for n in range(1, 4)]
    for update_id in others:
        await fake.wait_delivery(update_id)
    assert after not in receiver.ids()  # still waiting behind the held one
    assert not fake.deliveries_of(held)[0].done
    gate.set()
    await fake.wait_delivery(after)
    assert receiver.ids()[-1] == after


async def test_a_bot_that_is_down_is_retried_until_it_answers(
    bot: Bot, fake: FakeTelegram
) -> None:
    late = Receiver()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    await bot.set_webhook(f"http://127.0.0.1:{port}/hook")
    update_id = fake.send_text(USER, "hello")
    dropped = await fake.wait_delivery(update_id, predicate=lambda d: d.status == DROPPED)
    assert dropped.error
    await late.start(port)
    try:
        taken = await fake.wait_delivery(update_id)
        assert taken.attempt > dropped.attempt and late.ids() == [update_id]
    finally:
        await late.stop()


async def test_only_allowed_update_types_are_posted(
    bot: Bot, fake: FakeTelegram, receiver: Receiver
) -> None:
    await bot.set_webhook(receiver.url, allowed_updates=["callback_query"])
    skipped = fake.send_text(USER, "a message")
    pressed = fake.click(
        USER, {"message_id": 1, "date": 1, "chat": {"id": USER, "type": "private"}}, "d"
    )
    await fake.wait_delivery(pressed)
    await fake.wait_idle(quiet=0.05)
    assert receiver.ids() == [pressed] and fake.deliveries_of(skipped) == []
    assert fake.pending_updates == []


def test_child_env_scrubs_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "1:real")
    monkeypatch.setenv("database_url", "postgresql+asyncpg://real")
    env = child_env({"TELEGRAM_API_URL": "http://127.0.0.1:1"})
    assert "BOT_TOKEN" not in env
    assert "database_url" not in env
    assert env["TELEGRAM_API_URL"] == "http://127.0.0.1:1"
    assert env["PYTHONUNBUFFERED"] == "1"


# ---------------------------------------------------------------------- bot_process helpers
# `python -m bot` puts the working directory first on sys.path, so a stub package in tmp_path
# shadows the real bot: these tests do not depend on the bot's code.

STUB_MAIN = textwrap.dedent(
    """
    import os, signal, sys, time

    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    print("token", os.environ.get("BOT_TOKEN"), flush=True)
    print("to stderr", file=sys.stderr, flush=True)
    if command == "fail":
        sys.exit(3)
    if command == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if command in ("run", "serve"):
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if command == "serve":
        import http.server, threading

        class Healthz(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = http.server.HTTPServer(("127.0.0.1", int(os.environ["STUB_PORT"])), Healthz)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print("ready", flush=True)
    while True:
        time.sleep(0.05)
    """
)


@pytest.fixture
def stub_dir(tmp_path: Path) -> Path:
    package = tmp_path / "bot"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text(STUB_MAIN)
    return tmp_path


async def wait_for_log(process: BotProcess, text: str) -> None:
    for _ in range(250):
        if text in process.log_text():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"{text!r} not in log:\n{process.log_text()}")


async def test_start_and_stop(stub_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "1:from-the-developer-shell")
    process = BotProcess({"BOT_TOKEN": "2:test"}, cwd=stub_dir, log_path=stub_dir / "bot.log")
    await process.start()
    try:
        await wait_for_log(process, "ready")
        assert process.running
    finally:
        code = await process.stop()
    assert code == 0
    assert not process.running
    log = process.log_text()
    assert "token 2:test" in log
    assert "to stderr" in log


async def test_stop_kills_a_process_that_ignores_sigterm(stub_dir: Path) -> None:
    async with BotProcess(
        {}, args=("stubborn",), cwd=stub_dir, log_path=stub_dir / "b.log"
    ) as process:
        await wait_for_log(process, "ready")
        code = await process.stop(timeout=0.5)
    assert code == -9


async def test_wait_for_one_shot_command(stub_dir: Path) -> None:
    process = BotProcess({}, args=("fail",), cwd=stub_dir, log_path=stub_dir / "b.log")
    await process.start()
    assert await process.wait(timeout=30) == 3


async def test_run_cli(stub_dir: Path) -> None:
    code, out, err = await run_cli(["fail"], {"BOT_TOKEN": "3:cli"}, cwd=stub_dir)
    assert code == 3
    assert "token 3:cli" in out
    assert "to stderr" in err


async def test_run_cli_timeout_kills(stub_dir: Path) -> None:
    with pytest.raises(TimeoutError):
        await run_cli(["stubborn"], {}, timeout=1, cwd=stub_dir)


async def test_wait_http_and_wait_log(stub_dir: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    async with BotProcess(
        {"STUB_PORT": str(port)}, args=("serve",), cwd=stub_dir, log_path=stub_dir / "b.log"
    ) as process:
        await process.wait_http(f"http://127.0.0.1:{port}/healthz")
        await process.wait_log("ready")
    failing = BotProcess({}, args=("fail",), cwd=stub_dir, log_path=stub_dir / "f.log")
    await failing.start()
    with pytest.raises(AssertionError, match="ended before serving"):
        await failing.wait_http(f"http://127.0.0.1:{port}/healthz")
    await failing.wait(timeout=30)
