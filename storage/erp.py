"""ERP data: lookups for the importer, batched upserts by natural key, and the reads behind
/orders, /order, /debts and /prices. Every list is one query; upserts go in batches."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar, TypeVarTuple, cast

from sqlalchemy import (
    JSON,
    ColumnElement,
    String,
    UnaryExpression,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql import Select, Subquery
from sqlalchemy.sql.elements import Label
from sqlalchemy.sql.operators import custom_op

from storage.dto import TimelineEntry
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
    User,
)
from storage.types import UTCDateTime

BATCH = 500
# Statuses of a run not finished: still being read, prepared or switched.
UNFINISHED = ("staging", "preparing", "switching")
_T = TypeVar("_T")
_Columns = TypeVarTuple("_Columns")


def unindexed(session: AsyncSession, column: InstrumentedAttribute[_T]) -> ColumnElement[_T]:
    """The column, as `+column` on SQLite: the same value, but a term the planner may not
    serve from an index ("Disqualifying WHERE clause terms using unary-+", sqlite.org/
    optoverview.html); the column itself elsewhere."""
    expression = column.expression
    if session.get_bind().dialect.name != "sqlite":
        return expression
    return UnaryExpression(expression, operator=custom_op("+"), type_=expression.type)


async def column_rows(session: AsyncSession, query: Select[*_Columns]) -> list[tuple[*_Columns]]:
    """Rows of a select of plain columns, as plain tuples, run on the session's connection.
    The ORM's row loading (identity and entity bookkeeping, useless for bare columns) costs
    as much as SQLite itself on the tens of thousands of rows of a morning digest; and
    tuples of plain values, unlike Row objects, drop out of the garbage collector's sight,
    which otherwise runs full collections over the whole heap while they are held. Same
    transaction; pending changes are flushed first, as Session.execute would."""
    await session.flush()
    connection = await session.connection()
    result = await connection.execute(query)
    return [cast("tuple[*_Columns]", tuple(row)) for row in result]


def owed_falling_due(
    owner_ids: Collection[int], first: date, until: date
) -> list[ColumnElement[bool]]:
    """Conditions of a shipment, joined to its client, of these owners that fell due on
    [first, until) and is still owed, in roubles."""
    return [
        Client.owner_id.in_(list(owner_ids)),
        Shipment.removed_in_erp.is_(False),
        Shipment.open_amount > 0,
        Shipment.due_on >= first,
        Shipment.due_on < until,
        Shipment.currency == "RUB",
    ]


def overdue_per_client(
    session: AsyncSession, owner_ids: Collection[int], today: date, *sums: Label[Any]
) -> Subquery:
    """What the clients of these owners owe past due today, in roubles, from the open
    amounts the imports keep: one row per client, `client_id` and the given sums over its
    overdue shipments.

    Nearly every unpaid shipment is past due, so walking the due-date index (or the
    shipments client by client through theirs) costs a random read per shipment. One pass
    over the table, summed per client (a sort of integers), then one owner lookup per client
    takes half the time for a whole company (200,000 shipments: 0.25 s instead of 0.45); for
    a handful of managers the pass costs some 20 ms where the client index took 1. SQLite's
    `+column` keeps its planner on that path."""
    client = unindexed(session, Shipment.client_id)
    return (
        select(client.label("client_id"), *sums)
        .where(
            client.in_(select(Client.id).where(Client.owner_id.in_(list(owner_ids)))),
            Shipment.removed_in_erp.is_(False),
            Shipment.open_amount > 0,
            unindexed(session, Shipment.due_on) < today,
            Shipment.currency == "RUB",
        )
        .group_by(client)
        .subquery()
    )


AUDIT: Any = AuditEntry.__table__  # rows written as a plain executemany, no ORM bookkeeping


@dataclass(frozen=True)
class FirstOwner:
    """The clients new in a file that the switch inserted with one manager as their first
    owner: how many, and the names of the first few (in the file's order)."""

    count: int
    names: list[str]


class UpsertCounts:
    def __init__(self) -> None:
        self.inserted = 0
        self.updated = 0
        self.unchanged = 0

    def as_dict(self) -> dict[str, int]:
        return {"inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged}


async def upsert(
    session: AsyncSession,
    model: type[Base],
    key: Sequence[str],
    rows: Sequence[dict[str, Any]],
    counts: UpsertCounts,
    *,
    extra_on_write: dict[str, Any] | None = None,
    track: str | None = None,
    tracked: list[tuple[int, Any, Any]] | None = None,
    pending_run: int | None = None,
) -> dict[tuple[Any, ...], int]:
    """Insert new rows and update changed ones, matched on the natural `key` columns; rows
    equal to what is stored change nothing. Returns key → id of every row given. Changes of
    the `track` column are appended to `tracked` as (id, before, after).

    With `pending_run`, nothing of `model` is written: the inserts and updates go to the
    run's pending table (PENDING) for the switch to apply, and only rows stored already
    have an id in the result."""
    ids: dict[tuple[Any, ...], int] = {}
    pending = PENDING[model.__tablename__] if pending_run is not None else None
    table: Any = model.__table__
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        keys = [tuple(r[k] for k in key) for r in batch]
        columns = [table.c[k] for k in key]
        found = await session.execute(
            select(table).where(tuple_(*columns).in_(keys))
            if len(key) > 1
            else select(table).where(columns[0].in_([k[0] for k in keys]))
        )
        existing = {tuple(row._mapping[k] for k in key): row._mapping for row in found}
        new, changed = [], []
        for row_key, row in zip(keys, batch, strict=True):
            stored = existing.get(row_key)
            if stored is None:
                new.append({**row, **(extra_on_write or {})})
                continue
            ids[row_key] = stored["id"]
            if any(stored[c] != v for c, v in row.items()):
                changed.append({**row, **(extra_on_write or {}), "id": stored["id"]})
                if (
                    track
                    and tracked is not None
                    and stored[track] != row.get(track, stored[track])
                ):
                    tracked.append((stored["id"], stored[track], row[track]))
            else:
                counts.unchanged += 1
        if pending is not None:
            if new:
                await session.execute(
                    insert(pending), [{**r, "run_id": pending_run, "op": "insert"} for r in new]
                )
            if changed:
                rows_out = []
                for r in changed:
                    out = {**r, "run_id": pending_run, "op": "update", "target_id": r["id"]}
                    del out["id"]
                    if track == "status" and "previous_status" in pending.c:
                        out["previous_status"] = existing[tuple(r[k] for k in key)][track]
                    rows_out.append(out)
                await session.execute(insert(pending), rows_out)
            counts.inserted += len(new)
            counts.updated += len(changed)
            continue
        if new:
            result = await session.execute(insert(table).returning(*columns, table.c.id), new)
            for inserted in result:
                ids[tuple(inserted[:-1])] = inserted[-1]
            counts.inserted += len(new)
        if changed:
            await session.execute(update(model), changed)
            counts.updated += len(changed)
    return ids


class ErpRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # --- lookups for the importer --------------------------------------------------------

    async def client_keys(
        self,
    ) -> list[tuple[int, str | None, str | None, str, str, int | None, str]]:
        """(id, external_id, inn, kpp, search_key, owner_id, owner_source) of every client."""
        rows = await self._session.execute(
            select(
                Client.id,
                Client.external_id,
                Client.inn,
                Client.kpp,
                Client.search_key,
                Client.owner_id,
                Client.owner_source,
            )
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]

    async def contract_keys(self) -> dict[tuple[int, str], tuple[int, int]]:
        """(client id, number) → (contract id, deferral days)."""
        rows = await self._session.execute(
            select(Contract.client_id, Contract.number, Contract.id, Contract.deferral_days)
        )
        return {(c, n): (i, d) for c, n, i, d in rows}

    async def document_ids(
        self, model: type[Order] | type[Shipment]
    ) -> dict[str, list[tuple[int, date, int]]]:
        """number → [(id, date, client id)] of orders or shipments (numbers repeat by year)."""
        day = model.order_date if model is Order else model.shipped_on  # type: ignore[union-attr]
        rows = await self._session.execute(select(model.number, model.id, day, model.client_id))
        found: dict[str, list[tuple[int, date, int]]] = {}
        for number, doc_id, doc_day, client_id in rows:
            found.setdefault(number, []).append((doc_id, doc_day, client_id))
        return found

    async def users_by_erp_name(self) -> list[tuple[int, str]]:
        rows = await self._session.execute(
            select(User.id, User.erp_name).where(
                User.erp_name.is_not(None), User.is_active.is_(True)
            )
        )
        return [(i, n) for i, n in rows if n is not None]

    async def recent_shipments(self, client_id: int, limit: int) -> list[tuple[str, int]]:
        rows = await self._session.execute(
            select(Shipment.number, Shipment.id)
            .where(
                Shipment.client_id == client_id,
                Shipment.removed_in_erp.is_(False),
                Shipment.amount > 0,
            )
            .order_by(Shipment.shipped_on.desc())
            .limit(limit)
        )
        return [(n, i) for n, i in rows]

    async def set_open_amounts(self, amounts: Sequence[tuple[int, Decimal]]) -> None:
        """(shipment id, still owed) pairs, in batches."""
        for start in range(0, len(amounts), BATCH):
            await self._session.execute(
                update(Shipment),
                [{"id": i, "open_amount": a} for i, a in amounts[start : start + BATCH]],
            )

    async def overdue_by_owner(
        self, owner_ids: Collection[int], today: date, bucket_starts: Sequence[date]
    ) -> list[tuple[int, int, Decimal]]:
        """(owner, bucket index, amount) of what is overdue, summed in SQL from the kept
        open amounts, by owner and bucket. `bucket_starts` are the earliest due dates of
        buckets 0, 1, 2 (latest first): bucket 0 is due on or after the first, bucket 3
        before the third."""
        first, second, third = bucket_starts
        due = Shipment.due_on
        buckets: list[ColumnElement[bool]] = [
            due >= first,
            and_(due < first, due >= second),
            and_(due < second, due >= third),
            due < third,
        ]
        per_client = overdue_per_client(
            self._session,
            owner_ids,
            today,
            *(
                func.sum(case((condition, Shipment.open_amount))).label(f"b{index}")
                for index, condition in enumerate(buckets)
            ),
        )
        rows = await column_rows(
            self._session,
            select(Client.owner_id, *(func.sum(per_client.c[f"b{i}"]) for i in range(4)))
            .select_from(per_client)
            .join(Client, Client.id == per_client.c.client_id)
            .group_by(Client.owner_id)
            .order_by(Client.owner_id),
        )
        return [
            (owner, index, amount)
            for owner, *amounts in rows
            if owner is not None
            for index, amount in enumerate(amounts)
            if amount is not None
        ]

    async def newly_overdue(
        self, owner_ids: Collection[int], since: date, today: date
    ) -> list[tuple[int, int, str, int, str, date, Decimal]]:
        """Shipments that fell due in [since, today) and are still owed: (owner, client id,
        client name, shipment id, number, due date, open amount)."""
        rows = await column_rows(
            self._session,
            select(
                Client.owner_id,
                Client.id,
                Client.name,
                Shipment.id,
                Shipment.number,
                Shipment.due_on,
                Shipment.open_amount,
            )
            .join(Client, Client.id == Shipment.client_id)
            .where(*owed_falling_due(owner_ids, since, today)),
        )
        return [tuple(r) for r in rows if r[0] is not None]  # type: ignore[misc]

    async def shipment_client(self, shipment_id: int) -> int | None:
        return await self._session.scalar(
            select(Shipment.client_id).where(Shipment.id == shipment_id)
        )

    async def set_bases(self, links: Sequence[tuple[int, int]]) -> None:
        """(return id, base shipment id) pairs."""
        if links:
            await self._session.execute(
                update(Shipment),
                [{"id": ret, "base_shipment_id": base} for ret, base in links],
            )

    async def attach_code(self, client_id: int, code: str) -> None:
        await self._session.execute(
            update(Client).where(Client.id == client_id).values(external_id=code)
        )

    async def unowned_with_erp_manager(self) -> list[tuple[int, str]]:
        rows = await self._session.execute(
            select(Client.id, Client.erp_manager).where(
                Client.owner_id.is_(None), Client.erp_manager.is_not(None)
            )
        )
        return [(i, m) for i, m in rows if m is not None]

    async def all_ids(self, model: type[Base]) -> set[int]:
        table: Any = model.__table__
        return set(
            (
                await self._session.scalars(
                    select(table.c.id).where(table.c.removed_in_erp.is_(False))
                )
            ).all()
        )

    async def mark_removed(self, model: type[Base], ids: Collection[int]) -> int:
        table: Any = model.__table__
        listed = list(ids)
        for start in range(0, len(listed), BATCH):
            await self._session.execute(
                update(table)
                .where(table.c.id.in_(listed[start : start + BATCH]))
                .values(removed_in_erp=True)
            )
        return len(listed)

    # --- staging ---------------------------------------------------------------------------

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

    async def active_run(self) -> tuple[int, str, str, datetime] | None:
        """(id, kind, file name, started at) of the import running now."""
        row = (
            await self._session.execute(
                select(
                    ImportRun.id, ImportRun.kind, ImportRun.file_name, ImportRun.started_at
                ).where(ImportRun.active.is_(True))
            )
        ).first()
        return (row[0], row[1], row[2], row[3]) if row else None

    async def beat(self, run_id: int, status: str, now: datetime) -> None:
        await self._session.execute(
            update(ImportRun).where(ImportRun.id == run_id).values(status=status, heartbeat_at=now)
        )

    async def stale_runs(self, before: datetime) -> list[tuple[int, str, str, int | None]]:
        """(id, kind, file name, started by) of runs still active or left unfinished
        (an import of an older version had no heartbeat) with no heartbeat since `before`."""
        beat = func.coalesce(ImportRun.heartbeat_at, ImportRun.started_at)
        rows = await self._session.execute(
            select(ImportRun.id, ImportRun.kind, ImportRun.file_name, ImportRun.started_by_id)
            .where(
                or_(ImportRun.active.is_(True), ImportRun.status.in_(UNFINISHED)),
                beat < before,
            )
            .order_by(ImportRun.id)
        )
        return [(i, k, f, u) for i, k, f, u in rows]

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

    async def stage(self, run_id: int, rows: Sequence[tuple[int, dict[str, Any]]]) -> None:
        if rows:
            await self._session.execute(
                insert(StagedRow),
                [{"run_id": run_id, "row_number": n, "data": d} for n, d in rows],
            )

    async def staged(
        self, run_id: int, *, after_id: int, limit: int
    ) -> list[tuple[int, int, dict[str, Any]]]:
        rows = await self._session.execute(
            select(StagedRow.id, StagedRow.row_number, StagedRow.data)
            .where(StagedRow.run_id == run_id, StagedRow.id > after_id)
            .order_by(StagedRow.id)
            .limit(limit)
        )
        return [(i, n, d) for i, n, d in rows]

    async def finish_run(
        self, run_id: int, status: str, counts: dict[str, Any], now: datetime
    ) -> bool:
        """False when the run is no longer active (cleared as abandoned meanwhile)."""
        result = await self._session.execute(
            update(ImportRun)
            .where(ImportRun.id == run_id, ImportRun.active.is_(True))
            .values(status=status, counts=counts, finished_at=now, active=None)
        )
        return bool(getattr(result, "rowcount", 0))

    # --- the pending operations and the switch ---------------------------------------------

    async def add_pending(self, kind: str, run_id: int, op: str, rows: Sequence[Any]) -> None:
        if rows:
            await self._session.execute(
                insert(PENDING[kind]), [{**r, "run_id": run_id, "op": op} for r in rows]
            )

    async def add_pending_ops(self, kind: str, run_id: int, rows: Sequence[Any]) -> None:
        """Pending rows that carry their own operation (of different shapes: one
        executemany needs the same columns in every row, None where one has none)."""
        columns = {c for r in rows for c in r}
        for start in range(0, len(rows), BATCH):
            part = rows[start : start + BATCH]
            await self._session.execute(
                insert(PENDING[kind]),
                [{**dict.fromkeys(columns), **r, "run_id": run_id} for r in part],
            )

    async def stored_clients(self, codes: Collection[str]) -> dict[str, dict[str, Any]]:
        """ERP code → the stored client's columns, for the clients of these codes."""
        return await self._stored_by_code(Client.__table__, "external_id", codes)

    async def stored_products(self, codes: Collection[str]) -> dict[str, dict[str, Any]]:
        """Article → the stored product's columns, for the products of these articles."""
        return await self._stored_by_code(Product.__table__, "code", codes)

    async def _stored_by_code(
        self, table: Any, column: str, codes: Collection[str]
    ) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        listed = list(codes)
        for start in range(0, len(listed), BATCH):
            rows = await self._session.execute(
                select(table).where(table.c[column].in_(listed[start : start + BATCH]))
            )
            found.update({r._mapping[column]: dict(r._mapping) for r in rows})
        return found

    async def stored_plans(
        self, user_ids: Collection[int]
    ) -> dict[tuple[int, int | None, date, date], tuple[int, Decimal]]:
        """(manager, client, start, end) → (plan id, amount) of these managers' plans."""
        rows = await self._session.execute(
            select(
                Plan.user_id,
                Plan.client_id,
                Plan.period_start,
                Plan.period_end,
                Plan.id,
                Plan.amount,
            ).where(Plan.user_id.in_(list(user_ids)))
        )
        return {(u, c, s, e): (i, a) for u, c, s, e, i, a in rows}

    async def switch_clients(
        self, run_id: int, now: datetime, *, names: int
    ) -> tuple[list[tuple[int, str, str, int | None, str, int]], dict[int, FirstOwner]]:
        """Apply the run's client operations (in the caller's transaction, the switch): a
        file's client whose ИНН and КПП a client made in the chat meanwhile has becomes an
        attachment; attachments and changes of the ERP columns (a tier only when the file
        gives one), new clients (no owner yet), removals, then holdings (parent by code,
        audited as a change in the chat would be). Returns the owner changes the file asks
        for, as they stand now: (client id, code, name, owner, owner source, wanted owner);
        the caller decides and applies them; and per manager, the new clients inserted with
        them as first owner (their count and first `names` names), for the one message the
        caller owes each. A few statements whatever the file's size."""
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
        return [(i, c, n, o, s, w) for i, c, n, o, s, w in owners], first_owners

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
        audit: Any = AuditEntry.__table__
        await self._session.execute(
            insert(audit).from_select(
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

    async def pending(
        self, kind: str, run_id: int, ops: Collection[str], *, after_id: int, limit: int
    ) -> list[dict[str, Any]]:
        """A page of the run's pending operations of these kinds, in id order."""
        table = PENDING[kind]
        rows = await self._session.execute(
            select(table)
            .where(table.c.run_id == run_id, table.c.op.in_(list(ops)), table.c.id > after_id)
            .order_by(table.c.id)
            .limit(limit)
        )
        return [dict(r._mapping) for r in rows]

    async def set_pending_open(self, run_id: int, amounts: Sequence[tuple[int, Decimal]]) -> None:
        """The open amounts of shipments the switch will insert: (pending row id, amount)."""
        table = PENDING["shipments"]
        for start in range(0, len(amounts), BATCH):
            await self._session.execute(
                update(table)
                .where(table.c.id == bindparam("pid"), table.c.run_id == run_id)
                .values(open_amount=bindparam("b_open")),
                [{"pid": p, "b_open": a} for p, a in amounts[start : start + BATCH]],
            )

    async def stored_open_amounts(self, client_ids: Collection[int] | None) -> dict[int, Any]:
        query = select(Shipment.id, Shipment.open_amount).where(Shipment.removed_in_erp.is_(False))
        if client_ids is not None:
            query = query.where(Shipment.client_id.in_(list(client_ids)))
        rows = await self._session.execute(query)
        return {row[0]: row[1] for row in rows}

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

    async def pending_is_consistent(self, kind: str, run_id: int) -> bool:
        """Every update and removal still finds its row (a guard: only imports write these
        tables and they run one at a time, so a miss means something else wrote them)."""
        table = PENDING[kind]
        target: Any = table.metadata.tables[kind]
        missing = await self._session.scalar(
            select(func.count())
            .select_from(table)
            .where(
                table.c.run_id == run_id,
                table.c.op.in_(["update", "remove", "open", "attach"]),
                ~exists().where(target.c.id == table.c.target_id),
            )
        )
        return not missing

    async def drop_staged(self, run_id: int) -> None:
        from sqlalchemy import delete

        await self._session.execute(delete(StagedRow).where(StagedRow.run_id == run_id))

    # --- reads for the chat -----------------------------------------------------------------

    async def clients_of(
        self, owners: Collection[int] | None
    ) -> dict[int, tuple[str, int | None]]:
        """id → (name, owner id) of the clients these owners hold (None: all)."""
        query = select(Client.id, Client.name, Client.owner_id)
        if owners is not None:
            query = query.where(Client.owner_id.in_(list(owners)))
        return {i: (n, o) for i, n, o in await self._session.execute(query)}

    async def receivable_facts(
        self, client_ids: Collection[int] | None
    ) -> tuple[list[Any], list[Any]]:
        """Every live shipment and payment of these clients (None: all), in two queries."""
        ships = select(
            Shipment.id,
            Shipment.number,
            Shipment.shipped_on,
            Shipment.due_on,
            Shipment.amount,
            Shipment.currency,
            Shipment.client_id,
            Shipment.contract_id,
            Shipment.base_shipment_id,
        ).where(Shipment.removed_in_erp.is_(False))
        pays = select(
            Payment.id,
            Payment.paid_on,
            Payment.amount,
            Payment.currency,
            Payment.client_id,
            Payment.contract_id,
            Payment.shipment_id,
        ).where(Payment.removed_in_erp.is_(False))
        if client_ids is not None:
            ids = list(client_ids)
            ships = ships.where(Shipment.client_id.in_(ids))
            pays = pays.where(Payment.client_id.in_(ids))
        return list(await self._session.execute(ships)), list(await self._session.execute(pays))

    async def contracts_of(self, client_ids: Collection[int]) -> list[Any]:
        rows = await self._session.execute(
            select(
                Contract.id,
                Contract.client_id,
                Contract.number,
                Contract.credit_limit,
                Contract.penalty_rate,
                Contract.deferral_days,
            ).where(Contract.client_id.in_(list(client_ids)), Contract.removed_in_erp.is_(False))
        )
        return list(rows)

    async def orders(
        self,
        client_ids: Collection[int] | None,
        *,
        status_open: bool | None,
        offset: int,
        limit: int,
    ) -> tuple[list[Any], int]:
        shipped = (
            select(Shipment.order_id, func.max(Shipment.shipped_on).label("shipped"))
            .where(Shipment.removed_in_erp.is_(False), Shipment.amount > 0)
            .group_by(Shipment.order_id)
            .subquery()
        )
        query = (
            select(
                Order.id,
                Order.number,
                Order.order_date,
                Order.status,
                Order.amount,
                Order.currency,
                Order.ship_date,
                Client.name,
                shipped.c.shipped,
            )
            .join(Client, Client.id == Order.client_id)
            .outerjoin(shipped, shipped.c.order_id == Order.id)
            .where(Order.removed_in_erp.is_(False))
        )
        if client_ids is not None:
            query = query.where(Order.client_id.in_(list(client_ids)))
        if status_open is True:
            query = query.where(shipped.c.shipped.is_(None))
        elif status_open is False:
            query = query.where(shipped.c.shipped.is_not(None))
        total = await self._session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self._session.execute(
            query.order_by(Order.order_date.desc(), Order.id.desc()).offset(offset).limit(limit)
        )
        return list(rows), int(total or 0)

    async def milestones(self, client_id: int, limit: int) -> tuple[list[TimelineEntry], int]:
        """The client's latest orders, shipments and payments as timeline entries (three
        queries and a count each, whatever the client's history)."""
        entries: list[TimelineEntry] = []
        total = 0
        sources: list[tuple[str, Any, Any]] = [
            ("order", Order, Order.order_date),
            ("shipment", Shipment, Shipment.shipped_on),
            ("payment", Payment, Payment.paid_on),
        ]
        for kind, model, day in sources:
            alive = (model.client_id == client_id) & model.removed_in_erp.is_(False)
            total += int(
                await self._session.scalar(select(func.count(model.id)).where(alive)) or 0
            )
            rows = await self._session.execute(
                select(day, model.number, model.amount, model.currency)
                .where(alive)
                .order_by(day.desc())
                .limit(limit)
            )
            for doc_day, number, amount, currency in rows:
                entries.append(
                    TimelineEntry(
                        kind=kind,
                        day=doc_day,
                        number=number,
                        amount=amount,
                        currency=currency,
                        # Documents carry a date only: they sort after that day's contacts.
                        at=datetime.combine(doc_day, datetime.max.time(), tzinfo=UTC),
                    )
                )
        return entries, total

    async def orders_by_number(self, number: str, client_ids: Collection[int] | None) -> list[Any]:
        query = select(Order).where(Order.number == number, Order.removed_in_erp.is_(False))
        if client_ids is not None:
            query = query.where(Order.client_id.in_(list(client_ids)))
        return list((await self._session.scalars(query.order_by(Order.order_date.desc()))).all())

    async def order_by_id(self, order_id: int, client_ids: Collection[int] | None) -> Any:
        query = select(Order).where(Order.id == order_id, Order.removed_in_erp.is_(False))
        if client_ids is not None:
            query = query.where(Order.client_id.in_(list(client_ids)))
        return (await self._session.scalars(query)).first()

    async def order_lines(self, order_id: int) -> list[Any]:
        return list(
            (
                await self._session.scalars(
                    select(OrderLine)
                    .where(OrderLine.order_id == order_id, OrderLine.removed_in_erp.is_(False))
                    .order_by(OrderLine.line_no)
                )
            ).all()
        )

    async def order_shipments(self, order_id: int) -> list[Any]:
        return list(
            (
                await self._session.scalars(
                    select(Shipment)
                    .where(Shipment.order_id == order_id, Shipment.removed_in_erp.is_(False))
                    .order_by(Shipment.shipped_on)
                )
            ).all()
        )

    async def prices(self, key: str, code: str, today: date, limit: int) -> list[Any]:
        """Products matching a name fragment or code, with their current and next price."""
        current = (
            select(Price.product_id, func.max(Price.effective_from).label("since"))
            .where(Price.effective_from <= today, Price.removed_in_erp.is_(False))
            .group_by(Price.product_id)
            .subquery()
        )
        upcoming = (
            select(Price.product_id, func.min(Price.effective_from).label("next_from"))
            .where(Price.effective_from > today, Price.removed_in_erp.is_(False))
            .group_by(Price.product_id)
            .subquery()
        )
        now_price = Price.__table__.alias("now_price")
        next_price = Price.__table__.alias("next_price")
        query = (
            select(
                Product.code,
                Product.name,
                Product.unit,
                now_price.c.price,
                now_price.c.currency,
                current.c.since,
                next_price.c.price,
                upcoming.c.next_from,
            )
            .outerjoin(current, current.c.product_id == Product.id)
            .outerjoin(
                now_price,
                (now_price.c.product_id == Product.id)
                & (now_price.c.effective_from == current.c.since),
            )
            .outerjoin(upcoming, upcoming.c.product_id == Product.id)
            .outerjoin(
                next_price,
                (next_price.c.product_id == Product.id)
                & (next_price.c.effective_from == upcoming.c.next_from),
            )
            .where((Product.search_key.contains(key, autoescape=True)) | (Product.code == code))
            .order_by(Product.name)
            .limit(limit)
        )
        return list(await self._session.execute(query))


def money(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)
