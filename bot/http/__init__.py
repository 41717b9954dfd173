"""The bot's own HTTP server (server.py) and its features, each adding its routes: the
ingest API for any ERP (ingest.py) and its OpenAPI document (openapi.py); later the
Telegram webhook. What they share lives here: the running `App` on the aiohttp
application, JSON errors in the caller's language, and the body size limit."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:  # the composition root imports the server: no import back at run time
    from bot.runtime.factory import App

APP_KEY: web.AppKey[App] = web.AppKey("kam_app")
CHUNK = 64 * 1024


def kam_app(request: web.Request) -> App:
    return request.app[APP_KEY]


def language(request: web.Request) -> str:
    """The first language of `Accept-Language` the bot speaks, else DEFAULT_LANGUAGE."""
    app = kam_app(request)
    known = app.translator.languages
    for part in request.headers.get("Accept-Language", "").split(","):
        tag = part.split(";")[0].strip().split("-")[0].lower()
        if tag in known:
            return tag
    return app.settings.default_language


def json_error(
    request: web.Request,
    status: int,
    code: str,
    text: str,
    args: Mapping[str, object] | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, object] | None = None,
) -> web.Response:
    """`{"error": code, "message": …}`: a stable code for programs, and for the person
    reading the ERP's log the catalogue's `text` with its `args`, in their language."""
    message = kam_app(request).translator.get(language(request))(text, **(args or {}))
    return web.json_response(
        {"error": code, "message": message, **(extra or {})}, status=status, headers=headers
    )


def too_large(request: web.Request) -> web.Response | None:
    """413 for a body whose declared length is over HTTP_MAX_BYTES, before it is read."""
    limit = kam_app(request).settings.http_max_bytes
    if request.content_length is not None and request.content_length > limit:
        return too_large_error(request)
    return None


def too_large_error(request: web.Request) -> web.Response:
    limit = kam_app(request).settings.http_max_bytes
    return json_error(request, 413, "too_large", "api-error-too-large", {"limit": limit})


class BodyTooLarge(Exception):
    """A body without a declared length (chunked) grew over HTTP_MAX_BYTES."""


async def bounded_chunks(request: web.Request) -> AsyncIterator[bytes]:
    """The body a chunk at a time, stopping with BodyTooLarge past HTTP_MAX_BYTES: aiohttp
    bounds `read()` by `client_max_size`, never a stream read chunk by chunk."""
    limit = kam_app(request).settings.http_max_bytes
    seen = 0
    async for chunk in request.content.iter_chunked(CHUNK):
        seen += len(chunk)
        if seen > limit:
            raise BodyTooLarge
        yield chunk
