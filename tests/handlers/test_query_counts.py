"""List screens issue a fixed number of queries, whatever the number of rows (no N+1)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event

from storage.dto import FollowUpCreate, Role, Tier
from storage.repositories import Repos
from tests.factories import make_client, make_user


@contextmanager
def counting(app) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        if not statement.startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            statements.append(statement)

    engine = app.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def _fill(app, owner, count: int, start: int) -> None:
    for n in range(count):
        client = await make_client(app, f"Клиент {start + n}", owner, tier=Tier.A)
        async with app.database.transaction() as s:
            await Repos(s).follow_ups.add(
                FollowUpCreate(
                    client_id=client.id,
                    owner_id=owner.id,
                    text="call",
                    due_date=date(2026, 11, 20),
                ),
                now=app.clock(),
            )


async def _count(app, client, text: str) -> int:
    with counting(app) as statements:
        await client.send(text)
    return len(statements)


async def test_list_screens_do_not_query_per_row(app, chat):
    boss = await make_user(app, 4000, Role.SUPERVISOR)
    manager = await make_user(app, 4001, supervisor=boss)
    me = chat(manager.telegram_id, language_code="en")
    await _fill(app, manager, 3, 0)
    screens = ("/clients", "/today", "клиент", "/debts", "/orders", "/history клиент 2")
    small = {cmd: await _count(app, me, cmd) for cmd in screens}
    await _fill(app, manager, 30, 100)
    large = {cmd: await _count(app, me, cmd) for cmd in screens}
    assert small == large, (small, large)
    assert max(large.values()) <= 15  # the timeline reads four sources, each a count and a page
