"""Callback data: ids and short enum actions only (64-byte limit); never trusted."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.services.claim_rules import Action
from bot.views.common.callbacks import Id, OptionalId


class ClaimAction(StrEnum):
    """The card, or a move on it (bot.services.claim_rules.Action, by
    ACTION_CODES below)."""

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


# The service's actions as their button codes, and back.
ACTION_CODES = {
    Action.TAKE: ClaimAction.TAKE,
    Action.RESOLVE: ClaimAction.RESOLVE,
    Action.REJECT: ClaimAction.REJECT,
    Action.REOPEN: ClaimAction.REOPEN,
    Action.ANSWERED: ClaimAction.ANSWERED,
    Action.QUESTION: ClaimAction.QUESTION,
}
CODE_ACTIONS = {code: action for action, code in ACTION_CODES.items()}
