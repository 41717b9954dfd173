"""Webhook mode (`python -m bot webhook`): Telegram posts each update to WEBHOOK_URL, served
here at its path on the bot's HTTP server, and the dispatcher handles it as in polling.

The answer is quick and comes before the handling: an update is checked (the secret in
constant time, before a byte of the body is read; then the body, bounded, parsed as an
aiogram `Update`) and put on a bounded queue, and 200 goes back at once, so a slow handler
never makes Telegram time out and post it again. A full queue answers 429 and a stopping
bot 503, both with `Retry-After`: Telegram keeps the update and posts it again later
(it keeps every update it was not given a 2xx for), and ids already handled are skipped
by the update path (ProcessedUpdate), so a repeat is harmless.

aiogram's own `SimpleRequestHandler` (aiogram.webhook.aiohttp_server) handles an update
while Telegram waits, or in an unbounded set of background tasks (`handle_in_background`),
with no back-pressure and nothing to wait for on SIGTERM; and its `setup_application`
passes the aiohttp application to the start-up hooks as `app`, the name our dispatcher
gives the running `App`. Hence this handler and queue of our own.

Order: aiogram's polling starts a task per update, and the dispatcher's event isolation
(SimpleEventIsolation, a lock per user in a chat) keeps one user's updates one at a time.
Here a fixed set of workers handles the queue, and every update goes to the lane of its
chat: one chat's updates are handled one after the other in the order they came, while
other chats' go on in parallel on the other workers."""

from __future__ import annotations

import asyncio
import hmac
import logging
import signal
from collections import deque
from typing import TYPE_CHECKING, Any

from aiogram import Bot, Dispatcher
from aiogram.methods import TelegramMethod
from aiogram.types import CallbackQuery, Update
from aiogram.types.update import UpdateTypeLookupError
from aiohttp import hdrs, web
from aiohttp.http import HttpVersion11
from pydantic import ValidationError

from bot.http import BodyTooLarge, bounded_chunks, json_error, too_large, too_large_error
from bot.runtime.logs import redact

if TYPE_CHECKING:
    from bot.runtime.factory import App

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Workers handling updates at once. Each spends most of an update waiting on the database
# and on Telegram; past a few, SQLite's single writer is the limit, not the workers.
WORKERS = 8
# Seconds in Retry-After of a 429 (queue full) or a 503 (stopping). Telegram re-posts on
# its own schedule whatever it says; a balancer in front (nginx) may take it as a hint.
RETRY_AFTER = 1

Lane = tuple[str, int]


def lane_of(update: Update) -> Lane:
    """The chat an update belongs to, whose updates are handled in order; a user's own
    (private) chat when the update names no chat (an inline query, a poll answer), and the
    update alone when it names neither."""
    try:
        event = update.event
    except UpdateTypeLookupError:  # a type newer than this aiogram: the dispatcher skips it
        return ("update", update.update_id)
    chat = getattr(event, "chat", None)
    if isinstance(event, CallbackQuery) and event.message is not None:
        chat = event.message.chat
    if chat is not None:
        return ("chat", int(chat.id))
    # A private chat's id is its user's id.
    user = getattr(event, "from_user", None) or getattr(event, "user", None)
    if user is not None:
        return ("chat", int(user.id))
    return ("update", update.update_id)


