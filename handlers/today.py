"""/today: the agenda in the user's own zone."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.filters import Command, or_f
from aiogram.types import Message

from bot.runtime.filters import MenuButton
from bot.runtime.i18n import L10n
from bot.runtime.update_scope import READS_ONLY
from bot.services import accounts
from bot.services.local_time import user_today
from bot.views.accounts import keyboards as kb
from bot.views.accounts.texts import agenda_items, agenda_text
from storage.dto import UserDTO
from storage.repositories import Repos

# Telegram allows about 100 buttons per message; one button per line, pages of 50.
AGENDA_PAGE = 50


async def cmd_today(
    message: Message, repos: Repos, user: UserDTO, l10n: L10n, now: datetime
) -> None:
    today = user_today(user, now)
    items = agenda_items(await accounts.agenda(repos, user, now=now), l10n, user, today)
    for offset in range(0, max(len(items), 1), AGENDA_PAGE):
        page = items[offset : offset + AGENDA_PAGE]
        markup = (
            kb.numbered_clients([client_id for _, client_id in page], offset=offset)
            if page
            else None
        )
        await message.answer(
            agenda_text(page, l10n, today, offset=offset, total=len(items)), reply_markup=markup
        )


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(cmd_today, or_f(Command("today"), MenuButton("today")), flags=READS_ONLY)
    return r
