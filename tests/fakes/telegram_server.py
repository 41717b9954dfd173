"""A fake Telegram Bot API server for end-to-end tests and the delivery benchmark.

The real bot process (``python -m bot``) is pointed at this server through
``TELEGRAM_API_URL``. The fake speaks the wire format aiogram 3 uses (see
``/work/shared/TESTING.md``): every call is ``POST /bot{token}/{method}`` with a form-encoded
or multipart body, every answer is ``{"ok": ..., ...}``. Updates for the bot are queued with
:meth:`FakeTelegram.add_update` or the builders (:meth:`FakeTelegram.send_text`, ...), which go
through aiogram's own ``Update`` model so an injected update can never be malformed (a
malformed update would stall the bot forever on the same offset).

Webhook mode, as Telegram's: after ``setWebhook`` the queued updates are POSTed to its URL
(JSON, the secret in ``X-Telegram-Bot-Api-Secret-Token``), one chat's one at a time and in
order, other chats' in parallel up to ``max_connections``; an answer other than 2xx or a
failed connection is retried after a short backoff, and every attempt is kept in
:attr:`FakeTelegram.deliveries` with its status. ``getUpdates`` answers 409 Conflict while a
webhook is set; ``deleteWebhook`` keeps what was not delivered for ``getUpdates``.

Nothing runs at import time: a test creates a :class:`FakeTelegram`, awaits ``start()`` and
``stop()``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import hashlib
import html
import itertools
import json
import math
import mimetypes
import re
import time
import urllib.parse
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

import aiohttp
from aiogram.types import Update
from aiohttp import web

# Methods that deliver a new message to a chat: they are subject to latency, blocking and
# the flood limits, and they are what `delivered()` counts.
SEND_METHODS: frozenset[str] = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
    }
)
# What a user "sees" in a chat, for `messages_to()`.
MESSAGE_METHODS: frozenset[str] = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "editMessageText"}
)
EDIT_METHODS: frozenset[str] = frozenset(
    {"editMessageText", "editMessageCaption", "editMessageReplyMarkup"}
)

# `Recorded.status` while the request is still being handled, and for a dropped connection.
PENDING = 0
DROPPED = -1

# Values of these fields are free text or opaque ids: never decode them, or a user's message
# "true" or "[1]" (or a numeric file id) would come back as a bool or a list.
_TEXT_KEYS: frozenset[str] = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "title",
        "description",
        "short_description",
        "name",
        "first_name",
        "last_name",
        "phone_number",
        "vcard",
        "question",
        "explanation",
        "address",
        "emoji",
        "url",
        "query",
        "start_parameter",
        "payload",
        "callback_query_id",
        "inline_message_id",
        "inline_query_id",
        "file_id",
        "custom_emoji_id",
        "message_effect_id",
        "business_connection_id",
        "language_code",
        "secret_token",
        "ip_address",
        "action",
        "photo",
        "document",
        "video",
        "audio",
        "voice",
        "animation",
        "sticker",
        "video_note",
        "thumbnail",
        "media_group_id",
    }
)
# Integer fields, so tests can compare `params["chat_id"] == 42` (aiogram sends "42").
_INT_KEYS: frozenset[str] = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "message_thread_id",
        "reply_to_message_id",
        "user_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "until_date",
        "duration",
        "width",
        "height",
        "max_connections",
    }
)
_INT_RE = re.compile(r"-?\d+")

# Telegram's HTML parse mode accepts only these tags; anything else is a 400.
_HTML_TAGS: frozenset[str] = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
        "tg-time",
    }
)
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?>")

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Plain http:// webhooks only to this machine (the tests' bot); Telegram wants https.
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_GET_UPDATES_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first"
)


@dataclass(frozen=True)
class WebhookConfig:
    """What the bot asked for with setWebhook."""

    url: str
    secret_token: str | None
    allowed_updates: tuple[str, ...] | None
    max_connections: int
    drop_pending_updates: bool


@dataclass
class Delivery:
    """One POST of an update to the webhook, in the order they were made.

    ``status`` is the HTTP status the bot answered, ``PENDING`` (0) while the POST is under
    way and ``DROPPED`` (-1) when no answer came (connection refused, reset, timed out).
    """

    update_id: int
    chat_id: int | None
    attempt: int
    at: float
    secret_sent: bool
    status: int = PENDING
    retry_after: str | None = None
    answer: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def done(self) -> bool:
        return self.status != PENDING


@dataclass
class Recorded:
    """One request the fake received, in arrival order.

    ``status`` is 200 for a success, the error code for an error answer, ``PENDING`` (0)
    while the request is being handled and ``DROPPED`` (-1) when the connection was closed
    without an answer.
    """

    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    at: float
    status: int = PENDING
    result: Any = None
    description: str = ""
    filenames: dict[str, str] = field(default_factory=dict)

    @property
    def chat_id(self) -> int | None:
        return _as_int(self.params.get("chat_id"))

    @property
    def text(self) -> str | None:
        """The text or caption sent, whichever is present."""
        value = self.params.get("text", self.params.get("caption"))
        return value if isinstance(value, str) else None

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def done(self) -> bool:
        return self.status != PENDING


def _update_type(data: Mapping[str, Any]) -> str:
    return next((key for key in data if key != "update_id"), "")


def _update_chat(data: Mapping[str, Any]) -> int | None:
    """The chat whose updates Telegram posts one at a time: the message's chat, the
    pressed message's chat, else the user's own (private) chat."""
    event = data.get(_update_type(data))
    if not isinstance(event, Mapping):
        return None
    source = event.get("message") if isinstance(event.get("message"), Mapping) else event
    for holder in (source, event):
        chat = holder.get("chat") if isinstance(holder, Mapping) else None
        if isinstance(chat, Mapping) and isinstance(chat.get("id"), int):
            return int(chat["id"])
    user = event.get("from") or event.get("user")
    if isinstance(user, Mapping) and isinstance(user.get("id"), int):
        return int(user["id"])
    return None


class ApiError(Exception):
    """An error answer; raised inside handlers and turned into the JSON error body."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


