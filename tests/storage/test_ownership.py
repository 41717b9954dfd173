"""Ownership periods on both backends: the migration backfills each client's current owner
(from the beginning, still current), and the hand-over keeps the periods (a first owner
gets the whole past, a second change on one day replaces that day's owner)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from storage.accounts import OwnershipPeriod
from storage.dto import ClientCreate, Role, Tier, UserCreate
from storage.engine import Database
from storage.migrate import downgrade, revisions, upgrade
from storage.repositories import Repos

NOW = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
DAY = date(2026, 11, 10)


async def _people(repos: Repos, *names: str) -> list[int]:
    made = []
    for n, name in enumerate(names):
        user = await repos.users.create(
            UserCreate(
                telegram_id=900_000 + n,
                role=Role.MANAGER,
                full_name=name,
                language="en",
                timezone="Europe/Moscow",
            ),
            actor_id=None,
            now=NOW,
        )
        made.append(user.id)
    return made


async def _client(repos: Repos, name: str, owner: int | None) -> int:
    client = await repos.clients.create(
        ClientCreate(name=name, search_key=name.lower(), tier=Tier.B, owner_id=owner),
        actor_id=None,
        now=NOW,
    )
    return client.id


async def test_the_migration_backfills_the_current_owners(database: Database) -> None:
    steps = revisions()
    await downgrade(database.engine, steps[steps.index("0011") - 1])
    async with database.transaction() as s:
        repos = Repos(s)
        [ivan] = await _people(repos, "Ivan")
        owned = await _client(repos, "Ромашка", ivan)
        unowned = await _client(repos, "Лютик", None)
    await upgrade(database.engine)
    async with database.read() as s:
        repos = Repos(s)
        assert await repos.clients.ownership(owned) == [OwnershipPeriod(ivan, None, None)]
        assert await repos.clients.ownership(unowned) == []


async def test_hand_overs_keep_the_periods(database: Database) -> None:
    async with database.transaction() as s:
        repos = Repos(s)
        ivan, olga, petr = await _people(repos, "Ivan", "Olga", "Petr")
        never = await _client(repos, "Ромашка", ivan)  # no period yet: Ivan's all along
        unowned = await _client(repos, "Лютик", None)
        twice = await _client(repos, "Вектор", ivan)
        await repos.clients.reassign(never, olga, source="chat", actor_id=None, now=NOW, day=DAY)
        await repos.clients.reassign(unowned, ivan, source="erp", actor_id=None, now=NOW, day=DAY)
        # Two changes on one day, in one batch: that day's owner is the last one.
        await repos.clients.record_ownership([(twice, ivan, olga), (twice, olga, petr)], day=DAY)
        later = date(2026, 12, 1)
        await repos.clients.reassign(never, petr, source="chat", actor_id=None, now=NOW, day=later)
    async with database.read() as s:
        repos = Repos(s)
        assert await repos.clients.ownership(never) == [
            OwnershipPeriod(ivan, None, DAY),
            OwnershipPeriod(olga, DAY, later),
            OwnershipPeriod(petr, later, None),
        ]
        assert await repos.clients.ownership(unowned) == [OwnershipPeriod(ivan, None, None)]
        assert await repos.clients.ownership(twice) == [
            OwnershipPeriod(ivan, None, DAY),
            OwnershipPeriod(petr, DAY, None),
        ]


async def test_two_confirmations_at_once_hand_the_client_over_once(database: Database) -> None:
    """Two supervisors confirm the same question at the same moment: the second waits for
    the first (a row lock on PostgreSQL, the one writer on SQLite), then finds the owner
    changed and does nothing."""
    import asyncio

    from bot.runtime.i18n import Translator
    from bot.services.accounts import AccountsError, confirm_hand_over

    async with database.transaction() as s:
        repos = Repos(s)
        boss = await repos.users.create(
            UserCreate(
                telegram_id=900_100,
                role=Role.ADMIN,
                full_name="Admin",
                language="en",
                timezone="Europe/Moscow",
            ),
            actor_id=None,
            now=NOW,
        )
        ivan, olga = await _people(repos, "Ivan", "Olga")
        client = await _client(repos, "Ромашка", ivan)
    texts = Translator()
    first_done = asyncio.Event()

    async def first() -> None:
        async with database.transaction() as s:
            await confirm_hand_over(Repos(s), boss, client, olga, ivan, now=NOW, texts=texts)
            first_done.set()
            await asyncio.sleep(0.3)  # the second reads meanwhile (and must wait)

    async def second() -> str:
        await first_done.wait()
        try:
            async with database.transaction() as s:
                await confirm_hand_over(Repos(s), boss, client, olga, ivan, now=NOW, texts=texts)
        except AccountsError as exc:
            return exc.reason
        return "handed over twice"

    _, outcome = await asyncio.gather(first(), second())
    assert outcome == "handover-error-changed"
    async with database.read() as s:
        repos = Repos(s)
        told = [r for r in await repos.outbox.list() if r.kind == "handover"]
        assert await repos.clients.ownership(client) == [
            OwnershipPeriod(ivan, None, DAY),
            OwnershipPeriod(olga, DAY, None),
        ]
    assert len(told) == 2  # Ivan and Olga, once each


async def test_the_figures_read_the_owner_on_the_documents_date(database: Database) -> None:
    """The same queries on both backends: a shipment and an order before the hand-over day
    count for Ivan, those from it on for Olga; a client never handed over for its owner."""
    from decimal import Decimal

    from storage.models import Order, OrderLine, Shipment

    async with database.transaction() as s:
        repos = Repos(s)
        ivan, olga = await _people(repos, "Ivan", "Olga")
        moved = await _client(repos, "Ромашка", ivan)
        kept = await _client(repos, "Лютик", olga)
        await repos.clients.reassign(moved, olga, source="chat", actor_id=None, now=NOW, day=DAY)
        for number, day, client, amount in (
            ("Р-1", date(2026, 11, 9), moved, "100.00"),
            ("Р-2", DAY, moved, "20.00"),
            ("Р-3", date(2026, 11, 2), kept, "3.00"),
        ):
            s.add(
                Shipment(
                    number=number,
                    shipped_on=day,
                    client_id=client,
                    amount=Decimal(amount),
                    due_on=day,
                    updated_at=NOW,
                )
            )
            order = Order(
                number=number,
                order_date=day,
                client_id=client,
                status="closed",
                amount=Decimal(amount),
                updated_at=NOW,
            )
            s.add(order)
            await s.flush()
            s.add(
                OrderLine(
                    order_id=order.id,
                    line_no=1,
                    product_name=f"товар {number}",
                    quantity=Decimal(1),
                    price=Decimal(amount),
                    amount=Decimal(amount),
                )
            )
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    async with database.read() as s:
        repos = Repos(s)
        assert await repos.plans.actuals([ivan, olga], start, end, basis="shipped") == {
            ivan: Decimal("100.00"),
            olga: Decimal("23.00"),
        }
        assert await repos.plans.client_actuals([moved], start, end, basis="shipped") == {
            (ivan, moved): Decimal("100.00"),
            (olga, moved): Decimal("20.00"),
        }
        ivans = await repos.analytics.client_revenue({ivan}, start, end)
        olgas = await repos.analytics.client_revenue({olga}, start, end)
        products = await repos.analytics.product_revenue({ivan}, start, end)
    assert [(c.name, c.owner_id, c.revenue) for c in ivans] == [
        ("Ромашка", olga, Decimal("100.00"))
    ]
    assert sorted((c.name, c.revenue) for c in olgas) == [
        ("Лютик", Decimal("3.00")),
        ("Ромашка", Decimal("20.00")),
    ]
    assert [(p.name, p.revenue) for p in products] == [("товар Р-1", Decimal("100.00"))]
