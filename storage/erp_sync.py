"""The live ERP sync's record: per 1C entity its last run, last success and last error, and
how old the receivables data is (the last import of shipments or payments, by any route)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.erp_dto import SyncEntityState
from storage.models import ErpSyncEntity, ImportRun
from storage.statements import insert_ignoring_conflicts

# The row that stands for 1C itself: set while 1C cannot be reached, so admins hear of an
# outage once, not every fifteen minutes.
SERVICE = "*"


class ErpSyncRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def states(self) -> list[SyncEntityState]:
        rows = await self._session.scalars(select(ErpSyncEntity).order_by(ErpSyncEntity.id))
        return [SyncEntityState.model_validate(row) for row in rows]

    async def record(
        self,
        entity: str,
        kind: str,
        *,
        at: datetime,
        read: int,
        changed: int,
        rejected: int,
        error: str | None,
    ) -> None:
        """One run of one entity: a success (no error) moves `last_success_at`."""
        await self._ensure(entity, kind)
        values: dict[str, object] = {
            "last_run_at": at,
            "rows_read": read,
            "rows_changed": changed,
            "rows_rejected": rejected,
            "error": error,
        }
        if error is None:
            values["last_success_at"] = at
        await self._session.execute(
            update(ErpSyncEntity).where(ErpSyncEntity.entity == entity).values(**values)
        )

    async def mark_unreachable(self, reason: str, at: datetime) -> bool:
        """1C could not be reached: True when it was reachable before (tell the admins now).
        `last_success_at` of the row stays at 1C's last answer."""
        await self._ensure(SERVICE, "service")
        result = await self._session.execute(
            update(ErpSyncEntity)
            .where(ErpSyncEntity.entity == SERVICE, ErpSyncEntity.error.is_(None))
            .values(error=reason[:2000])
        )
        await self._session.execute(
            update(ErpSyncEntity).where(ErpSyncEntity.entity == SERVICE).values(last_run_at=at)
        )
        return bool(getattr(result, "rowcount", 0))

    async def mark_reachable(self, at: datetime) -> bool:
        """1C answered: True when it had been unreachable (the outage is over)."""
        await self._ensure(SERVICE, "service")
        result = await self._session.execute(
            update(ErpSyncEntity)
            .where(ErpSyncEntity.entity == SERVICE, ErpSyncEntity.error.is_not(None))
            .values(error=None)
        )
        await self._session.execute(
            update(ErpSyncEntity)
            .where(ErpSyncEntity.entity == SERVICE)
            .values(last_run_at=at, last_success_at=at)
        )
        return bool(getattr(result, "rowcount", 0))

    async def last_sync_at(self) -> datetime | None:
        """When the sync last ran (whatever came of it): the schedule counts from it."""
        return await self._session.scalar(
            select(ErpSyncEntity.last_run_at).where(ErpSyncEntity.entity == SERVICE)
        )

    async def receivables_as_of(
        self, kinds: Sequence[str] = ("shipments", "payments")
    ) -> datetime | None:
        """When shipments or payments were last applied (a file, the sync, the API)."""
        return await self._session.scalar(
            select(func.max(ImportRun.finished_at)).where(
                ImportRun.kind.in_(kinds), ImportRun.status == "applied"
            )
        )

    async def _ensure(self, entity: str, kind: str) -> None:
        await self._session.execute(
            insert_ignoring_conflicts(self._session, ErpSyncEntity).values(
                entity=entity, kind=kind, rows_read=0, rows_changed=0, rows_rejected=0
            )
        )
