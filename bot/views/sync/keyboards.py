"""Keyboards of /sync."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.runtime.i18n import L10n
from bot.views.common.keyboards import button
from bot.views.sync.callbacks import SyncAction, SyncCallback


def sync_keyboard(l10n: L10n) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button(l10n("sync-now-button"), SyncCallback(action=SyncAction.NOW))],
            [
                button(l10n("sync-full-button"), SyncCallback(action=SyncAction.FULL)),
                button(l10n("sync-refresh-button"), SyncCallback(action=SyncAction.REFRESH)),
            ],
        ]
    )
