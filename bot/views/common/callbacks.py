"""Callback data: ids and short enum actions only (64-byte limit); never trusted."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from bot.services.numbers import MAX_ID, MAX_PAGE

# Bounded numbers. A forged or stale button carrying an id no row can have (2^63, 10^20,
# -1) fails to unpack: no handler's filter matches it (aiogram's filter returns False on
# the ValidationError), and the catch-all answers it "not available". Ids that are text
# (a `value: str` with several meanings) go through bot.services.numbers.parse_id.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
OptionalId = Annotated[int, Field(ge=0, le=MAX_ID)]  # 0: none
Page = Annotated[int, Field(ge=0, le=MAX_PAGE)]


class ReportPeriod(StrEnum):
    """The periods of /report and /export (bot.services.plans.REPORT_PERIODS)."""

    WEEK = "w"
    LAST_WEEK = "l"
    MONTH = "m"
    QUARTER = "q"
