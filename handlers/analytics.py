"""ABC analysis (from the /plan screen) and /export, the Excel workbook of a period."""

from __future__ import annotations

import asyncio
from datetime import datetime

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.runtime.filters import RoleFilter
from bot.runtime.i18n import L10n
from bot.services.access import AccessDenied
from bot.services.analytics import abc_period, abc_report, apply_abc_tiers
from bot.services.business_settings import load_settings
from bot.services.export import build_workbook, export_data, export_file_name, may_export
from bot.services.formatting import period_label
from bot.services.local_time import user_today
from bot.views.analytics import keyboards as kb
from bot.views.analytics.callbacks import AbcAction, AbcCallback, AbcSubject, ExportCallback
from bot.views.analytics.texts import abc_confirm_text, abc_text
from handlers.util import asked_period, show
from storage.dto import Role, UserDTO
from storage.repositories import Repos


async def on_abc(
    callback: CallbackQuery,
    callback_data: AbcCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
) -> None:
    today = user_today(user, now)
    action, code = callback_data.action, callback_data.period
    if action is AbcAction.PERIODS:
        await show(callback, l10n("abc-choose-period"), kb.abc_periods(l10n, today))
        return
    try:
        period = abc_period(code, today)
    except ValueError:
        raise AccessDenied from None
    if action is AbcAction.SUBJECTS:
        await show(
            callback,
            l10n("abc-choose-subject", period=period_label(period, l10n.language)),
            kb.abc_subjects(l10n, code),
        )
        return
    settings = await load_settings(repos)
    if action is AbcAction.APPLY:
        changed = await apply_abc_tiers(repos, user, period, settings, now=now)
        report = await abc_report(repos, user, AbcSubject.CLIENTS, period, settings)
        text = l10n("abc-tiers-written", count=changed) + "\n\n" + abc_text(report, l10n)
        await show(callback, text, kb.abc_result(l10n, report, code))
        return
    report = await abc_report(repos, user, callback_data.subject, period, settings)
    if action is AbcAction.CONFIRM:
        if not (report.can_write_tiers and report.tier_changes):
            raise AccessDenied
        await show(callback, abc_confirm_text(report, l10n), kb.abc_confirm(l10n, code))
        return
    await show(callback, abc_text(report, l10n), kb.abc_result(l10n, report, code))


async def cmd_export(message: Message, user: UserDTO, l10n: L10n, now: datetime) -> None:
    if not may_export(user):
        await message.answer(l10n("export-not-yours"))
        return
    today = user_today(user, now)
    await message.answer(l10n("export-choose-period"), reply_markup=kb.export_periods(l10n, today))


async def on_export(
    callback: CallbackQuery,
    callback_data: ExportCallback,
    bot: Bot,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
) -> None:
    today = user_today(user, now)
    period = asked_period(callback_data.period, user, now)
    data = await export_data(repos, user, period, now=now)
    shown = period_label(period, l10n.language)
    if data.empty:
        await show(
            callback,
            l10n("export-empty", period=shown),
            kb.export_periods(l10n, today),
        )
        return
    # This request commits the update's transaction (CommitBeforeSendMiddleware), so the
    # database is not held while the workbook is built.
    await show(callback, l10n("export-preparing", period=shown), None)
    content = await asyncio.to_thread(build_workbook, data, l10n)
    await bot.send_document(
        user.telegram_id,
        BufferedInputFile(content, export_file_name(period)),
        caption=l10n("export-caption", period=shown),
    )
    if isinstance(callback.message, Message):
        await callback.message.edit_text(
            l10n("export-sent", period=shown), reply_markup=kb.export_periods(l10n, today)
        )


def router() -> Router:
    r = Router(name=__name__)
    works = RoleFilter(Role.ADMIN, Role.SUPERVISOR, Role.MANAGER)
    r.callback_query.register(on_abc, AbcCallback.filter(), works)
    # /export is answered for everyone, so a manager hears why not; the service checks too.
    r.message.register(cmd_export, Command("export"))
    r.callback_query.register(on_export, ExportCallback.filter())
    return r
