"""Small reply helpers shared by the feature routers."""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup


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
