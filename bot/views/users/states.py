"""FSM states of the dialogs."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class InviteStates(StatesGroup):
    role = State()
    supervisor = State()
    erp_name = State()
