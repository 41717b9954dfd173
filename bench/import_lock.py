"""How long an import holds SQLite's write lock, and what a concurrent writer waits: for a
file of --kind (shipments, clients or prices) of --rows rows (100,000 by default), over
--runs runs on fresh databases,
the time to read, validate and prepare (short transactions), the longest single write
transaction of the whole import, the switch (the one transaction that applies the file),
and the worst wait of a writer committing a small transaction every 20 ms meanwhile (the
bot's updates and the outbox sender are such writers). Then repeated imports of the same
file (all unchanged) on one database, as a sync every 15 minutes would run them.

A clients file names one of ten managers for every row (on a fresh database each client
gets its first owner: ownership periods and audit rows, and one message per manager, all in
the switch)
and a holding for one row in ten; every other repeated import hands a tenth of the clients
to another manager. A prices file has five dated prices for each of --rows / 5 products.

The worst event-loop stall is how late a 5 ms sleep woke meanwhile: what an update handled
by the same process waits. --in-loop validates the rows in the event loop (as before they
were validated in a worker thread), for comparison.

Run: .venv/bin/python -m bench.import_lock [--kind shipments] [--rows 100000] [--runs 3]
    [--in-loop]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.import_rate import _database, _rows, write_csv
from bot.runtime.i18n import Translator
from bot.services.erp_import import run_import, validate
from storage.dto import Role, UserCreate
from storage.engine import READ_ONLY, Database
from storage.repositories import Repos

MANAGERS = [f"Менеджеров{n} Иван Петрович" for n in range(10)]
CLIENT_HEADER = ["Код", "Наименование", "Менеджер", "Головной контрагент"]
PRICE_HEADER = ["Артикул", "Номенклатура", "Цена", "Дата начала действия"]


def client_rows(count: int, shift: int = 0) -> list[list[str]]:
    """Clients К-000001…, a manager each (`shift` moves one in ten to the next manager),
    one in ten in the holding of the first client of its hundred."""
    return [
        [
            f"К-{n:06d}",
            f"ООО «Клиент {n}»",
            MANAGERS[(n + (shift if n % 10 == 0 else 0)) % len(MANAGERS)],
            f"К-{n - n % 100:06d}" if n % 10 == 5 else "",
        ]
        for n in range(count)
    ]


def price_rows(count: int) -> list[list[str]]:
    return [
        [
            f"А-{n // 5:06d}",
            f"Товар {n // 5}",
            f"{100 + n % 5 * 7},50",
            f"{1 + n % 5 * 5:02d}.12.2026",
        ]
        for n in range(count)
    ]


def write_file(path: Path, title: str, header: list[str], rows: list[list[str]]) -> Path:
    import csv

    with path.open("w", encoding="cp1251", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
    return path


async def _add_managers(db: Database) -> None:
    async with db.transaction() as s:
        for n, name in enumerate(MANAGERS):
            await Repos(s).users.create(
                UserCreate(
                    telegram_id=500_000 + n,
                    role=Role.MANAGER,
                    full_name=name,
                    language="ru",
                    timezone="Europe/Moscow",
                    erp_name=name,
                ),
                actor_id=None,
                now=datetime.now(UTC),
            )


class LockWatch:
    """The length of every write transaction on the engine (BEGIN IMMEDIATE to its end)."""

    def __init__(self, db: Database) -> None:
        self.longest = 0.0
        self._started: dict[int, float] = {}
        sync = db.engine.sync_engine

        @event.listens_for(sync, "begin")
        def _begin(conn: Any) -> None:
            if not conn.get_execution_options().get(READ_ONLY):
                self._started[id(conn)] = time.perf_counter()

        def _end(conn: Any) -> None:
            began = self._started.pop(id(conn), None)
            if began is not None:
                self.longest = max(self.longest, time.perf_counter() - began)

        event.listen(sync, "commit", _end)
        event.listen(sync, "rollback", _end)


async def _writer(db: Database, stop: asyncio.Event, waits: list[float]) -> None:
    update_id = 10**9
    while not stop.is_set():
        update_id += 1
        started = time.perf_counter()
        async with db.transaction() as session:
            await Repos(session).processed_updates.mark(update_id, now=datetime.now(UTC))
        waits.append(time.perf_counter() - started)
        await asyncio.sleep(0.02)


async def _ticker(stop: asyncio.Event, stalls: list[float]) -> None:
    """How late a 5 ms sleep wakes: the event loop's stalls (an update waits as long)."""
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(0.005)
        stalls.append(time.perf_counter() - started - 0.005)


