"""The digest's queries: the cadence filter pushed into SQL keeps exactly the key clients
past their tier's cadence in the owner's own zone, the overdue aggregate sums what it must
and nothing else, and reads on the session's connection see what was not flushed yet."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.agenda import cadence_days
from bot.services.business_settings import load_settings
from bot.services.reminders import build_digests
from storage.dto import (
    Channel,
    ClientCreate,
    ClientDTO,
    ContactCreate,
    FollowUpStatus,
    Outcome,
    Role,
    Tier,
    UserCreate,
    UserDTO,
)
from storage.engine import Database
from storage.erp import ErpRepo
from storage.models import FollowUp, Shipment
from storage.reminders import ReminderRepo
from storage.repositories import Repos
from tests.factories import make_client, make_user

# Monday 2026-11-23, 06:30 UTC: 09:30 on Monday in Moscow (UTC+3), but still 22:30 on
# Sunday 22.11 in Los Angeles (UTC-8 in November).
NOW = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)
SECOND = timedelta(seconds=1)
# Tier A's cadence is 14 days: due once the last contact's local date is 15 days back.
# Moscow (today 23.11): contacted on 8.11 local at the latest, i.e. before 8.11 21:00 UTC.
MOSCOW_EDGE = datetime(2026, 11, 8, 21, 0, tzinfo=UTC)
# Los Angeles (today 22.11): contacted on 7.11 local at the latest, before 8.11 08:00 UTC.
LA_EDGE = datetime(2026, 11, 8, 8, 0, tzinfo=UTC)


async def _contact(app, client_id: int, author: UserDTO, at: datetime) -> None:
    async with app.database.transaction() as s:
        await Repos(s).contacts.add(
            ContactCreate(
                client_id=client_id,
                author_id=author.id,
                channel=Channel.CALL,
                summary="call",
                outcome=Outcome.NEUTRAL,
                happened_at=at,
            ),
            now=at,
        )


async def _neglected(app, users: list[UserDTO], now: datetime = NOW) -> dict[int, dict[str, int]]:
    async with app.database.read() as s:
        repos = Repos(s)
        digests = await build_digests(repos, users, now, await load_settings(repos))
    return {
        user_id: {line.client_name: line.days for line in d.lines if line.kind == "neglected"}
        for user_id, d in digests.items()
    }


async def test_key_client_exactly_at_its_cadence_is_not_due_in_either_zone(app):
    moscow = await make_user(app, 8001, name="Moscow", timezone="Europe/Moscow")
    la = await make_user(app, 8002, name="LA", timezone="America/Los_Angeles")
    app.clock.set(NOW - timedelta(days=90))
    contacted = {
        (moscow, "M past"): MOSCOW_EDGE - SECOND,  # 8.11 23:59:59 local: 15 days, due
        (moscow, "M at"): MOSCOW_EDGE,  # 9.11 00:00 local: 14 days, not yet
        (la, "L past"): LA_EDGE - SECOND,  # 7.11 23:59:59 local: due
        (la, "L at"): LA_EDGE,  # 8.11 00:00 local: not yet
        # One instant, two verdicts: 8.11 20:59:59 UTC is 8.11 in Moscow (due), but
        # 8.11 12:59:59 in Los Angeles, only 14 days before its Sunday (not yet).
        (moscow, "M same instant"): MOSCOW_EDGE - SECOND,
        (la, "L same instant"): MOSCOW_EDGE - SECOND,
        (moscow, "M lately"): NOW - timedelta(days=3),
    }
    for (owner, name), at in contacted.items():
        client = await make_client(app, name, owner, tier=Tier.A)
        await _contact(app, client.id, owner, at)
    # Never contacted: counted from when the client was added, by the same rule.
    for owner, name, added in (
        (moscow, "M added past", MOSCOW_EDGE - SECOND),
        (moscow, "M added at", MOSCOW_EDGE),
        (la, "L added at", LA_EDGE),
    ):
        app.clock.set(added)
        await make_client(app, name, owner, tier=Tier.A)

    neglected = await _neglected(app, [moscow, la])

    assert neglected[moscow.id] == {"M past": 1, "M same instant": 1, "M added past": 1}
    assert neglected[la.id] == {"L past": 1}


async def test_each_tier_is_held_to_its_own_cadence(app):
    owner = await make_user(app, 8003, name="Moscow", timezone="Europe/Moscow")
    app.clock.set(NOW - timedelta(days=90))
    async with app.database.read() as s:
        cadence = cadence_days((await load_settings(Repos(s))).values)
    for tier in Tier:
        edge = MOSCOW_EDGE - timedelta(days=cadence[tier] - cadence[Tier.A])
        for name, at in ((f"{tier} past", edge - SECOND), (f"{tier} at", edge)):
            client = await make_client(app, name, owner, tier=tier, is_key=True)
            await _contact(app, client.id, owner, at)
    # Not a key client: never in the digest, however long ago.
    plain = await make_client(app, "plain", owner, tier=Tier.C, is_key=False)
    await _contact(app, plain.id, owner, NOW - timedelta(days=300))

    assert (await _neglected(app, [owner]))[owner.id] == {f"{t} past": 1 for t in Tier}


async def test_due_client_found_when_the_zone_lags_a_day_behind_utc(app):
    # Tuesday 24.11 06:30 UTC is still Monday 23.11 22:30 in Los Angeles: the latest local
    # date is a day behind UTC, and the SQL bound must still let the client through.
    now = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)
    la = await make_user(app, 8009, name="LA", timezone="America/Los_Angeles")
    app.clock.set(now - timedelta(days=90))
    for name, at in (
        ("past", datetime(2026, 11, 9, 7, 59, 59, tzinfo=UTC)),  # 8.11 23:59:59 local
        ("at", datetime(2026, 11, 9, 8, 0, tzinfo=UTC)),  # 9.11 00:00 local
    ):
        client = await make_client(app, name, la, tier=Tier.A)
        await _contact(app, client.id, la, at)
    assert (await _neglected(app, [la], now))[la.id] == {"past": 1}


# The queries themselves, on SQLite and on PostgreSQL.


async def _owner(s: AsyncSession, telegram_id: int) -> UserDTO:
    return await Repos(s).users.create(
        UserCreate(
            telegram_id=telegram_id,
            role=Role.MANAGER,
            full_name=f"User {telegram_id}",
            language="en",
            timezone="Europe/Moscow",
        ),
        actor_id=None,
        now=NOW - timedelta(days=90),
    )


async def _client(
    s: AsyncSession, name: str, owner: UserDTO, tier: Tier = Tier.B, *, is_key: bool = False
) -> ClientDTO:
    return await Repos(s).clients.create(
        ClientCreate(
            name=name, search_key=name.lower(), tier=tier, is_key=is_key, owner_id=owner.id
        ),
        actor_id=None,
        now=NOW - timedelta(days=90),
    )


async def test_cadence_bound_in_sql_is_strict_and_per_tier(database: Database) -> None:
    bound = datetime(2026, 11, 9, 0, 0, tzinfo=UTC)
    async with database.transaction() as s:
        owner, other = await _owner(s, 8004), await _owner(s, 8005)
        for name, tier, at, who in (
            ("before", Tier.A, bound - timedelta(microseconds=1), owner),
            ("at", Tier.A, bound, owner),
            ("B before A's bound", Tier.B, bound - timedelta(days=5), owner),
            ("someone else's", Tier.A, bound - timedelta(days=5), other),
        ):
            client = await _client(s, name, who, tier, is_key=True)
            await Repos(s).contacts.add(
                ContactCreate(
                    client_id=client.id,
                    author_id=who.id,
                    channel=Channel.CALL,
                    summary="call",
                    outcome=Outcome.NEUTRAL,
                    happened_at=at,
                ),
                now=at,
            )
    async with database.read() as s:
        rows = await ReminderRepo(s).key_clients_last_contact(
            [owner.id], {"A": bound, "B": bound - timedelta(days=10)}
        )
    assert [(name, last) for _, _, name, _, last in rows] == [
        ("before", bound - timedelta(microseconds=1))
    ]


def _shipment(
    s: AsyncSession, client_id: int, due: date, open_amount: str | None, **kw: Any
) -> None:
    s.add(
        Shipment(
            number=f"Р-{uuid.uuid4().hex[:8]}",
            shipped_on=due - timedelta(days=30),
            client_id=client_id,
            amount=Decimal("1000.00"),
            currency=kw.get("currency", "RUB"),
            due_on=due,
            removed_in_erp=kw.get("removed", False),
            open_amount=None if open_amount is None else Decimal(open_amount),
            updated_at=NOW,
        )
    )


async def test_overdue_by_owner_sums_each_bucket_from_its_first_day(database: Database) -> None:
    today = date(2026, 11, 23)
    starts = [today - timedelta(days=d) for d in (30, 60, 90)]
    async with database.transaction() as s:
        owner, other = await _owner(s, 8006), await _owner(s, 8007)
        first, second = await _client(s, "Первый", owner), await _client(s, "Второй", owner)
        foreign = await _client(s, "Чужой", other)
        for due, amount, tenth in (
            (today - timedelta(days=1), "10.00", "1.00"),  # 1-30
            (starts[0], "20.00", "2.00"),  # still 1-30: its first day
            (starts[0] - timedelta(days=1), "30.00", "3.00"),  # 31-60
            (starts[2], "40.00", "4.00"),  # 61-90
            (starts[2] - timedelta(days=1), "50.00", "5.00"),  # 90+
        ):
            _shipment(s, first.id, due, amount)
            _shipment(s, second.id, due, tenth)
        # Not overdue, nothing owed, a return, another currency, removed, another owner's.
        _shipment(s, first.id, today, "1.00")
        _shipment(s, first.id, starts[0], "0.00")
        _shipment(s, first.id, starts[0], "-5.00")
        _shipment(s, first.id, starts[0], None)
        _shipment(s, first.id, starts[0], "7.00", currency="USD")
        _shipment(s, first.id, starts[0], "7.00", removed=True)
        _shipment(s, foreign.id, starts[0], "7.00")
    async with database.read() as s:
        rows = await ErpRepo(s).overdue_by_owner([owner.id], today, starts)
        nobody = await ErpRepo(s).overdue_by_owner([other.id + 100], today, starts)
    assert rows == [
        (owner.id, 0, Decimal("33.00")),
        (owner.id, 1, Decimal("33.00")),
        (owner.id, 2, Decimal("44.00")),
        (owner.id, 3, Decimal("55.00")),
    ]
    assert all(str(amount).endswith(".00") for _, _, amount in rows)  # kopecks, exactly
    assert nobody == []


async def test_digest_reads_see_changes_not_yet_flushed(database: Database) -> None:
    async with database.transaction() as s:
        owner = await _owner(s, 8008)
        client = await _client(s, "Клиент", owner)
        s.add(
            FollowUp(
                client_id=client.id,
                owner_id=owner.id,
                text="call",
                due_date=date(2026, 11, 20),
                status=FollowUpStatus.OPEN.value,
                created_at=NOW,
            )
        )
        # Nothing flushed it: Session.execute would have; the connection-level read must too.
        rows = await ReminderRepo(s).due_follow_ups([owner.id], date(2026, 11, 23))
    assert [(r[3], r[4], r[5]) for r in rows] == [("Клиент", "call", date(2026, 11, 20))]
