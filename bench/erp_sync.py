"""Live-sync benchmark: shipments and payments read from the fake 1C over HTTP (its OData
interface, pages of 1,000, the real client and reader) and imported, against the file
import of the same rows into a database holding the same clients and contracts, in the same
run; with the growth of the syncing process's peak RSS during the sync (the fake 1C runs in
a process of its own, so its memory is not counted).

Targets (issue 16): time per row within 1.5× of the file import's; peak RSS growth under
100 MB, flat in the number of rows (compare --shipments 20000 with 100000).

Run: .venv/bin/python -m bench.erp_sync [--shipments 100000] [--payments 20000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import multiprocessing
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.runtime.config import Settings
from bot.runtime.i18n import Translator
from bot.services.erp_import import run_import
from bot.services.erp_sync.onec import sync_from_onec
from storage.engine import Database
from storage.migrate import upgrade
from tests.fakes.onec_company import PASSWORD, USER, OneCCompany
from tests.fakes.onec_odata import FakeOneC

TODAY = date(2026, 11, 23)
CLIENTS = 1000


def _amount(n: int) -> Decimal:
    return Decimal(n % 900 + 1) * 1000 + Decimal(n % 100) / 100


def _inn(n: int) -> str:
    """A valid 10-digit ИНН (its check digit computed)."""
    digits = [int(c) for c in f"77{n:07d}"]
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    check = sum(w * d for w, d in zip(weights, digits, strict=True)) % 11 % 10
    return "".join(map(str, digits)) + str(check)


def _paid(n: int) -> Decimal:
    return Decimal(n % 400 + 1) * 100


def _company(fake: FakeOneC, shipments: int, payments: int) -> OneCCompany:
    company = OneCCompany(fake)
    names = [f"Клиент {c:04d}" for c in range(CLIENTS)]
    for c, name in enumerate(names):
        company.client(name, _inn(c))
    records = []
    for n in range(shipments):
        day = TODAY - timedelta(days=n % 40)
        records.append(
            company.shipment_record(names[n % CLIENTS], f"РТ-{n:07d}", day, str(_amount(n)))
        )
    fake.add("Document_РеализацияТоваровУслуг", *records)
    paid = []
    for n in range(payments):
        target = records[n * max(1, shipments // max(payments, 1)) % shipments]
        client = names[(n * max(1, shipments // max(payments, 1)) % shipments) % CLIENTS]
        day = TODAY - timedelta(days=n % 30)
        paid.append(company.payment_record(client, f"ПБ-{n:07d}", day, str(_paid(n)), target))
    fake.add("Document_ПоступлениеБезналичныхДенежныхСредств", *paid)
    return company


def _serve(shipments: int, payments: int, ready: Any, stop: Any) -> None:
    """The fake 1C's own process: populated, then serving until told to stop."""

    async def main() -> None:
        async with FakeOneC(user=USER, password=PASSWORD) as fake:
            company = _company(fake, shipments, payments)
            rows = {
                name: (contractor["Ref_Key"], company.contracts[name]["Номер"])
                for name, contractor in company.clients.items()
            }
            ready.put((fake.base_url, rows))
            await asyncio.to_thread(stop.wait)

    asyncio.run(main())


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    # Linux: writing 5 resets the peak RSS (VmHWM) to the current RSS.
    Path("/proc/self/clear_refs").write_text("5")


