"""The last resort: log an unexpected error with its update id and apologise."""

from __future__ import annotations

import logging
from typing import Any

from aiogram.types import ErrorEvent, Update

from bot.runtime.i18n import L10n, Translator
from storage.engine import Database
from storage.repositories import Repos

logger = logging.getLogger(__name__)


async def _l10n_of(update: Update, translator: Translator, database: Database | None) -> L10n:
    """The user's language when the error came before the access middleware had found it
    (the database was locked when the update's transaction began, say): their stored
    language, else their Telegram app's, else the default."""
    sender = getattr(update.event, "from_user", None)
    if sender is None:
        return translator.get(None)
    language = sender.language_code
    if database is not None:
        try:
            async with database.read() as session:
                user = await Repos(session).users.by_telegram_id(sender.id)
        except Exception:  # the database may be what failed: the app's language will do
            logger.warning("could not read the language of user %s", sender.id)
        else:
            language = user.language if user is not None else language
    return translator.get(language)


async def on_error(event: ErrorEvent, translator: Translator, **data: Any) -> bool:
    update = event.update
    logger.error(
        "unhandled error in update %s: %r",
        update.update_id,
        event.exception,
        exc_info=event.exception,
    )
    l10n: L10n = data.get("l10n") or await _l10n_of(update, translator, data.get("database"))
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