@dataclass
class _Fault:
    method: str
    error_code: int
    description: str
    retry_after: int | None
    remaining: int
    chat_id: int | None
    drop: bool = False


@dataclass
class _StoredFile:
    file_id: str
    content: bytes
    file_path: str


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INT_RE.fullmatch(value):
        return int(value)
    return None


def _decode_field(key: str, raw: str) -> Any:
    """Undo aiogram's form encoding of one field (see BaseSession.prepare_value)."""
    if key in _TEXT_KEYS:
        return raw
    if raw in ("true", "false"):
        return raw == "true"
    if key in _INT_KEYS and _INT_RE.fullmatch(raw):
        return int(raw)
    if raw[:1] in ("{", "["):
        with contextlib.suppress(ValueError):
            decoded = json.loads(raw)
            if isinstance(decoded, dict | list):
                return decoded
    return raw


def _unique_id(file_id: str) -> str:
    return "AQAD" + hashlib.sha1(file_id.encode()).hexdigest()[:16]


def _visible_text(text: str, parse_mode: str | None) -> str:
    """The text as Telegram counts it: markup removed, entities unescaped."""
    if parse_mode and parse_mode.upper() == "HTML":
        return html.unescape(re.sub(r"<[^<>]*>", "", text))
    return text


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _check_html(text: str) -> None:
    """Reject what Telegram's HTML parser rejects: unknown tags, bare '<', bad nesting.

    Deliberately conservative (it does not judge '&' or attributes): a false 400 would be
    worse than a missed one.
    """
    stack: list[str] = []
    pos = 0
    while True:
        lt = text.find("<", pos)
        if lt < 0:
            break
        offset = len(text[:lt].encode())
        match = _TAG_RE.match(text, lt)
        if match is None:
            following = text[lt + 1 : lt + 2]
            raise ApiError(
                400,
                "Bad Request: can't parse entities: Unsupported start tag "
                f'"{following}" at byte offset {offset}',
            )
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name not in _HTML_TAGS:
            raise ApiError(
                400,
                f'Bad Request: can\'t parse entities: Unsupported start tag "{name}" '
                f"at byte offset {offset}",
            )
        if closing:
            if not stack or stack[-1] != name:
                raise ApiError(
                    400,
                    f"Bad Request: can't parse entities: Unexpected end tag at byte offset "
                    f"{offset}",
                )
            stack.pop()
        else:
            stack.append(name)
        pos = match.end()
    if stack:
        raise ApiError(
            400,
            "Bad Request: can't parse entities: Can't find end tag corresponding to start "
            f'tag "{stack[-1]}"',
        )


