"""Callback data: ids and short enum actions only (64-byte limit); never trusted."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.views.common.callbacks import OptionalId


class InviteAction(StrEnum):
    ROLE = "r"
    SUPERVISOR = "s"
    SKIP_ERP = "k"


class InviteCallback(CallbackData, prefix="inv"):
    action: InviteAction
    value: str = ""


class UsersAction(StrEnum):
    PAGE = "p"
    OPEN = "o"
    ROLE = "r"
    SET_ROLE = "R"
    SUPERVISOR = "s"
    SET_SUPERVISOR = "S"
    DEACTIVATE = "d"
    CONFIRM_DEACTIVATE = "D"
    ACTIVATE = "a"


class UsersCallback(CallbackData, prefix="usr"):
    action: UsersAction
    user_id: OptionalId = 0
    value: OptionalId = 0  # a page, a role's index or a supervisor's id
