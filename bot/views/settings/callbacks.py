"""Callback data: ids and short enum actions only (64-byte limit); never trusted."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


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
