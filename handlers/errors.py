"""The last resort: log an unexpected error with its update id and apologise."""

from __future__ import annotations

import logging
from typing import Any

from aiogram.types import ErrorEvent

from bot.i18n import L10n, Translator

logger = logging.getLogger(__name__)


async def on_error(event: ErrorEvent, translator: Translator, **data: Any) -> bool:
    update = event.update
    logger.error(
        "unhandled error in update %s: %r",
        update.update_id,
        event.exception,
        exc_info=event.exception,
    )
    l10n: L10n = data.get("l10n") or translator.get(None)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(l10n("error-unexpected"), show_alert=True)
        elif update.message is not None and update.message.chat.type == "private":
            await update.message.answer(l10n("error-unexpected"))
    except Exception:  # the apology itself failing must not take the bot down
        logger.warning("could not send the apology for update %s", update.update_id, exc_info=True)
    return True


async def on_access_denied(event: ErrorEvent, translator: Translator, **data: Any) -> bool:
    """A stale or forged button (or command) for something the user may not see or change."""
    update = event.update
    l10n: L10n = data.get("l10n") or translator.get(None)
    if update.callback_query is not None:
        await update.callback_query.answer(l10n("error-not-available"), show_alert=True)
    elif update.message is not None:
        await update.message.answer(l10n("error-not-available"))
    return True
