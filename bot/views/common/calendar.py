"""The month date picker (callback data and keyboard), shared by every dialog asking a day."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from pydantic import Field

from bot.runtime.i18n import L10n


class CalendarAction(StrEnum):
    MONTH = "m"
    DAY = "d"
    NOOP = "n"


class CalendarCallback(CallbackData, prefix="ca"):
    """A date picked on the calendar keyboard (or a month to show)."""

    action: CalendarAction
    year: Annotated[int, Field(ge=0, le=9999)] = 0
    month: Annotated[int, Field(ge=0, le=12)] = 0
    day: Annotated[int, Field(ge=0, le=31)] = 0


A = CalendarAction


def _shift(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month_keyboard(
    year: int,
    month: int,
    today: date,
    l10n: L10n,
    *,
    closed: Callable[[date], bool] | None = None,
) -> InlineKeyboardMarkup:
    """Days before `today` are shown but cannot be picked (a next step is in the future),
    nor can the days `closed` names (a delivery on a day off)."""
    b = InlineKeyboardBuilder()
    py, pm = _shift(year, month, -1)
    ny, nm = _shift(year, month, 1)
    can_go_back = (py, pm) >= (today.year, today.month)
    b.button(
        text="‹" if can_go_back else " ",
        callback_data=CalendarCallback(
            action=A.MONTH if can_go_back else A.NOOP, year=py, month=pm
        ),
    )
    b.button(
        text=f"{l10n(f'month-{month}')} {year}", callback_data=CalendarCallback(action=A.NOOP)
    )
    b.button(text="›", callback_data=CalendarCallback(action=A.MONTH, year=ny, month=nm))
    for weekday in range(7):
        b.button(text=l10n(f"weekday-{weekday}"), callback_data=CalendarCallback(action=A.NOOP))
    weeks = calendar.Calendar(firstweekday=0).monthdayscalendar(year, month)
    for week in weeks:
        for day in week:
            if (
                day == 0
                or date(year, month, day) < today
                or (closed is not None and closed(date(year, month, day)))
            ):
                b.button(
                    text=" " if day == 0 else "·", callback_data=CalendarCallback(action=A.NOOP)
                )
            else:
                b.button(
                    text=str(day),
                    callback_data=CalendarCallback(action=A.DAY, year=year, month=month, day=day),
                )
    b.adjust(3, 7, *([7] * len(weeks)))
    return b.as_markup()
