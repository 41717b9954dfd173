"""Site-exchange benchmark: an offers.xml of N products × W warehouses (prices of two types,
stock per warehouse, in the shape 1C writes) parsed and applied to a migrated SQLite
database holding the catalog, against a plain streaming parse of the same file (lxml's
iterparse clearing each offer, nothing else) in the same run; with the peak RSS growth of
the apply, for two file sizes (flat: the same growth for N/5 and N products); and the same
package applied a second time, as 1C resends it with little changed.

Targets (issue 17): parse + apply within 3× the plain parse; memory flat in the file size.

Run: .venv/bin/python -m bench.commerceml [--products 50000] [--warehouses 3] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from lxml import etree

from bot.services.business_settings import load_settings
from bot.services.exchange.apply import apply_catalog, apply_offers
from storage.engine import Database
from storage.migrate import upgrade
from storage.repositories import Repos
from tests.fakes.commerceml_files import write_catalog_file, write_offers_file

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Moscow")
MAX_BYTES = 1 << 34


def _rss_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    # Linux: writing 5 resets the peak RSS (VmHWM) to the current RSS.
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")


def plain_parse(path: Path) -> int:
    """The baseline: a streaming parse that clears each offer and keeps nothing."""
    count = 0
    for _, element in etree.iterparse(str(path), events=("end",), resolve_entities=False):
        if element.tag.endswith("Предложение"):
            count += 1
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    return count


async def _database(folder: Path, products: int) -> Database:
    database = Database(f"sqlite+aiosqlite:///{folder / 'kam.db'}")
    await upgrade(database.engine)
    catalog = folder / "import.xml"
    write_catalog_file(catalog, products)
    await apply_catalog(database, catalog, max_bytes=MAX_BYTES, now=NOW)
    return database


async def one_round(folder: Path, products: int, warehouses: int) -> dict[str, float]:
    offers = folder / "offers.xml"
    write_offers_file(offers, products, warehouses)
    started = time.perf_counter()
    parsed = plain_parse(offers)
    parse_s = time.perf_counter() - started
    assert parsed == products, parsed
    database = await _database(folder, products)
    try:
        async with database.read() as session:  # warm, as in the running bot
            await load_settings(Repos(session))
        before = _rss_kb("VmRSS")
        _reset_peak()
        started = time.perf_counter()
        counts = await apply_offers(database, offers, max_bytes=MAX_BYTES, now=NOW, zone=ZONE)
        apply_s = time.perf_counter() - started
        growth_mb = (_rss_kb("VmHWM") - before) / 1024
        # The same package again, as 1C sends it every 15 minutes with little changed:
        # unchanged prices and stock write nothing.
        started = time.perf_counter()
        await apply_offers(database, offers, max_bytes=MAX_BYTES, now=NOW, zone=ZONE)
        again_s = time.perf_counter() - started
    finally:
        await database.dispose()
    assert counts.products == products, counts
    assert counts.stock == products * warehouses, counts
    return {
        "parse_s": parse_s,
        "apply_s": apply_s,
        "ratio": apply_s / parse_s,
        "again_ratio": again_s / parse_s,
        "growth_mb": growth_mb,
        "mb": offers.stat().st_size / 1e6,
    }


def _spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} (min {min(values):.2f}, max {max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--warehouses", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    sizes = (args.products // 5, args.products)
    results: dict[int, list[dict[str, float]]] = {size: [] for size in sizes}
    for _ in range(args.rounds):
        for size in sizes:
            with tempfile.TemporaryDirectory() as folder:
                results[size].append(asyncio.run(one_round(Path(folder), size, args.warehouses)))
    for size in sizes:
        rows = results[size]
        print(
            f"{size} products × {args.warehouses} warehouses ({rows[0]['mb']:.0f} MB): "
            f"plain parse {_spread([r['parse_s'] for r in rows])} s; "
            f"parse + apply {_spread([r['apply_s'] for r in rows])} s"
        )
        print(f"  ratio to the plain parse: {_spread([r['ratio'] for r in rows])}× (target ≤ 3×)")
        print(
            f"  the same package again (nothing changed): {_spread([r['again_ratio'] for r in rows])}×"
        )
        print(f"  peak RSS growth of the apply, MB: {_spread([r['growth_mb'] for r in rows])}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
