"""ERP data: the stored rows an import looks up, the batched upsert by natural key, each
shipment's open amount, and the reads behind /orders, /order, /debts, /prices and the
digests. Every list is one query; upserts go in batches. An import's runs, staging and
pending operations, and the switch that applies them, are in storage/imports.py."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar, TypeVarTuple, cast

from sqlalchemy import (
    ColumnElement,
    UnaryExpression,
    and_,
    case,
    func,
    insert,
    select,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql import Select, Subquery
from sqlalchemy.sql.elements import Label
from sqlalchemy.sql.operators import custom_op

from storage.dto import TimelineEntry
from storage.erp_dto import (
    ClientKey,
    ClientOwner,
    ContractRef,
    ContractTerms,
    DateWindow,
    DocumentRef,
    ErpName,
    NewlyOverdue,
    OpenAmount,
    OrderDTO,
    OrderLineDTO,
    OrderRow,
    OverdueSum,
    Page,
    PaymentFact,
    PlanScope,
    PriceLine,
    ReceivableFacts,
    RecentShipment,
    ShipmentDTO,
    ShipmentFact,
    StoredClient,
    StoredPayment,
    StoredPlan,
    StoredProduct,
    UnownedClient,
)
from storage.models import (
    PENDING,
    Base,
    Client,
    Contract,
    Order,
    OrderLine,
    Payment,
    Plan,
    Price,
    Product,
    Shipment,
    User,
)

BATCH = 500
# The date a document is filed under, per table: a sync's window snapshot goes by it.
DOCUMENT_DATES = {"orders": "order_date", "shipments": "shipped_on", "payments": "paid_on"}
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

    async def client_keys(self) -> list[ClientKey]:
        """What a file's row may name every client by, and its owner."""
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
        return [ClientKey._make(r) for r in rows]

    async def contract_keys(self) -> dict[tuple[int, str], ContractRef]:
        """(client id, number) → the contract."""
        rows = await self._session.execute(
            select(Contract.client_id, Contract.number, Contract.id, Contract.deferral_days)
        )
        return {(c, n): ContractRef(i, d) for c, n, i, d in rows}

    async def order_numbers(self) -> dict[str, list[DocumentRef]]:
        """number → the orders of that number (numbers repeat by year)."""
        rows = await self._session.execute(
            select(Order.number, Order.id, Order.order_date, Order.client_id)
        )
        return _by_number(rows)

    async def shipment_numbers(self) -> dict[str, list[DocumentRef]]:
        """number → the shipments of that number (numbers repeat by year)."""
        rows = await self._session.execute(
            select(Shipment.number, Shipment.id, Shipment.shipped_on, Shipment.client_id)
        )
        return _by_number(rows)

    async def latest_shipments_of_orders(self, order_ids: Collection[int]) -> dict[int, str]:
        """order id → the number of its latest live shipment, for the orders that have one."""
        found: dict[int, tuple[date, str]] = {}
        for part in _batches(list(order_ids)):
            rows = await self._session.execute(
                select(Shipment.order_id, Shipment.shipped_on, Shipment.number).where(
                    Shipment.order_id.in_(part), Shipment.removed_in_erp.is_(False)
                )
            )
            for order_id, day, number in rows:
                if order_id is not None and (order_id not in found or day > found[order_id][0]):
                    found[order_id] = (day, number)
        return {order_id: number for order_id, (_, number) in found.items()}

    async def payments_between(
        self, client_ids: Collection[int], since: date, until: date
    ) -> list[StoredPayment]:
        """The live payments of these clients dated from `since` to `until`."""
        found: list[StoredPayment] = []
        for part in _batches(list(client_ids)):
            rows = await self._session.execute(
                select(
                    Payment.id, Payment.client_id, Payment.paid_on, Payment.amount, Payment.number
                )
                .where(
                    Payment.client_id.in_(part),
                    Payment.removed_in_erp.is_(False),
                    Payment.paid_on.between(since, until),
                )
                .order_by(Payment.paid_on, Payment.id)
            )
            found += [StoredPayment._make(row) for row in rows]
        return found

    async def users_by_erp_name(self) -> list[ErpName]:
        rows = await self._session.execute(
            select(User.id, User.erp_name).where(
                User.erp_name.is_not(None), User.is_active.is_(True)
            )
        )
        return [ErpName(i, n) for i, n in rows if n is not None]

    async def unowned_with_erp_manager(self) -> list[UnownedClient]:
        rows = await self._session.execute(
            select(Client.id, Client.erp_manager).where(
                Client.owner_id.is_(None), Client.erp_manager.is_not(None)
            )
        )
        return [UnownedClient(i, m) for i, m in rows if m is not None]

    async def live_ids(self, kind: str, window: DateWindow | None = None) -> set[int]:
        """Ids of the rows of this ERP table (`contracts`, `shipments`, …) not removed; with
        a window, only the documents dated within it (order lines: their order's date)."""
        table: Any = Base.metadata.tables[kind]
        query = select(table.c.id).where(table.c.removed_in_erp.is_(False))
        if window is not None:
            if kind == "order_lines":
                query = query.join(Order, Order.id == table.c.order_id)
                dated = Order.order_date
            else:
                dated = table.c[DOCUMENT_DATES[kind]]
            query = query.where(dated.between(window.since, window.until))
        return set((await self._session.scalars(query)).all())

    async def stored_clients(self, codes: Collection[str]) -> dict[str, StoredClient]:
        """ERP code → the stored client's ERP columns, for the clients of these codes."""
        found: dict[str, StoredClient] = {}
        for part in _batches(list(codes)):
            rows = await self._session.execute(
                select(
                    Client.external_id,
                    Client.id,
                    Client.name,
                    Client.search_key,
                    Client.inn,
                    Client.kpp,
                    Client.erp_manager,
                    Client.removed_in_erp,
                    Client.tier,
                ).where(Client.external_id.in_(part))
            )
            for code, *columns in rows:
                if code is not None:
                    found[code] = StoredClient._make(columns)
        return found

    async def stored_products(self, codes: Collection[str]) -> dict[str, StoredProduct]:
        """Article → the stored product, for the products of these articles."""
        found: dict[str, StoredProduct] = {}
        for part in _batches(list(codes)):
            rows = await self._session.execute(
                select(
                    Product.id, Product.code, Product.name, Product.search_key, Product.unit
                ).where(Product.code.in_(part))
            )
            found.update({r.code: StoredProduct._make(r) for r in rows})
        return found

    async def stored_plans(self, user_ids: Collection[int]) -> dict[PlanScope, StoredPlan]:
        """The plans of these managers, by what they are of."""
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
        return {PlanScope(u, c, s, e): StoredPlan(i, a) for u, c, s, e, i, a in rows}

    async def stored_open_amounts(self, client_ids: Collection[int] | None) -> dict[int, Decimal]:
        """shipment id → the open amount kept on it, of these clients' live shipments
        (None: everyone's); a shipment none was kept for yet is left out."""
        query = select(Shipment.id, Shipment.open_amount).where(Shipment.removed_in_erp.is_(False))
        if client_ids is not None:
            query = query.where(Shipment.client_id.in_(list(client_ids)))
        rows = await self._session.execute(query)
        return {i: a for i, a in rows if a is not None}

    # --- what imports keep ---------------------------------------------------------------

    async def set_open_amounts(self, amounts: Sequence[OpenAmount]) -> None:
        """What is still owed on each of these shipments, in batches."""
        for part in _batches(amounts):
            await self._session.execute(
                update(Shipment), [{"id": a.id, "open_amount": a.amount} for a in part]
            )

    async def attach_code(self, client_id: int, code: str) -> None:
        await self._session.execute(
            update(Client).where(Client.id == client_id).values(external_id=code)
        )

    # --- receivables ---------------------------------------------------------------------

    async def receivable_facts(self, client_ids: Collection[int] | None) -> ReceivableFacts:
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
        return ReceivableFacts(
            [ShipmentFact(*r) for r in await self._session.execute(ships)],
            [PaymentFact(*r) for r in await self._session.execute(pays)],
        )

    async def overdue_by_owner(
        self, owner_ids: Collection[int], today: date, bucket_starts: Sequence[date]
    ) -> list[OverdueSum]:
        """What is overdue, summed in SQL from the kept open amounts, by owner and bucket.
        `bucket_starts` are the earliest due dates of buckets 0, 1, 2 (latest first):
        bucket 0 is due on or after the first, bucket 3 before the third."""
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
            OverdueSum(owner, index, amount)
            for owner, *amounts in rows
            if owner is not None
            for index, amount in enumerate(amounts)
            if amount is not None
        ]

    async def newly_overdue(
        self, owner_ids: Collection[int], since: date, today: date
    ) -> list[NewlyOverdue]:
        """Shipments that fell due in [since, today) and are still owed."""
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
        return [
            NewlyOverdue(owner, cid, name, sid, number, due, amount)
            for owner, cid, name, sid, number, due, amount in rows
            if owner is not None and amount is not None
        ]

    async def shipment_client(self, shipment_id: int) -> int | None:
        return await self._session.scalar(
            select(Shipment.client_id).where(Shipment.id == shipment_id)
        )

    async def clients_of(self, owners: Collection[int] | None) -> dict[int, ClientOwner]:
        """id → name and owner of the clients these owners hold (None: all)."""
        query = select(Client.id, Client.name, Client.owner_id)
        if owners is not None:
            query = query.where(Client.owner_id.in_(list(owners)))
        return {i: ClientOwner(n, o) for i, n, o in await self._session.execute(query)}

    async def contracts_of(self, client_ids: Collection[int]) -> list[ContractTerms]:
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
        return [ContractTerms._make(r) for r in rows]

    # --- reads for the chat -----------------------------------------------------------------

    async def recent_shipments(self, client_id: int, limit: int) -> list[RecentShipment]:
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
        return [RecentShipment(n, i) for n, i in rows]

    async def orders(
        self,
        client_ids: Collection[int] | None,
        *,
        status_open: bool | None,
        offset: int,
        limit: int,
    ) -> Page[OrderRow]:
        """A page of these clients' orders (None: all), newest first: open ones (nothing
        shipped), shipped ones, or all; and how many there are."""
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
        return Page([OrderRow._make(r) for r in rows], int(total or 0))

    async def milestones(self, client_id: int, limit: int) -> Page[TimelineEntry]:
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
        return Page(entries, total)

    async def orders_by_number(
        self, number: str, client_ids: Collection[int] | None
    ) -> list[OrderDTO]:
        """The live orders of this number of these clients (None: all), latest first."""
        query = select(Order).where(Order.number == number, Order.removed_in_erp.is_(False))
        if client_ids is not None:
            query = query.where(Order.client_id.in_(list(client_ids)))
        found = await self._session.scalars(query.order_by(Order.order_date.desc()))
        return [OrderDTO.model_validate(order) for order in found]

    async def order_by_id(
        self, order_id: int, client_ids: Collection[int] | None
    ) -> OrderDTO | None:
        query = select(Order).where(Order.id == order_id, Order.removed_in_erp.is_(False))
        if client_ids is not None:
            query = query.where(Order.client_id.in_(list(client_ids)))
        order = (await self._session.scalars(query)).first()
        return OrderDTO.model_validate(order) if order is not None else None

    async def order_lines(self, order_id: int) -> list[OrderLineDTO]:
        found = await self._session.scalars(
            select(OrderLine)
            .where(OrderLine.order_id == order_id, OrderLine.removed_in_erp.is_(False))
            .order_by(OrderLine.line_no)
        )
        return [OrderLineDTO.model_validate(line) for line in found]

    async def order_shipments(self, order_id: int) -> list[ShipmentDTO]:
        found = await self._session.scalars(
            select(Shipment)
            .where(Shipment.order_id == order_id, Shipment.removed_in_erp.is_(False))
            .order_by(Shipment.shipped_on)
        )
        return [ShipmentDTO.model_validate(shipment) for shipment in found]

    async def prices(self, key: str | None, code: str, today: date, limit: int) -> list[PriceLine]:
        """Products matching a name fragment or code (`key` None: the code only), with their
        current and next price."""
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
            .where(
                Product.code == code
                if key is None
                else (Product.search_key.contains(key, autoescape=True)) | (Product.code == code)
            )
            .order_by(Product.name)
            .limit(limit)
        )
        return [PriceLine._make(r) for r in await self._session.execute(query)]


_Part = TypeVar("_Part")


def _batches(items: Sequence[_Part]) -> list[Sequence[_Part]]:
    return [items[start : start + BATCH] for start in range(0, len(items), BATCH)]


def _by_number(rows: Any) -> dict[str, list[DocumentRef]]:
    found: dict[str, list[DocumentRef]] = {}
    for number, doc_id, doc_day, client_id in rows:
        found.setdefault(number, []).append(DocumentRef(doc_id, doc_day, client_id))
    return found
