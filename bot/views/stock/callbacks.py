"""Callback data: ids and short enum actions only (64-byte limit); never trusted."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.services.stock import QUERY_REF_MAX
from bot.views.common.callbacks import OptionalId, Page


class StockAction(StrEnum):
    OPEN = "o"  # one product of a list
    PAGE = "p"  # another page of the list


class StockCallback(CallbackData, prefix="sk"):
    action: StockAction
    product_id: OptionalId = 0
    page: Page = 0
    # Which query the list is of (bot.services.stock.query_ref): the query itself is kept
    # in the dialog data, text never travels in callback data.
    ref: Annotated[int, Field(ge=0, le=QUERY_REF_MAX)] = 0
