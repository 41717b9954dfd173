"""Small reply helpers shared by the feature routers."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup
from pydantic import BaseModel, ValidationError

from bot.runtime.i18n import L10n
from bot.services.access import AccessDenied
from bot.services.local_time import user_today
from bot.services.plans import Period, report_period
from bot.views.common.texts import split_text
from storage.dto import UserDTO

M = TypeVar("M", bound=BaseModel)


async def show(
    callback: CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | None,
    notice: str | None = None,
) -> None:
    """Replace the pressed message's text and buttons, and answer the callback (with a short
    notice if given)."""
    if isinstance(callback.message, Message):
        try:
            await callback.message.edit_text(text, reply_markup=markup)
        except TelegramBadRequest as exc:
            # Pressing the same button twice edits to identical content; Telegram refuses.
            if "message is not modified" not in exc.message:
                raise
    await callback.answer(notice)


async def say(
    callback: CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = None,
) -> None:
    """Send a new message to the chat of the pressed button."""
    if isinstance(callback.message, Message):
        await callback.message.answer(text, reply_markup=markup)
    elif callback.from_user:
        await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)  # type: ignore[union-attr]


async def refuse(callback: CallbackQuery, text: str) -> None:
    await callback.answer(text, show_alert=True)


async def reply(
    event: Message | CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = None,
) -> None:
    """Answer a message, or send to the chat of a pressed button."""
    if isinstance(event, Message):
        await event.answer(text, reply_markup=markup)
    else:
        await say(event, text, markup)


async def reply_long(
    event: Message | CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = None,
) -> None:
    """A text that may run past Telegram's 4096 characters, in parts split at line
    boundaries; the buttons go with the last part."""
    parts = split_text(text)
    for part in parts[:-1]:
        await reply(event, part)
    await reply(event, parts[-1], markup)


async def text_step(message: Message, l10n: L10n, limit: int = 4000) -> str | None:
    """The text a dialog step asked for, stripped; None (the user told why, the step kept)
    when it is empty or over `limit` characters."""
    text = (message.text or "").strip()
    if not text or len(text) > limit:
        await message.answer(l10n("text-error-too-long" if text else "text-error-empty"))
        return None
    return text


async def dialog_data(
    event: Message | CallbackQuery, state: FSMContext, model: type[M], l10n: L10n
) -> M | None:
    """The dialog's collected data validated into `model`. A stale or broken dialog (a
    button pressed after a restart of the flow, say) ends with "not available"."""
    try:
        return model.model_validate(await state.get_data())
    except ValidationError:
        await state.clear()
        await reply(event, l10n("error-not-available"))
        return None


def asked_period(code: str, user: UserDTO, now: datetime) -> Period:
    """The report period a button asks for (w, l, m, q), in the user's zone; a forged code
    is refused like any other forged button."""

    try:
        return report_period(code, user_today(user, now))
    except ValueError:
        raise AccessDenied from None
