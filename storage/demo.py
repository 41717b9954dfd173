"""Bulk writes for the demo company's past: what the contact log would have left behind
after a year of use, written in a few statements instead of a few thousand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.audit import AuditRepo
from storage.dto import ContactCreate, FollowUpCreate, FollowUpStatus
from storage.models import ContactLog, FollowUp, ProcessedUpdate


@dataclass(frozen=True)
class PastContact:
    contact: ContactCreate
    # Its next step, done when the next contact came (`closed_at`).
    next_step: FollowUpCreate | None = None
    closed_at: datetime | None = None


class DemoRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._audit = AuditRepo(session)

    async def past_contacts(self, history: Sequence[PastContact]) -> int:
        """Contacts with their next steps closed, audited as ContactRepo.add audits each
        one: the same rows, flushed in batches (the ORM groups the inserts)."""
        rows = [
            ContactLog(**item.contact.model_dump(), created_at=item.contact.happened_at)
            for item in history
        ]
        self._session.add_all(rows)
        await self._session.flush()
        for row, item in zip(rows, history, strict=True):
            await self._audit.created(
                "contact",
                row.id,
                item.contact,
                actor_id=item.contact.author_id,
                now=item.contact.happened_at,
            )
            if item.next_step is not None:
                self._session.add(
                    FollowUp(
                        **item.next_step.model_copy(update={"contact_id": row.id}).model_dump(),
                        status=FollowUpStatus.DONE.value,
                        created_at=item.contact.happened_at,
                        closed_at=item.closed_at,
                    )
                )
        await self._session.flush()
        return len(rows)

    async def last_update_id(self) -> int:
        """The highest update id handled lately: the terminal chat numbers its updates on
        from it, so a rerun over the same database is not taken for a replay."""
        return int(await self._session.scalar(select(func.max(ProcessedUpdate.update_id))) or 0)
