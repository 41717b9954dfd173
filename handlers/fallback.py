"""The catch-all: anything no feature took. Must be the last router."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot.i18n import L10n


async def on_unknown_message(message: Message, l10n: L10n) -> None:
    await message.answer(l10n("unknown-message"))


async def on_unknown_callback(callback: CallbackQuery, l10n: L10n) -> None:
    # A stale, forged or no-longer-allowed button: answer it (or the phone spins) and say no.
    await callback.answer(l10n("error-not-available"), show_alert=True)


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(on_unknown_message)
    r.callback_query.register(on_unknown_callback)
    return r
