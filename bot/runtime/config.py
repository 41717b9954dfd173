"""Deployment settings: flat environment variables (and `.env`), read once at start."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TOKEN_RE = re.compile(r"^\d{5,16}:[A-Za-z0-9_-]{30,64}$")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/kam.db"
Language = Literal["ru", "en"]
LANGUAGES: tuple[Language, ...] = ("ru", "en")
# Telegram's rule for setWebhook's secret_token.
WEBHOOK_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# The ports Telegram posts webhooks to (Bot API, setWebhook).
WEBHOOK_PORTS = (443, 80, 88, 8443)
# Plain http:// only to this machine: the tests' fake Telegram, or a TLS proxy beside the bot.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# A route path as aiohttp takes it literally ("{…}" would be a variable part).
_WEBHOOK_PATH_RE = re.compile(r"^/[A-Za-z0-9._~/-]*$")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    bot_token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    telegram_api_url: str | None = None
    telegram_api_local: bool = False
    # NoDecode: pydantic-settings would parse a list as JSON; admins write "1,2,3".
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_timezone: str = "Europe/Moscow"
    default_language: Language = "ru"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    # Outbox sending: Telegram allows about 30 messages a second in all (more with paid
    # broadcasts); sends in flight at once so the rate is reached over a real network.
    send_rate: float = Field(default=30.0, gt=0, le=1000)
    send_concurrency: int = Field(default=8, ge=1, le=100)
    # How long a sender holds the rows it claimed: after a crash, that long until another
    # sender takes them over.
    send_lease_seconds: float = Field(default=120.0, ge=1, le=3600)
    # Seconds the bot waits for running handlers on SIGTERM before closing anyway.
    shutdown_timeout: float = Field(default=30.0, gt=0)
    # The bot's own HTTP server (the ingest API, the webhook): off unless a port is set.
    http_host: str = "127.0.0.1"
    http_port: int | None = Field(default=None, ge=1, le=65535)
    # Bodies over this size are refused with 413 before they are read.
    http_max_bytes: int = Field(default=50 * 1024 * 1024, ge=1024)
    # 1C's standard OData interface (…/odata/standard.odata); secrets, so never in the chat.
    onec_odata_url: str | None = None
    onec_odata_user: str | None = None
    onec_odata_password: SecretStr | None = None
    # Seconds a request to 1C may take, and tries of one (network errors and 5xx, with
    # backoff 1, 2, 4… s) before 1C counts as unreachable for this sync.
    onec_odata_timeout: float = Field(default=60.0, gt=0, le=3600)
    onec_odata_attempts: int = Field(default=4, ge=1, le=10)
    # Webhook mode (`python -m bot webhook`): Telegram posts updates to WEBHOOK_URL, served
    # on the bot's HTTP server at its path; WEBHOOK_SECRET is mandatory there (Telegram
    # sends it back in X-Telegram-Bot-Api-Secret-Token). Updates wait in a bounded queue.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_queue_size: int = Field(default=1000, ge=1, le=100_000)
    webhook_max_connections: int = Field(default=40, ge=1, le=100)
    # Logs as JSON lines (one object a line) for a log collector, or as text.
    log_format: Literal["text", "json"] = "text"
    # 1C's site exchange ("Обмен с сайтами") calls the bot at …/1c_exchange with this login
    # (HTTP Basic); off while either is unset.
    onec_exchange_user: str | None = None
    onec_exchange_password: SecretStr | None = None
    # Where the files 1C uploads wait for their import (default: beside the SQLite file,
    # else the system's temporary folder); a chunk at most this size (`file_limit`).
    onec_exchange_dir: Path | None = None
    onec_exchange_file_limit: int = Field(default=8 * 1024 * 1024, ge=64 * 1024)
    # An import that takes longer answers `progress` after this many seconds, and 1C asks
    # again while it runs (1C's own request timeout is often a minute).
    onec_exchange_wait: float = Field(default=20.0, gt=0, le=600)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",")]
            try:
                return frozenset(int(p) for p in parts if p)
            except ValueError as exc:
                raise ValueError("must be comma-separated Telegram ids, e.g. 12345,67890") from exc
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("bot_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not TOKEN_RE.match(value.get_secret_value()):
            raise ValueError("does not look like a bot token from @BotFather (digits:secret)")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}; use an IANA name") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///path.db or postgresql+asyncpg://...")
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _api_url(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            return None
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/") if value else value

    @field_validator("onec_odata_url")
    @classmethod
    def _odata_url(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            return None
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be the http(s) address of …/odata/standard.odata")
        return value.rstrip("/") if value else value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        parts = urlsplit(value)
        try:
            port = parts.port
        except ValueError:
            raise ValueError("has a port that is not a number from 1 to 65535") from None
        host = parts.hostname
        if parts.scheme not in ("http", "https") or not host:
            raise ValueError("must be the https:// address Telegram posts updates to")
        if parts.scheme == "http" and host not in LOOPBACK_HOSTS:
            raise ValueError(
                "must be https:// (Telegram posts webhooks over TLS only; plain http:// is "
                "for 127.0.0.1 or localhost)"
            )
        if parts.scheme == "https" and port is not None and port not in WEBHOOK_PORTS:
            raise ValueError(f"Telegram posts only to ports 443, 80, 88 or 8443, not {port}")
        if parts.fragment:
            raise ValueError("must not have a #fragment")
        if not _WEBHOOK_PATH_RE.match(parts.path or "/"):
            raise ValueError("its path may have only letters, digits and - _ . ~ /")
        return value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _empty_secret_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value else value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET_RE.match(value.get_secret_value()):
            raise ValueError(
                "must be 1 to 256 characters A-Z, a-z, 0-9, _ or - (what Telegram allows), "
                "e.g. the output of: openssl rand -hex 32"
            )
        return value

    @field_validator("onec_exchange_user")
    @classmethod
    def _exchange_user(cls, value: str | None) -> str | None:
        return value if value and value.strip() else None

    @field_validator("http_port", mode="before")
    @classmethod
    def _empty_port(cls, value: object) -> object:
        # `HTTP_PORT=` as .env.example has it: the server off, not a parse error.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("onec_exchange_dir", mode="before")
    @classmethod
    def _exchange_dir(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    def exchange_enabled(self) -> bool:
        return self.onec_exchange_user is not None and bool(
            self.onec_exchange_password and self.onec_exchange_password.get_secret_value()
        )

    def exchange_dir(self) -> Path:
        if self.onec_exchange_dir is not None:
            return self.onec_exchange_dir
        database = self.sqlite_path()
        if database is not None:
            return database.parent / "1c_exchange"
        return Path(tempfile.gettempdir()) / "kam_1c_exchange"

    def require_token(self) -> SecretStr:
        if self.bot_token is None:
            raise SettingsError("BOT_TOKEN is not set: create a bot with @BotFather and set it")
        return self.bot_token

    def require_webhook(self, *, serving: bool) -> tuple[str, SecretStr]:
        """WEBHOOK_URL and WEBHOOK_SECRET (their shapes are checked as they are read), and
        for `serving` the HTTP_PORT the updates arrive on."""
        if self.webhook_url is None:
            raise SettingsError(
                "WEBHOOK_URL is not set: the https:// address Telegram posts updates to, "
                "e.g. https://bot.example.com/tg/webhook"
            )
        if self.webhook_secret is None:
            raise SettingsError(
                "WEBHOOK_SECRET is not set: 1 to 256 characters A-Z, a-z, 0-9, _ or -, "
                "e.g. the output of: openssl rand -hex 32"
            )
        if serving and self.http_port is None:
            raise SettingsError(
                "HTTP_PORT is not set: webhook mode takes Telegram's updates on the bot's "
                "HTTP server (HTTP_HOST:HTTP_PORT, behind the TLS proxy of WEBHOOK_URL)"
            )
        return self.webhook_url, self.webhook_secret

    def webhook_path(self) -> str:
        """The route of WEBHOOK_URL on the bot's HTTP server: its path (the proxy in front
        passes it on unchanged)."""
        if self.webhook_url is None:
            raise SettingsError("WEBHOOK_URL is not set")
        return urlsplit(self.webhook_url).path or "/"

    def sqlite_path(self) -> Path | None:
        prefix = "sqlite+aiosqlite:///"
        if self.database_url.startswith(prefix):
            rest = self.database_url[len(prefix) :]
            return None if rest in ("", ":memory:") else Path(rest)
        return None


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable."""


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise SettingsError(f"{name}: {first['msg']}") from None
