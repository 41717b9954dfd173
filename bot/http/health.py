"""`GET /readyz`, for a load balancer: may this process be sent work? Not while it drains
(a stop was asked for: what it holds is finished, nothing new taken), nor while its
database does not answer `SELECT 1` within READY_TIMEOUT. `/healthz` (server.py) only
says the process is alive. The answer never carries a traceback or an error's text (a
host, a user name): the reason is the error's type, and the log has the rest."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from aiohttp import web

from bot.http import kam_app
from storage.repositories import ping

if TYPE_CHECKING:
    from bot.runtime.factory import App

logger = logging.getLogger(__name__)

READYZ = "/readyz"
# Balancers probe every few seconds and time out after a few: a database slower than this
# to answer a `SELECT 1` counts as unreachable, and probes never pile up behind it.
READY_TIMEOUT = 2.0
READY = "ready"
DRAINING = "draining"
UNREACHABLE = "database unreachable"
NO_STORE = {"Cache-Control": "no-store"}


class Readiness:
    """The /readyz handler. It logs when the answer changes, not at every probe."""

    def __init__(self) -> None:
        self._last: str | None = None

    async def readyz(self, request: web.Request) -> web.Response:
        app = kam_app(request)
        if app.draining:
            return self._answer(503, {"status": DRAINING}, "draining")
        problem = await _database_problem(app)
        if problem is not None:
            reason, detail = problem
            return self._answer(503, {"status": UNREACHABLE, "reason": reason}, detail)
        return self._answer(200, {"status": READY}, "ready")

    def _answer(self, status: int, body: dict[str, str], detail: str) -> web.Response:
        state = body["status"]
        if state != self._last:
            if state == READY:
                logger.info("readiness: ready")
            else:
                logger.warning("readiness: not ready: %s", detail)
            self._last = state
        return web.json_response(body, status=status, headers=NO_STORE)


async def _database_problem(app: App) -> tuple[str, str] | None:
    """None when the database answers in time; else why not: in a few words for the
    answer, in full for the log."""
    try:
        async with asyncio.timeout(READY_TIMEOUT):
            async with app.database.read() as session:
                await ping(session)
    except TimeoutError:
        reason = f"no answer within {READY_TIMEOUT:g} s"
        return reason, f"the database gave {reason}"
    except Exception as exc:
        # SQLAlchemy wraps the driver's error; its type names the trouble well enough.
        cause = getattr(exc, "orig", None) or exc
        return type(cause).__name__, f"the database does not answer: {cause}"
    return None


def add_routes(web_app: web.Application, app: App) -> None:
    web_app.router.add_get(READYZ, Readiness().readyz)
