"""Repositories: all SQL lives here. They never commit; the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, exists, func, literal, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession

from storage import accounts, analytics, claims, plans
from storage import reports as report_queries
from storage.api_tokens import ApiTokenRepo
from storage.audit import AuditRepo
from storage.chat_orders import ChatOrderRepo
from storage.dto import (
    InviteCreate,
    InviteDTO,
    OutboxCreate,
    OutboxDTO,
    OutboxStatus,
    Role,
    UpdateContext,
    UserCreate,
    UserDTO,
    UserUpdate,
)
from storage.engine import Database
from storage.erp import ErpRepo
from storage.erp_sync import ErpSyncRepo
from storage.exchange import ExchangeRepo
from storage.imports import ImportRepo
from storage.models import (
    BusinessSetting,
    FsmRecord,
    Invite,
    OutboxMessage,
    ProcessedUpdate,
    User,
)
from storage.reminders import ReminderRepo
from storage.statements import dialect_insert, insert_ignoring_conflicts, upsert_by_key


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
        # A person who joined by invitation (no actor) is the author of their own record.
        await self._audit.created(
            "user", row.id, data, actor_id=actor_id if actor_id is not None else row.id, now=now
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

    async def put(
        self, key: str, *, state: str | None, data: dict[str, Any], now: datetime
    ) -> None:
        """Write a record whose whole value the caller knows, in one statement; an ended
        dialog (no state, no data) leaves no row behind."""
        if state is None and not data:
            await self._session.execute(delete(FsmRecord).where(FsmRecord.key == key))
            return
        await self._session.execute(
            upsert_by_key(
                self._session, FsmRecord, key=key, state=state, data=data, updated_at=now
            )
        )

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


# The update's first statement, built once: whether the update was handled, its sender,
# the sender's dialog record. Every update runs it, so neither the expression nor the DTO
# is rebuilt each time (the row's values are the columns' own types already).
_USER_COLUMNS = [User.__table__.c[name] for name in UserDTO.model_fields]
_ONE = select(literal(1).label("one")).subquery("one")
_UPDATE_CONTEXT = (
    select(
        exists().where(ProcessedUpdate.update_id == bindparam("update_id")).label("kam_handled"),
        FsmRecord.state.label("kam_fsm_state"),
        FsmRecord.data.label("kam_fsm_data"),
        *_USER_COLUMNS,
    )
    .select_from(_ONE)
    .outerjoin(User, User.telegram_id == bindparam("telegram_id"))
    .outerjoin(FsmRecord, FsmRecord.key == bindparam("fsm_key"))
)
_USER_FIELDS = [column.name for column in _USER_COLUMNS]


class UpdateContextRepo:
    """What every update needs before its handler runs, in one statement (on the
    database's kept connection for such reads)."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def load(
        self, *, update_id: int, telegram_id: int | None, fsm_key: str | None
    ) -> UpdateContext:
        params = {
            "update_id": update_id,
            "telegram_id": telegram_id if telegram_id is not None else -1,
            "fsm_key": fsm_key or "",
        }
        row = await self._database.read_one(_UPDATE_CONTEXT, params)
        values = row._mapping
        user = None
        if values["id"] is not None:
            fields = {name: values[name] for name in _USER_FIELDS}
            fields["role"] = Role(fields["role"])
            fields["is_active"] = bool(fields["is_active"])
            user = UserDTO.model_construct(**fields)
        return UpdateContext(
            handled=bool(values["kam_handled"]),
            user=user,
            fsm_state=values["kam_fsm_state"],
            fsm_data=dict(values["kam_fsm_data"] or {}),
        )


class UpdateHandledAlready(Exception):
    """The update's processed mark is there already: another process (or an earlier run)
    committed its effects while this one was handling it. Nothing of this run is kept."""


def processed_mark(update_id: int, now: datetime) -> Callable[[Connection], None]:
    """The statement that marks an update handled, to run first in its write transaction
    (storage.engine.on_first_write)."""

    def mark(connection: Connection) -> None:
        stmt = (
            dialect_insert(connection.dialect.name, ProcessedUpdate)
            .values(update_id=update_id, processed_at=now)
            .on_conflict_do_nothing()
        )
        if not connection.execute(stmt).rowcount:
            raise UpdateHandledAlready(update_id)

    return mark


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


