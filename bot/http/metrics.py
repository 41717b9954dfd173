"""Placeholder: filled in by the feature."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.runtime.factory import App


def add_routes(web_app: web.Application, app: App) -> None:
    """No routes yet."""
