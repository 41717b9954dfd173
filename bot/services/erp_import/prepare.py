"""Preparing a staged file: every row resolved against what is stored (new, changed,
unchanged, removed by a snapshot) and what follows from it (returns linked to their bases,
each shipment's open amount after the payments) written as the run's pending operations, a
batch per short transaction. Nothing the bot shows changes until the switch."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, datetime
from typing import NamedTuple, Protocol, TypeVar

from bot.services.client_search import search_key
from bot.services.erp_import.managers import match_manager
from bot.services.erp_import.summary import BATCH, ImportSummary
from bot.services.erp_import.validate import Lookups
from bot.services.receivables import open_amounts
from storage.engine import Database
from storage.erp import ErpRepo, UpsertCounts
from storage.erp_dto import (
    ClientOperation,
    DateWindow,
    DocumentRef,
    ErpClient,
    ErpContract,
    ErpDocument,
    ErpOrder,
    ErpOrderLine,
    ErpPayment,
    ErpPlan,
    ErpPrice,
    ErpShipment,
    OpenAmount,
    PaymentFact,
    PlanOperation,
    PlanScope,
    ProductOperation,
    ReturnBase,
    ShipmentFact,
    StoredClient,
)
from storage.imports import ImportRepo
from storage.repositories import Repos

# Document kinds, prepared by prepare_documents; clients, prices and plans have their own
# preparation (a client's owner is decided at the switch: the chat may have handed it over
# since, and an owner set in the chat wins).
DOCUMENTS: dict[str, type[ErpDocument]] = {
    "contracts": ErpContract,
    "orders": ErpOrder,
    "order_lines": ErpOrderLine,
    "shipments": ErpShipment,
    "payments": ErpPayment,
}
PREPARED = tuple(DOCUMENTS)
Beat = Callable[[], datetime]
_R = TypeVar("_R", bound=tuple[object, ...])


class _Return(NamedTuple):
    """A return in the file, and the number of the shipment it names as its base."""

    number: str
    shipped_on: date
    client_id: int
    base: str


class _Paged(Protocol):
    @property
    def id(self) -> int: ...


_P = TypeVar("_P", bound=_Paged)


async def keep_open_amounts(repo: ErpRepo, client_ids: set[int] | None) -> None:
    """Re-allocate these clients' payments (None: every client's) and keep each shipment's
    open amount, so reports sum it in SQL. Runs in the caller's transaction."""
    if client_ids is not None and not client_ids:
        return
    facts = await repo.receivable_facts(client_ids)
    await repo.set_open_amounts(open_amounts(facts.shipments, facts.payments))


async def prepare_documents(
    database: Database,
    kind: str,
    run_id: int,
    summary: ImportSummary,
    *,
    snapshot: bool,
    now: datetime,
    beat: Beat,
    window: DateWindow | None = None,
) -> None:
    """Resolve the staged rows into the run's pending operations, a batch per short
    transaction: nothing the bot shows changes until the switch."""
    counts = UpsertCounts()
    seen: set[int] = set()
    touched: set[int] = set()
    returns: list[_Return] = []
    async for rows in _staged_batches(database, run_id, DOCUMENTS[kind], turn=False):
        touched |= {r.client_id for r in rows if not isinstance(r, ErpOrderLine)}
        # A return names its base shipment by number, perhaps later in this same file:
        # bases are linked once every shipment of the file is in (see _prepare_bases).
        returns += [
            _Return(r.number, r.shipped_on, r.client_id, r.base)
            for r in rows
            if isinstance(r, ErpShipment) and r.base
        ]
        async with database.transaction() as session:
            repo = Repos(session).imports
            seen |= await repo.pend_documents(run_id, rows, counts, now=now)
            await repo.beat(run_id, "preparing", beat())
    if snapshot:
        await _pend_removals(database, kind, run_id, seen, summary, beat, window)
    if returns:
        await _prepare_bases(database, run_id, returns)
    if kind in ("shipments", "payments"):
        await _prepare_open_amounts(
            database, kind, run_id, None if snapshot else touched, beat=beat
        )
    summary.inserted, summary.updated, summary.unchanged = (
        counts.inserted,
        counts.updated,
        counts.unchanged,
    )


