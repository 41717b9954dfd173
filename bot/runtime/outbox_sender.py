"""The outbox sender: the only code that talks to Telegram unprompted.

Rows are claimed with a lease, sent under Telegram's limits (30 messages a second in all,
1 a second per private chat, 20 a minute per group), and marked sent only after Telegram
accepted them. A crash between send and mark re-sends at most the rows in flight."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import socket
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, InputMediaPhoto

from bot.runtime.i18n import Translator
from bot.runtime.metrics import DeliveryOutcome, Metrics
from bot.services.business_settings import load_settings
from bot.services.clock import Clock
from bot.services.notifications import admins, mark_unreachable, notify_user
from bot.views.common.texts import split_text
from storage.dto import OutboxDTO, OutboxStatus
from storage.engine import Database, is_busy
from storage.repositories import Repos

logger = logging.getLogger(__name__)

CAPTION_LIMIT = 1024
ALBUM_LIMIT = 10  # a media group holds 2 to 10 items
# Kinds that report delivery trouble: their own failures raise no further alerts.
ALERT_KINDS = frozenset({"delivery_failed", "recipient_unreachable"})
UNREACHABLE_HINTS = ("chat not found", "user is deactivated", "bot was blocked", "can't initiate")


@dataclass(frozen=True)
class DeliveryConfig:
    per_second: float = 30.0
    private_interval: float = 1.0
    group_per_minute: int = 20
    concurrency: int = 8
    lease_seconds: float = 120.0
    max_attempts: int = 6
    backoff_base: float = 2.0
    backoff_cap: float = 600.0
    idle_poll: float = 0.5
    # Spacing a little wider than the limit: Telegram counts arrivals, we count departures.
    margin: float = 1.03


@dataclass
class DeliveryStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    dead: int = 0
    unreachable: int = 0
    too_many_requests: int = 0

    def __str__(self) -> str:
        return (
            f"sent={self.sent} retried={self.retried} failed={self.failed} dead={self.dead} "
            f"unreachable={self.unreachable} 429={self.too_many_requests}"
        )


class RateLimiter:
    """Global spacing, per-chat spacing and a global pause after a 429 (the penalty is per
    bot, so every sender waits)."""

    def __init__(
        self,
        config: DeliveryConfig,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._config = config
        self._now = monotonic
        self._sleep = sleep
        self._global_interval = config.margin / config.per_second
        self._next_global = 0.0
        self._paused_until = 0.0
        self._chat_next: dict[int, float] = {}
        self._group_sends: dict[int, deque[float]] = {}
        self._chat_locks: dict[int, asyncio.Lock] = {}
        self._lock = asyncio.Lock()
        self._recent: deque[float] = deque()
        self._window_cap = max(1, int(config.per_second))

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._now() + seconds)
        self._next_global = max(self._next_global, self._paused_until)

    async def _sleep_until(self, moment: float) -> None:
        delay = moment - self._now()
        if delay > 0:
            await self._sleep(delay)

    async def acquire(self, chat_id: int) -> None:
        lock = self._chat_locks.setdefault(chat_id, asyncio.Lock())
        async with lock:  # one send at a time per chat keeps its order and spacing
            await self._sleep_until(self._chat_ready(chat_id))
            # The global gate: one sender at a time passes, in arrival order (asyncio.Lock
            # is fair). Besides even spacing, no more than the limit may leave within any
            # window a little over a second: a sender woken late by a busy event loop must
            # not burst past the limit that Telegram counts on arrival.
            async with self._lock:
                while True:
                    now = self._now()
                    ready = max(self._next_global, self._paused_until)
                    if len(self._recent) >= self._window_cap:
                        ready = max(ready, self._recent[0] + self._config.margin)
                    if ready <= now:
                        break
                    await self._sleep(ready - now)
                self._recent.append(now)
                if len(self._recent) > self._window_cap:
                    self._recent.popleft()
                self._next_global = now + self._global_interval
            self._record(chat_id)

    def _chat_ready(self, chat_id: int) -> float:
        if chat_id > 0:
            return self._chat_next.get(chat_id, 0.0)
        sends = self._group_sends.get(chat_id)
        if not sends or len(sends) < self._config.group_per_minute:
            return 0.0
        return sends[0] + 60.0 * self._config.margin

    def _record(self, chat_id: int) -> None:
        now = self._now()
        if chat_id > 0:
            self._chat_next[chat_id] = now + self._config.private_interval * self._config.margin
            return
        sends = self._group_sends.setdefault(chat_id, deque())
        sends.append(now)
        while len(sends) > self._config.group_per_minute:
            sends.popleft()


@dataclass(frozen=True)
class _Part:
    text: str | None
    photo: bytes | None = None
    markup: dict[str, Any] | None = None
    # Files already on Telegram's servers, by file id: an album of photos, or one document
    # or voice note.
    files: tuple[tuple[str, str], ...] = ()


def message_parts(row: OutboxDTO) -> list[_Part]:
    """A text over 4096 characters goes as several messages split at line boundaries; a
    photo's caption stays under 1024 (a longer text follows as messages of its own). The
    buttons go with the last part, or with the text when the photo comes after it (a
    summary's drill-in buttons belong to its numbered lines, not to its chart)."""
    text = str(row.payload.get("text") or "")
    markup = row.payload.get("reply_markup")
    parts: list[_Part] = []
    files = [(str(f["kind"]), str(f["file_id"])) for f in row.payload.get("files", [])]
    photos = [f for f in files if f[0] == "photo"]
    for start in range(0, len(photos), ALBUM_LIMIT):
        parts.append(_Part(None, files=tuple(photos[start : start + ALBUM_LIMIT])))
    parts += [_Part(None, files=(f,)) for f in files if f[0] != "photo"]
    photo_after = bool(row.payload.get("photo_after"))
    if row.attachment is not None and not photo_after:
        if len(text) <= CAPTION_LIMIT:
            return [_Part(text or None, row.attachment, markup)]
        parts.append(_Part(None, row.attachment))
    chunks = split_text(text)
    parts += [_Part(chunk) for chunk in chunks[:-1]]
    parts.append(_Part(chunks[-1], None, markup))
    if row.attachment is not None and photo_after:
        parts.append(_Part(None, row.attachment))
    return parts


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


def _short_reason(error: ClientDecodeError) -> str:
    """What an answer that is not JSON says, in a few words: an HTML page's title (a
    gateway's "502 Bad Gateway", with its status), else the start of its text."""
    body = error.data if isinstance(error.data, str) else repr(error.data)
    title = _TITLE.search(body)
    text = title.group(1) if title else _TAGS.sub(" ", body)
    return " ".join(text.split())[:80] or type(error.original).__name__


class OutboxSender:
    def __init__(
        self,
        bot: Bot,
        database: Database,
        translator: Translator,
        clock: Clock,
        config: DeliveryConfig | None = None,
        owner: str | None = None,
        *,
        metrics: Metrics | None = None,
    ) -> None:
        self.bot = bot
        self.database = database
        self.translator = translator
        self.clock = clock
        self.config = config or DeliveryConfig()
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.limiter = RateLimiter(self.config)
        self.stats = DeliveryStats()
        self.metrics = metrics
        self._in_progress = 0
        self._room = asyncio.Event()
        self._room.set()

    async def drain(self) -> DeliveryStats:
        """Deliver everything due now and return (the `deliver` job)."""
        await self._pump(stop=None)
        return self.stats

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set (the bot process)."""
        await self._pump(stop=stop)

    async def _pump(self, stop: asyncio.Event | None) -> None:
        capacity = self.config.concurrency * 2
        queue: asyncio.Queue[OutboxDTO] = asyncio.Queue()
        workers = [
            asyncio.create_task(self._worker(queue)) for _ in range(self.config.concurrency)
        ]
        try:
            while stop is None or not stop.is_set():
                await self._room.wait()
                try:
                    rows = await self._claim(capacity - self._in_progress)
                except Exception as exc:
                    if is_busy(exc):
                        # Another writer held the lock past the busy timeout: the rows
                        # stay in the outbox and are claimed on the next tick.
                        logger.warning("outbox claim: database busy; trying again next tick")
                    else:
                        logger.exception("could not claim outbox rows")
                    rows = []
                for row in rows:
                    self._in_progress += 1
                    queue.put_nowait(row)
                if self._in_progress >= capacity:
                    self._room.clear()
                if rows:
                    continue
                if stop is None:
                    if self._in_progress == 0:
                        break
                    await asyncio.sleep(0.02)
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.config.idle_poll)
            await queue.join()  # rows already claimed are finished, not abandoned
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)

    async def _claim(self, limit: int) -> list[OutboxDTO]:
        if limit <= 0:
            return []
        now = self.clock()
        async with self.database.transaction() as session:
            return await Repos(session).outbox.claim(
                owner=self.owner,
                now=now,
                lease_until=now + timedelta(seconds=self.config.lease_seconds),
                limit=limit,
            )

    async def _worker(self, queue: asyncio.Queue[OutboxDTO]) -> None:
        while True:
            row = await queue.get()
            try:
                await self._deliver(row)
            except Exception as exc:
                logger.exception("delivering outbox row %s failed unexpectedly", row.id)
                await self._retry_or_fail(row, f"unexpected: {exc!r}")
            finally:
                self._in_progress -= 1
                self._room.set()
                queue.task_done()

    async def _deliver(self, row: OutboxDTO) -> None:
        parts = message_parts(row)
        sent_ids = list(row.message_ids)
        for index in range(len(sent_ids), len(parts)):
            while True:
                await self.limiter.acquire(row.chat_id)
                try:
                    sent_ids.append(await self._send(row.chat_id, parts[index]))
                    break
                except TelegramRetryAfter as exc:
                    self.stats.too_many_requests += 1
                    if self.metrics is not None:
                        self.metrics.retry_after(exc.retry_after)
                    logger.warning(
                        "429 from Telegram: pausing all sending for %ss", exc.retry_after
                    )
                    self.limiter.pause(exc.retry_after)
                except TelegramForbiddenError as exc:
                    await self._unreachable(row, exc.message)
                    return
                except TelegramBadRequest as exc:
                    if any(hint in exc.message.lower() for hint in UNREACHABLE_HINTS):
                        await self._unreachable(row, exc.message)
                    else:
                        await self._dead(row, exc.message)
                    return
                except (
                    TelegramNetworkError,
                    TelegramServerError,
                    TelegramUnauthorizedError,
                ) as exc:
                    await self._retry_or_fail(row, f"{type(exc).__name__}: {exc.message}")
                    return
                except ClientDecodeError as exc:
                    # Not the Bot API's JSON: a proxy or load balancer in front of it failing
                    # (nginx's HTML "502 Bad Gateway" page). As transient as a 5xx: retried,
                    # in one line, not a traceback for every send.
                    await self._retry_or_fail(row, f"not a Bot API answer: {_short_reason(exc)}")
                    return
                except TelegramAPIError as exc:
                    await self._dead(row, f"{type(exc).__name__}: {exc.message}")
                    return
            if index < len(parts) - 1:
                async with self.database.transaction() as session:
                    await Repos(session).outbox.record_part(row.id, self.owner, sent_ids)
        async with self.database.transaction() as session:
            await Repos(session).outbox.finish(
                row.id,
                self.owner,
                status=OutboxStatus.SENT,
                now=self.clock(),
                message_ids=sent_ids,
            )
        self.stats.sent += 1
        self._count(DeliveryOutcome.SENT)

    async def _send(self, chat_id: int, part: _Part) -> int:
        markup = InlineKeyboardMarkup.model_validate(part.markup) if part.markup else None
        if part.files:
            return await self._send_files(chat_id, part.files)
        if part.photo is not None:
            message = await self.bot.send_photo(
                chat_id,
                BufferedInputFile(part.photo, "chart.png"),
                caption=part.text,
                reply_markup=markup,
            )
        else:
            message = await self.bot.send_message(chat_id, part.text or "…", reply_markup=markup)
        return message.message_id

    async def _send_files(self, chat_id: int, files: tuple[tuple[str, str], ...]) -> int:
        kind, file_id = files[0]
        if kind == "photo" and len(files) > 1:
            album = await self.bot.send_media_group(
                chat_id, media=[InputMediaPhoto(media=f) for _, f in files]
            )
            return album[0].message_id
        if kind == "photo":
            return (await self.bot.send_photo(chat_id, file_id)).message_id
        if kind == "voice":
            return (await self.bot.send_voice(chat_id, file_id)).message_id
        return (await self.bot.send_document(chat_id, file_id)).message_id

    async def _retry_or_fail(self, row: OutboxDTO, error: str) -> None:
        now = self.clock()
        attempts = row.attempts + 1
        async with self.database.transaction() as session:
            repos = Repos(session)
            if attempts >= self.config.max_attempts:
                await repos.outbox.finish(
                    row.id, self.owner, status=OutboxStatus.FAILED, now=now, error=error
                )
                await self._alert_admins(repos, row, "outbox-alert-failed", error)
                self.stats.failed += 1
                self._count(DeliveryOutcome.FAILED)
                logger.error("outbox row %s failed after %s attempts: %s", row.id, attempts, error)
                return
            delay = min(self.config.backoff_base**attempts, self.config.backoff_cap)
            await repos.outbox.retry_later(
                row.id,
                self.owner,
                not_before=now + timedelta(seconds=delay),
                error=error,
                count_attempt=True,
            )
        self.stats.retried += 1
        self._count(DeliveryOutcome.RETRIED)
        logger.warning("outbox row %s: %s; retry in %.0fs", row.id, error, delay)

    async def _dead(self, row: OutboxDTO, error: str) -> None:
        async with self.database.transaction() as session:
            repos = Repos(session)
            await repos.outbox.finish(
                row.id, self.owner, status=OutboxStatus.DEAD, now=self.clock(), error=error
            )
            await self._alert_admins(repos, row, "outbox-alert-dead", error)
        self.stats.dead += 1
        self._count(DeliveryOutcome.DEAD)
        logger.error("outbox row %s refused by Telegram: %s", row.id, error)

    async def _unreachable(self, row: OutboxDTO, error: str) -> None:
        now = self.clock()
        async with self.database.transaction() as session:
            repos = Repos(session)
            await repos.outbox.finish(
                row.id, self.owner, status=OutboxStatus.UNREACHABLE, now=now, error=error
            )
            await mark_unreachable(repos, row.chat_id, now=now, error=error, texts=self.translator)
        self.stats.unreachable += 1
        self._count(DeliveryOutcome.UNREACHABLE)
        logger.info("chat %s is unreachable: %s", row.chat_id, error)

    def _count(self, outcome: DeliveryOutcome) -> None:
        if self.metrics is not None:
            self.metrics.delivered(outcome)

    async def _alert_admins(self, repos: Repos, row: OutboxDTO, key: str, error: str) -> None:
        if row.kind in ALERT_KINDS:
            return
        now = self.clock()
        for admin in await admins(repos):
            text = self.translator.get(admin.language)(
                key, id=row.id, kind=row.kind, chat=row.chat_id, error=error[:500]
            )
            await notify_user(
                repos,
                admin,
                kind="delivery_failed",
                subject=str(row.id),
                text=text,
                now=now,
                quiet=(await load_settings(repos)).quiet_hours,
                once=True,
                urgent=True,
            )
