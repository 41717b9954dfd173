"""The composition root: builds the bot, the dispatcher and their dependencies.

Production (`python -m bot`) and the tests use these same functions.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import ExceptionTypeFilter
from aiogram.fsm.storage.base import BaseEventIsolation
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.http.server import start_http_server, stop_http_server
from bot.http.webhook import UpdateQueue
from bot.runtime.commands import set_public_commands
from bot.runtime.config import Settings
from bot.runtime.fsm_storage import DatabaseStorage
from bot.runtime.i18n import Translator
from bot.runtime.metrics import Metrics
from bot.runtime.middlewares import (
    AccessMiddleware,
    CommitBeforeSendMiddleware,
    InFlightMiddleware,
    LeaveDialogMiddleware,
    ReadsOnlyMiddleware,
    UpdateMetricsMiddleware,
    UpdateMiddleware,
)
from bot.runtime.outbox_sender import DeliveryConfig, OutboxSender
from bot.services.access import AccessDenied
from bot.services.clock import Clock, system_clock
from bot.services.erp_import import observe_imports
from handlers import get_routers
from handlers.errors import on_access_denied, on_error
from jobs import JobContext, create_scheduler, register_jobs
from storage.engine import Database

logger = logging.getLogger(__name__)


@dataclass
class App:
    """What one running bot process holds."""

    settings: Settings
    database: Database
    translator: Translator
    clock: Clock = system_clock
    in_flight: InFlightMiddleware = field(default_factory=InFlightMiddleware)
    # Background work of a running bot: started on dispatcher start-up, stopped on shutdown.
    run_background: bool = True
    scheduler: AsyncIOScheduler | None = None
    sender_stop: asyncio.Event = field(default_factory=asyncio.Event)
    sender_task: asyncio.Task[None] | None = None
    # Imports and other work started by a handler that outlives it.
    background: set[asyncio.Task[None]] = field(default_factory=set)
    # The bot's own HTTP server (bot/http), while HTTP_PORT is set and the bot runs.
    http_runner: web.AppRunner | None = None
    # Set when a stop was asked for (SIGTERM in webhook mode): new updates are refused with
    # 503 and /readyz answers "draining", while what was taken is finished.
    draining: bool = False
    # Prometheus metrics on a registry of this App's own (served at /metrics).
    metrics: Metrics = field(default_factory=Metrics)
    # Webhook mode (`python -m bot webhook`): the updates Telegram posted, waiting for the
    # workers that feed them to the dispatcher; the HTTP server serves WEBHOOK_URL with it.
    webhook: UpdateQueue | None = None

    @property
    def delivery(self) -> DeliveryConfig:
        return DeliveryConfig(
            per_second=self.settings.send_rate,
            concurrency=self.settings.send_concurrency,
            lease_seconds=self.settings.send_lease_seconds,
        )

    def job_context(self, bot: Bot | None) -> JobContext:
        return JobContext(
            self.settings, self.database, self.translator, self.delivery, bot, metrics=self.metrics
        )


def create_app(settings: Settings, *, clock: Clock = system_clock, **engine_kwargs: Any) -> App:
    app = App(
        settings=settings,
        database=Database(settings.database_url, **engine_kwargs),
        translator=Translator(default=settings.default_language),
        clock=clock,
    )
    # Imports finish in one place (run_import), reached from the chat, the HTTP API, syncs
    # and the command line: it reports each run on this database to the App's metrics.
    observe_imports(app.database, app.metrics.import_finished)
    return app


def settle_heap() -> None:
    """Take what the process has loaded by now (modules, routers, catalogues: it lives as
    long as the process) out of the garbage collector's sight. The large reads of the
    scheduled jobs (a company's morning digests are tens of thousands of lines) trigger full
    collections, and each one would otherwise walk that whole heap again: some 90 ms per
    digest run at 1,000 managers (bench/digests.py). Called by `python -m bot run` and
    `job` once the application is built; never in tests, whose objects come and go."""
    gc.collect()
    gc.freeze()


def create_bot(settings: Settings, session: BaseSession | None = None) -> Bot:
    if session is None:
        session = AiohttpSession()
        if settings.telegram_api_url:
            # A self-hosted Bot API server, or the tests' fake one.
            session.api = TelegramAPIServer.from_base(
                settings.telegram_api_url, is_local=settings.telegram_api_local
            )
    bot = Bot(settings.require_token().get_secret_value(), session=session)
    bot.session.middleware(CommitBeforeSendMiddleware())
    return bot


def create_dispatcher(
    app: App, *, events_isolation: BaseEventIsolation | None = None
) -> Dispatcher:
    dp = Dispatcher(
        storage=DatabaseStorage(app.database, app.clock),
        # Updates of one user are handled one at a time (aiogram does not by default).
        events_isolation=events_isolation or SimpleEventIsolation(),
        # UpdateMiddleware takes the isolation lock and reads the state itself, in the
        # update's first statement.
        disable_fsm=True,
        settings=app.settings,
        database=app.database,
        translator=app.translator,
        clock=app.clock,
        app=app,
    )
    dp.update.outer_middleware(app.in_flight)
    dp.update.outer_middleware(UpdateMetricsMiddleware(app.metrics))
    dp.update.outer_middleware(UpdateMiddleware(dp.fsm, app.database, app.clock))
    dp.update.outer_middleware(AccessMiddleware(app.settings, app.translator))
    dp.message.outer_middleware(LeaveDialogMiddleware(app.translator))
    dp.message.middleware(ReadsOnlyMiddleware())
    dp.callback_query.middleware(ReadsOnlyMiddleware())
    dp.include_routers(*get_routers())
    # A refused access raised anywhere below a handler: "not available", nothing changed.
    dp.errors.register(on_access_denied, ExceptionTypeFilter(AccessDenied))
    dp.errors.register(on_error)
    dp.startup.register(_on_startup)
    dp.shutdown.register(_on_shutdown)
    return dp


async def _on_startup(bot: Bot, app: App) -> None:
    await set_public_commands(bot, app.translator)
    if not app.run_background:
        return
    if app.settings.http_port is not None:
        # First: a port that cannot be had ends the start before anything else runs.
        app.http_runner = await start_http_server(app)
    sender = OutboxSender(
        bot, app.database, app.translator, app.clock, app.delivery, metrics=app.metrics
    )
    app.sender_stop.clear()
    app.sender_task = asyncio.create_task(sender.run(app.sender_stop), name="outbox-sender")
    app.scheduler = create_scheduler()
    register_jobs(app.scheduler, app.job_context(bot), app.clock)
    app.scheduler.start()


async def _on_shutdown(app: App) -> None:
    # aiogram stops polling on SIGTERM without waiting for running handlers: wait here,
    # before the HTTP session closes under them.
    if not await app.in_flight.wait_idle(app.settings.shutdown_timeout):
        logger.warning("%s updates still running at shutdown", app.in_flight.count)
    if app.background:
        await asyncio.wait(app.background, timeout=app.settings.shutdown_timeout)
    if app.http_runner is not None:
        # Running requests (an import) finish first; they may still write to the outbox.
        await stop_http_server(app.http_runner)
        app.http_runner = None
    if app.scheduler is not None:
        app.scheduler.shutdown(wait=False)
    if app.sender_task is not None:
        app.sender_stop.set()  # the sender finishes the rows it holds, then returns
        await app.sender_task
    logger.info("all running updates finished")