async def _staged_batches(
    database: Database, run_id: int, row_type: type[_R], *, turn: bool = True
) -> AsyncIterator[list[_R]]:
    """The run's staged rows, a batch per short read; with `turn`, the loop gets a turn
    between batches."""
    after = 0
    while True:
        async with database.read() as session:
            chunk = await Repos(session).imports.staged(
                run_id, row_type, after_id=after, limit=BATCH
            )
        if not chunk:
            return
        after = chunk[-1].id
        yield [staged.row for staged in chunk]
        if turn:
            await asyncio.sleep(0)


async def _all_pages(
    database: Database, read: Callable[[ImportRepo, int], Awaitable[list[_P]]]
) -> list[_P]:
    """Every page of a read of the run's pending operations (ids after the last one seen),
    each page a short read of its own."""
    found: list[_P] = []
    after = 0
    while True:
        async with database.read() as session:
            page = await read(Repos(session).imports, after)
        if not page:
            return found
        found += page
        after = page[-1].id


async def _pend_removals(
    database: Database,
    kind: str,
    run_id: int,
    seen: set[int],
    summary: ImportSummary,
    beat: Beat,
    window: DateWindow | None = None,
) -> None:
    """A snapshot: what is stored and absent from the file is removed at the switch (with
    a window, only what is dated within it)."""
    async with database.read() as session:
        gone = sorted(await Repos(session).erp.live_ids(kind, window) - seen)
    summary.removed = len(gone)
    for start in range(0, len(gone), BATCH):
        async with database.transaction() as session:
            repo = Repos(session).imports
            await repo.pend_removals(kind, run_id, gone[start : start + BATCH])
            await repo.beat(run_id, "preparing", beat())


async def _prepare_bases(database: Database, run_id: int, returns: list[_Return]) -> None:
    """A return names its base shipment by number: the latest of that number for the same
    client, stored or new in this file; kept as a 'base' operation by natural key."""
    async with database.read() as session:
        numbers = await Repos(session).erp.shipment_numbers()
    inserts = await _all_pages(
        database,
        lambda repo, after: repo.pending_shipments(
            run_id, ("insert",), after_id=after, limit=BATCH * 5
        ),
    )
    for row in inserts:
        numbers.setdefault(row.number, []).append(DocumentRef(0, row.shipped_on, row.client_id))
    links = []
    for returned in returns:
        candidates = [
            d for d in numbers.get(returned.base, []) if d.client_id == returned.client_id
        ]
        if candidates:
            links.append(
                ReturnBase(
                    returned.number,
                    returned.shipped_on,
                    returned.base,
                    max(candidates, key=lambda d: d.day).day,
                )
            )
    for start in range(0, len(links), BATCH):
        async with database.transaction() as session:
            await Repos(session).imports.pend_bases(run_id, links[start : start + BATCH])


