"""/sync (admins): the live 1C sync's state per entity, and *Sync now* with a progress
message edited at most every 2 seconds while the sync runs in the background."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.runtime.filters import RoleFilter
from bot.runtime.i18n import L10n, Translator
from bot.runtime.update_scope import READS_ONLY
from bot.services.erp_sync.onec import sync_from_onec
from bot.services.erp_sync.status import sync_status
from bot.views.sync.callbacks import SyncAction, SyncCallback
from bot.views.sync.exchange import exchange_status_text
from bot.views.sync.keyboards import sync_keyboard
from bot.views.sync.texts import sync_progress_text, sync_report_text, sync_status_text
from handlers.util import show
from storage.dto import Role, UserDTO
from storage.repositories import Repos

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 2.0  # seconds between edits of the progress message
EXCHANGE_RUNS_SHOWN = 6


async def cmd_sync(message: Message, repos: Repos, user: UserDTO, l10n: L10n, app: Any) -> None:
    url = app.settings.onec_odata_url
    status = await sync_status(repos, zone=app.settings.default_timezone, now=app.clock())
    exchange = await _exchange_text(repos, l10n, user, app)
    await message.answer(
        f"{sync_status_text(status, l10n, user, url=url)}\n\n{exchange}",
        reply_markup=sync_keyboard(l10n) if url else None,
    )


async def _exchange_text(repos: Repos, l10n: L10n, user: UserDTO, app: Any) -> str:
    runs = await repos.exchange.recent_runs(EXCHANGE_RUNS_SHOWN)
    return exchange_status_text(runs, l10n, user, enabled=app.settings.exchange_enabled())


async def on_sync(
    callback: CallbackQuery,
    callback_data: SyncCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    app: Any,
    bot: Bot,
    translator: Translator,
) -> None:
    url = app.settings.onec_odata_url
    if url is None:
        await callback.answer(l10n("sync-not-configured"), show_alert=True)
        return
    status = await sync_status(repos, zone=app.settings.default_timezone, now=app.clock())
    running = callback_data.action is not SyncAction.REFRESH
    text = sync_status_text(status, l10n, user, url=url, running=running)
    if not running:
        text = f"{text}\n\n{await _exchange_text(repos, l10n, user, app)}"
    await show(callback, text, None if running else sync_keyboard(l10n))
    if not running:
        return
    chat_id = callback.message.chat.id if callback.message else user.telegram_id
    task = asyncio.create_task(
        _run(bot, app, translator, user, chat_id, full=callback_data.action is SyncAction.FULL)
    )
    app.background.add(task)
    task.add_done_callback(app.background.discard)


async def _run(
    bot: Bot, app: Any, translator: Translator, user: UserDTO, chat_id: int, *, full: bool
) -> None:
    l10n = translator.get(user.language)
    status = await bot.send_message(chat_id, l10n("sync-started"))
    last = time.monotonic()

    async def progress(kind: str, rows: int) -> None:
        nonlocal last
        if time.monotonic() - last >= PROGRESS_EVERY:
            last = time.monotonic()
            await bot.edit_message_text(
                sync_progress_text(l10n, kind, rows),
                chat_id=chat_id,
                message_id=status.message_id,
            )

    try:
        report = await sync_from_onec(
            app.database,
            app.settings,
            now=app.clock(),
            texts=translator,
            full=full,
            progress=progress,
        )
    except Exception:
        logger.exception("sync started from the chat failed")
        await bot.edit_message_text(
            l10n("error-unexpected"), chat_id=chat_id, message_id=status.message_id
        )
        return
    await bot.edit_message_text(
        sync_report_text(report, l10n), chat_id=chat_id, message_id=status.message_id
    )


def router() -> Router:
    r = Router(name=__name__)
    admin = RoleFilter(Role.ADMIN)
    r.message.register(cmd_sync, Command("sync"), admin, flags=READS_ONLY)
    r.callback_query.register(on_sync, SyncCallback.filter(), admin)
    return r
