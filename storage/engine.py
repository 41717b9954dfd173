"""Engine and session factories, with the SQLite settings DESIGN.md asks for."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.sql import Executable
from sqlalchemy.util import await_

READ_ONLY = "kam_read_only"
BUSY_TIMEOUT_MS = 10_000
# Pauses before asking again for the write lock when another writer held it past the busy
# timeout (each attempt itself waits that long): the transaction waits rather than fails.
# Asking again is safe at BEGIN, and only there: nothing was read or written in it yet.
LOCK_RETRY_PAUSES = (0.1, 0.5, 2.0)
# session.info keys of a writer session that marks an update handled in its first write
# transaction (see on_first_write).
_ON_FIRST_WRITE = "kam_on_first_write"
_FIRST_WRITE_DONE = "kam_first_write_done"


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
        options = conn.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return  # each statement its own transaction (one-statement reads)
        if options.get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")
            return
        for pause in (*LOCK_RETRY_PAUSES, None):
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                if pause is None or not is_busy(exc):
                    raise
                await_(asyncio.sleep(pause))


class ReadOnlyViolation(RuntimeError):
    """A write through a read-only session: it would be lost when the session closes."""


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


def _refuse_writes(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _check(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if conn.get_execution_options().get(READ_ONLY) and statement.lstrip()[
            :7
        ].upper().startswith(_WRITES):
            raise ReadOnlyViolation(f"a write in a read-only session: {statement[:80]}")


class _WriterSession(Session):
    """The sync session behind writer AsyncSessions: it runs on_first_write's hook."""


@event.listens_for(_WriterSession, "after_begin")
def _after_begin(
    session: Session, _transaction: SessionTransaction, connection: Connection
) -> None:
    hook = session.info.get(_ON_FIRST_WRITE)
    if hook is not None and not session.info.get(_FIRST_WRITE_DONE):
        hook(connection)


@event.listens_for(_WriterSession, "after_commit")
def _after_commit(session: Session) -> None:
    if _ON_FIRST_WRITE in session.info:
        session.info[_FIRST_WRITE_DONE] = True


def on_first_write(session: AsyncSession, hook: Callable[[Connection], None]) -> None:
    """Run `hook` as the first statement of the session's first write transaction that
    commits: again after a rollback (which undid it), never after a commit. The update's
    processed mark is written this way, so an update that writes nothing writes no mark
    and takes no write lock."""
    session.info[_ON_FIRST_WRITE] = hook


class Database:
    """One engine and its two session factories: writers and readers."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = create_engine(url, **engine_kwargs)
        _refuse_writes(self.engine)
        self.is_sqlite = url.startswith("sqlite")
        self._writer = async_sessionmaker(
            self.engine, expire_on_commit=False, sync_session_class=_WriterSession
        )
        self._reader = async_sessionmaker(
            self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )
        # One connection kept for one-statement reads (every update's first statement):
        # taking a pooled connection and giving it back costs more than the read itself.
        self._single_reads = self.engine.execution_options(
            isolation_level="AUTOCOMMIT", **{READ_ONLY: True}
        )
        self._kept: AsyncConnection | None = None
        self._kept_loop: asyncio.AbstractEventLoop | None = None
        self._kept_lock = asyncio.Lock()

    def writer(self) -> AsyncSession:
        return self._writer()

    def reader(self) -> AsyncSession:
        return self._reader()

    async def read_one(self, statement: Executable, params: dict[str, Any]) -> Row[Any]:
        """The one row of a one-statement read, in a transaction of its own (autocommit),
        on the kept connection; a failed read drops the connection for a new one."""
        loop = asyncio.get_running_loop()
        if self._kept_loop is not loop:  # a new event loop (tests): start over
            self._kept, self._kept_loop, self._kept_lock = None, loop, asyncio.Lock()
        async with self._kept_lock:
            if self._kept is None:
                self._kept = await self._single_reads.connect()
            try:
                return (await self._kept.execute(statement, params)).one()
            except BaseException:
                kept, self._kept = self._kept, None
                await kept.close()
                raise

    async def _close_kept(self) -> None:
        if self._kept is not None and self._kept_loop is asyncio.get_running_loop():
            await self._kept.close()
        self._kept = None

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
        await self._close_kept()
        await self.engine.dispose()
