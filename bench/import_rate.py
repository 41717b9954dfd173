"""Import benchmark: rows per second of `run_import` for a CSV and an XLSX export of
shipments, against plain `sqlite3.executemany` of the same rows into the same table in the
same run (the floor), with the growth of the process's peak RSS during each import (the
imports run first, on a process that has only generated the files).

Run: .venv/bin/python -m bench.import_rate [--rows 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import resource
import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from bot.runtime.i18n import Translator
from bot.services.client_search import search_key
from bot.services.erp_import import run_import
from storage.dto import ClientCreate
from storage.engine import Database
from storage.migrate import upgrade
from storage.repositories import Repos

HEADER = ["Номер", "Дата", "Код контрагента", "Договор", "Сумма"]
START = date(2025, 1, 1)


def _rows(count: int) -> list[list[str]]:
    return [
        [
            f"{n:07d}",
            (START + timedelta(days=n % 600)).strftime("%d.%m.%Y"),
            "К-1",
            "",
            f"{n % 900 + 1} {n % 1000:03d},{n % 100:02d}",
        ]
        for n in range(count)
    ]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="cp1251", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Реализация товаров и услуг"])
        writer.writerow(HEADER)
        writer.writerows(rows)
        writer.writerow(["Итого"])
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Реализация товаров и услуг"])
    sheet.append(HEADER)
    for number, day, client, contract, amount in rows:
        d, m, y = day.split(".")
        sheet.append(
            [
                number,
                date(int(y), int(m), int(d)),
                client,
                contract,
                float(Decimal(amount.replace(" ", "").replace(",", "."))),
            ]
        )
    book.save(path)
    return path


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _database(folder: Path, name: str) -> Database:
    db = Database(f"sqlite+aiosqlite:///{folder / name}")
    await upgrade(db.engine)
    async with db.transaction() as s:
        await Repos(s).clients.create(
            ClientCreate(
                name="ООО «Ромашка»", search_key=search_key("ООО «Ромашка»"), external_id="К-1"
            ),
            actor_id=None,
            now=datetime.now(UTC),
        )
    return db


async def measure_import(folder: Path, name: str, path: Path) -> tuple[float, int, float]:
    db = await _database(folder, name)
    try:
        rss_before = _max_rss_mb()
        started = time.perf_counter()
        summary = await run_import(
            db,
            "shipments",
            path,
            file_name=path.name,
            snapshot=False,
            actor_id=None,
            now=datetime.now(UTC),
            texts=Translator(),
            max_bytes=2**31,
        )
        elapsed = time.perf_counter() - started
        peak = _max_rss_mb() - rss_before
    finally:
        await db.dispose()
    assert summary.inserted == summary.read, summary.rejected[:3]
    return elapsed, summary.inserted, peak


async def measure_floor(folder: Path, rows: list[list[str]]) -> float:
    """The same rows, already parsed, written with sqlite3.executemany: the floor."""
    db = await _database(folder, "floor.db")
    await db.dispose()
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    params = []
    for number, day, _client, _contract, amount in rows:
        d, m, y = day.split(".")
        shipped = date(int(y), int(m), int(d)).isoformat()
        minor = int(Decimal(amount.replace(" ", "").replace(",", ".")) * 100)
        params.append((number, shipped, 1, minor, "RUB", shipped, 0, now))
    started = time.perf_counter()
    conn = sqlite3.connect(folder / "floor.db")
    with conn:
        conn.executemany(
            "INSERT INTO shipments (number, shipped_on, client_id, amount, currency, due_on, "
            "removed_in_erp, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            params,
        )
    conn.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kam-import-bench-"))
    rows = _rows(args.rows)
    csv_file = write_csv(folder / "shipments.csv", rows)
    xlsx_file = write_xlsx(folder / "shipments.xlsx", rows)
    results = {
        label: asyncio.run(measure_import(folder, f"{label}.db", path))
        for label, path in (("csv", csv_file), ("xlsx", xlsx_file))
    }
    floor = asyncio.run(measure_floor(folder, rows))
    floor_rate = args.rows / floor
    print(
        f"floor: sqlite3.executemany of {args.rows} parsed rows: {floor:.2f} s, "
        f"{floor_rate:,.0f} rows/s"
    )
    for label, path in (("csv", csv_file), ("xlsx", xlsx_file)):
        elapsed, inserted, peak = results[label]
        rate = inserted / elapsed
        print(
            f"{label}: {inserted} rows in {elapsed:.1f} s = {rate:,.0f} rows/s, "
            f"{floor_rate / rate:.1f}x the floor's time per row; peak RSS grew {peak:.0f} MB "
            f"(file {path.stat().st_size / 2**20:.1f} MB)"
        )
    print(
        f"max RSS of the process: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
