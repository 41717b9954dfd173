"""FSM states of the dialogs."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class SettingsStates(StatesGroup):
    timezone = State()
    digest_hour = State()
    company_value = State()
