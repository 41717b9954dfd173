"""The bot's own HTTP server, on HTTP_HOST:HTTP_PORT while the bot runs (off without a
port): `/healthz`, `/readyz` (health.py), the ingest API and its OpenAPI document; each
feature adds its routes (`ingest.add_routes`), so the Telegram webhook can join later. Every
answer is JSON but `/metrics`' (Prometheus text), errors included, and a body over
HTTP_MAX_BYTES is refused with 413 before it is read."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import hdrs, web
from aiohttp.typedefs import Handler

from bot.http import (
    APP_KEY,
    exchange,
    health,
    ingest,
    json_error,
    metrics,
    openapi,
    too_large,
    too_large_error,
    webhook,
)
from bot.runtime.config import SettingsError

if TYPE_CHECKING:
    from bot.runtime.factory import App

logger = logging.getLogger(__name__)

HEALTHZ = "/healthz"


def create_http_app(app: App) -> web.Application:
    web_app = web.Application(
        # What aiohttp's own read() takes; streamed bodies are bounded by bounded_chunks.
        client_max_size=app.settings.http_max_bytes,
        middlewares=[_json_errors, _declared_size],
    )
    web_app[APP_KEY] = app
    web_app.router.add_get(HEALTHZ, healthz)
    health.add_routes(web_app, app)
    ingest.add_routes(web_app, app)
    openapi.add_routes(web_app, app)
    exchange.add_routes(web_app, app)
    metrics.add_routes(web_app, app)
    webhook.add_routes(web_app, app)
    return web_app


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


@web.middleware
async def _declared_size(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A declared Content-Length over the limit: 413 at once, the body unread."""
    return too_large(request) or await handler(request)


@web.middleware
async def _json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """aiohttp's own errors (no such route, wrong method, a body over client_max_size) and
    anything unexpected, as JSON like every other answer."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        if exc.status == 413:
            return too_large_error(request)
        allow = exc.headers.get(hdrs.ALLOW)
        headers = {"Allow": allow} if allow is not None else None
        if exc.status == 404:
            return json_error(request, 404, "not_found", "api-error-not-found")
        if exc.status == 405:
            return json_error(
                request, 405, "method_not_allowed", "api-error-method", headers=headers
            )
        return web.json_response(
            {"error": "http_error", "message": exc.reason}, status=exc.status, headers=headers
        )
    except Exception:
        logger.exception("HTTP %s %s failed", request.method, request.path)
        return json_error(request, 500, "internal", "api-error-internal")


async def start_http_server(app: App) -> web.AppRunner:
    """Listen on HTTP_HOST:HTTP_PORT; a port that cannot be had ends the start with one
    line naming it."""
    host, port = app.settings.http_host, app.settings.http_port
    if port is None:
        raise SettingsError("HTTP_PORT is not set")
    # Stopping waits this long for running requests (an import) to finish.
    runner = web.AppRunner(create_http_app(app), shutdown_timeout=app.settings.shutdown_timeout)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:
        await runner.cleanup()
        raise SettingsError(
            f"HTTP_PORT: cannot listen on {host}:{port} ({exc.strerror or exc})"
        ) from None
    logger.info("HTTP server listening on http://%s:%s", host, port)
    return runner


async def stop_http_server(runner: web.AppRunner) -> None:
    """Stop taking connections, let running requests finish (up to SHUTDOWN_TIMEOUT)."""
    await runner.cleanup()
    logger.info("HTTP server stopped")
