from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Column, MetaData, Table, select

from storage.dto import InviteCreate, Role, UserCreate, UserUpdate
from storage.engine import Database
from storage.migrate import downgrade, revisions, upgrade
from storage.repositories import Repos
from storage.types import MinorUnits

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _user(telegram_id: int, role: Role = Role.MANAGER, **kw: object) -> UserCreate:
    return UserCreate(
        telegram_id=telegram_id,
        role=role,
        full_name=f"User {telegram_id}",
        language="ru",
        timezone="Europe/Moscow",
        **kw,  # type: ignore[arg-type]
    )


async def test_user_create_update_and_audit_trail(database: Database) -> None:
    async with database.transaction() as s:
        repos = Repos(s)
        boss = await repos.users.create(_user(1, Role.SUPERVISOR), actor_id=None, now=NOW)
        mgr = await repos.users.create(_user(2), actor_id=boss.id, now=NOW)
        await repos.users.update(
            mgr.id,
            UserUpdate(supervisor_id=boss.id, timezone="Asia/Omsk"),
            actor_id=boss.id,
            now=NOW + timedelta(minutes=1),
        )
        # Setting a field to its current value records nothing.
        await repos.users.update(
            mgr.id, UserUpdate(timezone="Asia/Omsk"), actor_id=boss.id, now=NOW
        )
    async with database.read() as s:
        repos = Repos(s)
        stored = await repos.users.by_telegram_id(2)
        history = await repos.audit.history("user", mgr.id)
        team = await repos.users.team(boss.id)
    assert stored is not None and stored.supervisor_id == boss.id
    assert stored.created_at == NOW and stored.created_at.tzinfo is not None
    assert [h.action for h in history] == ["create", "update"]
    assert history[1].changes == {
        "supervisor_id": [None, boss.id],
        "timezone": ["Europe/Moscow", "Asia/Omsk"],
    }
    assert history[1].actor_id == boss.id and history[1].at == NOW + timedelta(minutes=1)
    assert [u.id for u in team] == [mgr.id]


async def test_invite_claim_is_atomic_and_respects_expiry(database: Database) -> None:
    async with database.transaction() as s:
        await Repos(s).invites.create(
            InviteCreate(
                code_hash="h" * 64, role=Role.MANAGER, expires_at=NOW + timedelta(days=1)
            ),
            now=NOW,
        )

    async def claim() -> bool:
        async with database.transaction() as s:
            return await Repos(s).invites.claim("h" * 64, now=NOW) is not None

    results = await asyncio.gather(*(claim() for _ in range(6)))
    assert results.count(True) == 1
    async with database.transaction() as s:
        await Repos(s).invites.create(
            InviteCreate(code_hash="e" * 64, role=Role.MANAGER, expires_at=NOW), now=NOW
        )
        assert await Repos(s).invites.claim("e" * 64, now=NOW) is None


async def test_processed_updates_dedupe_and_forget(database: Database) -> None:
    async with database.transaction() as s:
        repos = Repos(s)
        assert await repos.processed_updates.mark(10, now=NOW) is True
        assert await repos.processed_updates.mark(10, now=NOW) is False
        assert await repos.processed_updates.mark(11, now=NOW + timedelta(hours=30)) is True
        assert await repos.processed_updates.forget_before(NOW + timedelta(hours=24)) == 1
        assert await repos.processed_updates.mark(10, now=NOW + timedelta(hours=31)) is True


async def test_fsm_records_round_trip_and_vanish_when_empty(database: Database) -> None:
    async with database.transaction() as s:
        fsm = Repos(s).fsm
        await fsm.save("k", state="S:one", set_state=True, now=NOW)
        await fsm.save("k", data={"a": "б"}, set_data=True, now=NOW)
        assert await fsm.load("k") == ("S:one", {"a": "б"})
        await fsm.save("k", state=None, set_state=True, now=NOW)
        await fsm.save("k", data={}, set_data=True, now=NOW)
        assert await fsm.load("k") == (None, {})


