"""Reads behind the analysis screens: revenue for ABC, the facts of churn signals and the
rows of the Excel export. One query per list, whatever the number of clients or owners.
`owners` arguments are the owner ids a viewer may see (None: all)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    BigInteger,
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Date,
    Select,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.accounts import (
    DUE_ORDER,
    OVERDUE_ORDER,
    by_kind,
    due_follow_ups_conditions,
    ever_owned_by,
    key_clients_query,
    opportunity_of,
    overdue_opportunities_conditions,
    owner_on,
    slot_row,
)
from storage.dto import ClientLine, DueFollowUp, OpportunityDTO
from storage.erp import unindexed
from storage.models import (
    BusinessSetting,
    Claim,
    Client,
    ContactLog,
    FollowUp,
    Opportunity,
    Order,
    OrderLine,
    Shipment,
    User,
)
from storage.types import MinorUnits

Owners = Collection[int] | None
# ABC and churn compare roubles with roubles: documents in another currency are left out.
CURRENCY = "RUB"


@dataclass(frozen=True, slots=True)
class ClientRevenue:
    client_id: int
    name: str
    owner_id: int | None
    tier: str
    revenue: Decimal  # 0 when nothing was shipped in the period


@dataclass(frozen=True, slots=True)
class ProductRevenue:
    code: str  # the article; the name when the ERP gave none
    name: str
    revenue: Decimal


@dataclass(frozen=True, slots=True)
class ChurnFacts:
    client_id: int
    name: str
    owner_id: int
    recent: Decimal
    previous: Decimal
    last_order: date | None


class AgendaFacts(NamedTuple):
    """What a manager's agenda is computed from (AnalyticsRepo.agenda_facts)."""

    settings: dict[str, str]  # the business settings as stored
    key_clients: list[ClientLine]  # last_contact_at: the last contact, else when added
    follow_ups: list[DueFollowUp]
    overdue_opportunities: list[tuple[OpportunityDTO, str]]  # with the client's name
    churn: list[ChurnFacts]
    order_days: dict[int, list[date]]


@dataclass(frozen=True, slots=True)
class ContactRow:
    happened_at: datetime
    client: str
    author: str
    channel: str
    outcome: str
    summary: str


@dataclass(frozen=True, slots=True)
class OrderRow:
    number: str
    order_date: date
    client: str
    manager: str
    status: str
    amount: Decimal
    currency: str
    ship_date: date | None


@dataclass(frozen=True, slots=True)
class OpenShipmentRow:
    client: str
    manager: str
    number: str
    shipped_on: date
    due_on: date
    open_amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class ClaimRow:
    year: int
    sequence: int
    created_at: datetime
    client: str
    manager: str
    direction: str
    category: str | None
    status: str
    amount: Decimal | None
    currency: str
    internal_deadline: date | None
    legal_deadline: date
    description: str


def _scope(owners: Owners) -> list[ColumnElement[bool]]:
    """The condition that keeps a query to these owners' clients (none: all)."""
    return [] if owners is None else [Client.owner_id.in_(list(owners))]


