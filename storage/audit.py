"""The audit trail: who changed what, when, with the values before and after."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dto import AuditEntryDTO
from storage.models import AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
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

    async def record_many(
        self,
        *,
        entity: str,
        action: str,
        entries: Sequence[tuple[object, dict[str, Any]]],
        actor_id: int | None,
        now: datetime,
    ) -> None:
        """`record` for many entities at once: (entity id, changes) pairs, one statement."""
        if entries:
            table: Any = AuditEntry.__table__  # a plain executemany, no ORM bookkeeping
            await self._session.execute(
                insert(table),
                [
                    {
                        "at": now,
                        "actor_id": actor_id,
                        "entity": entity,
                        "entity_id": str(entity_id),
                        "action": action,
                        "changes": {
                            k: [_jsonable(b), _jsonable(a)] for k, (b, a) in changes.items()
                        },
                    }
                    for entity_id, changes in entries
                ],
            )

    async def created(
        self,
        entity: str,
        entity_id: object,
        data: BaseModel,
        *,
        actor_id: int | None,
        now: datetime,
    ) -> None:
        """A new record: every field it was given, from nothing."""
        await self.record(
            entity=entity,
            entity_id=entity_id,
            action="create",
            actor_id=actor_id,
            now=now,
            changes={k: (None, v) for k, v in data.model_dump(exclude_none=True).items()},
        )

    async def history(self, entity: str, entity_id: object) -> list[AuditEntryDTO]:
        rows = await self._session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
            .order_by(AuditEntry.id)
        )
        return [AuditEntryDTO.model_validate(r) for r in rows]
