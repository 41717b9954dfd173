"""Callback data: ids and short enum actions only (64-byte limit); never trusted."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.services.numbers import parse_id
from bot.services.plans import Period, parse_period


class PlanStep(StrEnum):
    SET = "s"  # whose plan?
    MANAGER = "m"  # value: the manager's id; for which period?
    PERIOD = "p"  # value: a plan_target; the whole book or one client?
    BOOK = "w"  # value: a plan_target; the amount of the manager's plan
    ONE_CLIENT = "o"  # value: a plan_target; which client?
    CLIENT = "c"  # value: the client's id, one of several matching the name typed


class PlanCallback(CallbackData, prefix="pl"):
    step: PlanStep
    value: str = ""


def plan_target(manager_id: int, period: Period) -> str:
    """Whose plan for which period: "<manager id>|<Period.label>" ("17|Q4 2026")."""
    return f"{manager_id}|{period.label}"


def parse_plan_target(value: str) -> tuple[int, Period] | None:
    """The manager's id and the period of a plan_target; None for anything else (callback
    data is not trusted)."""
    manager, _, label = value.partition("|")
    try:
        period = parse_period(label)
    except ValueError:
        return None
    manager_id = parse_id(manager)
    return None if manager_id is None else (manager_id, period)
