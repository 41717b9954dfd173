"""Callback data of /sync (never trusted: the handler checks the admin role)."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class SyncAction(StrEnum):
    NOW = "n"
    FULL = "f"
    REFRESH = "r"


class SyncCallback(CallbackData, prefix="sy"):
    action: SyncAction