class FakeTelegram:
    """An in-process fake of the Telegram Bot API, served over HTTP on 127.0.0.1."""

    def __init__(
        self,
        token: str,
        *,
        bot_id: int | None = None,
        username: str = "kam_test_bot",
        latency: float = 0.0,
        enforce_limits: bool = False,
        global_per_second: int = 30,
        private_interval: float = 1.0,
        group_per_minute: int = 20,
    ) -> None:
        self.token = token
        # Telegram's getMe id is the token's numeric prefix, and aiogram's Bot.id is taken
        # from the token: keep them equal so `from_user.id == bot.id` checks hold.
        prefix = token.split(":", 1)[0]
        self.bot_id: int = (
            bot_id if bot_id is not None else int(prefix) if prefix.isdigit() else 7000000001
        )
        self.username = username
        self.latency = latency
        self.enforce_limits = enforce_limits
        self.global_per_second = global_per_second
        self.private_interval = private_interval
        self.group_per_minute = group_per_minute
        # Long polls are capped so tests stay fast and shutdown never waits long.
        self.long_poll_cap: float = 1.0
        # Realism switches: Telegram rejects these, so by default the fake does too.
        self.check_not_modified: bool = True
        self.validate_messages: bool = True

        self.base_url: str = ""
        self.requests: list[Recorded] = []
        self.too_many_requests: int = 0
        self.poll_count: int = 0
        self.first_poll: asyncio.Event = asyncio.Event()
        self.bot_user: dict[str, Any] = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "KAM Assistant",
            "username": username,
        }

        self._runner: web.AppRunner | None = None
        self._stopping = False
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 100_000_001
        # Replaced on every add_update so each waiting long poll wakes exactly once.
        self._update_event = asyncio.Event()
        self._poll_generation = 0
        self._files: dict[str, _StoredFile] = {}
        self._files_by_path: dict[str, _StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._callback_counter = itertools.count(1)
        self._media_group_counter = itertools.count(1)
        # Message ids are per chat in Telegram, shared between the user's and the bot's
        # messages in a private chat.
        self._last_message_id: dict[int, int] = defaultdict(int)
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._faults: list[_Fault] = []
        self._blocked: set[int] = set()
        self._global_sends: deque[float] = deque()
        self._private_last: dict[int, float] = {}
        self._group_sends: dict[int, deque[float]] = defaultdict(deque)
        self._in_flight = 0
        self._last_activity = time.monotonic()
        # Webhook mode: the current setWebhook, every POST made, and the retry backoff
        # (seconds, doubled per failed attempt of one update up to the cap; short, for tests).
        self.webhook: WebhookConfig | None = None
        self.deliveries: list[Delivery] = []
        self.webhook_backoff: float = 0.05
        self.webhook_backoff_cap: float = 0.5
        self.webhook_timeout: float = 10.0
        self._webhook_task: asyncio.Task[None] | None = None
        self._webhook_lanes: dict[int | str, asyncio.Task[None]] = {}
        self._webhook_http: aiohttp.ClientSession | None = None
        self._webhook_error: tuple[int, str] | None = None

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> str:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        # A short shutdown timeout: a pending long poll must not hold up stop().
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        self._stopping = False
        return self.base_url

    async def stop(self) -> None:
        self._stopping = True
        self._wake_pollers()
        await self._stop_webhook()
        if self._webhook_http is not None:
            await self._webhook_http.close()
            self._webhook_http = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ------------------------------------------------------------------ queries

    def calls(self, method: str | None = None, chat_id: int | None = None) -> list[Recorded]:
        return [
            rec
            for rec in self.requests
            if (method is None or rec.method == method)
            and (chat_id is None or rec.chat_id == chat_id)
        ]

    def mark(self) -> int:
        return len(self.requests)

    def delivered(self, chat_id: int | None = None) -> list[Recorded]:
        """Successful send calls only (rejected or failed sends were never delivered)."""
        return [
            rec
            for rec in self.requests
            if rec.method in SEND_METHODS
            and rec.ok
            and (chat_id is None or rec.chat_id == chat_id)
        ]

    def messages_to(self, chat_id: int) -> list[Recorded]:
        """Successful sendMessage/sendPhoto/sendDocument/editMessageText calls to a chat."""
        return [
            rec
            for rec in self.requests
            if rec.method in MESSAGE_METHODS and rec.ok and rec.chat_id == chat_id
        ]

    def texts_to(self, chat_id: int) -> list[str]:
        return [rec.text for rec in self.messages_to(chat_id) if rec.text is not None]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """The current state of a bot message (after edits), or None."""
        stored = self._messages.get((chat_id, message_id))
        return copy.deepcopy(stored) if stored is not None else None

    def commands_for(
        self,
        scope_type: str,
        chat_id: int | None = None,
        language_code: str = "",
        *,
        user_id: int | None = None,
    ) -> list[dict[str, Any]] | None:
        """Commands stored by setMyCommands for a scope, None if never set or deleted."""
        for (scope_json, lang), commands in self._commands.items():
            scope = json.loads(scope_json)
            if scope.get("type") != scope_type or lang != language_code:
                continue
            if chat_id is not None and _as_int(scope.get("chat_id")) != chat_id:
                continue
            if user_id is not None and _as_int(scope.get("user_id")) != user_id:
                continue
            return copy.deepcopy(commands)
        return None

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        return list(self._updates)

    def deliveries_of(self, update_id: int) -> list[Delivery]:
        """The webhook POSTs of one update, in order."""
        return [d for d in self.deliveries if d.update_id == update_id]

    def dump_deliveries(self, limit: int = 30) -> str:
        """Recent webhook POSTs, one a line, for assertion messages."""
        start = max(0, len(self.deliveries) - limit)
        t0 = self.deliveries[0].at if self.deliveries else 0.0
        lines = [
            f"  #{index} +{d.at - t0:.2f}s update={d.update_id} chat={d.chat_id} "
            f"attempt={d.attempt} status={d.status}{f' {d.error!r}' if d.error else ''}"
            for index, d in enumerate(self.deliveries[start:], start)
        ]
        return "\n".join(lines) or "  (no webhook deliveries)"

    def dump(self, limit: int = 30) -> str:
        """Recent requests, one a line, for assertion messages."""
        start = max(0, len(self.requests) - limit)
        t0 = self.requests[0].at if self.requests else 0.0
        lines = []
        for index, rec in enumerate(self.requests[start:], start):
            text = rec.text
            shown = "" if text is None else f" text={text[:80]!r}"
            extra = f" {rec.description!r}" if rec.description else ""
            lines.append(
                f"  #{index} +{rec.at - t0:.2f}s {rec.method} status={rec.status}"
                f" chat={rec.chat_id}{shown}{extra}"
            )
        return "\n".join(lines) or "  (no requests)"

    # ------------------------------------------------------------------ waiting

    async def wait_for(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        predicate: Callable[[Recorded], bool] | None = None,
        after: int = 0,
        # The tests' own timeout API, asked for by name; asyncio.timeout would lose the dump.
        timeout: float = 10.0,
    ) -> Recorded:
        """The first answered request at index >= after that matches."""
        deadline = time.monotonic() + timeout
        while True:
            for rec in self.requests[after:]:
                if not rec.done or rec.method != method:
                    continue
                if chat_id is not None and rec.chat_id != chat_id:
                    continue
                if predicate is not None and not predicate(rec):
                    continue
                return rec
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"no {method} (chat_id={chat_id}) after request #{after} within "
                    f"{timeout}s; recent requests:\n{self.dump()}"
                )
            await asyncio.sleep(0.02)

    async def wait_idle(
        self,
        quiet: float = 0.5,
        timeout: float = 10.0,
    ) -> None:
        """Wait until nothing but getUpdates has arrived or been in flight for `quiet` s
        (in webhook mode: and every queued update was delivered)."""
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            undelivered = self.webhook is not None and bool(self._updates)
            if self._in_flight == 0 and not undelivered and now - self._last_activity >= quiet:
                return
            if now >= deadline:
                raise AssertionError(
                    f"the bot was not idle for {quiet}s within {timeout}s; recent requests:\n"
                    f"{self.dump()}\nwebhook deliveries:\n{self.dump_deliveries()}"
                )
            await asyncio.sleep(0.02)

    async def wait_delivery(
        self,
        update_id: int,
        *,
        predicate: Callable[[Delivery], bool] | None = None,
        timeout: float = 10.0,
    ) -> Delivery:
        """The first finished webhook POST of `update_id` that matches (by default: one
        the bot answered with a 2xx)."""
        check = predicate or (lambda d: d.ok)
        deadline = time.monotonic() + timeout
        while True:
            for delivery in self.deliveries:
                if delivery.update_id == update_id and delivery.done and check(delivery):
                    return delivery
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"no matching webhook POST of update {update_id} within {timeout}s; "
                    f"recent deliveries:\n{self.dump_deliveries()}"
                )
            await asyncio.sleep(0.02)

    # ------------------------------------------------------------------ fault injection

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        *,
        retry_after: int | None = None,
        count: int = 1,
        chat_id: int | None = None,
    ) -> None:
        self._faults.append(_Fault(method, error_code, description, retry_after, count, chat_id))

    def drop_next(self, method: str, count: int = 1, *, chat_id: int | None = None) -> None:
        """Close the connection without answering the next `count` calls of `method`."""
        self._faults.append(_Fault(method, 0, "", None, count, chat_id, drop=True))

    def block_chat(self, chat_id: int) -> None:
        self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    # ------------------------------------------------------------------ files

    def add_file(self, file_id: str, content: bytes, file_path: str | None = None) -> str:
        """Register a downloadable file; returns its file_path."""
        path = file_path or f"files/{file_id}"
        stored = _StoredFile(file_id, content, path)
        self._files[file_id] = stored
        self._files_by_path[path] = stored
        return path

    def file_content(self, file_id: str) -> bytes | None:
        stored = self._files.get(file_id)
        return stored.content if stored is not None else None

    # ------------------------------------------------------------------ updates

    def add_update(self, update: Mapping[str, Any] | Update) -> int:
        """Queue an update for getUpdates; returns its update_id."""
        if isinstance(update, Update):
            data = update.model_dump(mode="json", exclude_none=True, by_alias=True)
        else:
            data = copy.deepcopy(dict(update))
        if data.get("update_id") is None:
            data["update_id"] = self._next_update_id
        update_id = int(data["update_id"])
        self._next_update_id = max(self._next_update_id, update_id + 1)
        # Validate with aiogram's model now: a malformed update would stall the bot forever.
        Update.model_validate(data)
        self._updates.append(data)
        self._wake_pollers()
        return update_id

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = "Test",
        language_code: str = "ru",
        chat_id: int | None = None,
        chat_type: str = "private",
        username: str | None = None,
        reply_to: Mapping[str, Any] | None = None,
    ) -> int:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
            ]
        if reply_to is not None:
            content["reply_to_message"] = dict(reply_to)
        return self._user_message(
            user_id, content, first_name, language_code, chat_id, chat_type, username
        )

    def send_contact(
        self,
        user_id: int,
        phone_number: str,
        first_name: str = "Test",
        *,
        last_name: str | None = None,
        own: bool = True,
        language_code: str = "ru",
        chat_id: int | None = None,
        username: str | None = None,
    ) -> int:
        """A shared contact; `own=True` is the "share my phone" button (user_id is set)."""
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": first_name}
        if last_name:
            contact["last_name"] = last_name
        if own:
            contact["user_id"] = user_id
        return self._user_message(
            user_id,
            {"contact": contact},
            first_name,
            language_code,
            chat_id,
            "private",
            username,
        )

    def send_document(
        self,
        user_id: int,
        file_id: str,
        file_name: str,
        content: bytes,
        caption: str | None = None,
        mime_type: str | None = None,
        *,
        first_name: str = "Test",
        language_code: str = "ru",
        chat_id: int | None = None,
        username: str | None = None,
    ) -> int:
        """A document from the user; the file is registered so getFile/download work."""
        self.add_file(file_id, content, f"documents/{file_name}")
        document = {
            "file_id": file_id,
            "file_unique_id": _unique_id(file_id),
            "file_name": file_name,
            "mime_type": mime_type
            or mimetypes.guess_type(file_name)[0]
            or "application/octet-stream",
            "file_size": len(content),
        }
        message: dict[str, Any] = {"document": document}
        if caption is not None:
            message["caption"] = caption
        return self._user_message(
            user_id, message, first_name, language_code, chat_id, "private", username
        )

    def send_photo(
        self,
        user_id: int,
        file_id: str,
        content: bytes,
        caption: str | None = None,
        media_group_id: str | None = None,
        *,
        first_name: str = "Test",
        language_code: str = "ru",
        chat_id: int | None = None,
        username: str | None = None,
    ) -> int:
        self.add_file(file_id, content, f"photos/{file_id}.jpg")
        message: dict[str, Any] = {"photo": [self._photo_size(file_id, len(content))]}
        if caption is not None:
            message["caption"] = caption
        if media_group_id is not None:
            message["media_group_id"] = media_group_id
        return self._user_message(
            user_id, message, first_name, language_code, chat_id, "private", username
        )

    def click(
        self,
        user_id: int,
        message: Mapping[str, Any] | Recorded,
        data: str,
        *,
        chat_id: int | None = None,
        first_name: str = "Test",
        language_code: str = "ru",
    ) -> int:
        """The user presses an inline button with callback `data` under a bot message."""
        if isinstance(message, Recorded):
            result = message.result
            if isinstance(result, list):
                result = result[0]
            if not isinstance(result, dict):
                raise ValueError(f"{message.method} did not return a message: {result!r}")
            source: dict[str, Any] = result
        else:
            source = dict(message)
        target_chat = chat_id if chat_id is not None else int(source["chat"]["id"])
        # Telegram sends the message as it is now, after any edits.
        current = self._messages.get((target_chat, int(source["message_id"])), source)
        query = {
            "id": str(4_000_000_000_000_000_000 + next(self._callback_counter)),
            "from": self._user(user_id, first_name, language_code, None),
            "message": copy.deepcopy(current),
            "chat_instance": str(-(abs(target_chat) * 7919 + 17)),
            "data": data,
        }
        return self.add_update({"callback_query": query})

    def my_chat_member(
        self,
        user_id: int,
        status: str,
        *,
        old_status: str | None = None,
        first_name: str = "Test",
        language_code: str = "ru",
    ) -> int:
        """The user blocks ("kicked") or unblocks ("member") the bot in their private chat."""
        if old_status is None:
            old_status = "member" if status in ("kicked", "left") else "kicked"
        user = self._user(user_id, first_name, language_code, None)
        update = {
            "my_chat_member": {
                "chat": {"id": user_id, "type": "private", "first_name": first_name},
                "from": user,
                "date": int(time.time()),
                "old_chat_member": self._member(old_status),
                "new_chat_member": self._member(status),
            }
        }
        return self.add_update(update)

    # ------------------------------------------------------------------ builders (internal)

    def _member(self, status: str) -> dict[str, Any]:
        # In my_chat_member the member whose status changes is the bot itself.
        if status == "kicked":
            return {"status": "kicked", "user": self.bot_user, "until_date": 0}
        if status in ("member", "left"):
            return {"status": status, "user": self.bot_user}
        raise ValueError(f"unsupported chat member status for the fake: {status!r}")

    @staticmethod
    def _user(
        user_id: int, first_name: str, language_code: str | None, username: str | None
    ) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        return user

    def _chat(
        self, chat_id: int, chat_type: str | None = None, first_name: str | None = None
    ) -> dict[str, Any]:
        kind = chat_type or ("private" if chat_id > 0 else "supergroup")
        chat: dict[str, Any] = {"id": chat_id, "type": kind}
        if kind == "private":
            if first_name:
                chat["first_name"] = first_name
        else:
            chat["title"] = f"Test chat {chat_id}"
        return chat

    def _user_message(
        self,
        user_id: int,
        content: dict[str, Any],
        first_name: str,
        language_code: str,
        chat_id: int | None,
        chat_type: str,
        username: str | None,
    ) -> int:
        target = chat_id if chat_id is not None else user_id
        if target < 0 and chat_type == "private":
            # A private chat's id is the user's id, always positive.
            chat_type = "supergroup"
        chat = self._chat(target, chat_type, first_name)
        if username and chat_type == "private":
            chat["username"] = username
        message = {
            "message_id": self._next_message_id(target),
            "date": int(time.time()),
            "chat": chat,
            "from": self._user(user_id, first_name, language_code, username),
            **content,
        }
        return self.add_update({"message": message})

    def _next_message_id(self, chat_id: int) -> int:
        self._last_message_id[chat_id] += 1
        return self._last_message_id[chat_id]

    @staticmethod
    def _photo_size(file_id: str, size: int) -> dict[str, Any]:
        return {
            "file_id": file_id,
            "file_unique_id": _unique_id(file_id),
            "width": 1280,
            "height": 960,
            "file_size": size,
        }

    def _wake_pollers(self) -> None:
        event, self._update_event = self._update_event, asyncio.Event()
        event.set()

    # ------------------------------------------------------------------ HTTP

    @staticmethod
    def _json(status: int, body: Mapping[str, Any]) -> web.Response:
        return web.Response(status=status, text=json.dumps(body), content_type="application/json")

    async def _read_params(
        self, request: web.Request
    ) -> tuple[dict[str, Any], dict[str, bytes], dict[str, str]]:
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        filenames: dict[str, str] = {}
        for key, query_value in request.query.items():
            params[key] = _decode_field(key, query_value)
        if not request.body_exists:
            return params, files, filenames
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
            return params, files, filenames
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = value.file.read()
                filenames[key] = value.filename
            elif isinstance(value, str):
                params[key] = _decode_field(key, value)
            else:
                files[key] = bytes(value)
        return params, files, filenames

    def _take_fault(self, method: str, params: Mapping[str, Any]) -> _Fault | None:
        chat_id = _as_int(params.get("chat_id"))
        for fault in self._faults:
            if fault.method != method:
                continue
            if fault.chat_id is not None and fault.chat_id != chat_id:
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
            return fault
        return None

    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        arrived = time.monotonic()
        polling = method == "getUpdates"
        if not polling:
            self._in_flight += 1
            self._last_activity = arrived
        try:
            try:
                params, files, filenames = await self._read_params(request)
            except ValueError:
                params, files, filenames = {}, {}, {}
            rec = Recorded(method, params, files, arrived, filenames=filenames)
            self.requests.append(rec)
            return await self._answer(request, rec)
        finally:
            if not polling:
                self._in_flight -= 1
                self._last_activity = time.monotonic()

    async def _answer(self, request: web.Request, rec: Recorded) -> web.StreamResponse:
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            fault = self._take_fault(rec.method, rec.params)
            if fault is not None and fault.drop:
                rec.status = DROPPED
                rec.description = "connection dropped"
                # Closing the socket with no answer is what aiogram's client sees as a
                # network failure (ServerDisconnectedError -> TelegramNetworkError).
                # aiohttp then fails to write the response below and ignores that quietly.
                if request.transport is not None:
                    request.transport.close()
                return web.Response(status=500)
            if rec.method in SEND_METHODS and self.latency > 0:
                await asyncio.sleep(self.latency)
            if fault is not None:
                raise ApiError(fault.error_code, fault.description, retry_after=fault.retry_after)
            result = await self._dispatch(rec)
        except ApiError as error:
            rec.status = error.code
            rec.description = error.description
            body: dict[str, Any] = {
                "ok": False,
                "error_code": error.code,
                "description": error.description,
            }
            if error.code == 429:
                self.too_many_requests += 1
            if error.retry_after is not None:
                body["parameters"] = {"retry_after": error.retry_after}
            return self._json(error.code, body)
        rec.status = 200
        rec.result = result
        return self._json(200, {"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        file_path = request.match_info["file_path"]
        rec = Recorded("downloadFile", {"file_path": file_path}, {}, time.monotonic())
        self.requests.append(rec)
        self._last_activity = rec.at
        stored = self._files_by_path.get(file_path)
        if request.match_info["token"] != self.token:
            rec.status, rec.description = 401, "Unauthorized"
            return self._json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        if stored is None:
            rec.status, rec.description = 404, "Not Found"
            return self._json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        rec.status = 200
        return web.Response(body=stored.content, content_type="application/octet-stream")

    # ------------------------------------------------------------------ method handlers

    async def _dispatch(self, rec: Recorded) -> Any:
        method, params = rec.method, rec.params
        if method == "getUpdates":
            return await self._get_updates(params)
        if method == "getMe":
            return {
                **self.bot_user,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
                "can_connect_to_business": False,
                "has_main_web_app": False,
            }
        if method == "setWebhook":
            return await self._set_webhook(params)
        if method == "deleteWebhook":
            await self._stop_webhook()
            self.webhook = None
            self._webhook_error = None
            if params.get("drop_pending_updates") is True:
                self._updates.clear()
            return True
        if method == "getWebhookInfo":
            return self._webhook_info()
        if method == "setMyCommands":
            return self._set_commands(params)
        if method == "deleteMyCommands":
            self._commands.pop(self._commands_key(params), None)
            return True
        if method == "getMyCommands":
            return self._commands.get(self._commands_key(params), [])
        if method == "getFile":
            stored = self._files.get(str(params.get("file_id", "")))
            if stored is None:
                raise ApiError(400, "Bad Request: invalid file_id")
            return {
                "file_id": stored.file_id,
                "file_unique_id": _unique_id(stored.file_id),
                "file_size": len(stored.content),
                "file_path": stored.file_path,
            }
        if method == "getChat":
            return self._get_chat(params)
        if method == "getChatMember":
            user_id = _as_int(params.get("user_id")) or 0
            user = (
                self.bot_user
                if user_id == self.bot_id
                else self._user(user_id, "Test", None, None)
            )
            return {"status": "member", "user": user}
        if method in EDIT_METHODS:
            return self._edit(method, params)
        if method == "deleteMessage":
            key = (_as_int(params.get("chat_id")) or 0, _as_int(params.get("message_id")) or 0)
            self._messages.pop(key, None)
            return True
        if method == "sendChatAction":
            self._check_blocked(params)
            return True
        if method in SEND_METHODS or (method.startswith("send") and method[4:5].isupper()):
            return self._send(rec)
        # answerCallbackQuery, setChatMenuButton, setMyDescription, ... and anything else.
        return True

    async def _get_updates(self, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(409, _GET_UPDATES_CONFLICT)
        self.poll_count += 1
        self.first_poll.set()
        self._poll_generation += 1
        generation = self._poll_generation
        # A new poll ends an older one, as Telegram does (with 409 Conflict).
        self._wake_pollers()
        offset = _as_int(params.get("offset"))
        if offset is not None:
            if offset >= 0:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            else:
                self._updates = self._updates[offset:]
        limit = min(max(_as_int(params.get("limit")) or 100, 1), 100)
        timeout = min(max(float(params.get("timeout") or 0), 0.0), self.long_poll_cap)
        deadline = time.monotonic() + timeout
        while True:
            event = self._update_event
            if self.webhook is not None:  # set while this poll waited
                raise ApiError(409, _GET_UPDATES_CONFLICT)
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
            if self._updates or self._stopping:
                return copy.deepcopy(self._updates[:limit])
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await event.wait()

    # ------------------------------------------------------------------ webhook

    async def _set_webhook(self, params: Mapping[str, Any]) -> bool:
        url = str(params.get("url") or "")
        if not url:  # Telegram: an empty url removes the webhook
            await self._stop_webhook()
            self.webhook = None
            return True
        parts = urllib.parse.urlsplit(url)
        if not (
            parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK)
        ):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_RE.fullmatch(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        allowed = params.get("allowed_updates")
        max_connections = _as_int(params.get("max_connections")) or 40
        if not 1 <= max_connections <= 100:
            raise ApiError(400, "Bad Request: bad webhook: max_connections must be 1-100")
        config = WebhookConfig(
            url=url,
            secret_token=str(secret) if secret is not None else None,
            allowed_updates=tuple(str(a) for a in allowed) if isinstance(allowed, list) else None,
            max_connections=max_connections,
            drop_pending_updates=params.get("drop_pending_updates") is True,
        )
        await self._stop_webhook()
        if config.drop_pending_updates:
            self._updates.clear()
        self.webhook = config
        self._webhook_error = None
        self._wake_pollers()  # a waiting getUpdates ends with 409
        if self._webhook_http is None:
            self._webhook_http = aiohttp.ClientSession()
        self._webhook_task = asyncio.create_task(self._run_webhook(config))
        return True

    def _webhook_info(self) -> dict[str, Any]:
        config = self.webhook
        info: dict[str, Any] = {
            "url": config.url if config is not None else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if config is not None:
            info["max_connections"] = config.max_connections
            if config.allowed_updates is not None:
                info["allowed_updates"] = list(config.allowed_updates)
        if self._webhook_error is not None:
            info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    async def _stop_webhook(self) -> None:
        tasks = [t for t in (self._webhook_task, *self._webhook_lanes.values()) if t]
        self._webhook_task = None
        self._webhook_lanes.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _run_webhook(self, config: WebhookConfig) -> None:
        """Start a lane for every chat with updates waiting and none under way."""
        connections = asyncio.Semaphore(config.max_connections)
        while True:
            event = self._update_event
            for data in self._updates:
                key = self._lane_key(data)
                if key not in self._webhook_lanes:
                    self._webhook_lanes[key] = asyncio.create_task(
                        self._deliver_lane(config, key, connections)
                    )
            await event.wait()

    async def _deliver_lane(
        self, config: WebhookConfig, key: int | str, connections: asyncio.Semaphore
    ) -> None:
        """One chat's updates, the next only once the bot took the one before (2xx)."""
        try:
            while True:
                data = next((u for u in self._updates if self._lane_key(u) == key), None)
                if data is None:
                    return
                wanted = config.allowed_updates
                if not wanted or _update_type(data) in wanted:
                    await self._deliver(config, data, connections)
                update_id = data["update_id"]
                self._updates = [u for u in self._updates if u["update_id"] != update_id]
        finally:
            if self._webhook_lanes.get(key) is asyncio.current_task():
                del self._webhook_lanes[key]

    @staticmethod
    def _lane_key(data: Mapping[str, Any]) -> int | str:
        chat = _update_chat(data)
        return chat if chat is not None else f"update {data['update_id']}"

    async def _deliver(
        self, config: WebhookConfig, data: Mapping[str, Any], connections: asyncio.Semaphore
    ) -> None:
        """POST one update until the bot answers 2xx, backing off between attempts."""
        assert self._webhook_http is not None
        body = json.dumps(data)
        headers = {"Content-Type": "application/json"}
        if config.secret_token is not None:
            headers[SECRET_HEADER] = config.secret_token
        delay = self.webhook_backoff
        for attempt in itertools.count(1):
            async with connections:
                delivery = Delivery(
                    update_id=int(data["update_id"]),
                    chat_id=_update_chat(data),
                    attempt=attempt,
                    at=time.monotonic(),
                    secret_sent=config.secret_token is not None,
                )
                self.deliveries.append(delivery)
                self._in_flight += 1
                self._last_activity = delivery.at
                try:
                    async with self._webhook_http.post(
                        config.url,
                        data=body,
                        headers=headers,
                        timeout=aiohttp.ClientTimeout(total=self.webhook_timeout),
                    ) as response:
                        delivery.answer = (await response.text())[:300]
                        delivery.retry_after = response.headers.get("Retry-After")
                        delivery.status = response.status
                except (aiohttp.ClientError, TimeoutError) as exc:
                    delivery.status = DROPPED
                    delivery.error = str(exc) or type(exc).__name__
                finally:
                    self._in_flight -= 1
                    self._last_activity = time.monotonic()
            if delivery.ok:
                return
            reason = (
                f"Wrong response from the webhook: {delivery.status}"
                if delivery.status != DROPPED
                else f"Connection failed: {delivery.error}"
            )
            self._webhook_error = (int(time.time()), reason)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.webhook_backoff_cap)

    @staticmethod
    def _commands_key(params: Mapping[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    def _set_commands(self, params: Mapping[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        for item in commands:
            name = item.get("command", "") if isinstance(item, dict) else ""
            description = item.get("description", "") if isinstance(item, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[self._commands_key(params)] = copy.deepcopy(commands)
        return True

    def _get_chat(self, params: Mapping[str, Any]) -> dict[str, Any]:
        chat_id = _as_int(params.get("chat_id"))
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat not found")
        return {
            **self._chat(chat_id, first_name="Test"),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    # ------------------------------------------------------------------ sending

    def _check_blocked(self, params: Mapping[str, Any]) -> None:
        if _as_int(params.get("chat_id")) in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")

    def _check_limits(self, chat_id: int) -> None:
        """Telegram-like flood control; counts the send if it is allowed."""
        now = time.monotonic()
        sends = self._global_sends
        while sends and now - sends[0] >= 1.0:
            sends.popleft()
        group = self._group_sends[chat_id] if chat_id < 0 else None
        if group is not None:
            while group and now - group[0] >= 60.0:
                group.popleft()
        if self.enforce_limits:
            waits: list[float] = []
            if len(sends) >= self.global_per_second:
                waits.append(sends[0] + 1.0 - now)
            if chat_id > 0:
                last = self._private_last.get(chat_id)
                if last is not None and now - last < self.private_interval:
                    waits.append(last + self.private_interval - now)
            elif group is not None and len(group) >= self.group_per_minute:
                waits.append(group[0] + 60.0 - now)
            if waits:
                retry_after = max(1, math.ceil(max(waits)))
                raise ApiError(
                    429,
                    f"Too Many Requests: retry after {retry_after}",
                    retry_after=retry_after,
                )
        sends.append(now)
        if group is not None:
            group.append(now)
        else:
            self._private_last[chat_id] = now

    def _check_reply_markup(self, markup: Any) -> None:
        if not isinstance(markup, dict):
            return
        for row in markup.get("inline_keyboard", []) or []:
            for button in row:
                data = button.get("callback_data") if isinstance(button, dict) else None
                if isinstance(data, str) and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")

    def _check_text(self, params: Mapping[str, Any], key: str, limit: int) -> None:
        if not self.validate_messages:
            return
        value = params.get(key)
        if value is None:
            if key == "text":
                raise ApiError(400, "Bad Request: message text is empty")
            return
        text = str(value)
        parse_mode = params.get("parse_mode")
        if isinstance(parse_mode, str) and parse_mode.upper() == "HTML":
            _check_html(text)
        visible = _visible_text(text, parse_mode if isinstance(parse_mode, str) else None)
        if key == "text" and not visible.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if _utf16_len(visible) > limit:
            what = "message is too long" if key == "text" else "message caption is too long"
            raise ApiError(400, f"Bad Request: {what}")

    def _content(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Message fields echoed back from the call's parameters."""
        content: dict[str, Any] = {}
        for key in ("text", "caption"):
            if params.get(key) is not None:
                content[key] = str(params[key])
        for key in ("entities", "caption_entities"):
            if isinstance(params.get(key), list):
                content[key] = params[key]
        markup = params.get("reply_markup")
        # Only an inline keyboard is part of the returned Message.
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            content["reply_markup"] = markup
        return content

    def _store_message(self, chat_id: int, content: Mapping[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": self.bot_user,
            **content,
        }
        self._messages[(chat_id, message["message_id"])] = copy.deepcopy(message)
        return message

    def _media(
        self, kind: str, value: Any, rec: Recorded, filename: str | None = None
    ) -> dict[str, Any]:
        """The file part of a sent message; uploads become downloadable files."""
        if isinstance(value, str) and value.startswith("attach://"):
            key = value.removeprefix("attach://")
            if key not in rec.files:
                raise ApiError(400, f"Bad Request: file {key} not found in the request")
            content = rec.files[key]
            filename = filename or rec.filenames.get(key) or key
            file_id = f"fake-{kind}-{next(self._file_counter)}"
            self.add_file(file_id, content, f"{kind}s/{file_id}-{filename}")
        elif isinstance(value, str) and value:
            file_id = value
            stored = self._files.get(file_id)
            content = stored.content if stored is not None else b""
            filename = filename or (stored.file_path.rsplit("/", 1)[-1] if stored else "file")
        else:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        if kind == "photo":
            return {"photo": [self._photo_size(file_id, len(content))]}
        base: dict[str, Any] = {
            "file_id": file_id,
            "file_unique_id": _unique_id(file_id),
            "file_size": len(content),
        }
        if kind == "document":
            base["file_name"] = filename
            base["mime_type"] = (
                mimetypes.guess_type(filename or "")[0] or "application/octet-stream"
            )
        elif kind in ("video", "animation"):
            base.update(width=640, height=480, duration=1)
        elif kind in ("audio", "voice"):
            base["duration"] = 1
        return {kind: base}

    def _send(self, rec: Recorded) -> Any:
        method, params = rec.method, rec.params
        chat_id = _as_int(params.get("chat_id"))
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat not found")
        self._check_blocked(params)
        if method == "sendMessage":
            self._check_text(params, "text", MAX_TEXT)
        else:
            self._check_text(params, "caption", MAX_CAPTION)
        self._check_reply_markup(params.get("reply_markup"))
        if method == "sendMediaGroup":
            media = params.get("media")
            if not isinstance(media, list) or not 2 <= len(media) <= 10:
                raise ApiError(400, "Bad Request: wrong number of media in the album")
            for item in media:
                if isinstance(item, dict):
                    self._check_text(item, "caption", MAX_CAPTION)
        self._check_limits(chat_id)

        if method == "sendMediaGroup":
            group_id = str(13_000_000_000_000_000 + next(self._media_group_counter))
            results = []
            for item in params["media"]:
                kind = str(item.get("type", "photo"))
                content = {
                    **self._content(item),
                    **self._media(kind, item.get("media"), rec),
                    "media_group_id": group_id,
                }
                results.append(self._store_message(chat_id, content))
            return results
        if method in ("copyMessage", "forwardMessage"):
            source = self._messages.get(
                (
                    _as_int(params.get("from_chat_id")) or 0,
                    _as_int(params.get("message_id")) or 0,
                )
            )
            content = {
                k: v
                for k, v in (source or {}).items()
                if k not in ("message_id", "date", "chat", "from", "reply_markup")
            }
            content.update(self._content(params))
            message = self._store_message(chat_id, content)
            # copyMessage returns a MessageId, not a Message (aiogram validates this).
            if method == "copyMessage":
                return {"message_id": message["message_id"]}
            return message
        content = self._content(params)
        kind = method[4:].lower()
        if method != "sendMessage" and kind in params:
            content.update(self._media(kind, params[kind], rec))
        return self._store_message(chat_id, content)

    def _edit(self, method: str, params: Mapping[str, Any]) -> Any:
        if params.get("inline_message_id"):
            return True
        chat_id = _as_int(params.get("chat_id")) or 0
        message_id = _as_int(params.get("message_id")) or 0
        old = self._messages.get((chat_id, message_id))
        if old is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        self._check_reply_markup(params.get("reply_markup"))
        new = copy.deepcopy(old)
        if method == "editMessageText":
            if "text" not in old:
                raise ApiError(400, "Bad Request: there is no text in the message to edit")
            self._check_text(params, "text", MAX_TEXT)
            new["text"] = str(params["text"])
            new.pop("entities", None)
            if isinstance(params.get("entities"), list):
                new["entities"] = params["entities"]
        elif method == "editMessageCaption":
            self._check_text(params, "caption", MAX_CAPTION)
            new.pop("caption", None)
            if params.get("caption") is not None:
                new["caption"] = str(params["caption"])
        # Like Telegram, an edit without reply_markup removes the inline keyboard.
        new.pop("reply_markup", None)
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            new["reply_markup"] = markup
        if self.check_not_modified and {k: v for k, v in new.items() if k != "edit_date"} == {
            k: v for k, v in old.items() if k != "edit_date"
        }:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        new["edit_date"] = int(time.time())
        self._messages[(chat_id, message_id)] = copy.deepcopy(new)
        return new
