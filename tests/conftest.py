"""Shared fixtures: settings on a temp database, the app and dispatcher from the production
factory, a recording bot session, and chat clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiogram import Bot, Dispatcher

from bot.config import Settings
from bot.factory import App, create_app, create_bot, create_dispatcher
from bot.services.clock import FrozenClock
from storage.migrate import upgrade
from tests.helpers import TEST_TOKEN, ChatClient, RecordingSession

ADMIN_ID = 100_001
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


@pytest.fixture
async def app(settings: Settings, clock: FrozenClock) -> AsyncIterator[App]:
    application = create_app(settings, clock=clock)
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
