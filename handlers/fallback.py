"""The catch-all: anything no feature took. Must be the last router.

Plain text typed outside a dialog searches clients (name, ИНН, ERP code)."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message

from bot.runtime.i18n import L10n
from bot.services.access import visible_owners
from handlers.clients import search_and_answer
from storage.dto import UserDTO
from storage.repositories import Repos


async def on_free_text(
    message: Message, repos: Repos, user: UserDTO | None, l10n: L10n, now: datetime
) -> None:
    text = (message.text or "").strip()
    if (
        user is None
        or text.startswith("/")
        or not text
        or (await visible_owners(repos, user)) == frozenset()
    ):
        await message.answer(l10n("unknown-message"))
        return
    await search_and_answer(message, text, repos, user, l10n, now)


async def on_dialog_text(message: Message, l10n: L10n) -> None:
    """Text where a dialog step waits for a button: keep the step, say what to do."""
    await message.answer(l10n("dialog-use-buttons"))


async def on_unknown_message(message: Message, l10n: L10n) -> None:
    await message.answer(l10n("unknown-message"))


async def on_unknown_callback(callback: CallbackQuery, l10n: L10n) -> None:
    # A stale, forged or no-longer-allowed button: answer it (or the phone spins) and say no.
    await callback.answer(l10n("error-not-available"), show_alert=True)


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(on_dialog_text, ~StateFilter(None), F.text, ~F.text.startswith("/"))
    r.message.register(on_free_text, F.text)
    r.message.register(on_unknown_message)
    r.callback_query.register(on_unknown_callback)
    return r
