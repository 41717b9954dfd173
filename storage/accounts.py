"""Repositories of the accounts: clients, key persons, contacts, follow-ups, opportunities,
competitor notes. `owners` arguments are the owner ids a viewer may see (None: all)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, TypeVarTuple

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    CompoundSelect,
    Date,
    Row,
    Select,
    String,
    and_,
    bindparam,
    cast,
    func,
    insert,
    literal_column,
    null,
    or_,
    select,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased
from sqlalchemy.types import TypeEngine

from storage.audit import AuditRepo
from storage.dto import (
    ClientBrief,
    ClientCreate,
    ClientDTO,
    ClientLine,
    ClientUpdate,
    CompetitorNoteCreate,
    CompetitorNoteDTO,
    ContactCreate,
    ContactDTO,
    DueFollowUp,
    FollowUpCreate,
    FollowUpDTO,
    FollowUpStatus,
    OpportunityCreate,
    OpportunityDTO,
    PersonCreate,
    PersonDTO,
    Stage,
    TimelineEntry,
    UserDTO,
)
from storage.erp_dto import PaymentFact, ShipmentFact
from storage.models import (
    Client,
    ClientOwnership,
    CompetitorNote,
    ContactLog,
    FollowUp,
    Opportunity,
    Payment,
    Person,
    Shipment,
    User,
)
from storage.types import MinorUnits, UTCDateTime

Owners = Collection[int] | None
_Columns = TypeVarTuple("_Columns")
OPEN_STAGES = [s.value for s in Stage if s.is_open]


def _visible(query: Select[*_Columns], owners: Owners) -> Select[*_Columns]:
    return query if owners is None else query.where(Client.owner_id.in_(list(owners)))


# An owner change: (client id, the owner it had, the owner it gets).
OwnerChange = tuple[int, int | None, int]
BATCH = 500


@dataclass(frozen=True, slots=True)
class OwnershipPeriod:
    owner_id: int
    since: date | None  # the first day; None: from the beginning
    until: date | None  # the next owner's first day; None: the current owner


@dataclass(frozen=True)
class OwnerOn:
    """The owner of a document's client on the document's date, for a query that has
    joined `clients`: outer-join `period` on `onclause`, then read `owner`. A client with
    no ownership period (never handed over since they are kept) falls back to its
    current owner, who has had it all along."""

    period: Any  # an alias of ClientOwnership
    onclause: ColumnElement[bool]
    owner: ColumnElement[int]


def owner_on(client_id: InstrumentedAttribute[int], day: InstrumentedAttribute[date]) -> OwnerOn:
    period = aliased(ClientOwnership)
    onclause = and_(
        period.client_id == client_id,
        or_(period.since.is_(None), period.since <= day),
        or_(period.until.is_(None), period.until > day),
    )
    return OwnerOn(period, onclause, func.coalesce(period.owner_id, Client.owner_id))


def ever_owned_by(owner_ids: Collection[int]) -> ColumnElement[bool]:
    """The clients these owners own now or owned before their current owner (a closed
    period): where a query of their documents starts, so it reads the owners' clients
    through the owner index, not every client's; the owner on the day is `owner_on`."""
    ids = list(owner_ids)
    return or_(
        Client.owner_id.in_(ids),
        Client.id.in_(
            select(ClientOwnership.client_id).where(
                ClientOwnership.owner_id.in_(ids), ClientOwnership.until.is_not(None)
            )
        ),
    )


# --- several lists in one statement ------------------------------------------------------------
# A screen that shows several lists reads them with one UNION ALL: each branch is one list,
# its rows spread over typed slots (ints i1.., texts t1.., booleans b1.., instants ts1..,
# dates d1.., amounts m1..) and tagged with the list's `kind`; `ord` is the row's place in
# its list (row_number() in the list's own ORDER BY, so each backend orders as before).
# Every slot has one SQL type in every branch (an unused slot is a typed NULL), which both
# SQLite and PostgreSQL accept in a UNION.

SLOT_TYPES: dict[str, tuple[TypeEngine[Any], int]] = {
    "i": (BigInteger(), 4),
    "t": (String(), 6),
    "b": (Boolean(), 2),
    "ts": (UTCDateTime(), 2),
    "d": (Date(), 2),
    "m": (MinorUnits(), 2),
}


def _slot(value: Any, type_: TypeEngine[Any]) -> ColumnElement[Any]:
    return cast(null(), type_) if value is None else type_coerce(value, type_)