async def _prepare_open_amounts(
    database: Database,
    kind: str,
    run_id: int,
    client_ids: set[int] | None,
    *,
    beat: Beat,
) -> None:
    """The open amounts the shipments will have after the switch: these clients' stored
    facts (None: every client's) with the run's operations laid over them, allocated as
    keep_open_amounts does. New shipments get theirs in their pending row; stored ones whose
    amount changes get an 'open' operation."""
    if client_ids is not None and not client_ids:
        return
    async with database.read() as session:
        erp = Repos(session).erp
        facts = await erp.receivable_facts(client_ids)
        stored = await erp.stored_open_amounts(client_ids)
    # Stored facts by their id; those the switch will insert by minus their pending row's.
    ships: dict[int, ShipmentFact] = {f.id: f for f in facts.shipments}
    pays: dict[int, PaymentFact] = {f.id: f for f in facts.payments}
    removals = await _all_pages(
        database,
        lambda repo, after: repo.pending_removals(kind, run_id, after_id=after, limit=BATCH * 5),
    )
    for removal in removals:
        if kind == "shipments":
            ships.pop(removal.target_id, None)
        else:
            pays.pop(removal.target_id, None)
    ops = ("insert", "update")
    if kind == "shipments":
        for ship in await _all_pages(
            database,
            lambda repo, after: repo.pending_shipments(
                run_id, ops, after_id=after, limit=BATCH * 5
            ),
        ):
            if client_ids is not None and ship.client_id not in client_ids:
                continue
            key = -ship.id if ship.target_id is None else ship.target_id
            before = ships.get(key)
            ships[key] = ShipmentFact(
                key,
                ship.number,
                ship.shipped_on,
                ship.due_on,
                ship.amount,
                ship.currency,
                ship.client_id,
                ship.contract_id,
                before.base_shipment_id if before else None,
            )
        by_key = {(f.number, f.shipped_on): f.id for f in ships.values()}
        links = await _all_pages(
            database,
            lambda repo, after: repo.pending_bases(run_id, after_id=after, limit=BATCH * 5),
        )
        for link in links:
            own = by_key.get((link.number, link.shipped_on))
            base = by_key.get((link.base_number, link.base_shipped_on))
            if own is not None and base is not None:
                ships[own] = dataclasses.replace(ships[own], base_shipment_id=base)
    else:
        for pay in await _all_pages(
            database,
            lambda repo, after: repo.pending_payments(
                run_id, ops, after_id=after, limit=BATCH * 5
            ),
        ):
            if client_ids is not None and pay.client_id not in client_ids:
                continue
            key = -pay.id if pay.target_id is None else pay.target_id
            pays[key] = PaymentFact(
                key,
                pay.paid_on,
                pay.amount,
                pay.currency,
                pay.client_id,
                pay.contract_id,
                pay.shipment_id,
            )
    async with database.transaction() as session:
        await Repos(session).imports.beat(run_id, "preparing", beat())
    amounts = await asyncio.to_thread(open_amounts, list(ships.values()), list(pays.values()))
    new = [OpenAmount(-a.id, a.amount) for a in amounts if a.id < 0]
    changed = [a for a in amounts if a.id > 0 and stored.get(a.id) != a.amount]
    for start in range(0, max(len(new), len(changed)), BATCH):
        async with database.transaction() as session:
            repo = Repos(session).imports
            await repo.set_pending_open(run_id, new[start : start + BATCH])
            await repo.pend_open_amounts(run_id, changed[start : start + BATCH])
            await repo.beat(run_id, "preparing", beat())


# --- clients, prices and plans ----------------------------------------------------------------


def client_operation(
    row: ErpClient,
    stored: StoredClient | None,
    prospect: int | None,
    owner: int | None,
    *,
    now: datetime,
) -> ClientOperation:
    """A file's client as a pending operation: an update of a stored client whose ERP
    columns differ ("keep" when none does), the ERP code attached to a prospect made in the
    chat with the same ИНН and КПП, or a new client. Each carries the owner the file names
    and its holding's code, both decided at the switch."""
    erp = ClientOperation(
        op="insert",
        external_id=row.external_id,
        name=row.name,
        search_key=search_key(row.name),
        inn=row.inn,
        kpp=row.kpp,
        erp_manager=row.manager,
        tier=row.tier,
        owner_id=owner,
        holding_code=row.holding,
    )
    if stored is not None:
        differs = (
            stored.name,
            stored.search_key,
            stored.inn,
            stored.kpp,
            stored.erp_manager,
            stored.removed_in_erp,
        ) != (erp.name, erp.search_key, erp.inn, erp.kpp, erp.erp_manager, erp.removed_in_erp) or (
            row.tier is not None and stored.tier != row.tier
        )
        return erp._replace(op="update" if differs else "keep", target_id=stored.id)
    if prospect is not None:
        return erp._replace(op="attach", target_id=prospect)
    return erp._replace(
        tier=row.tier or "C",
        is_key=False,
        owner_source="erp",
        created_at=now,
        updated_at=now,
    )


