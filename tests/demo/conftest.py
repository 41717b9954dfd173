"""The demo company, generated once per session (a second and a half) and copied for each
test that changes it; a scripted person typing into the terminal chat."""

from __future__ import annotations

import asyncio
import io
import queue
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from bot.demo.run import DemoArgs, demo, prepare
from bot.runtime.config import Settings
from bot.runtime.i18n import Translator

TODAY = date(2026, 11, 23)  # a Monday: a business day in Russia


def demo_settings(**values: object) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=None,
        default_language="ru",
        default_timezone="Europe/Moscow",
        **values,  # type: ignore[arg-type]
    )


async def make_company(path: Path, *, language: str = "ru", seed: int | None = None) -> None:
    args = DemoArgs(database=path, today=TODAY, language=language, seed=seed)
    await prepare(args, demo_settings(), Translator(), io.StringIO())


@pytest.fixture(scope="session")
def template_ru(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo-ru") / "demo.db"
    asyncio.run(make_company(path))
    return path


@pytest.fixture(scope="session")
def template_en(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo-en") / "demo.db"
    asyncio.run(make_company(path, language="en"))
    return path


@pytest.fixture
def company_ru(template_ru: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(template_ru, tmp_path / "demo.db"))


@pytest.fixture
def company_en(template_en: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(template_en, tmp_path / "demo.db"))


class Keyboard(io.TextIOBase):
    """The terminal's input: lines a test types one at a time. The chat's reader thread
    blocks in readline() until the next line; that it asks is the sign the bot's answer to
    the previous line has been printed."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._lines: queue.Queue[str] = queue.Queue()
        self._loop = loop
        self.waiting = asyncio.Event()

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        self._loop.call_soon_threadsafe(self.waiting.set)
        return self._lines.get()

    def put(self, line: str) -> None:
        self.waiting.clear()
        self._lines.put(line)

    def isatty(self) -> bool:
        return False


@dataclass
class Terminal:
    keyboard: Keyboard
    screen: io.StringIO
    task: asyncio.Task[None]
    files: Path

    async def ready(self) -> str:
        """Everything printed so far, once the chat waits for input."""
        waiter = asyncio.ensure_future(self.keyboard.waiting.wait())
        await asyncio.wait([waiter, self.task], return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        if self.task.done():
            self.task.result()  # raises what the chat raised
        return self.screen.getvalue()

    async def type(self, line: str) -> str:
        """Type a line; what the chat printed in answer (up to its next prompt)."""
        start = len(await self.ready())
        self.keyboard.put(line + "\n")
        return (await self.ready())[start:]

    async def quit(self) -> str:
        start = len(await self.ready())
        self.keyboard.put(":quit\n")
        await asyncio.wait_for(self.task, 30)
        return self.screen.getvalue()[start:]


async def open_terminal(database: Path, files: Path, **args: object) -> Terminal:
    keyboard = Keyboard(asyncio.get_running_loop())
    screen = io.StringIO()
    options = DemoArgs(database=database, today=TODAY, files=files, **args)  # type: ignore[arg-type]
    task = asyncio.create_task(demo(demo_settings(), options, stdin=keyboard, stdout=screen))
    terminal = Terminal(keyboard, screen, task, files)
    await terminal.ready()
    return terminal


@pytest.fixture
async def terminal_ru(company_ru: Path, tmp_path: Path) -> AsyncIterator[Terminal]:
    terminal = await open_terminal(company_ru, tmp_path / "files")
    yield terminal
    if not terminal.task.done():
        await terminal.quit()


@pytest.fixture
async def terminal_en(company_en: Path, tmp_path: Path) -> AsyncIterator[Terminal]:
    terminal = await open_terminal(company_en, tmp_path / "files", language="en")
    yield terminal
    if not terminal.task.done():
        await terminal.quit()
