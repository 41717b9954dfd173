"""FSM states of the dialogs, and the data they collect."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup
from pydantic import BaseModel

from bot.services.plans import Period, parse_period


class PlanStates(StatesGroup):
    amount = State()
    client = State()  # a per-client plan: the client's name typed


class PlanDraft(BaseModel):
    """What the plan dialog has collected."""

    manager_id: int
    period: str  # Period.label, the machine value
    client_id: int | None = None

    def plan_period(self) -> Period:
        return parse_period(self.period)
