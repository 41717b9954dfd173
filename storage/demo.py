"""What the demo company writes that no use case of the product writes: a year of the
contact log's past in a few statements, and the ERP's documents as an import of 1C exports
would leave them (through the importer's own `upsert`). The demo generator's only way to
the tables behind these (no ORM model leaves storage/)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.audit import AuditRepo
from storage.dto import ContactCreate, FollowUpCreate, FollowUpStatus, Tier
from storage.erp import UpsertCounts, upsert
from storage.models import (
    Client,
    ContactLog,
    Contract,
    FollowUp,
    Order,
    OrderLine,
    Payment,
    Price,
    ProcessedUpdate,
    Product,
    Shipment,
)


@dataclass(frozen=True)
class PastContact:
    contact: ContactCreate
    # Its next step, done when the next contact came (`closed_at`).
    next_step: FollowUpCreate | None = None
    closed_at: datetime | None = None


# The ERP's documents as the generator plans them. Frozen dataclasses, not pydantic models:
# a year of a company is thousands of rows whose values are made right by construction.


@dataclass(frozen=True, slots=True)
class DemoClient:
    """A client of the ERP's client list, owned by the manager the ERP names."""

    external_id: str
    name: str
    search_key: str
    inn: str
    kpp: str
    tier: Tier
    is_key: bool
    owner_id: int
    erp_manager: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DemoProduct:
    code: str
    name: str
    search_key: str
    unit: str


@dataclass(frozen=True, slots=True)
class DemoPrice:
    product_id: int
    price: Decimal
    currency: str
    effective_from: date
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class DemoContract:
    client_id: int
    number: str
    signed_on: date
    deferral_days: int
    credit_limit: Decimal
    penalty_rate: str | None  # percent a day, as exact text
    currency: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class DemoOrderLine:
    line_no: int
    product_code: str
    product_name: str
    quantity: Decimal
    price: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class DemoOrder:
    number: str
    order_date: date
    client_id: int
    contract_id: int
    status: str
    amount: Decimal
    currency: str
    ship_date: date
    updated_at: datetime
    lines: tuple[DemoOrderLine, ...]


@dataclass(frozen=True, slots=True)
class DemoShipment:
    number: str
    shipped_on: date
    client_id: int
    contract_id: int
    order_id: int
    amount: Decimal
    currency: str
    due_on: date
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class DemoPayment:
    number: str
    paid_on: date
    client_id: int
    contract_id: int
    shipment_id: int | None  # None: an advance (or a payment applied first-in-first-out)
    amount: Decimal
    currency: str
    updated_at: datetime


class DemoRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._audit = AuditRepo(session)

    async def past_contacts(self, history: Sequence[PastContact]) -> int:
        """Contacts with their next steps closed, audited as ContactRepo.add audits each
        one: the same rows, flushed in batches (the ORM groups the inserts)."""
        rows = [
            ContactLog(**item.contact.model_dump(), created_at=item.contact.happened_at)
            for item in history
        ]
        self._session.add_all(rows)
        await self._session.flush()
        for row, item in zip(rows, history, strict=True):
            await self._audit.created(
                "contact",
                row.id,
                item.contact,
                actor_id=item.contact.author_id,
                now=item.contact.happened_at,
            )
            if item.next_step is not None:
                self._session.add(
                    FollowUp(
                        **item.next_step.model_copy(update={"contact_id": row.id}).model_dump(),
                        status=FollowUpStatus.DONE.value,
                        created_at=item.contact.happened_at,
                        closed_at=item.closed_at,
                    )
                )
        await self._session.flush()
        return len(rows)

    async def last_update_id(self) -> int:
        """The highest update id handled lately: the terminal chat numbers its updates on
        from it, so a rerun over the same database is not taken for a replay."""
        return int(await self._session.scalar(select(func.max(ProcessedUpdate.update_id))) or 0)

    # --- the ERP's documents: each call one batched upsert, ids in the order given --------

    async def erp_clients(self, clients: Sequence[DemoClient]) -> list[int]:
        rows = [
            {
                "external_id": c.external_id,
                "name": c.name,
                "search_key": c.search_key,
                "inn": c.inn,
                "kpp": c.kpp,
                "tier": c.tier.value,
                "is_key": c.is_key,
                "owner_id": c.owner_id,
                # Owned as the ERP says, as an import of the client list leaves them.
                "owner_source": "erp",
                "erp_manager": c.erp_manager,
                "removed_in_erp": False,
                "created_at": c.created_at,
                "updated_at": c.created_at,
            }
            for c in clients
        ]
        ids = await upsert(self._session, Client, ("external_id",), rows, UpsertCounts())
        return [ids[(c.external_id,)] for c in clients]

    async def products(self, products: Sequence[DemoProduct]) -> list[int]:
        rows = [
            {"code": p.code, "name": p.name, "search_key": p.search_key, "unit": p.unit}
            for p in products
        ]
        ids = await upsert(self._session, Product, ("code",), rows, UpsertCounts())
        return [ids[(p.code,)] for p in products]

    async def prices(self, prices: Sequence[DemoPrice]) -> int:
        rows = [
            {
                "product_id": p.product_id,
                "price": p.price,
                "currency": p.currency,
                "effective_from": p.effective_from,
                "removed_in_erp": False,
                "updated_at": p.updated_at,
            }
            for p in prices
        ]
        await upsert(self._session, Price, ("product_id", "effective_from"), rows, UpsertCounts())
        return len(rows)

    async def contracts(self, contracts: Sequence[DemoContract]) -> list[int]:
        rows = [
            {
                "client_id": c.client_id,
                "number": c.number,
                "signed_on": c.signed_on,
                "deferral_days": c.deferral_days,
                "credit_limit": c.credit_limit,
                "penalty_rate": c.penalty_rate,
                "currency": c.currency,
                "removed_in_erp": False,
                "updated_at": c.updated_at,
            }
            for c in contracts
        ]
        ids = await upsert(self._session, Contract, ("client_id", "number"), rows, UpsertCounts())
        return [ids[(c.client_id, c.number)] for c in contracts]

    async def orders(self, orders: Sequence[DemoOrder]) -> list[int]:
        """The orders, then all their lines."""
        rows = [
            {
                "number": o.number,
                "order_date": o.order_date,
                "client_id": o.client_id,
                "contract_id": o.contract_id,
                "status": o.status,
                "amount": o.amount,
                "currency": o.currency,
                "ship_date": o.ship_date,
                "removed_in_erp": False,
                "updated_at": o.updated_at,
            }
            for o in orders
        ]
        found = await upsert(self._session, Order, ("number", "order_date"), rows, UpsertCounts())
        ids = [found[(o.number, o.order_date)] for o in orders]
        line_rows = [
            {
                "line_no": line.line_no,
                "product_code": line.product_code,
                "product_name": line.product_name,
                "quantity": line.quantity,
                "price": line.price,
                "amount": line.amount,
                "removed_in_erp": False,
                "order_id": order_id,
            }
            for order, order_id in zip(orders, ids, strict=True)
            for line in order.lines
        ]
        await upsert(self._session, OrderLine, ("order_id", "line_no"), line_rows, UpsertCounts())
        return ids

    async def shipments(self, shipments: Sequence[DemoShipment]) -> list[int]:
        rows = [
            {
                "number": s.number,
                "shipped_on": s.shipped_on,
                "client_id": s.client_id,
                "contract_id": s.contract_id,
                "order_id": s.order_id,
                "amount": s.amount,
                "currency": s.currency,
                "due_on": s.due_on,
                "removed_in_erp": False,
                "updated_at": s.updated_at,
            }
            for s in shipments
        ]
        ids = await upsert(self._session, Shipment, ("number", "shipped_on"), rows, UpsertCounts())
        return [ids[(s.number, s.shipped_on)] for s in shipments]

    async def payments(self, payments: Sequence[DemoPayment]) -> int:
        rows = [
            {
                "number": p.number,
                "paid_on": p.paid_on,
                "client_id": p.client_id,
                "contract_id": p.contract_id,
                "shipment_id": p.shipment_id,
                "amount": p.amount,
                "currency": p.currency,
                "removed_in_erp": False,
                "updated_at": p.updated_at,
            }
            for p in payments
        ]
        await upsert(self._session, Payment, ("number", "paid_on"), rows, UpsertCounts())
        return len(rows)