async def prepare_clients(
    database: Database,
    run_id: int,
    summary: ImportSummary,
    *,
    snapshot: bool,
    now: datetime,
    beat: Beat,
) -> None:
    """Resolve the staged clients into pending operations, a batch per short transaction."""
    async with database.read() as session:
        look = await Lookups.load(Repos(session).erp)
    seen: set[int] = set()
    async for rows in _staged_batches(database, run_id, ErpClient):
        async with database.read() as session:
            stored = await Repos(session).erp.stored_clients([r.external_id for r in rows])
        ops = []
        for r in rows:
            found = stored.get(r.external_id)
            prospect = look.by_inn_kpp.get((r.inn, r.kpp)) if r.inn else None
            owner = match_manager(r.manager, look.managers) if r.manager else None
            op = client_operation(r, found, prospect, owner, now=now)
            if op.op == "insert":
                summary.inserted += 1
            elif op.op == "keep":
                summary.unchanged += 1
            else:
                summary.updated += 1
            if op.target_id is not None:
                seen.add(op.target_id)
            if op.op != "keep" or owner is not None or r.holding:
                ops.append(op)
        async with database.transaction() as session:
            repo = Repos(session).imports
            await repo.pend_clients(run_id, ops)
            await repo.beat(run_id, "preparing", beat())
    if snapshot:
        await _pend_removals(database, "clients", run_id, seen, summary, beat)


async def prepare_prices(
    database: Database,
    run_id: int,
    summary: ImportSummary,
    *,
    snapshot: bool,
    now: datetime,
    beat: Beat,
) -> None:
    """Products first (the file's last name and unit of each code; new ones inserted at
    the switch), then the prices by product and effective date: a price of a new product
    keeps the product's code, its id being known at the switch."""
    products: dict[str, ProductOperation] = {}
    async for rows in _staged_batches(database, run_id, ErpPrice):
        for r in rows:
            products[r.code] = ProductOperation(
                op="insert", code=r.code, name=r.name, search_key=search_key(r.name), unit=r.unit
            )
    codes = list(products)
    product_ids: dict[str, int] = {}
    for start in range(0, len(codes), BATCH):
        part = codes[start : start + BATCH]
        async with database.read() as session:
            stored = await Repos(session).erp.stored_products(part)
        ops = []
        for code in part:
            found, wanted = stored.get(code), products[code]
            if found is None:
                ops.append(wanted)
                continue
            product_ids[code] = found.id
            if (found.name, found.search_key, found.unit) != (
                wanted.name,
                wanted.search_key,
                wanted.unit,
            ):
                ops.append(wanted._replace(op="update", target_id=found.id))
        async with database.transaction() as session:
            repo = Repos(session).imports
            await repo.pend_products(run_id, ops)
            await repo.beat(run_id, "preparing", beat())
    counts = UpsertCounts()
    seen: set[int] = set()
    async for rows in _staged_batches(database, run_id, ErpPrice):
        async with database.transaction() as session:
            repo = Repos(session).imports
            seen |= await repo.pend_prices(run_id, rows, product_ids, counts, now=now)
            await repo.beat(run_id, "preparing", beat())
    if snapshot:
        await _pend_removals(database, "prices", run_id, seen, summary, beat)
    summary.inserted, summary.updated, summary.unchanged = (
        counts.inserted,
        counts.updated,
        counts.unchanged,
    )


async def prepare_plans(
    database: Database,
    run_id: int,
    summary: ImportSummary,
    *,
    now: datetime,
    beat: Beat,
) -> None:
    """Plans by (manager, client, period): new, changed (the amount before kept for the
    audit at the switch) or unchanged. A file never removes a plan."""
    async for rows in _staged_batches(database, run_id, ErpPlan):
        async with database.read() as session:
            stored = await Repos(session).erp.stored_plans({r.user_id for r in rows})
        ops = []
        for r in rows:
            scope = PlanScope(r.user_id, r.client_id, r.period_start, r.period_end)
            found = stored.get(scope)
            if found is not None and found.amount == r.amount:
                summary.unchanged += 1
                continue
            plan = PlanOperation(
                op="insert",
                **scope._asdict(),
                amount=r.amount,
                currency="RUB",
                updated_at=now,
            )
            if found is None:
                ops.append(plan)
                summary.inserted += 1
            else:
                ops.append(
                    plan._replace(op="update", target_id=found.id, previous_amount=found.amount)
                )
                summary.updated += 1
        async with database.transaction() as session:
            repo = Repos(session).imports
            await repo.pend_plans(run_id, ops)
            await repo.beat(run_id, "preparing", beat())
