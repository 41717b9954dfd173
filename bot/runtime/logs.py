"""Logging that never writes the bot token (it travels in every request URL)."""

from __future__ import annotations

import logging
import re
import sys

TOKEN_PATTERN = re.compile(r"\d{5,16}:[A-Za-z0-9_-]{30,64}")
REDACTED = "<redacted-token>"


def redact(text: str) -> str:
    return TOKEN_PATTERN.sub(REDACTED, text)


class RedactingFormatter(logging.Formatter):
    """Redacts the whole formatted record, traceback included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # HTTP client loggers may print request URLs, and with them the token.
    quiet = (
        "aiohttp",
        "aiohttp.client",
        "aiohttp.access",
        "asyncio",
        "apscheduler",
        "alembic.runtime.plugins",
    )
    for name in quiet:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
