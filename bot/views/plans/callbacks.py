"""Callback data: ids and short enum actions only (64-byte limit); never trusted."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class PlanStep(StrEnum):
    SET = "s"  # value empty: whose plan?
    MANAGER = "m"  # value: the manager's id; which period?
    PERIOD = "p"  # value: "<manager id>|<period label>"; the whole book or one client?
    BOOK = "w"  # value as PERIOD: the amount of the manager's plan
    ONE_CLIENT = "o"  # value as PERIOD: which client?
    CLIENT = "c"  # value: the client's id, one of several that matched the name typed


class PlanCallback(CallbackData, prefix="pl"):
    step: PlanStep
    value: str = ""
