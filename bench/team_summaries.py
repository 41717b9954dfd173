"""Weekly team summaries benchmark on the generated company of the digest benchmark, with
teams (one supervisor per 20 managers), claims, opportunities, orders and plans added:
building every weekly summary (supervisors their team, the admin the company), with its
time, the number of SQL queries and the growth of peak RSS, beside the same aggregates as
hand-written SQL run directly through sqlite3 in the same run (the floor); then drawing
every chart, timed on its own.

Run: .venv/bin/python -m bench.team_summaries [--scale 100]
(--scale is the number of managers; the target run is --scale 1000, 50 teams.)
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

from bench.digests import build, like_the_bot, refresh_statistics
from bot.runtime.i18n import Translator
from bot.services.business_settings import load_settings
from bot.services.reports import SummaryKind, build_summaries, due_requests
from bot.views.common.charts import render_chart
from bot.views.reports.texts import ReportTexts
from storage.dto import Role
from storage.engine import Database
from storage.repositories import Repos

# Monday 16.11.2026, 09:30 in Moscow: last week's (09.11–15.11) summary is due; the
# generated contacts fall on the 1st to 20th of each month.
NOW = datetime(2026, 11, 16, 6, 30, tzinfo=UTC)
TODAY = date(2026, 11, 16)
TEAM = 20
RUNS = 5  # rounds of both sides, alternating; the best of each is compared


def add_teams(path: Path, managers: int, seed: int = 11) -> None:
    """Supervisors, an admin, claims, opportunities, orders and plans, through sqlite3."""
    rnd = random.Random(seed)
    conn = sqlite3.connect(path)
    stamp = "2026-01-01 00:00:00.000000"
    supervisors = max(1, managers // TEAM)
    first = managers + 1
    n_clients = managers * 50
    with conn:
        conn.executemany(
            "INSERT INTO users (id, telegram_id, role, full_name, language, timezone, digest_hour, "
            "is_active, created_at, updated_at) VALUES (?, ?, ?, ?, 'ru', 'Europe/Moscow', 9, 1, ?, ?)",
            [
                (
                    first + s,
                    20_000_000 + s,
                    Role.SUPERVISOR.value,
                    f"Руководитель {s}",
                    stamp,
                    stamp,
                )
                for s in range(supervisors)
            ]
            + [(first + supervisors, 30_000_000, Role.ADMIN.value, "Администратор", stamp, stamp)],
        )
        conn.executemany(
            "UPDATE users SET supervisor_id = ? WHERE id = ?",
            [(first + (m - 1) // TEAM % supervisors, m) for m in range(1, managers + 1)],
        )
        # Claims: 4 a manager, created this autumn, some closed, some late.
        claims = []
        for i in range(managers * 4):
            manager = i % managers + 1
            client = rnd.randrange(manager, n_clients + 1, managers) if manager <= n_clients else 1
            created = date(2026, 9, 1) + timedelta(days=rnd.randint(0, 89))
            closed = rnd.random() < 0.5
            deadline = created + timedelta(days=14)
            claims.append(
                (
                    2026,
                    i + 1,
                    "incoming",
                    client,
                    manager,
                    "quality",
                    "брак",
                    "resolved" if closed else "new",
                    deadline.isoformat(),
                    (created + timedelta(days=30)).isoformat(),
                    f"{created.isoformat()} 10:00:00.000000",
                    f"{(created + timedelta(days=rnd.randint(1, 20))).isoformat()} 10:00:00.000000"
                    if closed
                    else None,
                )
            )
        conn.executemany(
            "INSERT INTO claims (year, sequence, direction, client_id, manager_id, category, description, "
            "currency, status, internal_deadline, legal_deadline, created_at, updated_at, closed_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 'RUB', ?, ?, ?, ?, ?11, ?)",
            claims,
        )
        # Opportunities: 5 a manager, some won or lost lately.
        conn.executemany(
            "INSERT INTO opportunities (client_id, owner_id, title, amount, currency, stage, created_at, updated_at) "
            "VALUES (?, ?, 'поставка', ?, 'RUB', ?, ?, ?)",
            (
                (
                    (i % n_clients) + 1,
                    (i % n_clients) % managers + 1,
                    rnd.randint(10_000_00, 900_000_00),
                    rnd.choice(["lead", "proposal", "won", "lost"]),
                    stamp,
                    f"2026-11-{rnd.randint(10, 29):02d} 12:00:00.000000",
                )
                for i in range(managers * 5)
            ),
        )
        # Orders: 3 a client this year (the churn signal's order history).
        conn.executemany(
            "INSERT INTO orders (number, order_date, client_id, status, amount, currency, removed_in_erp, updated_at) "
            "VALUES (?, ?, ?, 'Закрыт', ?, 'RUB', 0, ?)",
            (
                (
                    f"З-{c}-{k}",
                    (date(2026, 1, 10) + timedelta(days=rnd.randint(0, 320))).isoformat(),
                    c,
                    rnd.randint(10_000_00, 500_000_00),
                    stamp,
                )
                for c in range(1, n_clients + 1)
                for k in range(3)
            ),
        )
        conn.executemany(
            "INSERT INTO plans (user_id, period_start, period_end, amount, currency, updated_at) "
            "VALUES (?, '2026-11-01', '2026-11-30', ?, 'RUB', ?)",
            [(m, rnd.randint(5_000_000_00, 20_000_000_00), stamp) for m in range(1, managers + 1)],
        )
    conn.close()


# The same aggregates as the summaries read, as plain SQL written for the best plan (scans
# of shipments keep them outermost with CROSS JOIN and `+column`, as bench/digests.py does) (the last week in Moscow is
# 08.11 21:00 to 15.11 21:00 UTC; the plan is November's).
FLOOR_SQL = [
    "SELECT id, role, supervisor_id, timezone, language FROM users WHERE is_active = 1",
    "SELECT author_id, channel, COUNT(*) FROM contacts WHERE happened_at >= '2026-11-08 21:00:00' "
    "AND happened_at < '2026-11-15 21:00:00' GROUP BY author_id, channel",
    "SELECT c.id, c.owner_id, c.tier, c.created_at, MAX(CASE WHEN k.happened_at < '2026-11-08 21:00:00' THEN k.happened_at END), "
    "MAX(k.happened_at), COUNT(CASE WHEN k.happened_at >= '2026-11-08 21:00:00' AND k.happened_at < '2026-11-15 21:00:00' THEN 1 END) "
    "FROM clients c LEFT JOIN contacts k ON k.client_id = c.id WHERE c.is_key = 1 GROUP BY c.id",
    "SELECT owner_id, due_date, status, closed_at FROM follow_ups WHERE due_date >= '2026-11-09' "
    "AND due_date <= '2026-11-15' AND status != 'cancelled'",
    "SELECT c.owner_id, CASE WHEN s.due_on >= '2026-10-17' THEN 0 WHEN s.due_on >= '2026-09-17' THEN 1 "
    "WHEN s.due_on >= '2026-08-18' THEN 2 ELSE 3 END AS b, SUM(s.open_amount) FROM shipments s "
    "CROSS JOIN clients c ON c.id = s.client_id WHERE s.open_amount > 0 AND +s.due_on < '2026-11-16' GROUP BY c.owner_id, b",
    "SELECT c.owner_id, SUM(s.open_amount) FROM shipments s JOIN clients c ON c.id = s.client_id "
    "WHERE s.open_amount > 0 AND s.due_on >= '2026-11-08' AND s.due_on < '2026-11-15' GROUP BY c.owner_id",
    "SELECT * FROM (SELECT c.id, c.owner_id, c.name, SUM(s.open_amount) AS t, ROW_NUMBER() OVER "
    "(PARTITION BY c.owner_id ORDER BY SUM(s.open_amount) DESC, c.id) AS r FROM shipments s CROSS JOIN clients c "
    "ON c.id = s.client_id WHERE s.open_amount > 0 AND +s.due_on < '2026-11-16' GROUP BY c.id) WHERE r = 1 ORDER BY t DESC",
    "SELECT manager_id, COUNT(CASE WHEN created_at >= '2026-11-08 21:00:00' AND created_at < '2026-11-15 21:00:00' THEN 1 END), "
    "COUNT(CASE WHEN closed_at >= '2026-11-08 21:00:00' AND closed_at < '2026-11-15 21:00:00' THEN 1 END), "
    "COUNT(CASE WHEN status IN ('new', 'in_progress', 'sent', 'answered') AND COALESCE(internal_deadline, legal_deadline) < '2026-11-16' THEN 1 END) "
    "FROM claims GROUP BY manager_id",
    "SELECT k.id, k.manager_id, c.name, COALESCE(k.internal_deadline, k.legal_deadline) AS d FROM claims k "
    "JOIN clients c ON c.id = k.client_id WHERE k.status IN ('new', 'in_progress', 'sent', 'answered') ORDER BY d",
    "SELECT owner_id, COUNT(CASE WHEN stage = 'won' THEN 1 END), SUM(CASE WHEN stage = 'won' THEN amount END), "
    "COUNT(CASE WHEN stage = 'lost' THEN 1 END) FROM opportunities WHERE stage IN ('won', 'lost') "
    "AND updated_at >= '2026-11-08 21:00:00' AND updated_at < '2026-11-15 21:00:00' GROUP BY owner_id",
    "SELECT user_id, amount FROM plans WHERE period_start = '2026-11-01' AND period_end = '2026-11-30' "
    "AND client_id IS NULL",
    "SELECT c.owner_id, SUM(s.amount) FROM shipments s CROSS JOIN clients c ON c.id = s.client_id "
    "WHERE +s.shipped_on >= '2026-11-01' AND s.shipped_on <= '2026-11-30' GROUP BY c.owner_id",
    "SELECT c.id, c.owner_id, SUM(CASE WHEN s.shipped_on >= '2026-08-19' THEN s.amount ELSE 0 END), "
    "SUM(CASE WHEN s.shipped_on >= '2026-08-19' THEN 0 ELSE s.amount END), l.last FROM clients c "
    "LEFT JOIN shipments s ON s.client_id = c.id AND s.shipped_on >= '2026-05-21' AND s.shipped_on <= '2026-11-16' "
    "LEFT JOIN (SELECT client_id, MAX(order_date) AS last FROM orders GROUP BY client_id) l ON l.client_id = c.id "
    "WHERE c.is_key = 1 GROUP BY c.id",
    "SELECT DISTINCT o.client_id, o.order_date FROM orders o JOIN clients c ON c.id = o.client_id "
    "WHERE c.is_key = 1 AND o.order_date >= '2025-11-17' AND o.order_date <= '2026-11-16' ORDER BY o.client_id, o.order_date",
]


def floor_once(conn: sqlite3.Connection) -> float:
    started = time.perf_counter()
    for sql in FLOOR_SQL:
        conn.execute(sql).fetchall()
    return time.perf_counter() - started


async def measure(path: Path) -> tuple[float, float, int, int, float, float, int]:
    """The best of RUNS rounds of each side, alternating (every weekly summary built and
    rendered as text, then the floor); then every chart drawn once."""
    db = Database(f"sqlite+aiosqlite:///{path}")
    statements: list[str] = []
    event.listen(
        db.engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2])
    )
    texts = ReportTexts(Translator())
    plain = sqlite3.connect(path)
    like_the_bot()
    try:
        async with db.read() as s:
            repos = Repos(s)
            settings = await load_settings(repos)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            elapsed = floor_time = float("inf")
            for _ in range(RUNS):
                statements.clear()
                started = time.perf_counter()
                requests = await due_requests(repos, SummaryKind.WEEKLY, NOW, settings)
                summaries = await build_summaries(repos, requests, NOW, settings)
                rendered = [
                    texts.summary(r.recipient, summaries[r.recipient.id]) for r in requests
                ]
                elapsed = min(elapsed, time.perf_counter() - started)
                floor_time = min(floor_time, floor_once(plain))
            grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024
        queries = len([q for q in statements if not q.startswith(("BEGIN", "PRAGMA"))])
        started = time.perf_counter()
        charts = [
            render_chart(*texts.chart(r.recipient, summaries[r.recipient.id])) for r in requests
        ]
        drawing = time.perf_counter() - started
    finally:
        plain.close()
        await db.dispose()
    assert all(c.startswith(b"\x89PNG") for c in charts)
    size = sum(len(t) for t, _ in rendered)
    return elapsed, floor_time, queries, len(rendered), grew, drawing, size


def _add(path: Path, managers: int) -> None:
    add_teams(path, managers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument(
        "--db", type=Path, help="reuse (or keep) the generated company in this file"
    )
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp(prefix="kam-summary-bench-")) / "company.db"
    started = time.perf_counter()
    if not path.exists():
        build(path, args.scale)  # the digest benchmark's company
        # Its teams, claims, deals, orders and plans: in a child too, for the peak memory.
        child = multiprocessing.get_context("spawn").Process(target=_add, args=(path, args.scale))
        child.start()
        child.join()
        asyncio.run(refresh_statistics(path))
    print(
        f"generated {args.scale} managers in {max(1, args.scale // TEAM)} teams, "
        f"{args.scale * 50} clients, {args.scale * 500} contacts, {args.scale * 200} shipments, "
        f"{args.scale * 150} orders in {time.perf_counter() - started:.1f} s"
    )
    elapsed, floor_time, queries, count, grew, drawing, size = asyncio.run(measure(path))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"weekly summaries: {count} ({size} characters) in {elapsed:.2f} s, {queries} queries; "
        f"floor (the same aggregates as plain SQL through sqlite3): {floor_time:.2f} s; "
        f"ratio {elapsed / floor_time:.2f} (target <= 1.5); charts: {count} in {drawing:.2f} s "
        f"({drawing / max(count, 1) * 1000:.0f} ms each); peak RSS grew {grew:.0f} MB; "
        f"process max RSS {peak:.0f} MB (target < 400)"
    )


if __name__ == "__main__":
    main()