def slot_row(
    kind: str,
    ord: ColumnElement[Any] | None = None,
    *,
    i: Sequence[Any] = (),
    t: Sequence[Any] = (),
    b: Sequence[Any] = (),
    ts: Sequence[Any] = (),
    d: Sequence[Any] = (),
    m: Sequence[Any] = (),
) -> Select[*tuple[Any, ...]]:
    """One branch of a slotted UNION ALL: `kind`, `ord`, then the slots in order (for
    example `i=(Client.id,), t=(Client.name,)`). Add FROM/WHERE to the select returned."""
    if not kind.isidentifier():
        raise ValueError(kind)
    columns = [
        literal_column(f"'{kind}'", String()).label("kind"),
        _slot(ord, BigInteger()).label("ord"),
    ]
    given = {"i": i, "t": t, "b": b, "ts": ts, "d": d, "m": m}
    for prefix, (type_, count) in SLOT_TYPES.items():
        values = list(given[prefix])
        if len(values) > count:
            raise ValueError(f"{kind}: {len(values)} {prefix} slots, {count} exist")
        values += [None] * (count - len(values))
        columns += [_slot(v, type_).label(f"{prefix}{n}") for n, v in enumerate(values, 1)]
    return select(*columns)


def by_kind(rows: Sequence[Row[Any]]) -> dict[str, list[Row[Any]]]:
    """A slotted UNION's rows by kind, each list in its `ord` (rows without one: as read)."""
    kinds: dict[str, list[Row[Any]]] = {}
    for row in rows:
        kinds.setdefault(row.kind, []).append(row)
    for listed in kinds.values():
        if listed[0].ord is not None:
            listed.sort(key=lambda r: r.ord)
    return kinds


def _client_dto(r: Row[Any]) -> ClientDTO:
    return ClientDTO(
        id=r.i1,
        holding_id=r.i2,
        owner_id=r.i3,
        external_id=r.t1,
        name=r.t2,
        inn=r.t3,
        kpp=r.t4,
        tier=r.t5,
        owner_source=r.t6,
        is_key=r.b1,
        created_at=r.ts1,
    )


def _client_row(kind: str, c: Any) -> Select[*tuple[Any, ...]]:
    """A ClientDTO's branch (read back by `_client_dto`) from a clients table or alias."""
    return slot_row(
        kind,
        i=(c.id, c.holding_id, c.owner_id),
        t=(c.external_id, c.name, c.inn, c.kpp, c.tier, c.owner_source),
        b=(c.is_key,),
        ts=(c.created_at,),
    )


def key_clients_query(owner_id: int | ColumnElement[int]) -> Select[*tuple[Any, ...]]:
    """The owner's key clients, their last contact and when they were added."""
    last = (
        select(func.max(ContactLog.happened_at))
        .where(ContactLog.client_id == Client.id)
        .scalar_subquery()
    )
    return select(
        Client.id,
        Client.name,
        Client.tier,
        Client.is_key,
        Client.owner_id,
        type_coerce(last, UTCDateTime()).label("last"),
        Client.created_at,
    ).where(Client.owner_id == owner_id, Client.is_key.is_(True))


def due_follow_ups_conditions(
    owner_id: int | ColumnElement[int], until: date | ColumnElement[date]
) -> list[ColumnElement[bool]]:
    return [
        FollowUp.owner_id == owner_id,
        FollowUp.status == FollowUpStatus.OPEN.value,
        FollowUp.due_date <= until,
    ]


DUE_ORDER = (FollowUp.due_date, FollowUp.due_at, FollowUp.id)


def overdue_opportunities_conditions(
    owner_id: int | ColumnElement[int], today: date | ColumnElement[date]
) -> list[ColumnElement[bool]]:
    return [
        Opportunity.owner_id == owner_id,
        Opportunity.stage.in_(OPEN_STAGES),
        Opportunity.expected_close.is_not(None),
        Opportunity.expected_close < today,
    ]


OVERDUE_ORDER = (Opportunity.expected_close, Opportunity.id)


