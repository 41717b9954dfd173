"""An import killed with kill -9 (issue 14, item 5): the data stays as it was, and the
cleanup (at the next start and hourly) marks its run abandoned, deletes its staged and
pending rows, and tells the admins in their language. A live run is never taken for one."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.services.erp_import import clear_abandoned_imports
from storage.dto import Role
from storage.models import PENDING, ImportRun, OutboxMessage, Shipment, StagedRow
from tests.erp.files import csv_1c
from tests.erp.test_import import _company
from tests.factories import make_user
from tests.helpers import TEST_TOKEN

ROOT = Path(__file__).resolve().parents[2]
ROWS = 60_000


def _wait_for_status(db: Path, status: str, process: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.returncode is None:
        conn = sqlite3.connect(db, timeout=5)
        try:
            row = conn.execute(
                "SELECT status FROM import_runs ORDER BY id DESC LIMIT 1"
            ).fetchone()
        except sqlite3.OperationalError:
            row = None  # the child is still migrating
        finally:
            conn.close()
        if row and row[0] == status:
            return
        time.sleep(0.01)
    raise AssertionError(f"the import never reached {status!r} (exit {process.returncode})")


async def _left(app) -> tuple[int, int]:
    async with app.database.read() as s:
        staged = await s.scalar(select(func.count(StagedRow.id)))
        for table in PENDING.values():
            staged += await s.scalar(select(func.count()).select_from(table))
        shipments = await s.scalar(select(func.count(Shipment.id)))
    return staged, shipments


async def test_an_import_killed_mid_way_is_cleared_and_the_admin_told(app, tmp_path, db_url):
    await _company(app, tmp_path)
    admin = await make_user(app, 5600, Role.ADMIN, name="Анна", language="ru")
    rows = [[f"{n:06d}", "01.10.2026", "К-001", "15/2026", "10,00"] for n in range(ROWS)]
    path = csv_1c(
        tmp_path / "big.csv", ["Номер", "Дата", "Код контрагента", "Договор", "Сумма"], rows
    )
    env = {**os.environ, "DATABASE_URL": db_url, "BOT_TOKEN": TEST_TOKEN, "ADMIN_IDS": ""}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "import",
        "shipments",
        str(path),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        database_file = Path(db_url.split("///", 1)[1])
        await asyncio.to_thread(_wait_for_status, database_file, "preparing", process)
    finally:
        process.send_signal(signal.SIGKILL)  # kill -9: no cleanup of its own runs
        await process.wait()
    killed_at = datetime.now(UTC)
    staged, shipments = await _left(app)
    assert staged > 0 and shipments == 0  # as it was, but the leftovers stay

    # A moment later (another process starting) the run still looks alive: left alone.
    assert await clear_abandoned_imports(app.database, now=killed_at, texts=app.translator) == 0
    later = killed_at + timedelta(minutes=10)
    assert await clear_abandoned_imports(app.database, now=later, texts=app.translator) == 1
    assert await clear_abandoned_imports(app.database, now=later, texts=app.translator) == 0

    assert await _left(app) == (0, 0)
    async with app.database.read() as s:
        run = (
            await s.execute(
                select(ImportRun.status, ImportRun.active).order_by(ImportRun.id.desc())
            )
        ).first()
        messages = (
            await s.execute(
                select(OutboxMessage.chat_id, OutboxMessage.payload).where(
                    OutboxMessage.kind == "import_abandoned"
                )
            )
        ).all()
    assert tuple(run) == ("abandoned", None)
    assert [(chat, payload["text"]) for chat, payload in messages] == [
        (
            admin.telegram_id,
            app.translator.get("ru")("import-abandoned", kind="shipments", file="big.csv"),
        )
    ]
    assert "не завершилась" in messages[0][1]["text"]
