"""An ERP import's own tables: the run (one active at a time, its heartbeat), the staged rows
of its file, the operations they resolve into (`import_pending_*`), and the switch that
applies those operations to the live tables in a few set-based statements."""

from __future__ import annotations

import typing
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import (
    JSON,
    String,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.erp import BATCH, UpsertCounts, upsert
from storage.erp_dto import (
    ActiveRun,
    ClientOperation,
    ClientSwitch,
    ErpContract,
    ErpDocument,
    ErpOrder,
    ErpOrderLine,
    ErpPayment,
    ErpPrice,
    ErpShipment,
    FileRow,
    FirstOwner,
    OpenAmount,
    OwnerChange,
    PendingBase,
    PendingPayment,
    PendingRemoval,
    PendingShipment,
    PlanOperation,
    ProductOperation,
    ReturnBase,
    Staged,
    StaleRun,
)
from storage.models import (
    PENDING,
    AuditEntry,
    Base,
    Client,
    ClientOwnership,
    Contract,
    ImportRun,
    Order,
    OrderLine,
    Payment,
    Plan,
    Price,
    Product,
    Shipment,
    StagedRow,
)
from storage.types import UTCDateTime

# Statuses of a run not finished: still being read, prepared or switched.
UNFINISHED = ("staging", "preparing", "switching")
AUDIT: Any = AuditEntry.__table__  # rows written as a plain executemany, no ORM bookkeeping
# Per document row type: its table and natural key.
_DOCUMENTS: dict[type, tuple[type[Base], tuple[str, ...]]] = {
    ErpContract: (Contract, ("client_id", "number")),
    ErpOrder: (Order, ("number", "order_date")),
    ErpOrderLine: (OrderLine, ("order_id", "line_no")),
    ErpShipment: (Shipment, ("number", "shipped_on")),
    ErpPayment: (Payment, ("number", "paid_on")),
}
# The value columns the switch writes, per document table: what the importer types, plus
# updated_at.
SWITCHED_COLUMNS: dict[str, tuple[str, ...]] = {
    "contracts": (
        "client_id",
        "number",
        "signed_on",
        "deferral_days",
        "credit_limit",
        "penalty_rate",
        "currency",
        "removed_in_erp",
        "updated_at",
    ),
    "orders": (
        "number",
        "order_date",
        "client_id",
        "contract_id",
        "status",
        "amount",
        "currency",
        "ship_date",
        "removed_in_erp",
        "updated_at",
    ),
    "order_lines": (
        "order_id",
        "line_no",
        "product_code",
        "product_name",
        "quantity",
        "price",
        "amount",
        "removed_in_erp",
    ),
    "shipments": (
        "number",
        "shipped_on",
        "client_id",
        "contract_id",
        "order_id",
        "amount",
        "currency",
        "due_on",
        "removed_in_erp",
        "updated_at",
    ),
    "payments": (
        "number",
        "paid_on",
        "client_id",
        "contract_id",
        "shipment_id",
        "amount",
        "currency",
        "removed_in_erp",
        "updated_at",
    ),
}
# The pending tables a kind's switch reads, when not the kind's own.
_SWITCHED_TABLES: dict[str, tuple[str, ...]] = {"prices": ("products", "prices")}
_R = TypeVar("_R", bound=tuple[object, ...])


class ImportRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # --- the run ---------------------------------------------------------------------------

    async def start_run(
        self, kind: str, file_name: str, snapshot: bool, user_id: int | None, now: datetime
    ) -> int | None:
        """A new active run, or None while another import is active (the unique `active`
        column refuses a second one, whichever process starts it)."""
        try:
            async with self._session.begin_nested():
                result = await self._session.execute(
                    insert(ImportRun)
                    .values(
                        kind=kind,
                        file_name=file_name[:256],
                        snapshot=snapshot,
                        started_by_id=user_id,
                        status="staging",
                        counts={},
                        started_at=now,
                        heartbeat_at=now,
                        active=True,
                    )
                    .returning(ImportRun.id)
                )
                return int(result.scalar_one())
        except IntegrityError:
            return None

    async def active_run(self) -> ActiveRun | None:
        """The import running now."""
        row = (
            await self._session.execute(
                select(
                    ImportRun.id, ImportRun.kind, ImportRun.file_name, ImportRun.started_at
                ).where(ImportRun.active.is_(True))
            )
        ).first()
        return ActiveRun._make(row) if row else None

    async def beat(self, run_id: int, status: str, now: datetime) -> None:
        await self._session.execute(
            update(ImportRun).where(ImportRun.id == run_id).values(status=status, heartbeat_at=now)
        )

    async def stale_runs(self, before: datetime) -> list[StaleRun]:
        """Runs still active or left unfinished (an import of an older version had no
        heartbeat) with no heartbeat since `before`."""
        beat = func.coalesce(ImportRun.heartbeat_at, ImportRun.started_at)
        rows = await self._session.execute(
            select(ImportRun.id, ImportRun.kind, ImportRun.file_name, ImportRun.started_by_id)
            .where(
                or_(ImportRun.active.is_(True), ImportRun.status.in_(UNFINISHED)),
                beat < before,
            )
            .order_by(ImportRun.id)
        )
        return [StaleRun._make(r) for r in rows]

    async def abandon_run(self, run_id: int, now: datetime) -> bool:
        """Mark the run abandoned unless it beat or finished meanwhile; True when it did."""
        result = await self._session.execute(
            update(ImportRun)
            .where(
                ImportRun.id == run_id,
                or_(ImportRun.active.is_(True), ImportRun.status.in_(UNFINISHED)),
            )
            .values(status="abandoned", active=None, finished_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    async def finish_run(
        self, run_id: int, status: str, counts: Mapping[str, int], now: datetime
    ) -> bool:
        """False when the run is no longer active (cleared as abandoned meanwhile)."""
        result = await self._session.execute(
            update(ImportRun)
            .where(ImportRun.id == run_id, ImportRun.active.is_(True))
            .values(status=status, counts=dict(counts), finished_at=now, active=None)
        )
        return bool(getattr(result, "rowcount", 0))

    async def leftover_runs(self) -> list[int]:
        """Finished runs that still have staged or pending rows (a cleanup interrupted)."""
        tables: list[Any] = [StagedRow.__table__, *PENDING.values()]
        found: set[int] = set()
        for table in tables:
            found |= set(
                (
                    await self._session.scalars(
                        select(table.c.run_id)
                        .join(ImportRun, ImportRun.id == table.c.run_id)
                        .where(ImportRun.active.is_(None))
                        .distinct()
                    )
                ).all()
            )
        return sorted(found)

    async def drop_batch(self, run_id: int, limit: int) -> int:
        """Delete up to `limit` staged or pending rows of the run: the rows removed (0 when
        none is left). Deleting in batches keeps each transaction short."""
        tables: list[Any] = [StagedRow.__table__, *PENDING.values()]
        for table in tables:
            ids = select(table.c.id).where(table.c.run_id == run_id).limit(limit)
            result = await self._session.execute(
                delete(table).where(table.c.id.in_(ids.scalar_subquery()))
            )
            removed = int(getattr(result, "rowcount", 0) or 0)
            if removed:
                return removed
        return 0

    # --- staging ---------------------------------------------------------------------------

    async def stage(self, run_id: int, rows: Sequence[FileRow]) -> None:
        if rows:
            await self._session.execute(
                insert(StagedRow),
                [
                    {
                        "run_id": run_id,
                        "row_number": r.number,
                        "data": _to_json(r.row),
                    }
                    for r in rows
                ],
            )

    async def staged(
        self, run_id: int, row_type: type[_R], *, after_id: int, limit: int
    ) -> list[Staged[_R]]:
        """A page of the run's staged rows (all of `row_type`, the run's kind), in id order."""
        rows = await self._session.execute(
            select(StagedRow.id, StagedRow.row_number, StagedRow.data)
            .where(StagedRow.run_id == run_id, StagedRow.id > after_id)
            .order_by(StagedRow.id)
            .limit(limit)
        )
        return [Staged(i, n, _from_json(row_type, d)) for i, n, d in rows]

    # --- the pending operations ----------------------------------------------------------------

    async def pend_documents(
        self, run_id: int, rows: Sequence[ErpDocument], counts: UpsertCounts, *, now: datetime
    ) -> set[int]:
        """Resolve a batch of a file's documents (all of one kind) against what is stored
        into the run's pending inserts and updates (see storage.erp.upsert); counts them.
        The ids returned are those of the stored rows the batch names."""
        if not rows:
            return set()
        model, key = _DOCUMENTS[type(rows[0])]
        values = []
        for index, row in enumerate(rows, start=1):
            value = _fields(row)
            value.pop("base", None)  # a shipment's: linked by pend_bases
            if isinstance(row, ErpOrderLine) and row.line_no is None:
                value["line_no"] = index  # a line without a number: its place in the batch
            value["removed_in_erp"] = False
            values.append(value)
        ids = await upsert(
            self._session,
            model,
            key,
            values,
            counts,
            extra_on_write=None if model is OrderLine else {"updated_at": now},
            pending_run=run_id,
            # The ERP exports only the current status; each change seen by an import is
            # kept, so /order can show the order's history as far as the bot has seen it:
            # the pending operation keeps the status before, and the switch audits it.
            track="status" if model is Order else None,
        )
        return set(ids.values())

    async def pend_removals(self, kind: str, run_id: int, target_ids: Sequence[int]) -> None:
        """A snapshot: these stored rows, absent from the file, are removed at the switch."""
        await self._add(kind, run_id, [{"op": "remove", "target_id": i} for i in target_ids])

    async def pend_bases(self, run_id: int, links: Sequence[ReturnBase]) -> None:
        """Returns and their base shipments, by natural key (a base may be new in the file:
        its id is known only once the switch has inserted it)."""
        await self._add("shipments", run_id, [{"op": "base", **link._asdict()} for link in links])

    async def set_pending_open(self, run_id: int, amounts: Sequence[OpenAmount]) -> None:
        """The open amounts of shipments the switch will insert (by pending row id)."""
        table = PENDING["shipments"]
        for start in range(0, len(amounts), BATCH):
            await self._session.execute(
                update(table)
                .where(table.c.id == bindparam("pid"), table.c.run_id == run_id)
                .values(open_amount=bindparam("b_open")),
                [{"pid": a.id, "b_open": a.amount} for a in amounts[start : start + BATCH]],
            )

    async def pend_open_amounts(self, run_id: int, amounts: Sequence[OpenAmount]) -> None:
        """New open amounts of stored shipments (by shipment id), set at the switch."""
        await self._add(
            "shipments",
            run_id,
            [{"op": "open", "target_id": a.id, "open_amount": a.amount} for a in amounts],
        )

    async def pend_clients(self, run_id: int, ops: Sequence[ClientOperation]) -> None:
        await self._add("clients", run_id, [_fields(op) for op in ops])

    async def pend_products(self, run_id: int, ops: Sequence[ProductOperation]) -> None:
        await self._add("products", run_id, [_fields(op) for op in ops])

    async def pend_plans(self, run_id: int, ops: Sequence[PlanOperation]) -> None:
        await self._add("plans", run_id, [_fields(op) for op in ops])

    async def pend_prices(
        self,
        run_id: int,
        rows: Sequence[ErpPrice],
        product_ids: Mapping[str, int],
        counts: UpsertCounts,
        *,
        now: datetime,
    ) -> set[int]:
        """Prices by product and effective date: those of stored products resolved against
        the stored prices (see storage.erp.upsert), those of products new in the file
        inserted with the product's code (its id is known at the switch). Counts them; the
        ids returned are those of the stored prices the batch names."""
        typed = [
            {
                "product_id": product_ids.get(r.code),
                "price": r.price,
                "currency": r.currency,
                "effective_from": r.effective_from,
                "removed_in_erp": False,
            }
            for r in rows
        ]
        new_products = [
            {**t, "op": "insert", "updated_at": now, "product_code": r.code}
            for t, r in zip(typed, rows, strict=True)
            if t["product_id"] is None
        ]
        ids = await upsert(
            self._session,
            Price,
            ("product_id", "effective_from"),
            [t for t in typed if t["product_id"] is not None],
            counts,
            extra_on_write={"updated_at": now},
            pending_run=run_id,
        )
        await self._add("prices", run_id, new_products)
        counts.inserted += len(new_products)
        return set(ids.values())

    async def _add(self, kind: str, run_id: int, rows: Sequence[dict[str, Any]]) -> None:
        """Pending rows, each with its operation (of different shapes: one executemany needs
        the same columns in every row, None where one has none)."""
        columns = {c for r in rows for c in r}
        for start in range(0, len(rows), BATCH):
            part = rows[start : start + BATCH]
            await self._session.execute(
                insert(PENDING[kind]),
                [{**dict.fromkeys(columns), **r, "run_id": run_id} for r in part],
            )

    async def pending_shipments(
        self, run_id: int, ops: Collection[str], *, after_id: int, limit: int
    ) -> list[PendingShipment]:
        """A page of the run's shipment inserts or updates, in id order."""
        table = PENDING["shipments"]
        rows = await self._session.execute(
            select(
                table.c.id,
                table.c.op,
                table.c.target_id,
                table.c.number,
                table.c.shipped_on,
                table.c.due_on,
                table.c.amount,
                table.c.currency,
                table.c.client_id,
                table.c.contract_id,
            )
            .where(table.c.run_id == run_id, table.c.op.in_(list(ops)), table.c.id > after_id)
            .order_by(table.c.id)
            .limit(limit)
        )
        return [PendingShipment._make(r) for r in rows]

    async def pending_payments(
        self, run_id: int, ops: Collection[str], *, after_id: int, limit: int
    ) -> list[PendingPayment]:
        """A page of the run's payment inserts or updates, in id order."""
        table = PENDING["payments"]
        rows = await self._session.execute(
            select(
                table.c.id,
                table.c.op,
                table.c.target_id,
                table.c.paid_on,
                table.c.amount,
                table.c.currency,
                table.c.client_id,
                table.c.contract_id,
                table.c.shipment_id,
            )
            .where(table.c.run_id == run_id, table.c.op.in_(list(ops)), table.c.id > after_id)
            .order_by(table.c.id)
            .limit(limit)
        )
        return [PendingPayment._make(r) for r in rows]

    async def pending_bases(self, run_id: int, *, after_id: int, limit: int) -> list[PendingBase]:
        """A page of the run's returns linked to their bases, in id order."""
        table = PENDING["shipments"]
        rows = await self._session.execute(
            select(
                table.c.id,
                table.c.number,
                table.c.shipped_on,
                table.c.base_number,
                table.c.base_shipped_on,
            )
            .where(table.c.run_id == run_id, table.c.op == "base", table.c.id > after_id)
            .order_by(table.c.id)
            .limit(limit)
        )
        return [PendingBase._make(r) for r in rows]

    async def pending_removals(
        self, kind: str, run_id: int, *, after_id: int, limit: int
    ) -> list[PendingRemoval]:
        """A page of the run's removals of this kind, in id order."""
        table = PENDING[kind]
        rows = await self._session.execute(
            select(table.c.id, table.c.target_id)
            .where(table.c.run_id == run_id, table.c.op == "remove", table.c.id > after_id)
            .order_by(table.c.id)
            .limit(limit)
        )
        return [PendingRemoval._make(r) for r in rows]

    # --- the switch ------------------------------------------------------------------------

    async def pending_is_consistent(self, kind: str, run_id: int) -> bool:
        """Every update and removal of the run's kind still finds its row (a guard: only
        imports write these tables and they run one at a time, so a miss means something
        else wrote them)."""
        for name in _SWITCHED_TABLES.get(kind, (kind,)):
            table = PENDING[name]
            target: Any = table.metadata.tables[name]
            missing = await self._session.scalar(
                select(func.count())
                .select_from(table)
                .where(
                    table.c.run_id == run_id,
                    table.c.op.in_(["update", "remove", "open", "attach"]),
                    ~exists().where(target.c.id == table.c.target_id),
                )
            )
            if missing:
                return False
        return True

    async def switch_documents(self, kind: str, run_id: int, *, now: datetime) -> None:
        """Apply the run's operations on a document table (contracts, orders, order lines,
        shipments, payments)."""
        await self.switch(kind, run_id, SWITCHED_COLUMNS[kind], now=now)

    async def switch(
        self,
        kind: str,
        run_id: int,
        columns: Sequence[str],
        *,
        now: datetime,
    ) -> None:
        """Apply the run's pending operations to the live table in a few set-based
        statements (portable: UPDATE … FROM is rendered by SQLite ≥ 3.33 and PostgreSQL):
        inserts, updates of the prepared `columns`, removals, then for shipments the links of
        returns to their bases and the new open amounts; order status changes are audited.
        Runs in the caller's transaction, which is the whole switch."""
        table = PENDING[kind]
        target: Any = table.metadata.tables[kind]
        mine = table.c.run_id == run_id
        insert_columns = [c for c in columns if c in target.c]
        if kind == "shipments":
            insert_columns = [*insert_columns, "open_amount"]
        await self._session.execute(
            insert(target).from_select(
                insert_columns,
                select(*(table.c[c] for c in insert_columns)).where(mine, table.c.op == "insert"),
            )
        )
        if kind == "orders":
            await self._audit_status_changes(run_id, now)
        updated = [c for c in columns if c in target.c]
        if updated:
            await self._session.execute(
                update(target)
                .where(mine, table.c.op == "update", target.c.id == table.c.target_id)
                .values({c: table.c[c] for c in updated})
            )
        if "removed_in_erp" in target.c:  # products and plans are never removed
            await self._session.execute(
                update(target)
                .where(
                    target.c.id.in_(select(table.c.target_id).where(mine, table.c.op == "remove"))
                )
                .values(removed_in_erp=True)
            )
        if kind in ("shipments", "payments"):
            await self._switch_shipment_facts(run_id)

    async def _switch_shipment_facts(self, run_id: int) -> None:
        table = PENDING["shipments"]
        mine = table.c.run_id == run_id
        base: Any = Shipment.__table__.alias("base")
        live: Any = Shipment.__table__
        await self._session.execute(
            update(live)
            .where(
                mine,
                table.c.op == "base",
                live.c.number == table.c.number,
                live.c.shipped_on == table.c.shipped_on,
                base.c.number == table.c.base_number,
                base.c.shipped_on == table.c.base_shipped_on,
            )
            .values(base_shipment_id=base.c.id)
        )
        await self._session.execute(
            update(live)
            .where(mine, table.c.op == "open", live.c.id == table.c.target_id)
            .values(open_amount=table.c.open_amount)
        )

    async def _audit_status_changes(self, run_id: int, now: datetime) -> None:
        table = PENDING["orders"]
        rows = await self._session.execute(
            select(table.c.target_id, table.c.previous_status, table.c.status).where(
                table.c.run_id == run_id,
                table.c.op == "update",
                table.c.previous_status != table.c.status,
            )
        )
        entries = [
            {
                "at": now,
                "actor_id": None,
                "entity": "order",
                "entity_id": str(order_id),
                "action": "status",
                "changes": {"status": [before, after]},
            }
            for order_id, before, after in rows
        ]
        for start in range(0, len(entries), BATCH):
            await self._session.execute(insert(AUDIT), entries[start : start + BATCH])

    async def switch_clients(self, run_id: int, now: datetime, *, names: int) -> ClientSwitch:
        """Apply the run's client operations (in the caller's transaction, the switch): a
        file's client whose ИНН and КПП a client made in the chat meanwhile has becomes an
        attachment; attachments and changes of the ERP columns (a tier only when the file
        gives one), new clients (no owner yet), removals, then holdings (parent by code,
        audited as a change in the chat would be). Returns the owner changes the file asks
        for, as they stand now; the caller decides and applies them; and per manager, the
        new clients inserted with them as first owner (their count and first `names`
        names), for the one message the caller owes each. A few statements whatever the
        file's size."""
        table = PENDING["clients"]
        live: Any = Client.__table__
        mine = table.c.run_id == run_id
        same_inn = and_(live.c.inn == table.c.inn, live.c.kpp == table.c.kpp)
        await self._session.execute(
            update(table)
            .where(
                mine, table.c.op == "insert", table.c.inn.is_not(None), exists().where(same_inn)
            )
            .values(op="attach", target_id=select(live.c.id).where(same_inn).scalar_subquery())
        )
        erp_columns = ("external_id", "name", "search_key", "inn", "kpp", "erp_manager")
        await self._session.execute(
            update(live)
            .where(mine, table.c.op.in_(["update", "attach"]), live.c.id == table.c.target_id)
            .values(
                {
                    **{c: table.c[c] for c in erp_columns},
                    "removed_in_erp": False,
                    "tier": func.coalesce(table.c.tier, live.c.tier),
                }
            )
        )
        inserted = [
            *erp_columns,
            "tier",
            "is_key",
            "owner_source",
            "removed_in_erp",
            "created_at",
            "updated_at",
        ]
        await self._session.execute(
            insert(live).from_select(
                [*inserted, "owner_id"],
                select(*(table.c[c] for c in inserted), table.c.owner_id).where(
                    mine, table.c.op == "insert"
                ),
            )
        )
        first_owners = await self._first_owners(run_id, now, names)
        await self._session.execute(
            update(live)
            .where(live.c.id.in_(select(table.c.target_id).where(mine, table.c.op == "remove")))
            .values(removed_in_erp=True)
        )
        parent: Any = live.alias("parent")
        named = and_(
            mine, table.c.external_id.is_not(None), live.c.external_id == table.c.external_id
        )
        moves = await self._session.execute(
            select(live.c.id, live.c.holding_id, parent.c.id).where(
                named,
                parent.c.external_id == table.c.holding_code,
                parent.c.id != live.c.id,
                or_(live.c.holding_id.is_(None), live.c.holding_id != parent.c.id),
            )
        )
        holdings = [(child, before, after) for child, before, after in moves]
        for start in range(0, len(holdings), BATCH):
            part = holdings[start : start + BATCH]
            await self._session.execute(
                update(live)
                .where(live.c.id == bindparam("b_id"))
                .values(holding_id=bindparam("b_holding"), updated_at=now),
                [{"b_id": child, "b_holding": after} for child, _, after in part],
            )
            await self._session.execute(
                insert(AUDIT),
                [
                    {
                        "at": now,
                        "actor_id": None,
                        "entity": "client",
                        "entity_id": str(child),
                        "action": "update",
                        "changes": {"holding_id": [before, after]},
                    }
                    for child, before, after in part
                ],
            )
        owners = await self._session.execute(
            select(
                live.c.id,
                live.c.external_id,
                live.c.name,
                live.c.owner_id,
                live.c.owner_source,
                table.c.owner_id,
            )
            .where(
                named,
                table.c.owner_id.is_not(None),
                or_(live.c.owner_id.is_(None), live.c.owner_id != table.c.owner_id),
            )
            .order_by(table.c.id)
        )
        return ClientSwitch([OwnerChange._make(r) for r in owners], first_owners)

    async def _first_owners(self, run_id: int, now: datetime, names: int) -> dict[int, FirstOwner]:
        """What `ClientRepo.reassign_many` would do for a client new in the file, inserted
        with its first owner (no previous owner, no periods, nothing open on it), as two
        INSERT … SELECT: the owner's period from the beginning, the audit row; and one
        SELECT of what the owner is told: per owner, the count and the first `names`
        names. A first import of 100,000 clients would otherwise spend the switch on Python
        bookkeeping per client."""
        table = PENDING["clients"]
        live: Any = Client.__table__
        new = and_(
            table.c.run_id == run_id,
            table.c.op == "insert",
            table.c.owner_id.is_not(None),
            live.c.external_id == table.c.external_id,
        )
        periods: Any = ClientOwnership.__table__
        await self._session.execute(
            insert(periods).from_select(
                ["client_id", "owner_id", "since", "until"],
                select(live.c.id, table.c.owner_id, null(), null()).where(new),
            )
        )
        postgres = self._session.get_bind().dialect.name == "postgresql"
        changes: Any = (
            literal('{"owner_id": [null, ')
            + sql_cast(table.c.owner_id, String)
            + literal('], "owner_source": [null, "erp"]}')
        )
        await self._session.execute(
            insert(AUDIT).from_select(
                ["at", "actor_id", "entity", "entity_id", "action", "changes"],
                select(
                    literal(now, UTCDateTime()),
                    null(),
                    literal("client"),
                    sql_cast(live.c.id, String),
                    literal("reassign"),
                    sql_cast(changes, JSON) if postgres else changes,
                ).where(new),
            )
        )
        numbered = (
            select(
                table.c.owner_id,
                live.c.name,
                func.row_number()
                .over(partition_by=table.c.owner_id, order_by=table.c.id)
                .label("n"),
                func.count().over(partition_by=table.c.owner_id).label("total"),
            )
            .where(new)
            .subquery()
        )
        rows = await self._session.execute(
            select(numbered.c.owner_id, numbered.c.name, numbered.c.total)
            .where(numbered.c.n <= names)
            .order_by(numbered.c.owner_id, numbered.c.n)
        )
        found: dict[int, FirstOwner] = {}
        for owner, name, total in rows:
            found.setdefault(owner, FirstOwner(total, [])).names.append(name)
        return found

    async def switch_plans(self, run_id: int, *, actor_id: int | None, now: datetime) -> None:
        """Apply the run's plan operations and audit each, as a plan set in the chat is."""
        table = PENDING["plans"]
        live: Any = Plan.__table__
        mine = table.c.run_id == run_id
        columns = ("user_id", "client_id", "period_start", "period_end", "amount", "currency")
        await self.switch("plans", run_id, (*columns, "updated_at"), now=now)
        created = await self._session.execute(
            select(live.c.id, live.c.user_id, live.c.client_id, live.c.amount)
            .where(
                mine,
                table.c.op == "insert",
                live.c.user_id == table.c.user_id,
                live.c.client_id.is_not_distinct_from(table.c.client_id),
                live.c.period_start == table.c.period_start,
                live.c.period_end == table.c.period_end,
            )
            .order_by(table.c.id)
        )
        changed = await self._session.execute(
            select(
                table.c.target_id,
                table.c.user_id,
                table.c.client_id,
                table.c.amount,
                table.c.previous_amount,
            )
            .where(mine, table.c.op == "update")
            .order_by(table.c.id)
        )
        entries = [
            {
                "at": now,
                "actor_id": actor_id,
                "entity": "plan",
                "entity_id": str(plan_id),
                "action": "create" if action == "create" else "update",
                "changes": {
                    "amount": [None if before is None else str(before), str(amount)],
                    "user_id": [None, user_id],
                    **({"client_id": [None, client_id]} if client_id else {}),
                },
            }
            for action, rows in (("create", created), ("update", changed))
            for plan_id, user_id, client_id, amount, *rest in rows
            for before in (rest[0] if rest else None,)
        ]
        for start in range(0, len(entries), BATCH):
            await self._session.execute(insert(AUDIT), entries[start : start + BATCH])

    async def switch_prices(self, run_id: int, *, now: datetime) -> None:
        """New and changed products first, then the prices: those of products new in the
        file get their product's id by its code."""
        await self.switch("products", run_id, ("code", "name", "search_key", "unit"), now=now)
        table = PENDING["prices"]
        await self._session.execute(
            update(table)
            .where(table.c.run_id == run_id, table.c.op == "insert", table.c.product_id.is_(None))
            .values(
                product_id=select(Product.id)
                .where(Product.code == table.c.product_code)
                .scalar_subquery()
            )
        )
        columns = ("product_id", "price", "currency", "effective_from", "removed_in_erp")
        await self.switch("prices", run_id, (*columns, "updated_at"), now=now)


class _Typed(NamedTuple):
    names: tuple[str, ...]
    dates: tuple[str, ...]
    decimals: tuple[str, ...]


_TYPED: dict[type, _Typed] = {}


def _typed(cls: type) -> _Typed:
    """A row type's fields: all of them, its dates, its decimals (worked out once)."""
    found = _TYPED.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        names = tuple(hints)
        kinds = {name: set(typing.get_args(hints[name])) or {hints[name]} for name in names}
        found = _TYPED[cls] = _Typed(
            names,
            tuple(n for n in names if date in kinds[n]),
            tuple(n for n in names if Decimal in kinds[n]),
        )
    return found


def _fields(item: Any) -> dict[str, Any]:
    """A NamedTuple's fields by name."""
    fields: dict[str, Any] = item._asdict()  # a new dict each time
    return fields


def _to_json(row: tuple[object, ...]) -> dict[str, Any]:
    """A row as the staging table keeps it: dates as ISO text, amounts as exact text."""
    typed = _typed(type(row))
    data = _fields(row)
    for name in typed.dates:
        if data[name] is not None:
            data[name] = data[name].isoformat()
    for name in typed.decimals:
        if data[name] is not None:
            data[name] = str(data[name])
    return data


def _from_json(row_type: type[_R], data: dict[str, Any]) -> _R:
    typed = _typed(row_type)
    values = dict(data)
    for name in typed.dates:
        if values[name] is not None:
            values[name] = date.fromisoformat(values[name])
    for name in typed.decimals:
        if values[name] is not None:
            values[name] = Decimal(values[name])
    return row_type(**values)
