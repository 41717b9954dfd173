"""Repositories of the accounts: clients, key persons, contacts, follow-ups, opportunities,
competitor notes. `owners` arguments are the owner ids a viewer may see (None: all)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased

from storage.audit import AuditRepo
from storage.dto import (
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
)
from storage.models import (
    Client,
    ClientOwnership,
    CompetitorNote,
    ContactLog,
    FollowUp,
    Opportunity,
    Person,
    User,
)

Owners = Collection[int] | None
OPEN_STAGES = [s.value for s in Stage if s.is_open]


def _visible(query: Select[Any], owners: Owners) -> Select[Any]:
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


def _changes(row: object, data: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    changes = {}
    for field, new in data.items():
        old = getattr(row, field)
        if old != new:
            changes[field] = (old, new)
            setattr(row, field, new)
    return changes


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
        """The owner's key clients with their last contact (one query), for the cadence."""
        last = (
            select(ContactLog.client_id, func.max(ContactLog.happened_at).label("last"))
            .group_by(ContactLog.client_id)
            .subquery()
        )
        query = (
            select(Client, last.c.last, Client.created_at)
            .outerjoin(last, last.c.client_id == Client.id)
            .where(Client.owner_id == owner_id, Client.is_key.is_(True))
        )
        result = []
        for client, at, created in await self._session.execute(query):
            line = ClientLine.model_validate(client).model_dump()
            line["last_contact_at"] = at or created
            result.append(ClientLine.model_validate(line))
        return result

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
            .where(
                FollowUp.owner_id == owner_id,
                FollowUp.status == FollowUpStatus.OPEN.value,
                FollowUp.due_date <= until,
            )
            .order_by(FollowUp.due_date, FollowUp.due_at, FollowUp.id)
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
            .where(
                Opportunity.owner_id == owner_id,
                Opportunity.stage.in_(OPEN_STAGES),
                and_(Opportunity.expected_close.is_not(None), Opportunity.expected_close < today),
            )
            .order_by(Opportunity.expected_close)
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
