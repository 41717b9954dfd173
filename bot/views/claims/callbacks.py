"""Callback data: ids and short enum actions only (64-byte limit); never trusted."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.views.common.callbacks import Id, OptionalId


class ClaimAction(StrEnum):
    """The card, or a move on it (bot.services.claim_rules.Action, by
    bot.views.claims.texts.ACTION_CODES)."""

    OPEN = "o"
    TAKE = "t"
    RESOLVE = "r"
    REJECT = "x"
    REOPEN = "p"
    ANSWERED = "a"
    QUESTION = "q"


class ClaimCallback(CallbackData, prefix="cm"):
    claim_id: Id
    action: ClaimAction = ClaimAction.OPEN


class ClaimStep(StrEnum):
    CLIENT = "c"  # value: the client's id
    RELATED = "r"  # value: "s<shipment id>", "o<order id>" or "-" (none)
    CATEGORY = "k"  # value: the category
    SKIP_AMOUNT = "s"
    FILES_DONE = "d"
    CONFIRM = "y"


class ClaimDialogCallback(CallbackData, prefix="cd"):
    step: ClaimStep
    value: str = ""


class ClaimFilter(StrEnum):
    """Which claims /claims lists (storage.claims.ClaimRepo.lines's `state`)."""

    OPEN = "open"
    OVERDUE = "overdue"
    CLOSED = "closed"


class ClaimListCallback(CallbackData, prefix="cs"):
    state: ClaimFilter = ClaimFilter.OPEN


class DepartmentAction(StrEnum):
    OPEN = "o"
    CATEGORY = "c"  # value: the category to toggle
    ADD_MEMBER = "a"  # value: the user's id
    NEW = "n"


class DepartmentCallback(CallbackData, prefix="dp"):
    department_id: OptionalId = 0
    action: DepartmentAction = DepartmentAction.OPEN
    value: str = ""
