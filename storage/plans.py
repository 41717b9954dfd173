"""Sales plans and the actual figures they are measured against."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage.accounts import ever_owned_by, owner_on
from storage.audit import AuditRepo
from storage.erp import unindexed
from storage.models import Client, Payment, Plan, Shipment


def _basis_of(basis: str) -> tuple[Any, InstrumentedAttribute[date]]:
    """The documents a plan is measured by and their date: payments by the day paid, or
    shipments (returns negative) by the day shipped."""
    if basis == "paid":
        return Payment, Payment.paid_on
    return Shipment, Shipment.shipped_on


class PlanRepo:
    def __init__(self, session: AsyncSession, audit: AuditRepo) -> None:
        self._session = session
        self._audit = audit

    async def set(
        self,
        user_id: int,
        start: date,
        end: date,
        amount: Decimal,
        *,
        actor_id: int | None,
        now: datetime,
        client_id: int | None = None,
    ) -> None:
        """One plan, set in the chat: the same upsert and audit as an imported row (an
        unchanged amount writes nothing)."""
        await self.upsert_many(
            [(user_id, client_id, start, end, amount)], actor_id=actor_id, now=now
        )

    async def totals(
        self, user_ids: Collection[int], start: date, end: date
    ) -> dict[int, Decimal]:
        """Each manager's plan for the period (their own line, not per client)."""
        rows = await self._session.execute(
            select(Plan.user_id, Plan.amount).where(
                Plan.user_id.in_(list(user_ids)),
                Plan.period_start == start,
                Plan.period_end == end,
                Plan.client_id.is_(None),
            )
        )
        return {u: a for u, a in rows}  # noqa: C416 - Row pairs

    async def actuals(
        self, user_ids: Collection[int], start: date, end: date, *, basis: str
    ) -> dict[int, Decimal]:
        """Shipped (or paid) amounts in the period of the clients each manager owned on
        the document's date (a hand-over leaves the past with the previous owner), one
        query."""
        document, day = _basis_of(basis)
        owner = owner_on(document.client_id, day)
        # From the managers' clients (owner index, then each client's documents), never
        # from the period's days: with the ownership join that is the faster way for a
        # team and for the whole company alike (bench/team_summaries.py).
        dated = unindexed(self._session, day)
        rows = await self._session.execute(
            select(owner.owner, func.sum(document.amount))
            .join(Client, Client.id == document.client_id)
            .outerjoin(owner.period, owner.onclause)
            .where(
                dated >= start,
                dated <= end,
                document.removed_in_erp.is_(False),
                ever_owned_by(user_ids),
                owner.owner.in_(list(user_ids)),
            )
            .group_by(owner.owner)
        )
        return {u: a for u, a in rows if u is not None}

    async def client_plans(
        self, user_ids: Collection[int], start: date, end: date
    ) -> list[tuple[int, int, str, Decimal]]:
        """(manager, client id, client name, amount) of the per-client plans of these
        managers for the period, by client name (one query)."""
        rows = await self._session.execute(
            select(Plan.user_id, Plan.client_id, Client.name, Plan.amount)
            .join(Client, Client.id == Plan.client_id)
            .where(
                Plan.user_id.in_(list(user_ids)),
                Plan.period_start == start,
                Plan.period_end == end,
            )
            .order_by(Plan.user_id, Client.name, Client.id)
        )
        return [(u, c, n, a) for u, c, n, a in rows if c is not None]

    async def client_actuals(
        self, client_ids: Collection[int], start: date, end: date, *, basis: str
    ) -> dict[tuple[int, int], Decimal]:
        """Shipped (or paid) amounts of these clients in the period, by (the manager who
        owned the client on the document's date, client), one query: a per-client plan
        of a manager counts what happened while the client was theirs."""
        document, day = _basis_of(basis)
        owner = owner_on(document.client_id, day)
        rows = await self._session.execute(
            select(owner.owner, document.client_id, func.sum(document.amount))
            .join(Client, Client.id == document.client_id)
            .outerjoin(owner.period, owner.onclause)
            .where(
                document.client_id.in_(list(client_ids)),
                day >= start,
                day <= end,
                document.removed_in_erp.is_(False),
            )
            .group_by(owner.owner, document.client_id)
        )
        return {(u, c): a for u, c, a in rows if u is not None}

    async def upsert_many(
        self,
        rows: Sequence[tuple[int, int | None, date, date, Decimal]],
        *,
        actor_id: int | None,
        now: datetime,
    ) -> tuple[int, int, int]:
        """(manager, client or None, start, end, amount) rows, upserted by their scope and
        audited like a plan set in the chat. Returns (inserted, updated, unchanged). One
        query for what exists, whatever the number of rows."""
        if not rows:
            return 0, 0, 0
        existing: dict[tuple[int, int | None, date, date], Plan] = {}
        for start in range(0, len(rows), 500):
            users = {r[0] for r in rows[start : start + 500]}
            for plan in await self._session.scalars(select(Plan).where(Plan.user_id.in_(users))):
                existing[(plan.user_id, plan.client_id, plan.period_start, plan.period_end)] = plan
        inserted = updated = unchanged = 0
        changed: list[tuple[Plan, Decimal | None]] = []
        for user_id, client_id, period_start, period_end, amount in rows:
            row = existing.get((user_id, client_id, period_start, period_end))
            if row is not None and row.amount == amount:
                unchanged += 1
                continue
            if row is None:
                row = Plan(
                    user_id=user_id,
                    client_id=client_id,
                    period_start=period_start,
                    period_end=period_end,
                    amount=amount,
                    updated_at=now,
                )
                self._session.add(row)
                existing[(user_id, client_id, period_start, period_end)] = row
                changed.append((row, None))
                inserted += 1
            else:
                changed.append((row, row.amount))
                row.amount, row.updated_at = amount, now
                updated += 1
        await self._session.flush()
        for row, before in changed:
            await self._audit.record(
                entity="plan",
                entity_id=row.id,
                action="create" if before is None else "update",
                changes={
                    "amount": (before, row.amount),
                    "user_id": (None, row.user_id),
                    **({"client_id": (None, row.client_id)} if row.client_id else {}),
                },
                actor_id=actor_id,
                now=now,
            )
        return inserted, updated, unchanged
