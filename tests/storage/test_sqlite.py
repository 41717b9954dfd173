"""SQLite specifics: pragmas, writers taking the lock up front, readers never queueing,
and the online backup."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from bot.cli import _sqlite_backup
from storage.dto import Role, UserCreate
from storage.engine import Database
from storage.migrate import upgrade
from storage.repositories import Repos

NOW = datetime(2026, 11, 23, tzinfo=UTC)


async def _db(path: Path) -> Database:
    db = Database(f"sqlite+aiosqlite:///{path}")
    await upgrade(db.engine)
    return db


async def test_pragmas_on_every_connection(tmp_path: Path) -> None:
    db = await _db(tmp_path / "p.db")
    async with db.read() as s:
        assert (await s.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await s.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (await s.execute(text("PRAGMA synchronous"))).scalar() == 1  # NORMAL
        assert (await s.execute(text("PRAGMA busy_timeout"))).scalar() == 10_000
    await db.dispose()


async def test_read_then_write_from_two_processes_never_fails_locked(tmp_path: Path) -> None:
    # Two engines on one file stand for two processes (the bot and a shell command).
    path = tmp_path / "w.db"
    first, second = await _db(path), Database(f"sqlite+aiosqlite:///{path}")

    async def read_then_write(db: Database, telegram_id: int) -> None:
        async with db.transaction() as s:
            repos = Repos(s)
            await repos.users.count()
            await asyncio.sleep(0.01)  # the other writer gets in between read and write
            await repos.users.create(
                UserCreate(
                    telegram_id=telegram_id,
                    role=Role.MANAGER,
                    full_name="x",
                    language="ru",
                    timezone="Europe/Moscow",
                ),
                actor_id=None,
                now=NOW,
            )

    await asyncio.gather(
        *(read_then_write(db, 10 + i) for i, db in enumerate([first, second] * 5))
    )
    async with first.read() as s:
        assert await Repos(s).users.count() == 10
    await first.dispose()
    await second.dispose()


async def test_reader_is_not_blocked_by_open_writer(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    writer_db, reader_db = await _db(path), Database(f"sqlite+aiosqlite:///{path}")
    async with writer_db.transaction() as w:
        await Repos(w).users.count()  # holds the write lock (BEGIN IMMEDIATE)
        async with reader_db.read() as r:
            assert await asyncio.wait_for(Repos(r).users.count(), timeout=2) == 0
    await writer_db.dispose()
    await reader_db.dispose()


async def test_online_backup_while_writing(tmp_path: Path) -> None:
    path = tmp_path / "live.db"
    db = await _db(path)
    stop = asyncio.Event()

    async def keep_writing() -> int:
        n = 0
        while not stop.is_set():
            async with db.transaction() as s:
                await Repos(s).users.create(
                    UserCreate(
                        telegram_id=1000 + n,
                        role=Role.MANAGER,
                        full_name="w",
                        language="ru",
                        timezone="Europe/Moscow",
                    ),
                    actor_id=None,
                    now=NOW,
                )
            n += 1
            await asyncio.sleep(0)
        return n

    writer = asyncio.create_task(keep_writing())
    await asyncio.sleep(0.05)
    target = tmp_path / "backup" / "copy.db"
    await asyncio.to_thread(_sqlite_backup, path, target)
    stop.set()
    await writer
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        users = copy.execute("select count(*) from users").fetchone()[0]
        audits = copy.execute("select count(*) from audit_log").fetchone()[0]
    finally:
        copy.close()
    assert users > 0 and users == audits  # a consistent snapshot: no half-written user
    await db.dispose()


async def test_housekeeping_gives_the_planner_statistics(tmp_path: Path) -> None:
    # Without statistics SQLite reads a long owner IN (…) list through the owner index
    # instead of a selective date range (the team summaries' new-overdue query).
    from bot.runtime.config import Settings
    from bot.runtime.factory import create_app
    from jobs import JOBS

    path = tmp_path / "stats.db"
    db = await _db(path)
    async with db.transaction() as s:
        for n in range(30):
            await Repos(s).users.create(
                UserCreate(
                    telegram_id=10 + n,
                    role=Role.MANAGER,
                    full_name=f"M{n}",
                    language="en",
                    timezone="Europe/Moscow",
                ),
                actor_id=None,
                now=NOW,
            )
    await db.dispose()
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{path}")  # type: ignore[call-arg]
    app = create_app(settings)
    try:
        assert await JOBS["housekeeping"].run(NOW, app.job_context(None)) == (
            "forgot 0 processed update ids"
        )
    finally:
        await app.database.dispose()
    conn = sqlite3.connect(path)
    try:
        tables = {row[0] for row in conn.execute("SELECT tbl FROM sqlite_stat1")}
    finally:
        conn.close()
    assert "users" in tables  # ANALYZE records the tables that hold rows
