"""Storage tests run on SQLite and on the local PostgreSQL server (portability from day
one). PostgreSQL is started if it is down; if it cannot be reached the tests fail, loudly."""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from storage.engine import Database
from storage.migrate import upgrade

PG_ADMIN_DSN = os.environ.get("KAM_TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")


async def _pg_reachable() -> bool:
    try:
        conn = await asyncpg.connect(PG_ADMIN_DSN, timeout=3)
    except (OSError, asyncpg.PostgresError):
        return False
    await conn.close()
    return True


def _start_local_postgres() -> None:
    config = Path("/etc/postgresql")
    for version in sorted(p.name for p in config.iterdir()) if config.is_dir() else []:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            check=False,
            capture_output=True,
            timeout=60,
        )


async def _ensure_postgres() -> None:
    if await _pg_reachable():
        return
    await asyncio.to_thread(_start_local_postgres)
    if not await _pg_reachable():
        pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_DSN} and could not be started")


# `-m "not postgres"` runs the suite on a machine without a PostgreSQL server.
@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'storage.db'}")
        await upgrade(db.engine)
        yield db
        await db.dispose()
        return
    await _ensure_postgres()
    name = f"kam_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    db = Database(f"{base}/{name}")
    try:
        await upgrade(db.engine)
        yield db
    finally:
        await db.dispose()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