async def one_run(
    folder: Path, name: str, kind: str, paths: list[Path], repeats: int
) -> list[dict[str, float]]:
    db = await _database(folder, name)
    await _add_managers(db)
    watch = LockWatch(db)
    results = []
    try:
        for repeat in range(repeats):
            path = paths[repeat % len(paths)]
            watch.longest = 0.0
            stop = asyncio.Event()
            waits: list[float] = []
            stalls: list[float] = []
            writer = asyncio.create_task(_writer(db, stop, waits))
            ticker = asyncio.create_task(_ticker(stop, stalls))
            started = time.perf_counter()
            summary = await run_import(
                db,
                kind,
                path,
                file_name=path.name,
                snapshot=False,
                actor_id=None,
                now=datetime.now(UTC),
                texts=Translator(),
                max_bytes=2**31,
            )
            total = time.perf_counter() - started
            stop.set()
            await writer
            await ticker
            results.append(
                {
                    "total": total,
                    "prepare": total - summary.switch_seconds,
                    "switch": summary.switch_seconds,
                    "longest_lock": watch.longest,
                    "worst_wait": max(waits),
                    "worst_stall": max(stalls),
                    "writes": len(waits),
                    "inserted": summary.inserted,
                    "updated": summary.updated,
                    "unchanged": summary.unchanged,
                }
            )
    finally:
        await db.dispose()
    return results


def _spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f} s"
    return (
        f"median {statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kind", choices=("shipments", "clients", "prices"), default="shipments")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--in-loop", action="store_true", help="validate in the event loop (as before)"
    )
    args = parser.parse_args()
    if args.in_loop:
        validate.VALIDATE_IN_THREAD = False
    folder = Path(tempfile.mkdtemp(prefix="kam-import-lock-"))
    if args.kind == "shipments":
        paths = [write_csv(folder / "shipments.csv", _rows(args.rows))]
    elif args.kind == "clients":
        paths = [
            write_file(folder / f"clients{shift}.csv", "Контрагенты", CLIENT_HEADER, rows)
            for shift, rows in ((0, client_rows(args.rows)), (1, client_rows(args.rows, 1)))
        ]
    else:
        paths = [write_file(folder / "prices.csv", "Цены", PRICE_HEADER, price_rows(args.rows))]
    print(
        "load before:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    )
    fresh = [
        asyncio.run(one_run(folder, f"run{n}.db", args.kind, paths[:1], 1))[0]
        for n in range(args.runs)
    ]
    repeated = asyncio.run(one_run(folder, "repeated.db", args.kind, paths, args.runs + 1))
    again = (
        "repeated (a tenth handed over each time)" if len(paths) > 1 else "repeated (unchanged)"
    )
    for label, rows in (("new rows", fresh), (again, repeated[1:])):
        if not rows:
            continue
        print(f"{args.rows} {args.kind}, {label}, {len(rows)} runs:")
        for key, title in (
            ("total", "whole import"),
            ("prepare", "read + validate + prepare"),
            ("switch", "switch (one transaction)"),
            ("longest_lock", "longest write transaction"),
            ("worst_wait", "worst wait of a concurrent writer"),
            ("worst_stall", "worst event-loop stall"),
        ):
            print(f"  {title}: {_spread([r[key] for r in rows])}")
        print(f"  concurrent writes committed per run: {[int(r['writes']) for r in rows]}")
        counts = [(int(r["inserted"]), int(r["updated"]), int(r["unchanged"])) for r in rows]
        print(f"  (inserted, updated, unchanged) per run: {counts}")
    print("load after:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
