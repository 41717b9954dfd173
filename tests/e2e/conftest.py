"""End-to-end: the real `python -m bot` process against the tests' fake Bot API server.

One bot process per test module (it takes seconds to start); each test uses its own
Telegram user ids."""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.services.client_search import search_key
from storage.dto import ClientCreate, ClientDTO, Role, Tier, UserCreate, UserDTO
from storage.engine import Database
from storage.repositories import Repos
from tests.fakes.bot_process import BotProcess, run_cli
from tests.fakes.telegram_server import FakeTelegram, Recorded

TOKEN = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"
ADMIN_ID = 500_001
LINK = re.compile(r"https://t\.me/kam_test_bot\?start=([A-Za-z0-9_-]{1,64})")
SENDS = ("sendMessage", "editMessageText", "sendPhoto", "sendDocument")

pytestmark = pytest.mark.e2e


def bot_env(fake: FakeTelegram, database: Path) -> dict[str, str]:
    return {
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": fake.base_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "ADMIN_IDS": str(ADMIN_ID),
        "DEFAULT_TIMEZONE": "Europe/Moscow",
        "DEFAULT_LANGUAGE": "ru",
        "LOG_LEVEL": "INFO",
        "SHUTDOWN_TIMEOUT": "10",
    }


@dataclass
class Stack:
    fake: FakeTelegram
    bot: BotProcess
    env: dict[str, str]
    workdir: Path

    async def cli(self, *args: str, timeout: float = 60) -> tuple[int, str, str]:
        return await run_cli(list(args), self.env, timeout=timeout, cwd=self.workdir)


@asynccontextmanager
async def running_stack(workdir: Path, **extra_env: str) -> AsyncIterator[Stack]:
    """The fake Bot API and the real bot process on a database in `workdir`, with the
    deployment settings of `bot_env` and `extra_env` (a module's own: the 1C address…)."""
    fake = FakeTelegram(TOKEN)
    await fake.start()
    env = {**bot_env(fake, workdir / "kam.db"), **extra_env}
    process = BotProcess(env, cwd=_repo_root(), log_path=workdir / "bot.log")
    await process.start()
    try:
        await fake.wait_for("getUpdates", timeout=30)
        yield Stack(fake, process, env, workdir)
    finally:
        if process.running:
            await fake.wait_idle(quiet=0.3, timeout=10)
            await process.stop()
        await fake.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    async with running_stack(tmp_path_factory.mktemp("e2e")) as started:
        yield started


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


class Person:
    """A Telegram user of the fake server, talking to the running bot."""

    def __init__(
        self, fake: FakeTelegram, user_id: int, *, name: str = "Test", language: str = "ru"
    ):
        self.fake, self.id, self.name, self.language = fake, user_id, name, language

    async def say(self, text: str, *, timeout: float = 10) -> list[Recorded]:
        mark = self.fake.mark()
        self.fake.send_text(self.id, text, first_name=self.name, language_code=self.language)
        return await self._replies(mark, timeout)

    async def press(
        self, message: Recorded, button: str, *, timeout: float = 10
    ) -> list[Recorded]:
        data = next((d for t, d in buttons(message) if t == button or t.startswith(button)), None)
        assert data is not None, f"no button {button!r} in {buttons(message)}"
        return await self.press_data(message, data, timeout=timeout)

    async def press_data(
        self, message: Recorded, data: str, *, timeout: float = 10
    ) -> list[Recorded]:
        mark = self.fake.mark()
        self.fake.click(self.id, message, data, first_name=self.name, language_code=self.language)
        await self.fake.wait_for("answerCallbackQuery", after=mark, timeout=timeout)
        await self.fake.wait_idle(quiet=0.3, timeout=timeout)
        return [r for r in self.fake.requests[mark:] if r.method in SENDS and r.chat_id == self.id]

    async def _replies(self, mark: int, timeout: float) -> list[Recorded]:
        await self.fake.wait_for("sendMessage", chat_id=self.id, after=mark, timeout=timeout)
        await self.fake.wait_idle(quiet=0.3, timeout=timeout)
        return [r for r in self.fake.requests[mark:] if r.method in SENDS and r.chat_id == self.id]


def buttons(message: Recorded) -> list[tuple[str, str]]:
    markup: Any = message.params.get("reply_markup") or {}
    rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


def texts(replies: list[Recorded]) -> list[str]:
    return [r.text or "" for r in replies]


def with_buttons(replies: list[Recorded]) -> Recorded:
    for reply in reversed(replies):
        if buttons(reply):
            return reply
    raise AssertionError(f"no reply with buttons: {texts(replies)}")


SET_UP_AT = datetime(2026, 8, 1, tzinfo=UTC)  # long before the moments the tests run at


async def add_client(
    repos: Repos,
    name: str,
    owner_id: int,
    *,
    tier: Tier = Tier.A,
    is_key: bool = False,
    inn: str | None = None,
    kpp: str = "",
    now: datetime = SET_UP_AT,
) -> ClientDTO:
    """A client written straight into the running bot's database, as if added in the chat."""
    return await repos.clients.create(
        ClientCreate(
            name=name,
            search_key=search_key(name),
            inn=inn,
            kpp=kpp,
            tier=tier,
            is_key=is_key,
            owner_id=owner_id,
        ),
        actor_id=None,
        now=now,
    )


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on now (for the bot's HTTP server)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def midday_zone() -> str:
    """A zone where it is about noon now, so a notification is not held back by quiet hours
    whatever the wall clock of the test run."""
    offset = 12 - datetime.now(UTC).hour  # -11 … +12
    return f"Etc/GMT{-offset:+d}"  # the Etc names count the other way round


async def add_person(
    repos: Repos,
    telegram_id: int,
    role: Role,
    name: str,
    *,
    supervisor_id: int | None = None,
    language: str = "en",
    erp_name: str | None = None,
    timezone: str = "Europe/Moscow",
) -> UserDTO:
    """A registered user written straight into the running bot's database (Moscow time
    unless told: `midday_zone()` for one whose notifications quiet hours must not hold)."""
    return await repos.users.create(
        UserCreate(
            telegram_id=telegram_id,
            role=role,
            full_name=name,
            language=language,
            timezone=timezone,
            supervisor_id=supervisor_id,
            erp_name=erp_name,
        ),
        actor_id=None,
        now=SET_UP_AT,
    )


async def register(stack: Stack, telegram_id: int, role: Role, name: str, **kw: Any) -> UserDTO:
    """`add_person` on the running bot's database, in a connection of its own."""
    database = Database(stack.env["DATABASE_URL"])
    try:
        async with database.transaction() as session:
            return await add_person(Repos(session), telegram_id, role, name, **kw)
    finally:
        await database.dispose()
