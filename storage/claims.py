"""Claims, their history and attachments, and the departments that act on them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dto import (
    ClaimCreate,
    ClaimDocumentDTO,
    ClaimDTO,
    ClaimEventDTO,
    ClaimLine,
    DepartmentDTO,
    TimelineEntry,
    UserDTO,
)
from storage.models import (
    Claim,
    ClaimAttachment,
    ClaimEvent,
    Client,
    Department,
    DepartmentMember,
    Order,
    Shipment,
    User,
)

OPEN = ("new", "in_progress", "sent", "answered")


class ClaimRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(self, data: ClaimCreate, *, actor_id: int, now: datetime) -> ClaimDTO:
        # The next number of the year. SQLite serialises writers (BEGIN IMMEDIATE); on
        # PostgreSQL two claims registered at the same instant could pick one number, and the
        # unique constraint refuses the second (its user gets the apology and tries again).
        sequence = (
            int(
                await self._session.scalar(
                    select(func.coalesce(func.max(Claim.sequence), 0)).where(
                        Claim.year == now.year
                    )
                )
                or 0
            )
            + 1
        )
        row = Claim(
            **data.model_dump(), year=now.year, sequence=sequence, created_at=now, updated_at=now
        )
        self._session.add(row)
        await self._session.flush()
        self._session.add(
            ClaimEvent(
                claim_id=row.id, at=now, actor_id=actor_id, kind="created", to_status=data.status
            )
        )
        await self._session.flush()
        return ClaimDTO.model_validate(row)

    async def get(self, claim_id: int) -> ClaimDTO | None:
        row = await self._session.get(Claim, claim_id)
        return ClaimDTO.model_validate(row) if row else None

    async def by_number(self, year: int, sequence: int) -> ClaimDTO | None:
        row = await self._session.scalar(
            select(Claim).where(Claim.year == year, Claim.sequence == sequence)
        )
        return ClaimDTO.model_validate(row) if row else None

    async def change_status(
        self,
        claim_id: int,
        *,
        expected: str,
        status: str,
        closed: bool,
        actor_id: int | None,
        now: datetime,
        text: str | None = None,
    ) -> ClaimDTO | None:
        """Move a claim from `expected` to `status`; None if it was not in `expected` any more
        (a replayed or concurrent button changes nothing)."""
        result = await self._session.execute(
            update(Claim)
            .where(Claim.id == claim_id, Claim.status == expected)
            .values(status=status, updated_at=now, closed_at=now if closed else None)
        )
        if not getattr(result, "rowcount", 0):
            return None
        self._session.add(
            ClaimEvent(
                claim_id=claim_id,
                at=now,
                actor_id=actor_id,
                kind="status",
                from_status=expected,
                to_status=status,
                text=text,
            )
        )
        await self._session.flush()
        return await self.get(claim_id)

    async def comment(
        self, claim_id: int, *, kind: str, text: str, actor_id: int, now: datetime
    ) -> None:
        self._session.add(
            ClaimEvent(claim_id=claim_id, at=now, actor_id=actor_id, kind=kind, text=text)
        )
        await self._session.flush()

    async def events(self, claim_id: int) -> list[tuple[ClaimEventDTO, str | None]]:
        rows = await self._session.execute(
            select(ClaimEvent, User.full_name)
            .outerjoin(User, User.id == ClaimEvent.actor_id)
            .where(ClaimEvent.claim_id == claim_id)
            .order_by(ClaimEvent.at, ClaimEvent.id)
        )
        return [(ClaimEventDTO.model_validate(e), name) for e, name in rows]

    async def documents(
        self, *, order_id: int | None, shipment_id: int | None
    ) -> list[ClaimDocumentDTO]:
        """The order and the shipment a claim is about (either, both or none), order first."""
        found: list[ClaimDocumentDTO] = []
        if order_id is not None:
            row = (
                await self._session.execute(
                    select(Order.number, Order.order_date).where(Order.id == order_id)
                )
            ).first()
            if row is not None:
                found.append(ClaimDocumentDTO(kind="order", number=row[0], day=row[1]))
        if shipment_id is not None:
            row = (
                await self._session.execute(
                    select(Shipment.number, Shipment.shipped_on).where(Shipment.id == shipment_id)
                )
            ).first()
            if row is not None:
                found.append(ClaimDocumentDTO(kind="shipment", number=row[0], day=row[1]))
        return found

    async def add_attachments(self, claim_id: int, files: Sequence[tuple[str, str]]) -> None:
        for kind, file_id in files:
            self._session.add(ClaimAttachment(claim_id=claim_id, kind=kind, file_id=file_id))
        await self._session.flush()

    async def attachments(self, claim_id: int) -> list[tuple[str, str]]:
        rows = await self._session.execute(
            select(ClaimAttachment.kind, ClaimAttachment.file_id)
            .where(ClaimAttachment.claim_id == claim_id)
            .order_by(ClaimAttachment.id)
        )
        return [(k, f) for k, f in rows]

    async def lines(
        self,
        *,
        managers: Collection[int] | None,
        departments: Collection[int] | None,
        state: str,
        today: date,
        limit: int = 50,
    ) -> list[ClaimLine]:
        """Claims of these managers or departments (None and None: all), by deadline."""
        query = select(Claim, Client.name).join(Client, Client.id == Claim.client_id)
        scope = []
        if managers is not None:
            scope.append(Claim.manager_id.in_(list(managers)))
        if departments is not None:
            scope.append(Claim.department_id.in_(list(departments)))
        if scope:
            query = query.where(or_(*scope))
        if state == "open":
            query = query.where(Claim.status.in_(OPEN))
        elif state == "overdue":
            deadline = func.coalesce(Claim.internal_deadline, Claim.legal_deadline)
            query = query.where(Claim.status.in_(OPEN), deadline < today)
        else:
            query = query.where(Claim.status.not_in(OPEN))
        query = query.order_by(
            func.coalesce(Claim.internal_deadline, Claim.legal_deadline), Claim.id
        )
        rows = await self._session.execute(query.limit(limit))
        return [ClaimLine(claim=ClaimDTO.model_validate(c), client_name=name) for c, name in rows]

    async def open_of_managers(self, manager_ids: Collection[int]) -> list[ClaimLine]:
        rows = await self._session.execute(
            select(Claim, Client.name)
            .join(Client, Client.id == Claim.client_id)
            .where(Claim.manager_id.in_(list(manager_ids)), Claim.status.in_(OPEN))
        )
        return [ClaimLine(claim=ClaimDTO.model_validate(c), client_name=name) for c, name in rows]

    async def milestones(self, client_id: int, limit: int) -> tuple[list[TimelineEntry], int]:
        """The client's claims as timeline entries, newest first."""
        total = int(
            await self._session.scalar(
                select(func.count(Claim.id)).where(Claim.client_id == client_id)
            )
            or 0
        )
        rows = await self._session.scalars(
            select(Claim)
            .where(Claim.client_id == client_id)
            .order_by(Claim.created_at.desc())
            .limit(limit)
        )
        entries = [
            TimelineEntry(
                kind="claim",
                at=c.created_at,
                day=c.created_at.date(),
                number=f"CL-{c.year}-{c.sequence:04d}",
                amount=c.amount,
                currency=c.currency,
                text=c.status,
            )
            for c in rows
        ]
        return entries, total

    async def open_claims(self) -> list[ClaimDTO]:
        rows = await self._session.scalars(select(Claim).where(Claim.status.in_(OPEN)))
        return [ClaimDTO.model_validate(r) for r in rows]


class DepartmentRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(self, name: str, *, now: datetime) -> DepartmentDTO:
        row = Department(name=name, categories=[], created_at=now)
        self._session.add(row)
        await self._session.flush()
        return DepartmentDTO.model_validate(row)

    async def get(self, department_id: int) -> DepartmentDTO | None:
        row = await self._session.get(Department, department_id)
        return DepartmentDTO.model_validate(row) if row else None

    async def by_name(self, name: str) -> DepartmentDTO | None:
        row = await self._session.scalar(
            select(Department).where(func.lower(Department.name) == name.lower())
        )
        return DepartmentDTO.model_validate(row) if row else None

    async def all(self) -> list[DepartmentDTO]:
        rows = await self._session.scalars(select(Department).order_by(Department.name))
        return [DepartmentDTO.model_validate(r) for r in rows]

    async def set_categories(self, department_id: int, categories: list[str]) -> None:
        await self._session.execute(
            update(Department).where(Department.id == department_id).values(categories=categories)
        )

    async def set_chat(self, department_id: int, chat_id: int | None) -> None:
        await self._session.execute(
            update(Department).where(Department.id == department_id).values(chat_id=chat_id)
        )

    async def follow_migration(self, old_chat_id: int, new_chat_id: int) -> int:
        """A group upgraded to a supergroup gets a new id: follow it."""
        result = await self._session.execute(
            update(Department).where(Department.chat_id == old_chat_id).values(chat_id=new_chat_id)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def add_member(self, department_id: int, user_id: int) -> None:
        exists = await self._session.get(DepartmentMember, (department_id, user_id))
        if exists is None:
            self._session.add(DepartmentMember(department_id=department_id, user_id=user_id))
            await self._session.flush()

    async def remove_member(self, department_id: int, user_id: int) -> None:
        await self._session.execute(
            delete(DepartmentMember).where(
                DepartmentMember.department_id == department_id,
                DepartmentMember.user_id == user_id,
            )
        )

    async def members(self, department_id: int) -> list[UserDTO]:
        rows = await self._session.scalars(
            select(User)
            .join(DepartmentMember, DepartmentMember.user_id == User.id)
            .where(DepartmentMember.department_id == department_id, User.is_active.is_(True))
            .order_by(User.full_name)
        )
        return [UserDTO.model_validate(r) for r in rows]

    async def of_user(self, user_id: int) -> list[int]:
        rows = await self._session.scalars(
            select(DepartmentMember.department_id).where(DepartmentMember.user_id == user_id)
        )
        return list(rows)

    async def for_category(self, category: str) -> DepartmentDTO | None:
        for department in await self.all():
            if category in department.categories:
                return department
        return None
