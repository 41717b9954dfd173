"""Morning-digest benchmark on a generated company: building every manager's digest, with
its time, the growth of peak RSS and the number of SQL queries, beside the same aggregates
as hand-written SQL run directly through sqlite3 in the same run (the floor).

Run: .venv/bin/python -m bench.digests [--scale 100]
(--scale is the number of managers: 50 clients, 500 contacts and 200 open shipments each;
5 products per manager and 50 price changes. The target run is --scale 1000.)
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import resource
import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import event

from bot.services.business_settings import load_settings
from bot.services.reminders import build_digests
from storage.dto import Role
from storage.engine import Database
from storage.migrate import upgrade
from storage.repositories import Repos

NOW = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)  # Monday 09:30 in Moscow
RUNS = 7  # rounds of both sides, alternating; the best of each is compared
TODAY = date(2026, 11, 23)


def generate(path: Path, managers: int, seed: int = 7) -> None:
    """Bulk rows straight through sqlite3: generating is not what is measured."""
    rnd = random.Random(seed)
    conn = sqlite3.connect(path)
    stamp = "2026-01-01 00:00:00.000000"
    with conn:
        conn.executemany(
            "INSERT INTO users (id, telegram_id, role, full_name, language, timezone, digest_hour, "
            "is_active, created_at, updated_at) VALUES (?, ?, ?, ?, 'ru', 'Europe/Moscow', 9, 1, ?, ?)",
            [
                (m, 10_000_000 + m, Role.MANAGER.value, f"Менеджер {m}", stamp, stamp)
                for m in range(1, managers + 1)
            ],
        )
        clients = []
        for c in range(1, managers * 50 + 1):
            tier = "A" if c % 10 == 0 else "B" if c % 3 == 0 else "C"
            clients.append(
                (
                    c,
                    f"Клиент {c}",
                    f"клиент {c}",
                    "",
                    tier,
                    int(tier == "A"),
                    (c - 1) % managers + 1,
                    "erp",
                    0,
                    stamp,
                    stamp,
                )
            )
        conn.executemany(
            "INSERT INTO clients (id, name, search_key, kpp, tier, is_key, owner_id, owner_source, removed_in_erp, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            clients,
        )
        n_clients = len(clients)
        conn.executemany(
            "INSERT INTO contacts (client_id, author_id, channel, summary, outcome, happened_at, created_at) "
            "VALUES (?, ?, 'call', 'звонок', 'neutral', ?, ?)",
            (
                (
                    cid,
                    (cid - 1) % managers + 1,
                    f"2026-{rnd.randint(1, 11):02d}-{rnd.randint(1, 20):02d} 10:00:00.000000",
                    stamp,
                )
                for cid in (rnd.randint(1, n_clients) for _ in range(managers * 500))
            ),
        )
        conn.executemany(
            "INSERT INTO follow_ups (client_id, owner_id, text, due_date, status, created_at) VALUES (?, ?, 'позвонить', ?, 'open', ?)",
            (
                (c, (c - 1) % managers + 1, f"2026-11-{rnd.randint(10, 30):02d}", stamp)
                for c in range(1, n_clients + 1, 5)
            ),
        )
        shipments = []
        for s in range(1, managers * 200 + 1):
            shipped = TODAY - timedelta(days=rnd.randint(1, 200))
            shipments.append(
                (
                    s,
                    f"Р-{s}",
                    shipped.isoformat(),
                    rnd.randint(1, n_clients),
                    rnd.randint(1_000_00, 500_000_00),
                    (shipped + timedelta(days=30)).isoformat(),
                    stamp,
                )
            )
        conn.executemany(
            "INSERT INTO shipments (id, number, shipped_on, client_id, amount, currency, due_on, removed_in_erp, updated_at) "
            "VALUES (?, ?, ?, ?, ?, 'RUB', ?, 0, ?)",
            shipments,
        )
        conn.executemany(
            "INSERT INTO payments (number, paid_on, client_id, amount, currency, removed_in_erp, updated_at) VALUES (?, ?, ?, ?, 'RUB', 0, ?)",
            (
                (f"П-{i}", TODAY.isoformat(), s[3], s[4] // 2, stamp)
                for i, s in enumerate(shipments[::3])
            ),
        )
        conn.executemany(
            "INSERT INTO products (id, code, name, search_key) VALUES (?, ?, ?, ?)",
            ((p, f"A-{p}", f"Товар {p}", f"товар {p}") for p in range(1, managers * 5 + 1)),
        )
        conn.executemany(
            "INSERT INTO prices (product_id, price, currency, effective_from, removed_in_erp, updated_at) VALUES (?, ?, 'RUB', ?, 0, ?)",
            [(p, 100_00, "2026-01-01", stamp) for p in range(1, managers * 5 + 1)]
            + [(p, 110_00, "2026-12-10", stamp) for p in range(1, 51)],
        )
        conn.executemany(
            "INSERT INTO price_notices (price_id, client_id, user_id, old_price, created_at) "
            "SELECT p.id, c.id, c.owner_id, 10000, ? FROM prices p JOIN clients c ON c.id % 97 = p.product_id "
            "WHERE p.effective_from = '2026-12-10' LIMIT ?",
            [(stamp, managers * 20)],
        )
    conn.close()


# The floor is plain SQL written for the best plan: nearly every unpaid shipment is past due,
# so the overdue sum scans the table once (`+s.due_on` keeps SQLite off the due-date index
# and CROSS JOIN keeps shipments outermost; left to itself, it reads the shipments one by
# one through an index, with statistics or without).
FLOOR_SQL = [
    "SELECT f.id, f.owner_id, c.name, f.text, f.due_date FROM follow_ups f JOIN clients c ON c.id = f.client_id "
    "WHERE f.status = 'open' AND f.due_date <= ?",
    "SELECT c.id, c.owner_id, c.tier, MAX(k.happened_at) FROM clients c LEFT JOIN contacts k ON k.client_id = c.id "
    "WHERE c.is_key = 1 GROUP BY c.id",
    "SELECT c.owner_id, CASE WHEN s.due_on >= date(?, '-30 days') THEN 0 WHEN s.due_on >= date(?, '-60 days') THEN 1 "
    "WHEN s.due_on >= date(?, '-90 days') THEN 2 ELSE 3 END AS b, SUM(s.open_amount) FROM shipments s "
    "CROSS JOIN clients c ON c.id = s.client_id WHERE s.open_amount > 0 AND +s.due_on < ? GROUP BY c.owner_id, b",
    "SELECT c.owner_id, s.id, s.number, s.due_on, s.open_amount FROM shipments s JOIN clients c ON c.id = s.client_id "
    "WHERE s.open_amount > 0 AND s.due_on >= date(?, '-4 days') AND s.due_on < ?",
    "SELECT n.price_id, n.client_id, c.name, n.user_id, n.old_price, p.price, p.currency, p.effective_from, pr.name "
    "FROM price_notices n JOIN prices p ON p.id = n.price_id JOIN products pr ON pr.id = p.product_id "
    "JOIN clients c ON c.id = n.client_id WHERE n.informed_at IS NULL ORDER BY p.effective_from, pr.name, c.name",
]


def like_the_bot() -> None:
    """Hold what `python -m bot run` and `job` hold when their jobs run: the bot's modules
    loaded and the heap settled, as they settle it once the application is built."""
    import bot.cli  # noqa: F401
    from bot.runtime.factory import settle_heap

    settle_heap()


def floor_once(conn: sqlite3.Connection) -> float:
    started = time.perf_counter()
    for sql in FLOOR_SQL:
        conn.execute(sql, (TODAY.isoformat(),) * sql.count("?")).fetchall()
    return time.perf_counter() - started


async def measure(path: Path) -> tuple[float, float, int, int, float]:
    """The best of RUNS rounds of each side, alternating (building every digest, then the
    floor), so a slow moment of a shared machine weighs on neither side alone."""
    db = Database(f"sqlite+aiosqlite:///{path}")
    statements: list[str] = []
    event.listen(
        db.engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2])
    )
    plain = sqlite3.connect(path)
    like_the_bot()
    try:
        async with db.read() as s:
            repos = Repos(s)
            settings = await load_settings(repos)
            users = await repos.users.with_role(Role.MANAGER)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            elapsed = floor_time = float("inf")
            lines = 0
            for _ in range(RUNS):
                statements.clear()
                started = time.perf_counter()
                digests = await build_digests(repos, users, NOW, settings)
                elapsed = min(elapsed, time.perf_counter() - started)
                # A run of the job builds once: the last round's digests are not kept alive
                # under the next (they would only feed the garbage collector's full passes).
                lines = sum(len(d.lines) for d in digests.values())
                del digests
                floor_time = min(floor_time, floor_once(plain))
            grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024
    finally:
        plain.close()
        await db.dispose()
    queries = len([q for q in statements if not q.startswith(("BEGIN", "PRAGMA"))])
    return elapsed, floor_time, queries, lines, grew


async def queue_all(path: Path) -> tuple[float, int]:
    """The whole `digest` job on a copy of the company: build, render in each manager's
    language and queue every digest in the outbox (one run, once; not compared to a floor,
    printed so that rendering and writing are watched too)."""
    from bot.runtime.i18n import Translator
    from bot.services.reminders import run_digests
    from bot.views.reminders.texts import ReminderTexts

    copy = path.with_name("job-copy.db")
    source, target = sqlite3.connect(path), sqlite3.connect(copy)
    with target:
        source.backup(target)
    source.close()
    target.close()
    db = Database(f"sqlite+aiosqlite:///{copy}")
    try:
        texts = ReminderTexts(Translator())
        started = time.perf_counter()
        async with db.transaction() as s:
            queued = await run_digests(Repos(s), NOW, texts)
        return time.perf_counter() - started, queued
    finally:
        await db.dispose()
        copy.unlink()


async def keep_open_amounts(path: Path) -> None:
    """What imports maintain: each shipment's open amount after FIFO (setup, not timed)."""
    from bot.services.erp_import import keep_open_amounts as keep

    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        async with db.transaction() as s:
            repo = Repos(s).erp
            await keep(repo, set((await repo.clients_of(None)).keys()))
    finally:
        await db.dispose()


