"""What the chat shows of ERP data: receivables by client and manager, orders, prices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from bot.services.access import AccessDenied, client_for, visible_owners
from bot.services.client_search import query_key
from bot.services.receivables import (
    BUCKETS,
    ZERO,
    ClientReceivables,
    PaymentFact,
    ShipmentFact,
    receivables,
)
from storage.dto import UserDTO
from storage.erp import ErpRepo
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
    erp = ErpRepo(repos.session)
    if client_id is not None:
        client = await client_for(repos, user, client_id)
        clients = {client.id: (client.name, client.owner_id)}
    else:
        clients = await erp.clients_of(await visible_owners(repos, user))
    if not clients:
        return []
    ship_rows, pay_rows = await erp.receivable_facts(list(clients))
    facts = receivables(
        [ShipmentFact(*r) for r in ship_rows], [PaymentFact(*r) for r in pay_rows], today
    )
    limits: dict[int, Decimal] = {}
    if client_id is not None:
        for row in await erp.contracts_of([client_id]):
            if row.credit_limit is not None:
                limits[row.client_id] = limits.get(row.client_id, ZERO) + row.credit_limit
    reports: dict[str, DebtsReport] = {}
    for (cid, currency), money in facts.items():
        if not money.open and money.advance == 0:
            continue
        name, owner = clients[cid]
        reports.setdefault(currency, DebtsReport(currency)).lines.append(
            DebtLine(cid, name, owner, money, limits.get(cid))
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
) -> tuple[list[Any], int]:
    owners = [client_id] if client_id is not None else None
    if client_id is not None:
        await client_for(repos, user, client_id)
    else:
        visible = await visible_owners(repos, user)
        owners = (
            None
            if visible is None
            else list((await ErpRepo(repos.session).clients_of(visible)).keys())
        )
    return await ErpRepo(repos.session).orders(
        owners, status_open=status_open, offset=page * size, limit=size
    )


@dataclass
class OrderView:
    order: Any
    client_name: str
    lines: list[Any]
    shipments: list[Any]
    paid: dict[int, Decimal]
    status_history: list[tuple[Any, str]] = field(default_factory=list)  # (when, new status)


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
    erp = ErpRepo(repos.session)
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
        ship_rows, pay_rows = await erp.receivable_facts([client.id])
        facts = receivables(
            [ShipmentFact(*r) for r in ship_rows], [PaymentFact(*r) for r in pay_rows], today
        )
        owed = {o.shipment.id: o.remaining for money in facts.values() for o in money.open}
        paid = {s.id: s.amount - owed.get(s.id, ZERO) for s in shipments}
    history = [
        (entry.at, str(entry.changes["status"][1]))
        for entry in await repos.audit.history("order", order.id)
        if "status" in entry.changes
    ]
    return OrderView(order, client.name, await erp.order_lines(order.id), shipments, paid, history)


async def price_lookup(repos: Repos, text: str, *, today: date) -> list[Any]:
    if not text.strip():
        raise AccessDenied
    return await ErpRepo(repos.session).prices(query_key(text), text.strip(), today, 15)
