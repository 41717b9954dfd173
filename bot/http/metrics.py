"""`GET /metrics`: the process's Prometheus metrics (bot/runtime/metrics.py) in the text
exposition format, the one answer of the server that is not JSON. What is counted as it
happens (updates, sends, jobs, imports) is read from the App's registry; the outbox's
backlog is read from the database at each scrape, in one statement. Public like
/healthz: the operator keeps the port private or protects the path at the proxy."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from aiohttp import hdrs, web
from prometheus_client.exposition import choose_encoder

from bot.http import kam_app
from storage.repositories import Repos

if TYPE_CHECKING:
    from bot.runtime.factory import App

logger = logging.getLogger(__name__)

METRICS = "/metrics"
# A scrape answers in time even when the database does not (the backlog is then NaN).
BACKLOG_TIMEOUT = 2.0


async def metrics(request: web.Request) -> web.Response:
    app = kam_app(request)
    await _read_backlog(app)
    # The text format 0.0.4, or OpenMetrics when the scraper asks for it (Accept).
    encode, content_type = choose_encoder(request.headers.get(hdrs.ACCEPT, ""))
    return web.Response(body=encode(app.metrics.registry), headers={"Content-Type": content_type})


async def _read_backlog(app: App) -> None:
    now = app.clock()
    try:
        async with asyncio.timeout(BACKLOG_TIMEOUT), app.database.read() as session:
            due, later, oldest = await Repos(session).outbox.backlog(now=now)
    except Exception as exc:  # TimeoutError included
        logger.warning("metrics: the outbox backlog cannot be read: %s", exc or type(exc).__name__)
        app.metrics.outbox_unknown()
        return
    age = max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
    app.metrics.outbox_backlog(due=due, later=later, oldest_age=age)


def add_routes(web_app: web.Application, app: App) -> None:
    web_app.router.add_get(METRICS, metrics)
