"""FSM states of the dialogs."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class ClaimStates(StatesGroup):
    client = State()
    related = State()
    category = State()
    description = State()
    amount = State()
    files = State()
    confirm = State()


class ClaimDecisionStates(StatesGroup):
    """Resolve or Reject pressed: the resolution or the reason is awaited (per chat and
    user, so in a department's group too)."""

    reason = State()


class DepartmentStates(StatesGroup):
    name = State()
