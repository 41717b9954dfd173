"""FSM states of the dialogs."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class PlanStates(StatesGroup):
    amount = State()
    client = State()  # a per-client plan: the client's name typed