class UpdateQueue:
    """Updates taken from Telegram and not handled yet, at most `capacity` waiting, fed to
    the dispatcher by `workers` workers, one chat's updates one at a time and in order.

    Each chat with updates waiting has a lane (its updates in arrival order); a lane is in
    `_ready` while none of its updates is being handled. A worker takes the next ready
    lane, handles its first update, and puts the lane back at the end of `_ready` if more
    came meanwhile: no two updates of one chat at once, and a busy chat does not hold up
    the others."""

    def __init__(self, dp: Dispatcher, bot: Bot, *, capacity: int, workers: int = WORKERS) -> None:
        self.dp = dp
        self.bot = bot
        self.capacity = capacity
        self.workers = workers
        self.closed = False
        # Counters for logs and metrics: updates taken, refused as the queue was full.
        self.accepted = 0
        self.refused = 0
        self._lanes: dict[Lane, deque[Update]] = {}
        self._ready: asyncio.Queue[Lane] = asyncio.Queue()
        self._queued = 0
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._tasks: list[asyncio.Task[None]] = []
        self._refusing = False

    @property
    def depth(self) -> int:
        """Updates waiting (not being handled yet)."""
        return self._queued

    @property
    def running(self) -> int:
        """Updates being handled now."""
        return self._running

    @property
    def full(self) -> bool:
        return self._queued >= self.capacity

    def put(self, update: Update) -> bool:
        """Queue an update; False when the queue is full or closed (nothing queued)."""
        if self.closed or self.full:
            self.note_refused()
            return False
        lane = lane_of(update)
        waiting = self._lanes.get(lane)
        if waiting is None:
            self._lanes[lane] = deque((update,))
            self._ready.put_nowait(lane)
        else:  # the lane is ready or being handled: it comes round again
            waiting.append(update)
        self._queued += 1
        self.accepted += 1
        self._idle.clear()
        return True

    def note_refused(self) -> None:
        """Count an update refused as the queue was full; the first of a run is logged."""
        self.refused += 1
        if not self._refusing:
            self._refusing = True
            logger.warning(
                "webhook queue full (%s updates waiting, WEBHOOK_QUEUE_SIZE): new updates "
                "are refused with 429 until it empties",
                self._queued,
            )

    def start(self) -> None:
        for number in range(self.workers):
            self._tasks.append(asyncio.create_task(self._work(), name=f"webhook-{number}"))

    async def drain(self, seconds: float) -> bool:
        """Wait until every queued update is handled (more may still be put); False when
        `seconds` passed first."""
        try:
            await asyncio.wait_for(self._idle.wait(), seconds)
        except TimeoutError:
            return False
        return True

    async def stop(self) -> None:
        """Take nothing more and end the workers, cancelling what they are still handling."""
        self.closed = True
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    async def _work(self) -> None:
        while True:
            lane = await self._ready.get()
            waiting = self._lanes[lane]
            update = waiting.popleft()
            self._queued -= 1
            if self._refusing and self._queued < self.capacity:
                self._refusing = False
            self._running += 1
            try:
                await self._handle(update)
            finally:
                self._running -= 1
                if waiting:
                    self._ready.put_nowait(lane)
                else:
                    del self._lanes[lane]
                if self._queued == 0 and self._running == 0:
                    self._idle.set()

    async def _handle(self, update: Update) -> None:
        """What aiogram's polling does with an update (Dispatcher._process_update): feed it,
        make the call a handler returned, and log a failure; a worker never dies of one."""
        try:
            result = await self.dp.feed_update(self.bot, update)
            if isinstance(result, TelegramMethod):
                await self.dp.silent_call_request(self.bot, result)
        except Exception:
            logger.exception("update %s failed in webhook mode", update.update_id)


class WebhookHandler:
    """POST WEBHOOK_URL's path: Telegram's updates, answered before they are handled."""

    def __init__(self, app: App, queue: UpdateQueue) -> None:
        self.app = app
        self.queue = queue
        secret = app.settings.webhook_secret
        if secret is None:
            raise ValueError("webhook mode needs WEBHOOK_SECRET")
        self._secret = secret.get_secret_value().encode()

    def authentic(self, request: web.Request) -> bool:
        """The secret header compared in constant time (a missing one as an empty one), so
        the answer's timing tells nothing of the secret."""
        given = request.headers.get(SECRET_HEADER, "")
        # Bytes: compare_digest refuses str with non-ASCII characters.
        return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), self._secret)

    def refusal(self, request: web.Request) -> web.Response | None:
        """401 without the secret, 503 while stopping, 413 for a body declared too large,
        429 when the queue is full: all on the headers alone, the body unread."""
        if not self.authentic(request):
            logger.warning("webhook call refused: wrong or no secret (from %s)", request.remote)
            return json_error(request, 401, "unauthorized", "webhook-error-secret")
        if self.app.draining or self.queue.closed:
            return self.draining(request)
        too_big = too_large(request)
        if too_big is not None:
            return too_big
        if self.queue.full:
            self.queue.note_refused()
            return self.busy(request)
        return None

    def draining(self, request: web.Request) -> web.Response:
        return json_error(
            request,
            503,
            "draining",
            "webhook-error-draining",
            headers={hdrs.RETRY_AFTER: str(RETRY_AFTER)},
        )

    def busy(self, request: web.Request) -> web.Response:
        return json_error(
            request,
            429,
            "queue_full",
            "webhook-error-busy",
            {"seconds": RETRY_AFTER},
            headers={hdrs.RETRY_AFTER: str(RETRY_AFTER)},
        )

    def counted(self, response: web.Response) -> web.Response:
        """Every answer to a post, by status, in /metrics (with the queue's depth)."""
        self.app.metrics.webhook_answered(response.status, self.queue.depth)
        return response

    async def expect(self, request: web.Request) -> web.StreamResponse | None:
        """`Expect: 100-continue` (Telegram does not send it; curl does): refused on the
        headers before the client sends the body at all."""
        refused = self.refusal(request)
        if refused is not None:
            return self.counted(refused)
        # What aiohttp's default expect handler does (it is private to aiohttp).
        expect = request.headers.get(hdrs.EXPECT, "")
        if request.version != HttpVersion11 or expect.lower() != "100-continue":
            raise web.HTTPExpectationFailed(text=f"Unknown Expect: {expect}")
        await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        request.writer.output_size = 0  # the 100 is not part of the response's body
        return None

    async def post(self, request: web.Request) -> web.StreamResponse:
        return self.counted(await self._post(request))

    async def _post(self, request: web.Request) -> web.Response:
        refused = self.refusal(request)
        if refused is not None:
            return refused
        try:
            body = b"".join([chunk async for chunk in bounded_chunks(request)])
        except BodyTooLarge:
            return too_large_error(request)
        try:
            # Mounted on the bot as aiogram's feed_raw_update does, so shortcuts
            # (message.answer) work and feed_update need not rebuild it.
            update = Update.model_validate_json(body, context={"bot": self.queue.bot})
        except ValidationError as exc:
            logger.warning(
                "webhook call refused: not an update (%s)", exc.errors()[0].get("msg", exc)
            )
            return json_error(request, 400, "bad_update", "webhook-error-update")
        # The stop may have been asked for, or the queue filled, while the body came.
        if self.app.draining or self.queue.closed:
            return self.draining(request)
        if not self.queue.put(update):
            return self.busy(request)
        # Any 2xx is Telegram's "delivered"; a body with a "method" would be a call to
        # make, so an empty object, as aiogram's own handler answers.
        return web.json_response({})


