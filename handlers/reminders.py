"""Buttons of the digest and of reminders: open an item, snooze it, mark it done; mark a
client informed of a price change."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.runtime.i18n import L10n, Translator
from bot.services import reminders
from bot.services.access import AccessDenied
from bot.views.common.texts import fmt_date
from bot.views.reminders.callbacks import InformedCallback, ReminderAction, ReminderCallback
from bot.views.reminders.texts import ReminderTexts, item_actions
from handlers.util import say
from storage.dto import UserDTO
from storage.repositories import Repos


async def on_reminder(
    callback: CallbackQuery,
    callback_data: ReminderCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
) -> None:
    kind = reminders.ITEM_KINDS.get(callback_data.kind)
    if kind is None:
        raise AccessDenied
    data = callback_data
    if data.action is ReminderAction.SNOOZE:
        until = await reminders.snooze_item(repos, user, kind, data.item_id, data.days, now=now)
        await callback.answer(l10n("reminder-snoozed", date=fmt_date(until)), show_alert=True)
        return
    if data.action is ReminderAction.DONE:
        await reminders.finish_item(repos, user, kind, data.item_id, now=now)
        await callback.answer(l10n("reminder-finished"), show_alert=True)
        return
    client_id, name = await reminders.item_client(repos, user, kind, data.item_id)
    await callback.answer()
    markup = InlineKeyboardMarkup.model_validate(
        item_actions(l10n, data.kind, data.item_id, client_id)
    )
    await say(callback, l10n(f"reminder-item-{kind}", client=name), markup)


async def on_informed(
    callback: CallbackQuery,
    callback_data: InformedCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    translator: Translator,
    now: datetime,
) -> None:
    notices = await reminders.mark_client_informed(
        repos, user, callback_data.price_id, callback_data.client_id, now=now
    )
    _, markup = ReminderTexts(translator).price_notice(user, notices, reminder=False)
    if isinstance(callback.message, Message) and markup is not None:
        await callback.message.edit_reply_markup(
            reply_markup=InlineKeyboardMarkup.model_validate(markup)
        )
    await callback.answer(l10n("price-marked"))


def router() -> Router:
    r = Router(name=__name__)
    r.callback_query.register(on_reminder, ReminderCallback.filter())
    r.callback_query.register(on_informed, InformedCallback.filter())
    return r
