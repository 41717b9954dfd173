"""Engine and session factories, with the SQLite settings DESIGN.md asks for."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

READ_ONLY = "kam_read_only"
BUSY_TIMEOUT_MS = 10_000

# The session of the update being handled, so helpers deeper down (the FSM storage, the
# commit-before-send hook) join its transaction instead of opening a second writer.
current_session: contextvars.ContextVar[AsyncSession | None] = contextvars.ContextVar(
    "current_session", default=None
)


def bind_update_session(session: AsyncSession) -> contextvars.Token[AsyncSession | None]:
    """Make `session` the current update's session, owned by the running task."""
    session.info["owner_task"] = asyncio.current_task()
    return current_session.set(session)


def update_session() -> AsyncSession | None:
    """The current update's session, but only in the task handling that update: a task a
    handler started (an import running in the background) inherits the context variable,
    yet must neither commit nor write into that session."""
    session = current_session.get()
    if session is None or session.info.get("owner_task") is not asyncio.current_task():
        return None
    return session


def is_busy(error: BaseException) -> bool:
    """SQLite's "database is locked" (or "busy"): another writer held the lock longer than
    the busy timeout. Worth trying again; PostgreSQL waits for row locks instead."""
    orig = getattr(error, "orig", None) or error
    text = str(orig).lower()
    return isinstance(error, OperationalError) and (
        "database is locked" in text or "database is busy" in text
    )


def _sqlite_file(url: str) -> Path | None:
    path = url.split(":///", 1)[1] if ":///" in url else ""
    if path in ("", ":memory:") or path.startswith("file:"):
        return None
    return Path(path)


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    if url.startswith("sqlite"):
        file = _sqlite_file(url)
        if file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
        # Driver-level autocommit: SQLAlchemy's begin event below emits BEGIN itself.
        engine = create_async_engine(
            url,
            connect_args={"isolation_level": None, "timeout": BUSY_TIMEOUT_MS / 1000},
            **kwargs,
        )
        _configure_sqlite(engine)
        return engine
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A deferred transaction that reads and then writes fails with "database is locked"
        # at once when another writer got in between, whatever the busy timeout. Writers
        # therefore take the lock up front; read-only sessions stay deferred and never queue.
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """One engine and its two session factories: writers and readers."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = create_engine(url, **engine_kwargs)
        self.is_sqlite = url.startswith("sqlite")
        self._writer = async_sessionmaker(self.engine, expire_on_commit=False)
        self._reader = async_sessionmaker(
            self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )

    def writer(self) -> AsyncSession:
        return self._writer()

    def reader(self) -> AsyncSession:
        return self._reader()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A short write transaction: commit on success, roll back on error."""
        async with self._writer() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._reader() as session:
            yield session

    async def refresh_statistics(self) -> None:
        """Let SQLite's planner know the tables' sizes (ANALYZE). Without statistics it
        prefers an index on a long `owner_id IN (…)` list over a selective date range, which
        made the summaries read every shipment instead of one week's. `analysis_limit`
        samples each index, so this stays well under a second on a large database.
        PostgreSQL keeps its statistics itself (autovacuum)."""
        if not self.is_sqlite:
            return
        async with self.engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA analysis_limit=1000")
            await conn.exec_driver_sql("ANALYZE")
            await conn.commit()

    async def dispose(self) -> None:
        await self.engine.dispose()
