"""FSM states of the dialogs."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class ImportStates(StatesGroup):
    kind = State()