class OutboxRepo:
    """The outbox. Rows are claimed with a lease in one statement, so two senders (the bot
    and a `job deliver` run, or two replicas) never hold the same row at once."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, data: OutboxCreate, *, now: datetime) -> bool:
        """True if written; False if a row with this key exists (it was owed already)."""
        stmt = insert_ignoring_conflicts(self._session, OutboxMessage).values(
            **data.model_dump(),
            status=OutboxStatus.PENDING.value,
            attempts=0,
            message_ids=[],
            created_at=now,
        )
        result = await self._session.execute(stmt)
        return bool(getattr(result, "rowcount", 0))

    async def add_many(self, rows: Sequence[OutboxCreate], *, now: datetime) -> None:
        """`add` for many messages, a statement per 500; those owed already are skipped."""
        for start in range(0, len(rows), 500):
            # The table, not the ORM entity: a plain executemany, no ORM bulk bookkeeping.
            await self._session.execute(
                insert_ignoring_conflicts(self._session, OutboxMessage.__table__),
                [
                    {
                        **data.model_dump(),
                        "status": OutboxStatus.PENDING.value,
                        "attempts": 0,
                        "message_ids": [],
                        "created_at": now,
                    }
                    for data in rows[start : start + 500]
                ],
            )

    async def claim(
        self, *, owner: str, now: datetime, lease_until: datetime, limit: int
    ) -> list[OutboxDTO]:
        due = (
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING.value,
                OutboxMessage.not_before <= now,
                or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
            )
            .order_by(OutboxMessage.urgent.desc(), OutboxMessage.not_before, OutboxMessage.id)
            .limit(limit)
        )
        if self._session.get_bind().dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        rows = await self._session.scalars(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(due.scalar_subquery()))
            .values(lease_owner=owner, lease_until=lease_until)
            .returning(OutboxMessage)
            .execution_options(synchronize_session=False)
        )
        return sorted((OutboxDTO.model_validate(r) for r in rows), key=lambda r: r.id)

    async def record_part(self, row_id: int, owner: str, message_ids: list[int]) -> None:
        """Keep the ids of the parts sent so far, so a retry resumes after them."""
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.lease_owner == owner)
            .values(message_ids=message_ids)
        )

    async def finish(
        self,
        row_id: int,
        owner: str,
        *,
        status: OutboxStatus,
        now: datetime,
        message_ids: list[int] | None = None,
        error: str | None = None,
    ) -> bool:
        values: dict[str, Any] = {"status": status.value, "lease_owner": None, "lease_until": None}
        if status is OutboxStatus.SENT:
            values["sent_at"] = now
        if message_ids is not None:
            values["message_ids"] = message_ids
        if error is not None:
            values["last_error"] = error[:2000]
        result = await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.lease_owner == owner)
            .values(**values)
        )
        return bool(getattr(result, "rowcount", 0))

    async def retry_later(
        self, row_id: int, owner: str, *, not_before: datetime, error: str, count_attempt: bool
    ) -> None:
        values: dict[str, Any] = {
            "lease_owner": None,
            "lease_until": None,
            "not_before": not_before,
            "last_error": error[:2000],
        }
        if count_attempt:
            values["attempts"] = OutboxMessage.attempts + 1
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.lease_owner == owner)
            .values(**values)
        )

    async def park_for_chat(self, chat_id: int, *, status: OutboxStatus, error: str) -> int:
        """Mark every pending row of a chat (its recipient blocked the bot)."""
        result = await self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.chat_id == chat_id,
                OutboxMessage.status == OutboxStatus.PENDING.value,
            )
            .values(
                status=status.value, lease_owner=None, lease_until=None, last_error=error[:2000]
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def requeue_unreachable(self, chat_id: int, *, since: datetime, now: datetime) -> int:
        """The recipient is back: what was parked for them recently is owed again."""
        result = await self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.chat_id == chat_id,
                OutboxMessage.status == OutboxStatus.UNREACHABLE.value,
                OutboxMessage.created_at >= since,
            )
            .values(status=OutboxStatus.PENDING.value, not_before=now)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def get(self, row_id: int) -> OutboxDTO | None:
        row = await self._session.get(OutboxMessage, row_id)
        return OutboxDTO.model_validate(row) if row else None

    async def by_key(self, key: str) -> OutboxDTO | None:
        row = await self._session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
        return OutboxDTO.model_validate(row) if row else None

    async def list(self, *, status: OutboxStatus | None = None) -> list[OutboxDTO]:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if status is not None:
            query = query.where(OutboxMessage.status == status.value)
        return [OutboxDTO.model_validate(r) for r in await self._session.scalars(query)]

    async def backlog(self, *, now: datetime) -> tuple[int, int, datetime | None]:
        """The unsent rows in one statement (over the due index): how many are due at
        `now` (in flight included), how many are held for later, and when the
        earliest-due of those due came due (None when none is)."""
        pending = OutboxMessage.status == OutboxStatus.PENDING.value
        due = OutboxMessage.not_before <= now
        row = (
            await self._session.execute(
                select(
                    func.count().filter(due),
                    func.count().filter(~due),
                    func.min(OutboxMessage.not_before).filter(due),
                ).where(pending)
            )
        ).one()
        return int(row[0] or 0), int(row[1] or 0), row[2]

    async def next_due(self, *, now: datetime) -> datetime | None:
        """When the earliest pending row becomes due (None if nothing is pending)."""
        return await self._session.scalar(
            select(func.min(OutboxMessage.not_before)).where(
                OutboxMessage.status == OutboxStatus.PENDING.value,
                or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
            )
        )


async def ping(session: AsyncSession) -> None:
    """One round trip to the database, `SELECT 1`: it answers (readiness, /readyz)."""
    await session.execute(select(literal(1)))


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
        self.outbox = OutboxRepo(session)
        self.clients = accounts.ClientRepo(session, self.audit)
        self.persons = accounts.PersonRepo(session, self.audit)
        self.contacts = accounts.ContactRepo(session, self.audit)
        self.follow_ups = accounts.FollowUpRepo(session)
        self.opportunities = accounts.OpportunityRepo(session, self.audit)
        self.competitor_notes = accounts.CompetitorNoteRepo(session, self.audit)
        self.claims = claims.ClaimRepo(session)
        self.departments = claims.DepartmentRepo(session)
        self.plans = plans.PlanRepo(session, self.audit)
        self.analytics = analytics.AnalyticsRepo(session)
        self.reports = report_queries.ReportRepo(session)
        self.erp = ErpRepo(session)
        self.imports = ImportRepo(session)
        self.reminders = ReminderRepo(session)
        self.api_tokens = ApiTokenRepo(session)
        self.erp_sync = ErpSyncRepo(session)
        self.exchange = ExchangeRepo(session)
        self.chat_orders = ChatOrderRepo(session)
