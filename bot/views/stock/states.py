"""FSM states of the dialogs."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class StockStates(StatesGroup):
    query = State()  # /stock without an argument: the product typed next
