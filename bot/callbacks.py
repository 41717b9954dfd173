"""Callback data: ids and short enum actions only (64-byte limit); never trusted."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class InviteAction(StrEnum):
    ROLE = "r"
    SUPERVISOR = "s"
    SKIP_ERP = "k"


class InviteCallback(CallbackData, prefix="inv"):
    action: InviteAction
    value: str = ""


class SettingsAction(StrEnum):
    LANGUAGE = "l"
    SET_LANGUAGE = "L"
    TIMEZONE = "z"
    SET_TIMEZONE = "Z"
    DIGEST = "d"
    SET_DIGEST = "D"
    COMPANY = "c"
    COMPANY_KEY = "k"
    BACK = "b"


class SettingsCallback(CallbackData, prefix="set"):
    action: SettingsAction
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
    user_id: int = 0
    value: int = 0
