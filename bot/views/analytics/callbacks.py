"""Callback data: ids and short enum actions only (64-byte limit); never trusted."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.views.common.callbacks import ReportPeriod


class ExportCallback(CallbackData, prefix="ex"):
    """/export for a period, as in ReportCallback."""

    period: ReportPeriod


class AbcAction(StrEnum):
    PERIODS = "o"  # choose a period
    SUBJECTS = "p"  # a period chosen: clients or products?
    SHOW = "s"  # the result
    CONFIRM = "a"  # write the clients' classes into their tiers?
    APPLY = "y"  # yes, write them


class AbcSubject(StrEnum):
    """What ABC ranks (bot.services.analytics.SUBJECTS)."""

    CLIENTS = "c"
    PRODUCTS = "p"


class AbcPeriod(StrEnum):
    """The periods of ABC (bot.services.analytics.ABC_PERIODS), in the order offered."""

    MONTH = "m"
    QUARTER = "q"
    PREVIOUS_QUARTER = "p"
    YEAR = "y"


class AbcCallback(CallbackData, prefix="ab"):
    action: AbcAction
    subject: AbcSubject = AbcSubject.CLIENTS
    period: AbcPeriod = AbcPeriod.QUARTER
