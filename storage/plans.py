"""Sales plans and the actual figures they are measured against."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.audit import AuditRepo
from storage.models import Client, Payment, Plan, Shipment


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
        row = await self._session.scalar(
            select(Plan).where(
                Plan.user_id == user_id,
                Plan.period_start == start,
                Plan.period_end == end,
                Plan.client_id.is_(None) if client_id is None else Plan.client_id == client_id,
            )
        )
        before = row.amount if row else None
        if row is None:
            row = Plan(
                user_id=user_id,
                client_id=client_id,
                period_start=start,
                period_end=end,
                amount=amount,
                updated_at=now,
            )
            self._session.add(row)
        else:
            row.amount, row.updated_at = amount, now
        await self._session.flush()
        await self._audit.record(
            entity="plan",
            entity_id=row.id,
            action="create" if before is None else "update",
            changes={"amount": (before, amount), "user_id": (None, user_id)},
            actor_id=actor_id,
            now=now,
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
        """Shipped (or paid) amounts of each manager's clients in the period, one query."""
        if basis == "paid":
            query = (
                select(Client.owner_id, func.sum(Payment.amount))
                .join(Client, Client.id == Payment.client_id)
                .where(
                    Payment.paid_on >= start,
                    Payment.paid_on <= end,
                    Payment.removed_in_erp.is_(False),
                )
            )
        else:
            query = (
                select(Client.owner_id, func.sum(Shipment.amount))
                .join(Client, Client.id == Shipment.client_id)
                .where(
                    Shipment.shipped_on >= start,
                    Shipment.shipped_on <= end,
                    Shipment.removed_in_erp.is_(False),
                )
            )
        rows = await self._session.execute(
            query.where(Client.owner_id.in_(list(user_ids))).group_by(Client.owner_id)
        )
        return {u: a for u, a in rows if u is not None}
