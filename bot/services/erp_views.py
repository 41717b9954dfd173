"""What the chat shows of ERP data: receivables by client and manager, orders, prices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from bot.services.access import AccessDenied, client_for, visible_owners
from bot.services.client_search import query_key
from bot.services.receivables import BUCKETS, ZERO, ClientReceivables, receivables
from storage.dto import UserDTO
from storage.erp_dto import (
    ClientOwner,
    OrderDTO,
    OrderLineDTO,
    OrderRow,
    Page,
    PriceLine,
    ShipmentDTO,
)
from storage.repositories import Repos


@dataclass
class DebtLine:
    client_id: int
    client_name: str
    owner_id: int | None
    money: ClientReceivables
    credit_limit: Decimal | None = None


@dataclass
class DebtsReport:
    currency: str
    lines: list[DebtLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.money.total for line in self.lines), ZERO)

    @property
    def overdue(self) -> Decimal:
        return sum((line.money.overdue for line in self.lines), ZERO)

    @property
    def advance(self) -> Decimal:
        return sum((line.money.advance for line in self.lines), ZERO)

    @property
    def buckets(self) -> dict[str, Decimal]:
        result = dict.fromkeys(BUCKETS, ZERO)
        for line in self.lines:
            for key, value in line.money.buckets.items():
                result[key] += value
        return result

    def by_owner(self) -> dict[int | None, tuple[Decimal, Decimal]]:
        result: dict[int | None, tuple[Decimal, Decimal]] = {}
        for line in self.lines:
            total, overdue = result.get(line.owner_id, (ZERO, ZERO))
            result[line.owner_id] = (total + line.money.total, overdue + line.money.overdue)
        return result


async def debts(
    repos: Repos, user: UserDTO, *, today: date, client_id: int | None = None
) -> list[DebtsReport]:
    """Receivables of what the user may see (one client if given), per currency. Three
    queries whatever the number of clients."""
    erp = repos.erp
    if client_id is not None:
        client = await client_for(repos, user, client_id)
        clients = {client.id: ClientOwner(client.name, client.owner_id)}
    else:
        clients = await erp.clients_of(await visible_owners(repos, user))
    if not clients:
        return []
    stored = await erp.receivable_facts(list(clients))
    facts = receivables(stored.shipments, stored.payments, today)
    limits: dict[int, Decimal] = {}
    if client_id is not None:
        for row in await erp.contracts_of([client_id]):
            if row.credit_limit is not None:
                limits[row.client_id] = limits.get(row.client_id, ZERO) + row.credit_limit
    reports: dict[str, DebtsReport] = {}
    for (cid, currency), money in facts.items():
        if not money.open and money.advance == 0:
            continue
        holder = clients[cid]
        reports.setdefault(currency, DebtsReport(currency)).lines.append(
            DebtLine(cid, holder.name, holder.owner_id, money, limits.get(cid))
        )
    for report in reports.values():
        report.lines.sort(key=lambda line: (-line.money.overdue, -line.money.total))
    return sorted(reports.values(), key=lambda r: r.currency != "RUB")


async def orders_page(
    repos: Repos,
    user: UserDTO,
    *,
    client_id: int | None,
    status_open: bool | None,
    page: int,
    size: int,
) -> Page[OrderRow]:
    owners = [client_id] if client_id is not None else None
    if client_id is not None:
        await client_for(repos, user, client_id)
    else:
        visible = await visible_owners(repos, user)
        owners = None if visible is None else list((await repos.erp.clients_of(visible)).keys())
    return await repos.erp.orders(owners, status_open=status_open, offset=page * size, limit=size)


@dataclass
class OrderView:
    order: OrderDTO
    client_name: str
    lines: list[OrderLineDTO]
    shipments: list[ShipmentDTO]
    paid: dict[int, Decimal]
    status_history: list[tuple[datetime, str]] = field(default_factory=list)  # (when, status)


async def order_view(
    repos: Repos,
    user: UserDTO,
    number: str | None = None,
    *,
    order_id: int | None = None,
    today: date,
) -> OrderView | None:
    """The order by its number as typed (the latest of that number), or by its id (a
    button of /orders); None when the user may not see it or it does not exist."""
    erp = repos.erp
    visible = await visible_owners(repos, user)
    client_ids = None if visible is None else list((await erp.clients_of(visible)).keys())
    if order_id is not None:
        order = await erp.order_by_id(order_id, client_ids)
    else:
        found = await erp.orders_by_number((number or "").strip().lstrip("№").strip(), client_ids)
        order = found[0] if found else None
    if order is None:
        return None
    client = await client_for(repos, user, order.client_id)
    shipments = await erp.order_shipments(order.id)
    paid: dict[int, Decimal] = {}
    if shipments:
        stored = await erp.receivable_facts([client.id])
        facts = receivables(stored.shipments, stored.payments, today)
        owed = {o.shipment.id: o.remaining for money in facts.values() for o in money.open}
        paid = {s.id: s.amount - owed.get(s.id, ZERO) for s in shipments}
    history = [
        (entry.at, str(entry.changes["status"][1]))
        for entry in await repos.audit.history("order", order.id)
        if "status" in entry.changes
    ]
    return OrderView(order, client.name, await erp.order_lines(order.id), shipments, paid, history)


async def price_lookup(repos: Repos, text: str, *, today: date) -> list[PriceLine]:
    if not text.strip():
        raise AccessDenied
    return await repos.erp.prices(query_key(text), text.strip(), today, 15)