async def refresh_statistics(path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await db.refresh_statistics()
    finally:
        await db.dispose()


async def prepare(path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{path}")
    await upgrade(db.engine)
    await db.dispose()


def _keep(path: Path) -> None:
    asyncio.run(keep_open_amounts(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument(
        "--db", type=Path, help="reuse (or keep) the generated company in this file"
    )
    args = parser.parse_args()
    if args.db:
        run(args.db, args.scale)
        return
    # The generated company (about 130 MB at --scale 1000) goes away with the run.
    with tempfile.TemporaryDirectory(prefix="kam-digest-bench-") as scratch:
        run(Path(scratch) / "company.db", args.scale)


def run(path: Path, scale: int) -> None:
    started = time.perf_counter()
    if not path.exists():
        build(path, scale)
    print(
        f"generated {scale} managers, {scale * 50} clients, {scale * 500} contacts, "
        f"{scale * 200} shipments in {time.perf_counter() - started:.1f} s"
    )
    elapsed, floor_time, queries, lines, grew = asyncio.run(measure(path))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"digests for {scale} managers: {elapsed:.2f} s, {queries} queries, {lines} lines; "
        f"floor (the same aggregates as plain SQL through sqlite3): {floor_time:.2f} s; "
        f"ratio {elapsed / floor_time:.2f} (target <= 1.5); peak RSS grew {grew:.0f} MB; "
        f"process max RSS {peak:.0f} MB (target < 300)"
    )
    job_time, queued = asyncio.run(queue_all(path))
    print(
        f"the whole digest job (build, render, queue): {queued} digests in {job_time:.2f} s "
        f"({job_time / max(queued, 1) * 1000:.1f} ms each)"
    )


def build(path: Path, scale: int) -> None:
    asyncio.run(prepare(path))
    # Generated in a child process, so this process's peak memory is the digests' alone.
    child = multiprocessing.get_context("spawn").Process(target=generate, args=(path, scale))
    child.start()
    child.join()
    # Also what imports do: keep each shipment's open amount (in a child too, for the RSS).
    keeper = multiprocessing.get_context("spawn").Process(target=_keep, args=(path,))
    keeper.start()
    keeper.join()
    # What the hourly housekeeping does on a live database: planner statistics.
    asyncio.run(refresh_statistics(path))


if __name__ == "__main__":
    main()