async def test_settings_put_is_audited(database: Database) -> None:
    async with database.transaction() as s:
        repos = Repos(s)
        await repos.settings.put(
            "quiet_hours", "22:00-07:00", previous="21:00-08:00", actor_id=None, now=NOW
        )
        await repos.settings.put(
            "quiet_hours", "23:00-07:00", previous="22:00-07:00", actor_id=None, now=NOW
        )
    async with database.read() as s:
        repos = Repos(s)
        assert await repos.settings.stored() == {"quiet_hours": "23:00-07:00"}
        assert len(await repos.audit.history("setting", "quiet_hours")) == 2


async def test_money_is_exact_minor_units(database: Database) -> None:
    table = Table("money_probe", MetaData(), Column("amount", MinorUnits()))
    async with database.engine.begin() as conn:
        await conn.run_sync(table.create)
        await conn.execute(
            table.insert(),
            [
                {"amount": Decimal("1250000.01")},
                {"amount": Decimal("0.10")},
                {"amount": Decimal("0")},
                {"amount": Decimal("-7.5")},
            ],
        )
        values = (await conn.execute(select(table.c.amount))).scalars().all()
        await conn.run_sync(table.drop)
    assert values == [Decimal("1250000.01"), Decimal("0.10"), Decimal("0"), Decimal("-7.50")]
    # Always two places, as amounts are shown and compared: 0.00, not 0.
    assert [v.as_tuple().exponent for v in values] == [-2, -2, -2, -2]
    with pytest.raises(Exception, match="more than two decimal places"):
        MinorUnits().process_bind_param(Decimal("0.001"), database.engine.dialect)


async def test_naive_datetimes_are_refused(database: Database) -> None:
    async with database.transaction() as s:
        with pytest.raises(Exception, match="naive datetime"):
            await Repos(s).users.create(
                _user(5),
                actor_id=None,
                now=datetime(2026, 1, 1),  # noqa: DTZ001
            )


async def test_migrations_stairway_down_and_up(database: Database) -> None:
    steps = revisions()
    assert steps[0] == "0001"
    for index in reversed(range(len(steps))):
        await downgrade(database.engine, steps[index - 1] if index else "base")
    await upgrade(database.engine)
    async with database.transaction() as s:
        await Repos(s).users.create(_user(9), actor_id=None, now=NOW)


async def test_outbox_key_is_unique_and_claims_never_overlap(database: Database) -> None:
    from storage.dto import OutboxCreate, OutboxStatus

    async with database.transaction() as s:
        repos = Repos(s)
        for n in range(30):
            row = OutboxCreate(
                key=f"k:{n}", kind="t", chat_id=1000 + n, payload={"text": "x"}, not_before=NOW
            )
            assert await repos.outbox.add(row, now=NOW) is True
            assert await repos.outbox.add(row, now=NOW) is False
        later = OutboxCreate(
            key="later",
            kind="t",
            chat_id=5,
            payload={"text": "x"},
            not_before=NOW + timedelta(hours=1),
        )
        await repos.outbox.add(later, now=NOW)

    async def claim(owner: str) -> list[int]:
        async with database.transaction() as s:
            rows = await Repos(s).outbox.claim(
                owner=owner, now=NOW, lease_until=NOW + timedelta(minutes=2), limit=7
            )
        return [r.id for r in rows]

    batches = await asyncio.gather(*(claim(f"o{i}") for i in range(6)))
    claimed = [i for batch in batches for i in batch]
    assert len(claimed) == len(set(claimed)) == 30  # the not-yet-due row is not claimed
    async with database.transaction() as s:
        repos = Repos(s)
        first = (await repos.outbox.list())[0]
        assert (
            await repos.outbox.finish(first.id, "not-the-owner", status=OutboxStatus.SENT, now=NOW)
            is False
        )
        assert await repos.outbox.finish(
            first.id, first.lease_owner or "", status=OutboxStatus.SENT, now=NOW, message_ids=[7]
        )
        # Expired leases are claimable again.
        again = await repos.outbox.claim(
            owner="late",
            now=NOW + timedelta(minutes=3),
            lease_until=NOW + timedelta(minutes=5),
            limit=100,
        )
    assert len(again) == 29 and first.id not in {r.id for r in again}


async def test_migrations_match_the_models(database: Database) -> None:
    """Autogenerate finds nothing to add: every model change has its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from storage.models import Base

    async with database.engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
        )
    assert diff == []
