"""Reads behind the supervisors' team summaries: each one query for any number of managers,
so a company of a thousand managers costs the same number of queries as a team of three."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, case, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from storage.claims import OPEN as OPEN_CLAIM_STATUSES
from storage.dto import FollowUpStatus, Stage
from storage.erp import overdue_per_client, owed_falling_due
from storage.models import Claim, Client, ContactLog, FollowUp, Opportunity, Shipment
from storage.types import MinorUnits, UTCDateTime


@dataclass(frozen=True, slots=True)
class KeyClientFact:
    client_id: int
    owner_id: int
    name: str
    tier: str
    created_at: datetime
    last_before: datetime | None  # the last contact before the period
    last_contact: datetime | None  # the last contact at all
    contacts_in_period: int


@dataclass(frozen=True, slots=True)
class FollowUpFact:
    owner_id: int
    due_date: date
    status: str
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class ClaimFigures:
    manager_id: int
    opened: int
    closed: int
    late: int


@dataclass(frozen=True, slots=True)
class ClosedDeals:
    owner_id: int
    won: int
    won_amount: Decimal
    lost: int


@dataclass(frozen=True, slots=True)
class OverdueClient:
    client_id: int
    owner_id: int
    name: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class UrgentClaim:
    claim_id: int
    number: str
    manager_id: int
    client_name: str
    deadline: date


class ReportRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def contacts_by_channel(
        self, author_ids: Collection[int], since: datetime, until: datetime
    ) -> list[tuple[int, str, int]]:
        """(author, channel, contacts logged) in [since, until)."""
        rows = await self._session.execute(
            select(ContactLog.author_id, ContactLog.channel, func.count(ContactLog.id))
            .where(
                ContactLog.author_id.in_(list(author_ids)),
                ContactLog.happened_at >= since,
                ContactLog.happened_at < until,
            )
            .group_by(ContactLog.author_id, ContactLog.channel)
        )
        return [(a, c, int(n)) for a, c, n in rows]

    async def key_clients(
        self, owner_ids: Collection[int], since: datetime, until: datetime
    ) -> list[KeyClientFact]:
        """The owners' key clients with their last contact before `since`, their last
        contact at all, and how many contacts fell in [since, until)."""
        in_period = and_(ContactLog.happened_at >= since, ContactLog.happened_at < until)
        rows = await self._session.execute(
            select(
                Client.id,
                Client.owner_id,
                Client.name,
                Client.tier,
                Client.created_at,
                func.max(
                    case((ContactLog.happened_at < since, ContactLog.happened_at)),
                    type_=UTCDateTime(),
                ),
                func.max(ContactLog.happened_at, type_=UTCDateTime()),
                func.count(case((in_period, ContactLog.id))),
            )
            .outerjoin(ContactLog, ContactLog.client_id == Client.id)
            .where(
                Client.owner_id.in_(list(owner_ids)),
                Client.is_key.is_(True),
                Client.removed_in_erp.is_(False),
            )
            .group_by(Client.id)
        )
        return [
            KeyClientFact(i, o, n, t, created, before, last, int(count))
            for i, o, n, t, created, before, last, count in rows
        ]

    async def follow_ups_due(
        self, owner_ids: Collection[int], first: date, last: date
    ) -> list[FollowUpFact]:
        """Next steps that fell due on [first, last] and were not cancelled."""
        rows = await self._session.execute(
            select(
                FollowUp.owner_id, FollowUp.due_date, FollowUp.status, FollowUp.closed_at
            ).where(
                FollowUp.owner_id.in_(list(owner_ids)),
                FollowUp.due_date >= first,
                FollowUp.due_date <= last,
                FollowUp.status != FollowUpStatus.CANCELLED.value,
            )
        )
        return [FollowUpFact(*r) for r in rows]

    async def new_overdue(
        self, owner_ids: Collection[int], first: date, until: date
    ) -> dict[int, Decimal]:
        """What fell due on [first, until) and is still owed, per owner (roubles)."""
        rows = await self._session.execute(
            select(Client.owner_id, func.sum(Shipment.open_amount, type_=MinorUnits()))
            .join(Client, Client.id == Shipment.client_id)
            .where(*owed_falling_due(owner_ids, first, until))
            .group_by(Client.owner_id)
        )
        return {o: a for o, a in rows if o is not None and a is not None}

    async def worst_overdue_clients(
        self, owner_ids: Collection[int], today: date
    ) -> list[OverdueClient]:
        """Each owner's client with the most overdue money (roubles), largest first: one
        row per owner, picked in SQL (a window), not thousands of clients in Python."""
        per_client = overdue_per_client(
            self._session, owner_ids, today, func.sum(Shipment.open_amount).label("total")
        )
        ranked = (
            select(
                Client.id.label("client_id"),
                Client.owner_id.label("owner_id"),
                Client.name.label("name"),
                per_client.c.total,
                func.row_number()
                .over(
                    partition_by=Client.owner_id, order_by=(per_client.c.total.desc(), Client.id)
                )
                .label("rank"),
            )
            .select_from(per_client)
            .join(Client, Client.id == per_client.c.client_id)
            .subquery()
        )
        rows = await self._session.execute(
            select(
                ranked.c.client_id,
                ranked.c.owner_id,
                ranked.c.name,
                type_coerce(ranked.c.total, MinorUnits()),
            )
            .where(ranked.c.rank == 1)
            .order_by(ranked.c.total.desc(), ranked.c.client_id)
        )
        return [OverdueClient(i, o, n, a) for i, o, n, a in rows if o is not None and a]

    async def claim_figures(
        self, manager_ids: Collection[int], since: datetime, until: datetime, today: date
    ) -> list[ClaimFigures]:
        """Claims opened and closed in [since, until), and open ones past their deadline
        (the internal one where set, else the legal one) as of `today`."""
        deadline = func.coalesce(Claim.internal_deadline, Claim.legal_deadline)
        opened = func.count(case((and_(Claim.created_at >= since, Claim.created_at < until), 1)))
        closed = func.count(case((and_(Claim.closed_at >= since, Claim.closed_at < until), 1)))
        late = func.count(case((and_(Claim.status.in_(OPEN_CLAIM_STATUSES), deadline < today), 1)))
        rows = await self._session.execute(
            select(Claim.manager_id, opened, closed, late)
            .where(Claim.manager_id.in_(list(manager_ids)))
            .group_by(Claim.manager_id)
        )
        return [ClaimFigures(m, int(o), int(c), int(la)) for m, o, c, la in rows]

    async def urgent_claims(self, manager_ids: Collection[int]) -> list[UrgentClaim]:
        """Open claims, the nearest deadline first."""
        deadline = func.coalesce(Claim.internal_deadline, Claim.legal_deadline)
        rows = await self._session.execute(
            select(Claim.id, Claim.year, Claim.sequence, Claim.manager_id, Client.name, deadline)
            .join(Client, Client.id == Claim.client_id)
            .where(
                Claim.manager_id.in_(list(manager_ids)),
                Claim.status.in_(OPEN_CLAIM_STATUSES),
            )
            .order_by(deadline, Claim.id)
        )
        return [UrgentClaim(i, f"CL-{y}-{s:04d}", m, n, _as_date(d)) for i, y, s, m, n, d in rows]

    async def closed_deals(
        self, owner_ids: Collection[int], since: datetime, until: datetime
    ) -> list[ClosedDeals]:
        """Opportunities won or lost in [since, until) (by their last change), with the
        roubles won."""
        won = Opportunity.stage == Stage.WON.value
        rows = await self._session.execute(
            select(
                Opportunity.owner_id,
                func.count(case((won, 1))),
                func.sum(
                    case((and_(won, Opportunity.currency == "RUB"), Opportunity.amount)),
                    type_=MinorUnits(),
                ),
                func.count(case((Opportunity.stage == Stage.LOST.value, 1))),
            )
            .where(
                Opportunity.owner_id.in_(list(owner_ids)),
                Opportunity.stage.in_([Stage.WON.value, Stage.LOST.value]),
                Opportunity.updated_at >= since,
                Opportunity.updated_at < until,
            )
            .group_by(Opportunity.owner_id)
        )
        return [
            ClosedDeals(o, int(w), amount or Decimal("0.00"), int(lost))
            for o, w, amount, lost in rows
        ]


def _as_date(value: date | str) -> date:
    # COALESCE of two DATE columns loses the column type on SQLite: the driver hands back
    # the stored ISO text.
    return value if isinstance(value, date) else date.fromisoformat(value)