def add_routes(web_app: web.Application, app: App) -> None:
    """The webhook route, in webhook mode only (a polling bot has no queue)."""
    if app.webhook is None:
        return
    handler = WebhookHandler(app, app.webhook)
    web_app.router.add_post(
        app.settings.webhook_path(), handler.post, expect_handler=handler.expect
    )


async def serve(app: App, dp: Dispatcher, bot: Bot) -> None:
    """Run the bot in webhook mode until SIGTERM or SIGINT: start it as polling does (the
    dispatcher's start-up: commands, the HTTP server with the webhook route, the sender,
    the scheduler), take updates, and on the signal drain: new posts get 503, what is
    queued or running is finished (up to SHUTDOWN_TIMEOUT), then the dispatcher's
    shutdown stops the HTTP server, the scheduler and the sender."""
    settings = app.settings
    queue = app.webhook = UpdateQueue(dp, bot, capacity=settings.webhook_queue_size)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def ask_stop(sig: signal.Signals) -> None:
        if app.draining:
            logger.warning("%s again: still finishing the queued updates", sig.name)
            return
        app.draining = True
        logger.warning(
            "%s: stopping; new updates get 503, the %s queued and %s running are finished "
            "first (up to %ss)",
            sig.name,
            queue.depth,
            queue.running,
            settings.shutdown_timeout,
        )
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, ask_stop, sig)
    # What aiogram's start_polling passes to the start-up and shutdown hooks.
    workflow: dict[str, Any] = {"dispatcher": dp, "bots": (bot,), **dp.workflow_data}
    try:
        await dp.emit_startup(bot=bot, **workflow)
        try:
            queue.start()
            logger.info(
                "webhook mode: updates at %s, on http://%s:%s%s",
                settings.webhook_url,
                settings.http_host,
                settings.http_port,
                settings.webhook_path(),
            )
            await _check_webhook(bot, settings.webhook_url)
            await stop.wait()
            if await queue.drain(settings.shutdown_timeout):
                logger.info("webhook mode: every taken update was handled")
            else:
                logger.warning(
                    "webhook mode: %s queued and %s running updates were not finished "
                    "within SHUTDOWN_TIMEOUT (%ss); they are dropped",
                    queue.depth,
                    queue.running,
                    settings.shutdown_timeout,
                )
        finally:
            await queue.stop()
            await dp.emit_shutdown(bot=bot, **workflow)
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        await bot.session.close()


async def _check_webhook(bot: Bot, url: str | None) -> None:
    """A warning when Telegram posts elsewhere (or nowhere): set-webhook was not run for
    this WEBHOOK_URL, and no update would ever arrive."""
    try:
        info = await bot.get_webhook_info()
    except Exception as exc:  # a hint only: the bot serves whatever Telegram says
        logger.warning(
            "could not ask Telegram for the webhook (getWebhookInfo): %s", redact(str(exc))
        )
        return
    if info.url != url:
        logger.warning(
            "Telegram posts updates to %s, not to WEBHOOK_URL: run python -m bot set-webhook",
            info.url or "no webhook (it expects getUpdates)",
        )
