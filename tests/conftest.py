"""Shared fixtures: settings on a temp database, the app and dispatcher from the production
factory, a recording bot session, and chat clients."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiogram import Bot, Dispatcher

from bot.runtime.config import Settings
from bot.runtime.factory import App, create_app, create_bot, create_dispatcher
from bot.services.clock import FrozenClock
from storage.engine import Database
from storage.migrate import upgrade
from tests.helpers import TEST_TOKEN, ChatClient, RecordingSession

ADMIN_ID = 100_001


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules whose tests share one of our module-scoped fixtures (an e2e module's bot
    process, a generated demo company) go first: they are the longest, and the suite should
    not end waiting on one of them. Each module stays in one piece, and `--dist loadscope`
    (scripts/test) runs it in one worker, so the fixture is built once, not once per
    worker. (`loadgroup` would do it per mark, but pytest-xdist 3.8 cannot rename test ids
    under pytest 9, which its groups need.)"""
    shared: set[str] = set()
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        defs = info.name2fixturedefs.values() if info is not None else ()
        if any(d[-1].scope in ("module", "package") and d[-1].baseid for d in defs):
            shared.add(item.nodeid.split("::")[0])
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in shared)


START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'kam.db'}"


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TEST_TOKEN,
        database_url=db_url,
        admin_ids=frozenset({ADMIN_ID}),
    )


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite database migrated to head by the real migrations, once per test run; each
    test's database starts as a copy of it. Migrating takes about 0.2 s, copying a few
    milliseconds, and a thousand tests start from an empty database. (The migrations
    themselves are tested step by step, on both backends, in tests/storage.)"""
    path = tmp_path_factory.mktemp("migrated") / "kam.db"

    async def migrate() -> None:
        database = Database(f"sqlite+aiosqlite:///{path}")
        try:
            await upgrade(database.engine)
        finally:
            await database.dispose()

    asyncio.run(migrate())
    return path


def _start_from(template: Path, url: str) -> bool:
    """Copy the migrated database to `url`'s file when the test has not made one itself
    (SQLite's backup API: a consistent copy, whatever the journal mode)."""
    target = Path(url.split(":///", 1)[1]) if url.startswith("sqlite") and ":///" in url else None
    if target is None or target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(template) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    source.close()
    copy.close()
    return True


@pytest.fixture
async def app(
    settings: Settings, clock: FrozenClock, migrated_database: Path
) -> AsyncIterator[App]:
    copied = _start_from(migrated_database, settings.database_url)
    application = create_app(settings, clock=clock)
    if not copied:
        await upgrade(application.database.engine)
    yield application
    await application.database.dispose()


@pytest.fixture
def session() -> RecordingSession:
    return RecordingSession()


@pytest.fixture
def bot(settings: Settings, session: RecordingSession) -> Bot:
    return create_bot(settings, session=session)  # type: ignore[arg-type]


@pytest.fixture
def dp(app: App) -> Dispatcher:
    app.run_background = False  # tests drive the sender and jobs themselves
    return create_dispatcher(app)


@pytest.fixture
def chat(dp: Dispatcher, bot: Bot, session: RecordingSession) -> Callable[..., ChatClient]:
    def make(user_id: int, **kwargs: object) -> ChatClient:
        return ChatClient(dp, bot, session, user_id, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def admin(chat: Callable[..., ChatClient]) -> ChatClient:
    return chat(ADMIN_ID, first_name="Anna", last_name="Admin", language_code="en")
