"""FSM state kept in the database, so a dialog survives a restart (MemoryStorage would not)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from bot.runtime.update_scope import UpdateScope, current_update_scope
from bot.services.clock import Clock
from storage.engine import Database
from storage.repositories import Repos


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
    """The sender's state in the update being handled was read with the update's first
    statement (bot.runtime.middlewares.UpdateMiddleware): it is served from there, and a
    change is written once, with the update's other writes. Any other key (outside an
    update, another chat's dialog) is read and written in a transaction of its own."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    @staticmethod
    def _scope_of(key: StorageKey) -> UpdateScope | None:
        scope = current_update_scope()
        if scope is None or scope.fsm_key != storage_key(key):
            return None
        return scope

    async def _load(self, key: StorageKey) -> tuple[str | None, dict[str, Any]]:
        async with self._database.read() as own:
            return await Repos(own).fsm.load(storage_key(key))

    async def _save(self, key: StorageKey, **changes: Any) -> None:
        async with self._database.transaction() as own:
            await Repos(own).fsm.save(storage_key(key), now=self._clock(), **changes)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        scope = self._scope_of(key)
        if scope is None:
            await self._save(key, state=value, set_state=True)
            return
        scope.change_dialog(state=value, data=scope.fsm_data)

    async def get_state(self, key: StorageKey) -> str | None:
        scope = self._scope_of(key)
        if scope is None:
            return (await self._load(key))[0]
        return scope.fsm_state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        scope = self._scope_of(key)
        if scope is None:
            await self._save(key, data=dict(data), set_data=True)
            return
        scope.change_dialog(state=scope.fsm_state, data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        scope = self._scope_of(key)
        if scope is None:
            return (await self._load(key))[1]
        return dict(scope.fsm_data)

    async def close(self) -> None:
        """The database is closed by its owner."""
