"""Callback data: ids and short enum actions only (64-byte limit); never trusted."""

from __future__ import annotations

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.services.numbers import MAX_ID
from bot.views.common.callbacks import OptionalId, ReportPeriod


class ReportCallback(CallbackData, prefix="rp"):
    """/report for a period."""

    period: ReportPeriod


class TeamCallback(CallbackData, prefix="tm"):
    """/team: the list (all zero), one team of an admin's (team: the supervisor's id, -1
    for managers without one), or one manager's view (user_id)."""

    user_id: OptionalId = 0
    team: Annotated[int, Field(ge=-1, le=MAX_ID)] = 0
