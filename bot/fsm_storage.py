"""FSM state kept in the database, so a dialog survives a restart (MemoryStorage would not)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from bot.services.clock import Clock
from storage.engine import Database, update_session
from storage.repositories import FsmRepo


def storage_key(key: StorageKey) -> str:
    return ":".join(
        str(part)
        for part in (
            key.bot_id,
            key.chat_id,
            key.user_id,
            key.thread_id or "",
            key.business_connection_id or "",
            key.destiny,
        )
    )


class DatabaseStorage(BaseStorage):
    """Writes join the transaction of the update being handled when there is one (a second
    SQLite writer would wait for the first); otherwise each call is its own transaction."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    async def _save(self, key: StorageKey, **changes: Any) -> None:
        session = update_session()
        if session is not None:
            await FsmRepo(session).save(storage_key(key), now=self._clock(), **changes)
            return
        async with self._database.transaction() as own:
            await FsmRepo(own).save(storage_key(key), now=self._clock(), **changes)

    async def _load(self, key: StorageKey) -> tuple[str | None, dict[str, Any]]:
        session = update_session()
        if session is not None:
            return await FsmRepo(session).load(storage_key(key))
        async with self._database.read() as own:
            return await FsmRepo(own).load(storage_key(key))

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._save(key, state=value, set_state=True)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._load(key))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._save(key, data=dict(data), set_data=True)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return (await self._load(key))[1]

    async def close(self) -> None:
        """The database is closed by its owner."""