def _changes(row: object, data: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    changes = {}
    for field, new in data.items():
        old = getattr(row, field)
        if old != new:
            changes[field] = (old, new)
            setattr(row, field, new)
    return changes


@cache
def _brief_query(visible: bool) -> CompoundSelect[*tuple[Any, ...]]:
    """ClientRepo.brief's statement, built once (building it costs more than running it):
    binds client_id, notes and, when `visible`, owners."""
    target = select(
        Client.id,
        Client.holding_id,
        Client.owner_id,
        Client.external_id,
        Client.name,
        Client.inn,
        Client.kpp,
        Client.tier,
        Client.owner_source,
        Client.is_key,
        Client.created_at,
    ).where(Client.id == bindparam("client_id"))
    if visible:
        target = target.where(Client.owner_id.in_(bindparam("owners", expanding=True)))
    the_client = target.cte("brief_client")
    the_id = select(the_client.c.id).scalar_subquery()
    holding, member = aliased(Client), aliased(Client)
    latest_contact = select(
        ContactLog,
        func.row_number()
        .over(order_by=(ContactLog.happened_at.desc(), ContactLog.id.desc()))
        .label("rn"),
    ).where(ContactLog.client_id == the_id)
    contact = latest_contact.subquery()
    next_step = select(
        FollowUp,
        func.row_number().over(order_by=(FollowUp.due_date, FollowUp.id)).label("rn"),
    ).where(FollowUp.client_id == the_id, FollowUp.status == FollowUpStatus.OPEN.value)
    step = next_step.subquery()
    latest_notes = select(
        CompetitorNote,
        func.row_number()
        .over(order_by=(CompetitorNote.created_at.desc(), CompetitorNote.id.desc()))
        .label("rn"),
    ).where(CompetitorNote.client_id == the_id)
    note = latest_notes.subquery()
    members = select(member.id).where(member.holding_id == the_id)
    query = union_all(
        _client_row("client", the_client.c),
        slot_row(
            "owner",
            i=(User.id, User.telegram_id, User.digest_hour, User.supervisor_id),
            t=(
                User.role,
                User.full_name,
                User.username,
                User.language,
                User.timezone,
                User.erp_name,
            ),
            b=(User.is_active,),
            ts=(User.unreachable_since, User.created_at),
        ).where(User.id == select(the_client.c.owner_id).scalar_subquery()),
        _client_row("holding", holding).where(
            holding.id == select(the_client.c.holding_id).scalar_subquery()
        ),
        slot_row(
            "member",
            func.row_number().over(order_by=(member.name, member.id)),
            i=(member.id, member.owner_id),
            t=(member.name, member.tier),
            b=(member.is_key,),
        ).where(member.holding_id == the_id),
        slot_row(
            "total",
            t=(Opportunity.currency,),
            m=(func.sum(Opportunity.amount),),
        )
        .where(
            or_(Opportunity.client_id == the_id, Opportunity.client_id.in_(members)),
            Opportunity.stage.in_(OPEN_STAGES),
        )
        .group_by(Opportunity.currency),
        slot_row(
            "person",
            func.row_number().over(order_by=(Person.buying_role, Person.full_name)),
            i=(Person.id, Person.client_id),
            t=(
                Person.full_name,
                Person.position,
                Person.buying_role,
                Person.phone,
                Person.email,
                Person.note,
            ),
            b=(Person.is_removed, Person.is_erased),
            d=(Person.birthday,),
        ).where(Person.client_id == the_id, Person.is_removed.is_(False)),
        slot_row(
            "contact",
            i=(contact.c.id, contact.c.client_id, contact.c.author_id, contact.c.person_id),
            t=(contact.c.channel, contact.c.summary, contact.c.outcome),
            ts=(contact.c.happened_at,),
        ).where(contact.c.rn == 1),
        slot_row(
            "follow_up",
            i=(step.c.id, step.c.client_id, step.c.owner_id, step.c.contact_id),
            t=(step.c.text, step.c.status),
            d=(step.c.due_date,),
            ts=(step.c.due_at,),
        ).where(step.c.rn == 1),
        slot_row(
            "opportunity",
            func.row_number().over(order_by=(Opportunity.expected_close, Opportunity.id)),
            i=(Opportunity.id, Opportunity.client_id, Opportunity.owner_id),
            t=(Opportunity.title, Opportunity.currency, Opportunity.stage),
            m=(Opportunity.amount,),
            d=(Opportunity.expected_close,),
        ).where(Opportunity.client_id == the_id, Opportunity.stage.in_(OPEN_STAGES)),
        slot_row(
            "note",
            note.c.rn,
            i=(note.c.id, note.c.client_id, note.c.author_id),
            t=(note.c.competitor, note.c.note, note.c.currency),
            m=(note.c.price_seen,),
            ts=(note.c.created_at,),
        ).where(note.c.rn <= bindparam("notes")),
        slot_row(
            "shipment",
            i=(
                Shipment.id,
                Shipment.client_id,
                Shipment.contract_id,
                Shipment.base_shipment_id,
            ),
            t=(Shipment.number, Shipment.currency),
            d=(Shipment.shipped_on, Shipment.due_on),
            m=(Shipment.amount,),
        ).where(Shipment.client_id == the_id, Shipment.removed_in_erp.is_(False)),
        slot_row(
            "payment",
            i=(Payment.id, Payment.client_id, Payment.contract_id, Payment.shipment_id),
            t=(Payment.currency,),
            d=(Payment.paid_on,),
            m=(Payment.amount,),
        ).where(Payment.client_id == the_id, Payment.removed_in_erp.is_(False)),
    )
    return query


class ClientRepo:
    def __init__(self, session: AsyncSession, audit: AuditRepo) -> None:
        self._session = session
        self._audit = audit

    async def get(self, client_id: int, *, for_update: bool = False) -> ClientDTO | None:
        """The client; `for_update` reads it afresh and locks its row until the end of the
        transaction (PostgreSQL; SQLite's writer holds the whole database already), for a
        change that depends on what it reads."""
        row = await self._session.get(
            Client, client_id, with_for_update=for_update, populate_existing=for_update
        )
        return ClientDTO.model_validate(row) if row else None

    async def by_inn_kpp(self, inn: str, kpp: str) -> ClientDTO | None:
        row = await self._session.scalar(
            select(Client).where(Client.inn == inn, Client.kpp == kpp)
        )
        return ClientDTO.model_validate(row) if row else None

    async def create(
        self, data: ClientCreate, *, actor_id: int | None, now: datetime
    ) -> ClientDTO:
        row = Client(**data.model_dump(), created_at=now, updated_at=now)
        self._session.add(row)
        await self._session.flush()
        await self._audit.created("client", row.id, data, actor_id=actor_id, now=now)
        return ClientDTO.model_validate(row)

    async def update(
        self, client_id: int, data: ClientUpdate, *, actor_id: int | None, now: datetime
    ) -> ClientDTO:
        row = await self._session.get(Client, client_id)
        if row is None:
            raise LookupError(client_id)
        changes = _changes(row, {f: getattr(data, f) for f in data.model_fields_set})
        if changes:
            row.updated_at = now
            await self._audit.record(
                entity="client",
                entity_id=client_id,
                action="update",
                changes=changes,
                actor_id=actor_id,
                now=now,
            )
            await self._session.flush()
        return ClientDTO.model_validate(row)

    async def search(
        self, key: str, digits: str | None, owners: Owners, limit: int
    ) -> list[ClientLine]:
        """Clients whose normalised name contains `key`, or whose ИНН or ERP code is `digits`."""
        conditions = [Client.search_key.contains(key, autoescape=True)] if key else []
        if digits:
            conditions += [Client.inn == digits, Client.external_id == digits]
        if not conditions:
            return []
        query = _visible(select(Client).where(or_(*conditions)), owners)
        rows = await self._session.scalars(query.order_by(Client.tier, Client.name).limit(limit))
        return [ClientLine.model_validate(r) for r in rows]

    async def page(
        self, owners: Owners, *, offset: int, limit: int
    ) -> tuple[list[ClientLine], int]:
        total = await self._session.scalar(_visible(select(func.count(Client.id)), owners))
        rows = await self._session.scalars(
            _visible(select(Client), owners)
            .order_by(Client.tier, Client.is_key.desc(), Client.name, Client.id)
            .offset(offset)
            .limit(limit)
        )
        return [ClientLine.model_validate(r) for r in rows], int(total or 0)

    async def recent_for_author(
        self, author_id: int, owners: Owners, limit: int
    ) -> list[ClientLine]:
        """The author's most recently contacted clients (offered first in /log)."""
        last = (
            select(ContactLog.client_id, func.max(ContactLog.happened_at).label("last"))
            .where(ContactLog.author_id == author_id)
            .group_by(ContactLog.client_id)
            .subquery()
        )
        query = (
            _visible(select(Client, last.c.last).join(last, last.c.client_id == Client.id), owners)
            .order_by(last.c.last.desc())
            .limit(limit)
        )
        rows = await self._session.execute(query)
        return [
            ClientLine.model_validate(
                {**ClientLine.model_validate(c).model_dump(), "last_contact_at": at}
            )
            for c, at in rows
        ]

    async def key_clients_with_last_contact(self, owner_id: int) -> list[ClientLine]:
        """The owner's key clients with their last contact (one query), for the cadence; a
        client never contacted counts from when it was added."""
        rows = await self._session.execute(key_clients_query(owner_id))
        return [
            ClientLine(id=i, name=n, tier=t, is_key=k, owner_id=o, last_contact_at=last or created)
            for i, n, t, k, o, last, created in rows
        ]

    async def reassign(
        self,
        client_id: int,
        new_owner_id: int,
        *,
        source: str,
        actor_id: int | None,
        now: datetime,
        day: date | None = None,
    ) -> tuple[ClientDTO, int | None]:
        """Move the client and what is open on it (follow-ups, opportunities) to a new owner,
        who owns it from `day` on (the hand-over's local date; the UTC date of `now` when
        not given): its documents before that day stay the previous owner's. Returns the
        client and the previous owner."""
        row = await self._session.get(Client, client_id)
        if row is None:
            raise LookupError(client_id)
        previous = row.owner_id
        if previous == new_owner_id:
            return ClientDTO.model_validate(row), previous
        row.owner_id, row.owner_source, row.updated_at = new_owner_id, source, now
        await self.record_ownership([(client_id, previous, new_owner_id)], day=day or now.date())
        await self._session.execute(
            update(FollowUp)
            .where(FollowUp.client_id == client_id, FollowUp.status == FollowUpStatus.OPEN.value)
            .values(owner_id=new_owner_id)
        )
        await self._session.execute(
            update(Opportunity)
            .where(Opportunity.client_id == client_id, Opportunity.stage.in_(OPEN_STAGES))
            .values(owner_id=new_owner_id, updated_at=now)
        )
        await self._audit.record(
            entity="client",
            entity_id=client_id,
            action="reassign",
            actor_id=actor_id,
            now=now,
            changes={"owner_id": (previous, new_owner_id), "owner_source": (None, source)},
        )
        await self._session.flush()
        return ClientDTO.model_validate(row), previous

    async def reassign_many(
        self,
        changes: Sequence[tuple[int, int | None, int, date]],
        *,
        source: str,
        actor_id: int | None,
        now: datetime,
    ) -> None:
        """`reassign` for many clients at once (an import's switch): (client id, the owner
        it has, the new owner, the new owner's first day). The same bookkeeping (ownership
        periods, open follow-ups and opportunities moved, the audit trail), a few
        statements per 500 changes."""
        clients: Any = Client.__table__
        follow_ups: Any = FollowUp.__table__
        opportunities: Any = Opportunity.__table__
        for start in range(0, len(changes), BATCH):
            part = changes[start : start + BATCH]
            moves = [{"b_client": c, "b_owner": new} for c, _, new, _ in part]
            await self._session.execute(
                update(clients)
                .where(clients.c.id == bindparam("b_client"))
                .values(owner_id=bindparam("b_owner"), owner_source=source, updated_at=now),
                moves,
            )
            await self._session.execute(
                update(follow_ups)
                .where(
                    follow_ups.c.client_id == bindparam("b_client"),
                    follow_ups.c.status == FollowUpStatus.OPEN.value,
                )
                .values(owner_id=bindparam("b_owner")),
                moves,
            )
            await self._session.execute(
                update(opportunities)
                .where(
                    opportunities.c.client_id == bindparam("b_client"),
                    # Not IN (…): an expanding list cannot go with executemany.
                    or_(*(opportunities.c.stage == stage for stage in OPEN_STAGES)),
                )
                .values(owner_id=bindparam("b_owner"), updated_at=now),
                moves,
            )
            await self._audit.record_many(
                entity="client",
                action="reassign",
                entries=[
                    (c, {"owner_id": (previous, new), "owner_source": (None, source)})
                    for c, previous, new, _ in part
                ],
                actor_id=actor_id,
                now=now,
            )
        by_day: dict[date, list[OwnerChange]] = {}
        for client_id, previous, new, day in changes:
            by_day.setdefault(day, []).append((client_id, previous, new))
        for day, grouped in sorted(by_day.items()):
            await self.record_ownership(grouped, day=day)

    async def record_ownership(self, changes: Sequence[OwnerChange], *, day: date) -> None:
        """Keep the ownership periods of clients whose owner changed (in the same
        transaction as the change of `clients.owner_id`): the current period ends on `day`
        and the new owner's begins with it. A client's first owner gets its whole past (no
        one else owned it); a second change on the same day replaces that day's owner.
        Every path that changes an owner must come through here (or through `reassign`),
        or the figures of past periods would follow the new owner. A few queries per 500
        changes, whatever their number."""
        # Core statements, not ORM objects: an import's switch may bring tens of thousands
        # of changes, which the unit of work would flush one INSERT at a time.
        table: Any = ClientOwnership.__table__
        ids = list({client_id for client_id, _, _ in changes})
        current: dict[int, dict[str, Any]] = {}
        for start in range(0, len(ids), BATCH):
            rows = await self._session.execute(
                select(table.c.id, table.c.client_id, table.c.owner_id, table.c.since).where(
                    table.c.client_id.in_(ids[start : start + BATCH]), table.c.until.is_(None)
                )
            )
            current.update({r.client_id: dict(r._mapping) for r in rows})
        added: list[dict[str, Any]] = []
        ended: list[dict[str, Any]] = []
        replaced: dict[int, dict[str, Any]] = {}
        for client_id, previous, new_owner_id in changes:
            period = current.get(client_id)
            if period is None and previous is not None:
                # Never handed over since periods are kept: the previous owner had it
                # from the beginning.
                added.append(
                    {"client_id": client_id, "owner_id": previous, "since": None, "until": day}
                )
            elif period is not None and period["since"] is not None and period["since"] >= day:
                period["owner_id"] = new_owner_id  # a second change on the same day
                if period.get("id") is not None:
                    replaced[period["id"]] = period
                continue
            elif period is not None:
                if period.get("id") is None:  # opened by this very call
                    period["until"] = day
                else:
                    ended.append({"b_id": period["id"], "b_until": day})
            opened = {
                "client_id": client_id,
                "owner_id": new_owner_id,
                "since": day if period is not None or previous is not None else None,
                "until": None,
            }
            added.append(opened)
            current[client_id] = opened
        for start in range(0, len(ended), BATCH):
            await self._session.execute(
                update(table)
                .where(table.c.id == bindparam("b_id"))
                .values(until=bindparam("b_until")),
                ended[start : start + BATCH],
            )
        owners = [{"b_id": i, "b_owner": p["owner_id"]} for i, p in replaced.items()]
        for start in range(0, len(owners), BATCH):
            await self._session.execute(
                update(table)
                .where(table.c.id == bindparam("b_id"))
                .values(owner_id=bindparam("b_owner")),
                owners[start : start + BATCH],
            )
        for start in range(0, len(added), BATCH):
            await self._session.execute(insert(table), added[start : start + BATCH])

    async def ownership(self, client_id: int) -> list[OwnershipPeriod]:
        """The client's ownership periods, oldest first (none: one owner all along)."""
        rows = await self._session.execute(
            select(ClientOwnership.owner_id, ClientOwnership.since, ClientOwnership.until)
            .where(ClientOwnership.client_id == client_id)
            .order_by(ClientOwnership.since.is_not(None), ClientOwnership.since)
        )
        return [OwnershipPeriod(o, s, u) for o, s, u in rows]

    async def members(self, holding_id: int) -> list[ClientLine]:
        rows = await self._session.scalars(
            select(Client).where(Client.holding_id == holding_id).order_by(Client.name)
        )
        return [ClientLine.model_validate(r) for r in rows]

    async def brief(self, client_id: int, owners: Owners, *, notes: int = 3) -> ClientBrief | None:
        """The client's card in one statement (a slotted UNION ALL, see `slot_row`); None
        when there is no such client or its owner is not in `owners` (None: any), and then
        no branch reads anything of it."""
        params: dict[str, Any] = {"client_id": client_id, "notes": notes}
        if owners is not None:
            params["owners"] = list(owners)
        query = _brief_query(owners is not None)
        kinds = by_kind(list(await self._session.execute(query, params)))
        if "client" not in kinds:
            return None
        members_found = [
            ClientLine(id=r.i1, owner_id=r.i2, name=r.t1, tier=r.t2, is_key=r.b1)
            for r in kinds.get("member", [])
        ]
        owner = next(iter(kinds.get("owner", [])), None)
        holding_row = next(iter(kinds.get("holding", [])), None)
        contact_row = next(iter(kinds.get("contact", [])), None)
        step_row = next(iter(kinds.get("follow_up", [])), None)
        return ClientBrief(
            client=_client_dto(kinds["client"][0]),
            owner=UserDTO(
                id=owner.i1,
                telegram_id=owner.i2,
                digest_hour=owner.i3,
                supervisor_id=owner.i4,
                role=owner.t1,
                full_name=owner.t2,
                username=owner.t3,
                language=owner.t4,
                timezone=owner.t5,
                erp_name=owner.t6,
                is_active=owner.b1,
                unreachable_since=owner.ts1,
                created_at=owner.ts2,
            )
            if owner
            else None,
            holding=_client_dto(holding_row) if holding_row else None,
            members=members_found,
            group_pipeline=({r.t1: r.m1 for r in kinds.get("total", [])} if members_found else {}),
            persons=[
                PersonDTO(
                    id=r.i1,
                    client_id=r.i2,
                    full_name=r.t1,
                    position=r.t2,
                    buying_role=r.t3,
                    phone=r.t4,
                    email=r.t5,
                    note=r.t6,
                    is_removed=r.b1,
                    is_erased=r.b2,
                    birthday=r.d1,
                )
                for r in kinds.get("person", [])
            ],
            last_contact=ContactDTO(
                id=contact_row.i1,
                client_id=contact_row.i2,
                author_id=contact_row.i3,
                person_id=contact_row.i4,
                channel=contact_row.t1,
                summary=contact_row.t2,
                outcome=contact_row.t3,
                happened_at=contact_row.ts1,
            )
            if contact_row
            else None,
            next_follow_up=FollowUpDTO(
                id=step_row.i1,
                client_id=step_row.i2,
                owner_id=step_row.i3,
                contact_id=step_row.i4,
                text=step_row.t1,
                status=step_row.t2,
                due_date=step_row.d1,
                due_at=step_row.ts1,
            )
            if step_row
            else None,
            opportunities=[opportunity_of(r) for r in kinds.get("opportunity", [])],
            competitor_notes=[
                CompetitorNoteDTO(
                    id=r.i1,
                    client_id=r.i2,
                    author_id=r.i3,
                    competitor=r.t1,
                    note=r.t2,
                    currency=r.t3,
                    price_seen=r.m1,
                    created_at=r.ts1,
                )
                for r in kinds.get("note", [])
            ],
            shipments=sorted(
                (
                    ShipmentFact(r.i1, r.t1, r.d1, r.d2, r.m1, r.t2, r.i2, r.i3, r.i4)
                    for r in kinds.get("shipment", [])
                ),
                key=lambda f: f.id,
            ),
            payments=sorted(
                (
                    PaymentFact(r.i1, r.d1, r.m1, r.t1, r.i2, r.i3, r.i4)
                    for r in kinds.get("payment", [])
                ),
                key=lambda f: f.id,
            ),
        )

    async def owned_by(self, owner_id: int) -> list[ClientDTO]:
        rows = await self._session.scalars(select(Client).where(Client.owner_id == owner_id))
        return [ClientDTO.model_validate(r) for r in rows]


class PersonRepo:
    def __init__(self, session: AsyncSession, audit: AuditRepo) -> None:
        self._session = session
        self._audit = audit

    async def add(self, data: PersonCreate, *, actor_id: int, now: datetime) -> PersonDTO:
        row = Person(**data.model_dump(), created_at=now, updated_at=now)
        self._session.add(row)
        await self._session.flush()
        await self._audit.created("person", row.id, data, actor_id=actor_id, now=now)
        return PersonDTO.model_validate(row)

    async def get(self, person_id: int) -> PersonDTO | None:
        row = await self._session.get(Person, person_id)
        return PersonDTO.model_validate(row) if row else None

    async def of_client(self, client_id: int) -> list[PersonDTO]:
        rows = await self._session.scalars(
            select(Person)
            .where(Person.client_id == client_id, Person.is_removed.is_(False))
            .order_by(Person.buying_role, Person.full_name)
        )
        return [PersonDTO.model_validate(r) for r in rows]

    async def change(
        self, person_id: int, data: dict[str, Any], *, action: str, actor_id: int, now: datetime
    ) -> PersonDTO:
        row = await self._session.get(Person, person_id)
        if row is None:
            raise LookupError(person_id)
        changes = _changes(row, data)
        if changes:
            row.updated_at = now
            await self._audit.record(
                entity="person",
                entity_id=person_id,
                action=action,
                changes=changes,
                actor_id=actor_id,
                now=now,
            )
            await self._session.flush()
        return PersonDTO.model_validate(row)


class ContactRepo:
    def __init__(self, session: AsyncSession, audit: AuditRepo) -> None:
        self._session = session
        self._audit = audit

    async def add(self, data: ContactCreate, *, now: datetime) -> ContactDTO:
        row = ContactLog(**data.model_dump(), created_at=now)
        self._session.add(row)
        await self._session.flush()
        await self._audit.created("contact", row.id, data, actor_id=data.author_id, now=now)
        return ContactDTO.model_validate(row)

    async def last_for_client(self, client_id: int) -> ContactDTO | None:
        row = await self._session.scalar(
            select(ContactLog)
            .where(ContactLog.client_id == client_id)
            .order_by(ContactLog.happened_at.desc(), ContactLog.id.desc())
            .limit(1)
        )
        return ContactDTO.model_validate(row) if row else None

    async def timeline(
        self, client_id: int, *, offset: int, limit: int
    ) -> tuple[list[TimelineEntry], int]:
        total = await self._session.scalar(
            select(func.count(ContactLog.id)).where(ContactLog.client_id == client_id)
        )
        rows = await self._session.execute(
            select(ContactLog, User.full_name)
            .join(User, User.id == ContactLog.author_id)
            .where(ContactLog.client_id == client_id)
            .order_by(ContactLog.happened_at.desc(), ContactLog.id.desc())
            .offset(offset)
            .limit(limit)
        )
        entries = [
            TimelineEntry(
                kind="contact",
                at=c.happened_at,
                author=name,
                channel=c.channel,
                outcome=c.outcome,
                text=c.summary,
            )
            for c, name in rows
        ]
        return entries, int(total or 0)


class FollowUpRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, data: FollowUpCreate, *, now: datetime) -> FollowUpDTO:
        row = FollowUp(**data.model_dump(), status=FollowUpStatus.OPEN.value, created_at=now)
        self._session.add(row)
        await self._session.flush()
        return FollowUpDTO.model_validate(row)

    async def get(self, follow_up_id: int) -> FollowUpDTO | None:
        row = await self._session.get(FollowUp, follow_up_id)
        return FollowUpDTO.model_validate(row) if row else None

    async def next_for_client(self, client_id: int) -> FollowUpDTO | None:
        row = await self._session.scalar(
            select(FollowUp)
            .where(FollowUp.client_id == client_id, FollowUp.status == FollowUpStatus.OPEN.value)
            .order_by(FollowUp.due_date, FollowUp.id)
            .limit(1)
        )
        return FollowUpDTO.model_validate(row) if row else None

    async def close(self, follow_up_id: int, *, now: datetime) -> None:
        await self._session.execute(
            update(FollowUp)
            .where(FollowUp.id == follow_up_id, FollowUp.status == FollowUpStatus.OPEN.value)
            .values(status=FollowUpStatus.DONE.value, closed_at=now)
        )

    async def close_open_for_client(self, client_id: int, *, now: datetime) -> int:
        """A new contact answers the open next steps of that client."""
        result = await self._session.execute(
            update(FollowUp)
            .where(FollowUp.client_id == client_id, FollowUp.status == FollowUpStatus.OPEN.value)
            .values(status=FollowUpStatus.DONE.value, closed_at=now)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def due_for_owner(self, owner_id: int, until: date) -> list[DueFollowUp]:
        rows = await self._session.execute(
            select(FollowUp, Client.name)
            .join(Client, Client.id == FollowUp.client_id)
            .where(*due_follow_ups_conditions(owner_id, until))
            .order_by(*DUE_ORDER)
        )
        return [
            DueFollowUp(
                id=f.id,
                client_id=f.client_id,
                client_name=name,
                text=f.text,
                due_date=f.due_date,
                due_at=f.due_at,
            )
            for f, name in rows
        ]


class OpportunityRepo:
    def __init__(self, session: AsyncSession, audit: AuditRepo) -> None:
        self._session = session
        self._audit = audit

    async def add(
        self, data: OpportunityCreate, *, actor_id: int, now: datetime
    ) -> OpportunityDTO:
        row = Opportunity(**data.model_dump(), created_at=now, updated_at=now)
        self._session.add(row)
        await self._session.flush()
        await self._audit.created("opportunity", row.id, data, actor_id=actor_id, now=now)
        return OpportunityDTO.model_validate(row)

    async def get(self, opportunity_id: int) -> OpportunityDTO | None:
        row = await self._session.get(Opportunity, opportunity_id)
        return OpportunityDTO.model_validate(row) if row else None

    async def set_stage(
        self, opportunity_id: int, stage: Stage, *, actor_id: int, now: datetime
    ) -> OpportunityDTO:
        return await self.change(
            opportunity_id, {"stage": stage.value}, actor_id=actor_id, now=now
        )

    async def change(
        self, opportunity_id: int, data: dict[str, Any], *, actor_id: int, now: datetime
    ) -> OpportunityDTO:
        row = await self._session.get(Opportunity, opportunity_id)
        if row is None:
            raise LookupError(opportunity_id)
        changes = _changes(row, data)
        if changes:
            row.updated_at = now
            await self._audit.record(
                entity="opportunity",
                entity_id=opportunity_id,
                action="update",
                changes=changes,
                actor_id=actor_id,
                now=now,
            )
            await self._session.flush()
        return OpportunityDTO.model_validate(row)

    async def open_for_client(self, client_id: int) -> list[OpportunityDTO]:
        rows = await self._session.scalars(
            select(Opportunity)
            .where(Opportunity.client_id == client_id, Opportunity.stage.in_(OPEN_STAGES))
            .order_by(Opportunity.expected_close, Opportunity.id)
        )
        return [OpportunityDTO.model_validate(r) for r in rows]

    async def open_totals(self, client_ids: Collection[int]) -> dict[str, Decimal]:
        """Open pipeline per currency across clients (a holding's members), one query."""
        if not client_ids:
            return {}
        rows = await self._session.execute(
            select(Opportunity.currency, func.sum(Opportunity.amount))
            .where(Opportunity.client_id.in_(list(client_ids)), Opportunity.stage.in_(OPEN_STAGES))
            .group_by(Opportunity.currency)
        )
        return {currency: total for currency, total in rows}  # noqa: C416 - Row pairs

    async def overdue_for_owner(
        self, owner_id: int, today: date
    ) -> list[tuple[OpportunityDTO, str]]:
        rows = await self._session.execute(
            select(Opportunity, Client.name)
            .join(Client, Client.id == Opportunity.client_id)
            .where(*overdue_opportunities_conditions(owner_id, today))
            .order_by(*OVERDUE_ORDER)
        )
        return [(OpportunityDTO.model_validate(o), name) for o, name in rows]


class CompetitorNoteRepo:
    def __init__(self, session: AsyncSession, audit: AuditRepo) -> None:
        self._session = session
        self._audit = audit

    async def add(self, data: CompetitorNoteCreate, *, now: datetime) -> CompetitorNoteDTO:
        row = CompetitorNote(**data.model_dump(), created_at=now)
        self._session.add(row)
        await self._session.flush()
        await self._audit.created(
            "competitor_note", row.id, data, actor_id=data.author_id, now=now
        )
        return CompetitorNoteDTO.model_validate(row)

    async def latest_for_client(self, client_id: int, limit: int = 3) -> list[CompetitorNoteDTO]:
        rows = await self._session.scalars(
            select(CompetitorNote)
            .where(CompetitorNote.client_id == client_id)
            .order_by(CompetitorNote.created_at.desc(), CompetitorNote.id.desc())
            .limit(limit)
        )
        return [CompetitorNoteDTO.model_validate(r) for r in rows]


def opportunity_of(row: Any) -> OpportunityDTO:
    """An opportunity from a row of a one-statement screen (the card's, the agenda's): the
    same slots (i1 id, i2 client, i3 owner, t1 title, t2 currency, t3 stage, m1 amount,
    d1 expected close) in both."""
    return OpportunityDTO(
        id=row.i1,
        client_id=row.i2,
        owner_id=row.i3,
        title=row.t1,
        currency=row.t2,
        stage=row.t3,
        amount=row.m1,
        expected_close=row.d1,
    )
