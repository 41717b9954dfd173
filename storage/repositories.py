"""Repositories: all SQL lives here. They never commit; the caller owns the transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dto import (
    AuditEntryDTO,
    InviteCreate,
    InviteDTO,
    Role,
    UserCreate,
    UserDTO,
    UserUpdate,
)
from storage.models import (
    AuditEntry,
    Base,
    BusinessSetting,
    FsmRecord,
    Invite,
    ProcessedUpdate,
    User,
)


def insert_ignoring_conflicts(session: AsyncSession, model: type[Base]) -> Any:
    """INSERT … ON CONFLICT DO NOTHING in the session's dialect (both backends have it)."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(model).on_conflict_do_nothing()


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, (str, int, float, bool)):
        return value.value  # enums
    return value


class AuditRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(
        self,
        *,
        entity: str,
        entity_id: object,
        action: str,
        changes: dict[str, Any],
        actor_id: int | None,
        now: datetime,
    ) -> None:
        self._session.add(
            AuditEntry(
                at=now,
                actor_id=actor_id,
                entity=entity,
                entity_id=str(entity_id),
                action=action,
                changes={k: [_jsonable(b), _jsonable(a)] for k, (b, a) in changes.items()},
            )
        )

    async def history(self, entity: str, entity_id: object) -> list[AuditEntryDTO]:
        rows = await self._session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
            .order_by(AuditEntry.id)
        )
        return [AuditEntryDTO.model_validate(r) for r in rows]


class UserRepo:
    def __init__(self, session: AsyncSession, audit: AuditRepo) -> None:
        self._session = session
        self._audit = audit

    async def get(self, user_id: int) -> UserDTO | None:
        row = await self._session.get(User, user_id)
        return UserDTO.model_validate(row) if row else None

    async def by_telegram_id(self, telegram_id: int) -> UserDTO | None:
        row = await self._session.scalar(select(User).where(User.telegram_id == telegram_id))
        return UserDTO.model_validate(row) if row else None

    async def list_users(
        self, *, offset: int = 0, limit: int | None = None, active_only: bool = False
    ) -> list[UserDTO]:
        query = select(User).order_by(User.is_active.desc(), User.full_name, User.id)
        if active_only:
            query = query.where(User.is_active.is_(True))
        rows = await self._session.scalars(query.offset(offset).limit(limit))
        return [UserDTO.model_validate(r) for r in rows]

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count(User.id))) or 0)

    async def with_role(self, role: Role, *, active_only: bool = True) -> list[UserDTO]:
        query = select(User).where(User.role == role.value).order_by(User.full_name)
        if active_only:
            query = query.where(User.is_active.is_(True))
        return [UserDTO.model_validate(r) for r in await self._session.scalars(query)]

    async def team(self, supervisor_id: int) -> list[UserDTO]:
        rows = await self._session.scalars(
            select(User).where(User.supervisor_id == supervisor_id).order_by(User.full_name)
        )
        return [UserDTO.model_validate(r) for r in rows]

    async def create(self, data: UserCreate, *, actor_id: int | None, now: datetime) -> UserDTO:
        row = User(
            **data.model_dump(), is_active=True, digest_hour=9, created_at=now, updated_at=now
        )
        self._session.add(row)
        await self._session.flush()
        changes = {k: (None, v) for k, v in data.model_dump(exclude_none=True).items()}
        await self._audit.record(
            entity="user",
            entity_id=row.id,
            action="create",
            changes=changes,
            actor_id=actor_id if actor_id is not None else row.id,
            now=now,
        )
        return UserDTO.model_validate(row)

    async def update(
        self, user_id: int, data: UserUpdate, *, actor_id: int | None, now: datetime
    ) -> UserDTO:
        row = await self._session.get(User, user_id, with_for_update=True)
        if row is None:
            raise LookupError(f"user {user_id} not found")
        changes: dict[str, tuple[Any, Any]] = {}
        for field in data.model_fields_set:
            new = getattr(data, field)
            old = getattr(row, field)
            if old != new:
                changes[field] = (old, new)
                setattr(row, field, new)
        if changes:
            row.updated_at = now
            await self._audit.record(
                entity="user",
                entity_id=user_id,
                action="update",
                changes=changes,
                actor_id=actor_id,
                now=now,
            )
            await self._session.flush()
        return UserDTO.model_validate(row)

    async def set_unreachable(self, telegram_id: int, since: datetime | None) -> UserDTO | None:
        """Record (or clear) that Telegram refuses to deliver to this user. Not audited:
        Telegram tells us this, no person changed it."""
        row = await self._session.scalar(select(User).where(User.telegram_id == telegram_id))
        if row is None:
            return None
        row.unreachable_since = since
        await self._session.flush()
        return UserDTO.model_validate(row)


class InviteRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(self, data: InviteCreate, *, now: datetime) -> InviteDTO:
        row = Invite(**data.model_dump(), created_at=now)
        self._session.add(row)
        await self._session.flush()
        return InviteDTO.model_validate(row)

    async def by_hash(self, code_hash: str) -> InviteDTO | None:
        row = await self._session.scalar(select(Invite).where(Invite.code_hash == code_hash))
        return InviteDTO.model_validate(row) if row else None

    async def claim(self, code_hash: str, *, now: datetime) -> InviteDTO | None:
        """Mark an unused, unexpired invite used. One conditional UPDATE, so of two people
        opening one link at once exactly one gets the row back."""
        row = await self._session.scalar(
            update(Invite)
            .where(
                Invite.code_hash == code_hash,
                Invite.used_at.is_(None),
                Invite.expires_at > now,
            )
            .values(used_at=now)
            .returning(Invite)
        )
        return InviteDTO.model_validate(row) if row else None

    async def set_used_by(self, invite_id: int, user_id: int) -> None:
        await self._session.execute(
            update(Invite).where(Invite.id == invite_id).values(used_by_id=user_id)
        )


class SettingsRepo:
    """Business settings as stored text; bot.services.business_settings gives them types."""

    def __init__(self, session: AsyncSession, audit: AuditRepo) -> None:
        self._session = session
        self._audit = audit

    async def stored(self) -> dict[str, str]:
        rows = await self._session.execute(select(BusinessSetting.key, BusinessSetting.value))
        return {key: value for key, value in rows}  # noqa: C416

    async def put(
        self, key: str, value: str, *, previous: str, actor_id: int | None, now: datetime
    ) -> None:
        row = await self._session.get(BusinessSetting, key)
        if row is None:
            self._session.add(
                BusinessSetting(key=key, value=value, updated_at=now, updated_by_id=actor_id)
            )
        else:
            row.value, row.updated_at, row.updated_by_id = value, now, actor_id
        await self._audit.record(
            entity="setting",
            entity_id=key,
            action="update",
            changes={"value": (previous, value)},
            actor_id=actor_id,
            now=now,
        )
        await self._session.flush()


class FsmRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def load(self, key: str) -> tuple[str | None, dict[str, Any]]:
        row = await self._session.get(FsmRecord, key)
        return (row.state, dict(row.data)) if row else (None, {})

    async def save(
        self,
        key: str,
        *,
        state: str | None = None,
        data: dict[str, Any] | None = None,
        set_state: bool = False,
        set_data: bool = False,
        now: datetime,
    ) -> None:
        row = await self._session.get(FsmRecord, key)
        new_state = state if set_state else (row.state if row else None)
        new_data = dict(data or {}) if set_data else (dict(row.data) if row else {})
        if new_state is None and not new_data:
            # An ended dialog leaves no row behind.
            if row is not None:
                await self._session.delete(row)
                await self._session.flush()
            return
        if row is None:
            self._session.add(FsmRecord(key=key, state=new_state, data=new_data, updated_at=now))
        else:
            row.state, row.data, row.updated_at = new_state, new_data, now
        await self._session.flush()


class ProcessedUpdateRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def mark(self, update_id: int, *, now: datetime) -> bool:
        """True when this update id is new; False when it was handled already."""
        stmt = insert_ignoring_conflicts(self._session, ProcessedUpdate).values(
            update_id=update_id, processed_at=now
        )
        result = await self._session.execute(stmt)
        return bool(getattr(result, "rowcount", 0))

    async def forget_before(self, moment: datetime) -> int:
        result = await self._session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < moment)
        )
        return int(getattr(result, "rowcount", 0) or 0)


class Repos:
    """The repositories of one unit of work, sharing its session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.audit = AuditRepo(session)
        self.users = UserRepo(session, self.audit)
        self.invites = InviteRepo(session)
        self.settings = SettingsRepo(session, self.audit)
        self.fsm = FsmRepo(session)
        self.processed_updates = ProcessedUpdateRepo(session)