async def _timed(step: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await step()
    return time.perf_counter() - started


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


async def _database(folder: Path, name: str) -> Database:
    database = Database(f"sqlite+aiosqlite:///{folder / name}")
    await upgrade(database.engine)
    return database


async def one_round(
    url: str, clients: dict[str, tuple[str, str]], shipments: int, payments: int, folder: Path
) -> dict[str, float]:
    now = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
    texts = Translator()
    synced = await _database(folder, "sync.db")
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{folder / 'sync.db'}",
        onec_odata_url=url,
        onec_odata_user=USER,
        onec_odata_password=SecretStr(PASSWORD),
    )

    async def sync(kind: str) -> None:
        report = await sync_from_onec(synced, settings, now=now, texts=texts, only=kind)
        assert not report.failed, [r.error for r in report.results]
        assert not any(r.rejected for r in report.results), [
            (r.summary.rejected[:3] if r.summary else None) for r in report.results
        ]

    async def sync_everything() -> None:
        report = await sync_from_onec(synced, settings, now=now, texts=texts)
        assert not report.failed, [r.error for r in report.results]
        counts = {r.kind: (r.read, r.rejected) for r in report.results}
        assert counts["shipments"] == (shipments, 0)
        assert counts["payments"] == (payments, 0)

    for kind in ("clients", "contracts"):
        await sync(kind)
    before = _rss_kb("VmRSS")
    _reset_peak()
    # One whole sync, as the job runs it: the catalogs read again (unchanged), then the
    # documents; the shipments' numbers are known to the payments from the same read.
    sync_all = await _timed(lambda: sync_everything())
    growth_mb = (_rss_kb("VmHWM") - before) / 1024
    await synced.dispose()

    # The same rows as files, into a database with the same clients and contracts.
    filed = await _database(folder, "file.db")

    async def file(kind: str, path: Path) -> None:
        summary = await run_import(
            filed,
            kind,
            path,
            file_name=path.name,
            snapshot=False,
            actor_id=None,
            now=now,
            texts=texts,
        )
        assert not summary.rejected, summary.rejected[:3]

    await file(
        "clients",
        _csv(
            folder / "c.csv",
            ["Код", "Наименование"],
            [[key, name] for name, (key, _) in clients.items()],
        ),
    )
    await file(
        "contracts",
        _csv(
            folder / "k.csv",
            ["Код контрагента", "Договор", "Дата договора", "Отсрочка"],
            [[key, number, "01.01.2026", "30"] for key, number in clients.values()],
        ),
    )
    names = list(clients)
    ship_rows = [
        [
            f"РТ-{n:07d}",
            (TODAY - timedelta(days=n % 40)).strftime("%d.%m.%Y"),
            clients[names[n % CLIENTS]][0],
            clients[names[n % CLIENTS]][1],
            str(_amount(n)),
        ]
        for n in range(shipments)
    ]
    step = max(1, shipments // max(payments, 1))
    pay_rows = [
        [
            f"ПБ-{n:07d}",
            (TODAY - timedelta(days=n % 30)).strftime("%d.%m.%Y"),
            clients[names[(n * step % shipments) % CLIENTS]][0],
            f"РТ-{n * step % shipments:07d}",
            str(_paid(n)),
        ]
        for n in range(payments)
    ]
    s_path = _csv(
        folder / "s.csv", ["Номер", "Дата", "Код контрагента", "Договор", "Сумма"], ship_rows
    )
    p_path = _csv(
        folder / "p.csv",
        ["Номер", "Дата", "Код контрагента", "Документ расчетов", "Сумма"],
        pay_rows,
    )
    before = _rss_kb("VmRSS")
    _reset_peak()
    file_shipments = await _timed(lambda: file("shipments", s_path))
    file_payments = await _timed(lambda: file("payments", p_path))
    file_growth_mb = (_rss_kb("VmHWM") - before) / 1024
    await filed.dispose()
    for name in ("sync.db", "file.db"):
        for suffix in ("", "-wal", "-shm"):
            (folder / f"{name}{suffix}").unlink(missing_ok=True)
    return {
        "sync": sync_all,
        "file_shipments": file_shipments,
        "file_payments": file_payments,
        "file": file_shipments + file_payments,
        "growth_mb": growth_mb,
        "file_growth_mb": file_growth_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shipments", type=int, default=100_000)
    parser.add_argument("--payments", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    ready, stop = context.Queue(), context.Event()
    server = context.Process(target=_serve, args=(args.shipments, args.payments, ready, stop))
    server.start()
    try:
        url, clients = ready.get(timeout=600)
        results = []
        for _ in range(args.rounds):
            with tempfile.TemporaryDirectory(prefix="kam-bench-sync-") as folder:
                results.append(
                    asyncio.run(
                        one_round(url, clients, args.shipments, args.payments, Path(folder))
                    )
                )
    finally:
        stop.set()
        server.join(timeout=10)
    load = os.getloadavg()
    print(
        f"{args.shipments:,} shipments, {args.payments:,} payments, {CLIENTS:,} clients; "
        f"{args.rounds} rounds; load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )

    def spread(key: str) -> str:
        values = [r[key] for r in results]
        return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"

    ratios = [r["sync"] / r["file"] for r in results]
    rows = args.shipments + args.payments
    print(
        f"file import, shipments: {spread('file_shipments')} s; payments: {spread('file_payments')} s"
    )
    print(f"file import of both: {spread('file')} s")
    print(f"one sync from 1C (every kind; catalogs unchanged): {spread('sync')} s")
    per_row = [r["sync"] / rows * 1e6 for r in results]
    print(
        f"sync / file, time per row: {statistics.median(ratios):.2f} "
        f"({min(ratios):.2f}–{max(ratios):.2f}); sync {statistics.median(per_row):.0f} µs a row"
    )
    by_round = ", ".join(f"{r['growth_mb']:.0f}" for r in results)
    print(f"peak RSS growth during the sync, MB: {spread('growth_mb')}; by round {by_round}")
    print(f"peak RSS growth during the file imports, MB: {spread('file_growth_mb')}")


if __name__ == "__main__":
    main()
