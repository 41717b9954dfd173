"""Reads and writes behind the reminders: each a single query for all users at once, so a
run costs the same number of queries for ten managers or a thousand."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dto import FollowUpStatus
from storage.erp import column_rows
from storage.models import (
    Client,
    ContactLog,
    FollowUp,
    Order,
    OrderLine,
    OutboxMessage,
    Price,
    PriceNotice,
    Product,
    ReminderMark,
)
from storage.statements import insert_ignoring_conflicts
from storage.types import UTCDateTime


class ReminderRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def marks(
        self, user_ids: Collection[int]
    ) -> dict[tuple[int, str, int], tuple[date | None, bool]]:
        rows = await self._session.execute(
            select(
                ReminderMark.user_id,
                ReminderMark.item_kind,
                ReminderMark.item_id,
                ReminderMark.snoozed_until,
                ReminderMark.done,
            ).where(ReminderMark.user_id.in_(list(user_ids)))
        )
        return {(u, k, i): (until, done) for u, k, i, until, done in rows}

    async def set_mark(
        self,
        user_id: int,
        kind: str,
        item_id: int,
        *,
        snoozed_until: date | None,
        done: bool,
        now: datetime,
    ) -> None:
        row = await self._session.scalar(
            select(ReminderMark).where(
                ReminderMark.user_id == user_id,
                ReminderMark.item_kind == kind,
                ReminderMark.item_id == item_id,
            )
        )
        if row is None:
            self._session.add(
                ReminderMark(
                    user_id=user_id,
                    item_kind=kind,
                    item_id=item_id,
                    snoozed_until=snoozed_until,
                    done=done,
                    updated_at=now,
                )
            )
        else:
            row.snoozed_until, row.done, row.updated_at = snoozed_until, done, now
        await self._session.flush()

    async def due_follow_ups(self, owner_ids: Collection[int], until: date) -> list[Any]:
        """Open follow-ups of these owners due by `until`: (id, owner, client id, client
        name, text, due date)."""
        rows = await column_rows(
            self._session,
            select(
                FollowUp.id,
                FollowUp.owner_id,
                FollowUp.client_id,
                Client.name,
                FollowUp.text,
                FollowUp.due_date,
            )
            .join(Client, Client.id == FollowUp.client_id)
            .where(
                FollowUp.owner_id.in_(list(owner_ids)),
                FollowUp.status == FollowUpStatus.OPEN.value,
                FollowUp.due_date <= until,
            )
            .order_by(FollowUp.due_date, FollowUp.id),
        )
        return list(rows)

    async def timed_follow_ups(self, since: datetime, until: datetime) -> list[Any]:
        """Open follow-ups given a time of day that falls in (since, until]."""
        rows = await self._session.execute(
            select(
                FollowUp.id,
                FollowUp.owner_id,
                FollowUp.client_id,
                Client.name,
                FollowUp.text,
                FollowUp.due_at,
            )
            .join(Client, Client.id == FollowUp.client_id)
            .where(
                FollowUp.status == FollowUpStatus.OPEN.value,
                FollowUp.due_at.is_not(None),
                FollowUp.due_at > since,
                FollowUp.due_at <= until,
            )
        )
        return list(rows)

    async def key_clients_last_contact(
        self, owner_ids: Collection[int], before: Mapping[str, datetime]
    ) -> list[Any]:
        """Key clients of these owners last contacted (never contacted: added) before their
        tier's bound in `before` (tier → UTC instant; a tier not in it: none of its clients):
        (id, owner, name, tier, last contact or creation)."""
        if not before:
            return []
        # A correlated MAX per key client walks ix_contacts_client_time once each, where a
        # grouped subquery would aggregate every contact of every client first.
        last = func.coalesce(
            select(func.max(ContactLog.happened_at))
            .where(ContactLog.client_id == Client.id)
            .scalar_subquery(),
            Client.created_at,
        )
        bound = case(
            *((Client.tier == tier, literal(at, UTCDateTime())) for tier, at in before.items())
        )
        rows = await column_rows(
            self._session,
            select(Client.id, Client.owner_id, Client.name, Client.tier, last).where(
                Client.owner_id.in_(list(owner_ids)), Client.is_key.is_(True), last < bound
            ),
        )
        return list(rows)

    async def sent_keys(self, kind: str, since: datetime) -> set[str]:
        rows = await self._session.scalars(
            select(OutboxMessage.key).where(
                OutboxMessage.kind == kind, OutboxMessage.created_at >= since
            )
        )
        return set(rows)

    # --- price changes ------------------------------------------------------------------

    async def upcoming_prices(self, today: date) -> list[Any]:
        """Prices taking effect after today: (price id, product id, code, name, new price,
        currency, effective from, current price)."""
        current = (
            select(Price.product_id, func.max(Price.effective_from).label("since"))
            .where(Price.effective_from <= today, Price.removed_in_erp.is_(False))
            .group_by(Price.product_id)
            .subquery()
        )
        now_price = Price.__table__.alias("now_price")
        rows = await self._session.execute(
            select(
                Price.id,
                Product.id,
                Product.code,
                Product.name,
                Price.price,
                Price.currency,
                Price.effective_from,
                now_price.c.price,
            )
            .join(Product, Product.id == Price.product_id)
            .outerjoin(current, current.c.product_id == Price.product_id)
            .outerjoin(
                now_price,
                (now_price.c.product_id == Price.product_id)
                & (now_price.c.effective_from == current.c.since),
            )
            .where(Price.effective_from > today, Price.removed_in_erp.is_(False))
        )
        return list(rows)

    async def buyers(
        self, product_codes: Collection[str], since: date
    ) -> list[tuple[str, int, int]]:
        """(product code, client id, owner id) for clients that ordered these products since
        `since` and have a manager."""
        rows = await self._session.execute(
            select(OrderLine.product_code, Client.id, Client.owner_id)
            .join(Order, Order.id == OrderLine.order_id)
            .join(Client, Client.id == Order.client_id)
            .where(
                OrderLine.product_code.in_(list(product_codes)),
                Order.order_date >= since,
                Client.owner_id.is_not(None),
                Order.removed_in_erp.is_(False),
            )
            .distinct()
        )
        return [(code, cid, owner) for code, cid, owner in rows if code and owner]

    async def add_price_notices(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            await self._session.execute(
                insert_ignoring_conflicts(self._session, PriceNotice), list(rows)
            )

    async def pending_price_notices(self, user_ids: Collection[int]) -> list[Any]:
        """The clients these users have still to tell about a price change, in no
        particular order (the digest orders each user's few): (price id, client id, client
        name, user id, old price). The prices themselves come from `price_facts`: a
        company's tens of thousands of notices share a few dozen prices."""
        return await column_rows(
            self._session,
            _notices().where(
                PriceNotice.user_id.in_(list(user_ids)), PriceNotice.informed_at.is_(None)
            ),
        )

    async def price_facts(
        self, price_ids: Collection[int]
    ) -> dict[int, tuple[Decimal, str, date, str]]:
        """Price id → (price, currency, effective from, product name); a price the ERP
        withdrew is not there."""
        if not price_ids:
            return {}
        rows = await column_rows(
            self._session,
            select(Price.id, Price.price, Price.currency, Price.effective_from, Product.name)
            .join(Product, Product.id == Price.product_id)
            .where(Price.id.in_(list(price_ids)), Price.removed_in_erp.is_(False)),
        )
        return {row[0]: row[1:] for row in rows}

    async def price_notices(
        self,
        *,
        user_ids: Collection[int] | None = None,
        price_ids: Collection[int] | None = None,
        pending_only: bool = False,
    ) -> list[Any]:
        """(price id, client id, client name, user id, old price, new price, currency,
        effective from, product name, informed at)."""
        query = _price_lines(PriceNotice.informed_at).order_by(
            Price.effective_from, Product.name, Client.name
        )
        if user_ids is not None:
            query = query.where(PriceNotice.user_id.in_(list(user_ids)))
        if price_ids is not None:
            query = query.where(PriceNotice.price_id.in_(list(price_ids)))
        if pending_only:
            query = query.where(PriceNotice.informed_at.is_(None))
        return list(await self._session.execute(query))

    async def mark_informed(
        self, price_id: int, client_id: int, user_id: int, now: datetime
    ) -> bool:
        result = await self._session.execute(
            update(PriceNotice)
            .where(
                PriceNotice.price_id == price_id,
                PriceNotice.client_id == client_id,
                PriceNotice.user_id == user_id,
                PriceNotice.informed_at.is_(None),
            )
            .values(informed_at=now)
        )
        return bool(getattr(result, "rowcount", 0))


def _notices(*extra: Any) -> Any:
    """A notice with its client's name: (price id, client id, client name, user id, old
    price, *extra)."""
    return select(
        PriceNotice.price_id,
        PriceNotice.client_id,
        Client.name,
        PriceNotice.user_id,
        PriceNotice.old_price,
        *extra,
    ).join(Client, Client.id == PriceNotice.client_id)


def _price_lines(*extra: Any) -> Any:
    """A notice with its price, product and client: (price id, client id, client name,
    user id, old price, new price, currency, effective from, product name, *extra)."""
    return (
        _notices(Price.price, Price.currency, Price.effective_from, Product.name, *extra)
        .join(Price, Price.id == PriceNotice.price_id)
        .join(Product, Product.id == Price.product_id)
    )