def _money(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal("0.00")


def _owned_by(owner_ids: Collection[int] | BindParameter[Any]) -> ColumnElement[bool]:
    ids = owner_ids if isinstance(owner_ids, BindParameter) else list(owner_ids)
    return Client.owner_id.in_(ids)


def churn_facts_query(
    owner_ids: Collection[int] | BindParameter[Any],
    *,
    recent_from: date | ColumnElement[date],
    previous_from: date | ColumnElement[date],
    until: date | ColumnElement[date],
) -> Select[*tuple[Any, ...]]:
    """`AnalyticsRepo.churn_facts`: id, name, owner_id, recent, previous, last. The last
    order is read per key client through the orders' client index (not by grouping every
    order of the company)."""
    last_order = (
        select(func.max(Order.order_date))
        .where(Order.client_id == Client.id, Order.removed_in_erp.is_(False))
        .correlate(Client)
        .scalar_subquery()
    )
    in_recent = Shipment.shipped_on >= recent_from
    return (
        select(
            Client.id,
            Client.name,
            Client.owner_id,
            func.sum(case((in_recent, Shipment.amount), else_=0), type_=MinorUnits()).label(
                "recent"
            ),
            func.sum(case((in_recent, 0), else_=Shipment.amount), type_=MinorUnits()).label(
                "previous"
            ),
            type_coerce(last_order, Date()).label("last"),
        )
        .outerjoin(
            Shipment,
            and_(
                Shipment.client_id == Client.id,
                Shipment.shipped_on >= previous_from,
                Shipment.shipped_on <= until,
                Shipment.removed_in_erp.is_(False),
                Shipment.currency == CURRENCY,
            ),
        )
        .where(
            _owned_by(owner_ids),
            Client.is_key.is_(True),
            Client.removed_in_erp.is_(False),
        )
        .group_by(Client.id, Client.name, Client.owner_id)
    )


def order_days_query(
    owner_ids: Collection[int] | BindParameter[Any],
    since: date | ColumnElement[date],
    until: date | ColumnElement[date],
) -> Select[*tuple[Any, ...]]:
    """`AnalyticsRepo.order_days`, unordered: client_id, order_date."""
    return (
        select(Order.client_id, Order.order_date)
        .join(Client, Client.id == Order.client_id)
        .where(
            _owned_by(owner_ids),
            Client.is_key.is_(True),
            Order.removed_in_erp.is_(False),
            Order.order_date >= since,
            Order.order_date <= until,
        )
        .distinct()
    )


@cache
def _agenda_query() -> CompoundSelect[*tuple[Any, ...]]:
    """AnalyticsRepo.agenda_facts's statement, built once (building it costs more than
    running it): binds owner, owners ([owner]), today, recent_from, previous_from and
    order_days_from."""
    owner = bindparam("owner", type_=BigInteger())
    owners: BindParameter[Any] = bindparam("owners", expanding=True)
    today = bindparam("today", type_=Date())
    recent_from = bindparam("recent_from", type_=Date())
    previous_from = bindparam("previous_from", type_=Date())
    order_days_from = bindparam("order_days_from", type_=Date())
    key = key_clients_query(owner).subquery()
    churn = churn_facts_query(
        owners, recent_from=recent_from, previous_from=previous_from, until=today
    ).subquery()
    days = order_days_query(owners, order_days_from, today).subquery()
    query = union_all(
        slot_row("setting", t=(BusinessSetting.key, BusinessSetting.value)),
        slot_row(
            "key_client",
            i=(key.c.id, key.c.owner_id),
            t=(key.c.name, key.c.tier),
            b=(key.c.is_key,),
            ts=(key.c.last, key.c.created_at),
        ),
        slot_row(
            "follow_up",
            func.row_number().over(order_by=DUE_ORDER),
            i=(FollowUp.id, FollowUp.client_id),
            t=(Client.name, FollowUp.text),
            d=(FollowUp.due_date,),
            ts=(FollowUp.due_at,),
        )
        .join_from(FollowUp, Client, Client.id == FollowUp.client_id)
        .where(*due_follow_ups_conditions(owner, today)),
        slot_row(
            "opportunity",
            func.row_number().over(order_by=OVERDUE_ORDER),
            i=(Opportunity.id, Opportunity.client_id, Opportunity.owner_id),
            t=(Opportunity.title, Opportunity.currency, Opportunity.stage, Client.name),
            m=(Opportunity.amount,),
            d=(Opportunity.expected_close,),
        )
        .join_from(Opportunity, Client, Client.id == Opportunity.client_id)
        .where(*overdue_opportunities_conditions(owner, today)),
        slot_row(
            "churn",
            i=(churn.c.id, churn.c.owner_id),
            t=(churn.c.name,),
            m=(churn.c.recent, churn.c.previous),
            d=(churn.c.last,),
        ),
        slot_row("order_day", i=(days.c.client_id,), d=(days.c.order_date,)),
    )
    return query


class AnalyticsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # --- ABC ------------------------------------------------------------------------------

    async def client_revenue(self, owners: Owners, start: date, end: date) -> list[ClientRevenue]:
        """Every visible client (removed in the ERP excepted) with its shipped amount in
        [start, end]: returns count negative, removed documents not at all. For a set of
        owners a shipment counts when its client was theirs on the day shipped: the
        clients they own now, and those they owned then (handed over since), each with
        the revenue of their time. `owner_id` is the current owner. One query."""
        counted = [Shipment.removed_in_erp.is_(False), Shipment.currency == CURRENCY]
        columns = (Client.id, Client.name, Client.owner_id, Client.tier)
        if owners is None:
            shipped = and_(
                Shipment.client_id == Client.id,
                Shipment.shipped_on >= start,
                Shipment.shipped_on <= end,
                *counted,
            )
            query = (
                select(*columns, func.sum(Shipment.amount, type_=MinorUnits()))
                .outerjoin(Shipment, shipped)
                .where(Client.removed_in_erp.is_(False))
                .group_by(*columns)
            )
        else:
            owner = owner_on(Shipment.client_id, Shipment.shipped_on)
            # From the owners' clients, not the period's days (as PlanRepo.actuals).
            dated = unindexed(self._session, Shipment.shipped_on)
            theirs = (
                select(Shipment.client_id, func.sum(Shipment.amount).label("revenue"))
                .join(Client, Client.id == Shipment.client_id)
                .outerjoin(owner.period, owner.onclause)
                .where(
                    dated >= start,
                    dated <= end,
                    *counted,
                    ever_owned_by(owners),
                    owner.owner.in_(list(owners)),
                )
                .group_by(Shipment.client_id)
                .subquery()
            )
            query = (
                select(*columns, type_coerce(theirs.c.revenue, MinorUnits()))
                .outerjoin(theirs, theirs.c.client_id == Client.id)
                .where(
                    Client.removed_in_erp.is_(False),
                    ever_owned_by(owners),
                    or_(Client.owner_id.in_(list(owners)), theirs.c.client_id.is_not(None)),
                )
            )
        rows = await self._session.execute(query)
        return [ClientRevenue(i, n, o, t, _money(r)) for i, n, o, t, r in rows]

    async def product_revenue(
        self, owners: Owners, start: date, end: date
    ) -> list[ProductRevenue]:
        """Order-line amounts of the orders dated in [start, end] of the clients these
        owners owned on the order's date (all clients for None), by article (by name for
        lines without one)."""
        key = func.coalesce(OrderLine.product_code, OrderLine.product_name)
        query = (
            select(key, func.max(OrderLine.product_name), func.sum(OrderLine.amount))
            .join(Order, Order.id == OrderLine.order_id)
            .join(Client, Client.id == Order.client_id)
            .where(
                Order.order_date >= start,
                Order.order_date <= end,
                Order.removed_in_erp.is_(False),
                OrderLine.removed_in_erp.is_(False),
                Order.currency == CURRENCY,
            )
            .group_by(key)
        )
        if owners is not None:
            owner = owner_on(Order.client_id, Order.order_date)
            query = query.outerjoin(owner.period, owner.onclause).where(
                ever_owned_by(owners), owner.owner.in_(list(owners))
            )
        rows = await self._session.execute(query)
        return [ProductRevenue(str(k), str(n), _money(r)) for k, n, r in rows]

    # --- churn ----------------------------------------------------------------------------

    async def churn_facts(
        self,
        owner_ids: Collection[int],
        *,
        recent_from: date,
        previous_from: date,
        until: date,
    ) -> list[ChurnFacts]:
        """Key clients of these owners: shipped in [recent_from, until] and in
        [previous_from, recent_from), and the day of their last order (one query)."""
        rows = await self._session.execute(
            churn_facts_query(
                owner_ids, recent_from=recent_from, previous_from=previous_from, until=until
            )
        )
        return [
            ChurnFacts(i, n, o, _money(recent), _money(previous), last)
            for i, n, o, recent, previous, last in rows
        ]

    async def order_days(
        self, owner_ids: Collection[int], since: date, until: date
    ) -> dict[int, list[date]]:
        """The distinct days key clients of these owners ordered on in [since, until],
        oldest first (one query)."""
        rows = await self._session.execute(
            order_days_query(owner_ids, since, until).order_by(Order.client_id, Order.order_date)
        )
        days: dict[int, list[date]] = {}
        for client_id, day in rows:
            days.setdefault(client_id, []).append(day)
        return days

    async def agenda_facts(
        self,
        owner_id: int,
        *,
        today: date,
        recent_from: date,
        previous_from: date,
        order_days_from: date,
    ) -> AgendaFacts:
        """Everything the owner's agenda is computed from, in one statement (a slotted
        UNION ALL, see storage.accounts.slot_row): the business settings as stored, the
        owner's key clients with their last contact, open follow-ups due by `today`,
        open opportunities whose close date is before `today`, and the churn facts and
        order days (`churn_facts`, `order_days`) of the owner's key clients."""
        params = {
            "owner": owner_id,
            "owners": [owner_id],
            "today": today,
            "recent_from": recent_from,
            "previous_from": previous_from,
            "order_days_from": order_days_from,
        }
        kinds = by_kind(list(await self._session.execute(_agenda_query(), params)))
        order_days: dict[int, list[date]] = {}
        for client_id, day in sorted((r.i1, r.d1) for r in kinds.get("order_day", [])):
            order_days.setdefault(client_id, []).append(day)
        return AgendaFacts(
            settings={r.t1: r.t2 for r in kinds.get("setting", [])},
            key_clients=[
                ClientLine(
                    id=r.i1,
                    owner_id=r.i2,
                    name=r.t1,
                    tier=r.t2,
                    is_key=r.b1,
                    last_contact_at=r.ts1 or r.ts2,
                )
                for r in kinds.get("key_client", [])
            ],
            follow_ups=[
                DueFollowUp(
                    id=r.i1,
                    client_id=r.i2,
                    client_name=r.t1,
                    text=r.t2,
                    due_date=r.d1,
                    due_at=r.ts1,
                )
                for r in kinds.get("follow_up", [])
            ],
            overdue_opportunities=[
                (opportunity_of(r), r.t4) for r in kinds.get("opportunity", [])
            ],
            churn=[
                ChurnFacts(r.i1, r.t1, r.i2, _money(r.m1), _money(r.m2), r.d1)
                for r in kinds.get("churn", [])
            ],
            order_days=order_days,
        )

    # --- the export -----------------------------------------------------------------------

    async def contacts(self, owners: Owners, start: datetime, end: datetime) -> list[ContactRow]:
        """Contacts with the visible clients in [start, end), oldest first."""
        query = (
            select(
                ContactLog.happened_at,
                Client.name,
                User.full_name,
                ContactLog.channel,
                ContactLog.outcome,
                ContactLog.summary,
            )
            .join(Client, Client.id == ContactLog.client_id)
            .join(User, User.id == ContactLog.author_id)
            .where(ContactLog.happened_at >= start, ContactLog.happened_at < end)
            .order_by(ContactLog.happened_at, ContactLog.id)
        )
        rows = await self._session.execute(query.where(*_scope(owners)))
        return [ContactRow(*r) for r in rows]

    async def orders(self, owners: Owners, start: date, end: date) -> list[OrderRow]:
        manager = aliased(User)
        query = (
            select(
                Order.number,
                Order.order_date,
                Client.name,
                func.coalesce(manager.full_name, ""),
                Order.status,
                Order.amount,
                Order.currency,
                Order.ship_date,
            )
            .join(Client, Client.id == Order.client_id)
            .outerjoin(manager, manager.id == Client.owner_id)
            .where(
                Order.order_date >= start,
                Order.order_date <= end,
                Order.removed_in_erp.is_(False),
            )
            .order_by(Order.order_date, Order.number)
        )
        rows = await self._session.execute(query.where(*_scope(owners)))
        return [OrderRow(*r) for r in rows]

    async def open_shipments(self, owners: Owners) -> list[OpenShipmentRow]:
        """Shipments still owed (the open amounts the imports keep), by due date."""
        manager = aliased(User)
        query = (
            select(
                Client.name,
                func.coalesce(manager.full_name, ""),
                Shipment.number,
                Shipment.shipped_on,
                Shipment.due_on,
                Shipment.open_amount,
                Shipment.currency,
            )
            .join(Client, Client.id == Shipment.client_id)
            .outerjoin(manager, manager.id == Client.owner_id)
            .where(Shipment.removed_in_erp.is_(False), Shipment.open_amount > 0)
            .order_by(Shipment.due_on, Client.name, Shipment.number)
        )
        rows = await self._session.execute(query.where(*_scope(owners)))
        return [OpenShipmentRow(c, m, n, s, d, _money(a), cur) for c, m, n, s, d, a, cur in rows]

    async def claims(self, owners: Owners, start: datetime, end: datetime) -> list[ClaimRow]:
        """Claims registered in [start, end) on the visible clients."""
        manager = aliased(User)
        query = (
            select(
                Claim.year,
                Claim.sequence,
                Claim.created_at,
                Client.name,
                manager.full_name,
                Claim.direction,
                Claim.category,
                Claim.status,
                Claim.amount,
                Claim.currency,
                Claim.internal_deadline,
                Claim.legal_deadline,
                Claim.description,
            )
            .join(Client, Client.id == Claim.client_id)
            .join(manager, manager.id == Claim.manager_id)
            .where(Claim.created_at >= start, Claim.created_at < end)
            .order_by(Claim.created_at, Claim.id)
        )
        rows = await self._session.execute(query.where(*_scope(owners)))
        return [ClaimRow(*cast(tuple[Any, ...], r)) for r in rows]
