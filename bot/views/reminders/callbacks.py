"""Callback data: ids and short enum actions only (64-byte limit); never trusted."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.views.common.callbacks import Id


class ReminderAction(StrEnum):
    OPEN = "o"
    SNOOZE = "s"
    DONE = "d"


class ReminderKind(StrEnum):
    """The kind of a digest's item (bot.services.reminders.ITEM_KINDS)."""

    FOLLOW_UP = "f"
    NEGLECTED = "n"  # a client not contacted for longer than its tier's cadence
    OVERDUE = "o"
    PRICE = "p"
    CLAIM = "c"


class ReminderCallback(CallbackData, prefix="rm"):
    """An item of a digest."""

    kind: ReminderKind
    item_id: Id
    action: ReminderAction = ReminderAction.OPEN
    days: Annotated[int, Field(ge=0, le=366)] = 0


class InformedCallback(CallbackData, prefix="pi"):
    price_id: Id
    client_id: Id
