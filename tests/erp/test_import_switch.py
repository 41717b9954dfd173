"""A large import and the bot at once (issue 14, item 5): the import prepares in short
transactions and switches in one short one, so a user's command run meanwhile is answered,
with no apology and nothing lost, even with a busy timeout far shorter than the import; the
result is the file's, wholly; a failure in the switch leaves everything as it was."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import func, insert, select

import storage.engine
from bot.runtime.factory import App, create_app
from bot.services.erp_import import run_import
from bot.views.settings.callbacks import SettingsAction, SettingsCallback
from storage.imports import ImportRepo
from storage.migrate import upgrade
from storage.models import PENDING, ImportRun, ProcessedUpdate, Shipment, StagedRow
from tests.erp.files import csv_1c
from tests.erp.test_import import _company
from tests.helpers import alerts, texts
from tests.storage.conftest import PG_ADMIN_DSN, _ensure_postgres

ROWS = 20_000  # enough for the old one-transaction apply to hold the lock for seconds
HEADER = ["Номер", "Дата", "Код контрагента", "Договор", "Сумма"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'kam.db'}"
        return
    await _ensure_postgres()
    name = f"kam_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    try:
        yield f"{base}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
async def app(settings, clock, monkeypatch) -> AsyncIterator[App]:
    # One second instead of ten: an import that held the write lock for longer would make
    # the user's update fail here, where it would take a 5x larger file in production.
    monkeypatch.setattr(storage.engine, "BUSY_TIMEOUT_MS", 1000)
    application = create_app(settings, clock=clock)
    await upgrade(application.database.engine)
    yield application
    await application.database.dispose()


def _shipments(tmp_path: Path, name: str, count: int, *, amount: str = "10,00") -> Path:
    rows = [[f"{n:06d}", "01.10.2026", "К-001", "15/2026", amount] for n in range(count)]
    return csv_1c(tmp_path / name, HEADER, rows)


async def _import(app: App, path: Path, *, snapshot: bool = False):
    return await run_import(
        app.database,
        "shipments",
        path,
        file_name=path.name,
        snapshot=snapshot,
        actor_id=None,
        now=app.clock(),
        texts=app.translator,
    )


async def _shipment_state(app: App) -> tuple[int, Decimal, Decimal, int]:
    async with app.database.read() as s:
        count, total, owed = (
            await s.execute(
                select(
                    func.count(Shipment.id),
                    func.coalesce(func.sum(Shipment.amount), 0),
                    func.coalesce(func.sum(Shipment.open_amount), 0),
                ).where(Shipment.removed_in_erp.is_(False))
            )
        ).one()
        left = await s.scalar(select(func.count(StagedRow.id)))
        for table in PENDING.values():
            left += await s.scalar(select(func.count()).select_from(table))
    return count, Decimal(total), Decimal(owed), left


async def test_a_user_is_answered_while_a_large_import_runs(app, tmp_path, admin):
    await _company(app, tmp_path)
    path = _shipments(tmp_path, "big.csv", ROWS)
    task = asyncio.create_task(_import(app, path))
    answers: list[list[str]] = []
    saved: list[list[str]] = []
    # A read and a write every few tens of milliseconds for as long as the import runs:
    # some land in its switch. The read (/help) takes no lock; the write (the digest hour,
    # pressed) gets it between the import's batches, its id recorded with its change.
    while not task.done():
        answers.append(texts(await admin.send("/help")))
        hour = SettingsCallback(action=SettingsAction.SET_DIGEST, value=str(7 + len(saved) % 2))
        saved.append(alerts(await admin.press(None, hour.pack())))
        await asyncio.sleep(0.02)
    summary = await task
    apology = app.translator.get("en")("error-unexpected")
    assert len(answers) > 5
    assert all(a and a[0].startswith("You are signed in as admin") for a in answers), [
        a for a in answers if not a or a[0] == apology
    ][:3]
    assert saved == [[app.translator.get("en")("settings-saved")]] * len(saved)
    async with app.database.read() as s:
        recorded = await s.scalar(select(func.count(ProcessedUpdate.update_id)))
    assert recorded == len(saved) + 1  # nothing lost (the first /help admitted the admin)
    assert (summary.inserted, summary.rejected) == (ROWS, [])
    assert summary.switch_seconds > 0  # its duration: bench/import_lock.py
    assert await _shipment_state(app) == (ROWS, Decimal(ROWS * 10), Decimal(ROWS * 10), 0)


async def test_repeated_imports_give_what_one_import_of_the_last_file_gives(app, tmp_path):
    await _company(app, tmp_path)
    first = await _import(app, _shipments(tmp_path, "a.csv", 3000))
    again = await _import(app, _shipments(tmp_path, "a.csv", 3000))
    changed = await _import(
        app, _shipments(tmp_path, "b.csv", 2000, amount="25,00"), snapshot=True
    )
    assert (first.inserted, again.unchanged, again.inserted, again.updated) == (3000, 3000, 0, 0)
    assert (changed.updated, changed.removed, changed.inserted) == (2000, 1000, 0)
    assert await _shipment_state(app) == (2000, Decimal(50_000), Decimal(50_000), 0)
    async with app.database.read() as s:
        runs = (await s.execute(select(ImportRun.status, ImportRun.active))).all()
    assert [tuple(r) for r in runs][-3:] == [("applied", None)] * 3


async def test_a_failure_in_the_switch_leaves_everything_as_it_was(app, tmp_path, monkeypatch):
    await _company(app, tmp_path)
    await _import(app, _shipments(tmp_path, "a.csv", 1500))
    before = await _shipment_state(app)
    real = ImportRepo.switch

    async def violating(self, kind, run_id, columns, *, now):
        # A pending insert of a shipment that is stored already: the switch meets the
        # unique (number, date) constraint, as a file racing another writer would.
        duplicate = {
            "number": "000001",
            "shipped_on": date(2026, 10, 1),
            "client_id": 1,
            "amount": Decimal(1),
            "currency": "RUB",
            "due_on": date(2026, 10, 31),
            "removed_in_erp": False,
            "updated_at": now,
        }
        await self._session.execute(
            insert(PENDING[kind]).values(run_id=run_id, op="insert", **duplicate)
        )
        await real(self, kind, run_id, columns, now=now)

    monkeypatch.setattr(ImportRepo, "switch", violating)
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        await _import(app, _shipments(tmp_path, "b.csv", 2500, amount="30,00"))
    assert await _shipment_state(app) == before
    async with app.database.read() as s:
        last = (
            await s.execute(
                select(ImportRun.status, ImportRun.active).order_by(ImportRun.id.desc())
            )
        ).first()
    assert tuple(last) == ("failed", None)
    monkeypatch.setattr(ImportRepo, "switch", real)
    assert (
        await _import(app, _shipments(tmp_path, "b.csv", 2500, amount="30,00"))
    ).inserted == 1000
