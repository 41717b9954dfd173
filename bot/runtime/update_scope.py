"""The update being handled: its sessions and its sender's dialog state, for the plumbing
below a handler (the FSM storage, the commit before a request to Telegram)."""

from __future__ import annotations

import asyncio
import contextvars
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.engine import Database
from storage.repositories import Repos

# Handler flag: the handler only reads (flags=READS_ONLY at registration).
READS_ONLY_FLAG = "reads_only"
READS_ONLY = {READS_ONLY_FLAG: True}


@dataclass
class UpdateScope:
    """One update's unit of work. The writer takes the write lock at its first statement;
    the dialog state was read with the update's first statement and is written, once,
    only when it changed."""

    database: Database
    writer: AsyncSession
    fsm_key: str | None
    fsm_state: str | None
    fsm_data: dict[str, Any]
    now: datetime
    fsm_changed: bool = False
    owner: asyncio.Task[Any] | None = field(default_factory=asyncio.current_task)
    _reader: AsyncSession | None = None

    def reader(self) -> AsyncSession:
        """The update's read session, opened on first use."""
        if self._reader is None:
            self._reader = self.database.reader()
        return self._reader

    async def close(self) -> None:
        await self.writer.close()
        if self._reader is not None:
            await self._reader.close()

    def change_dialog(self, *, state: str | None, data: dict[str, Any]) -> None:
        if state == self.fsm_state and data == self.fsm_data:
            return
        self.fsm_state, self.fsm_data, self.fsm_changed = state, data, True

    async def commit(self) -> None:
        """Write what the update changed, before a reply tells the user it is saved."""
        if self.fsm_changed and self.fsm_key is not None:
            await Repos(self.writer).fsm.put(
                self.fsm_key, state=self.fsm_state, data=self.fsm_data, now=self.now
            )
            self.fsm_changed = False
        if self.writer.in_transaction():
            await self.writer.commit()


_current: contextvars.ContextVar[UpdateScope | None] = contextvars.ContextVar(
    "kam_update_scope", default=None
)


def bind_update_scope(scope: UpdateScope) -> contextvars.Token[UpdateScope | None]:
    return _current.set(scope)


def release_update_scope(token: contextvars.Token[UpdateScope | None]) -> None:
    _current.reset(token)


def current_update_scope() -> UpdateScope | None:
    """The scope of the update this task handles. A task a handler started (an import
    running on) inherits the context variable, yet must neither commit nor write into
    the update's sessions: it gets None."""
    scope = _current.get()
    if scope is None or scope.owner is not asyncio.current_task():
        return None
    return scope
