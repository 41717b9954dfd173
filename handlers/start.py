"""/start: greeting, and admission by a one-time invitation code."""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.runtime.commands import sync_user_commands
from bot.runtime.config import Settings
from bot.runtime.i18n import L10n, Translator
from bot.services.people import Admission, TelegramProfile, redeem_invite
from bot.views.common.keyboards import main_menu
from bot.views.common.texts import role_name
from storage.dto import UserDTO
from storage.repositories import Repos

REFUSALS = {
    Admission.USED: "start-invite-used",
    Admission.EXPIRED: "start-invite-expired",
    Admission.UNKNOWN: "start-invite-unknown",
}


async def cmd_start_invite(
    message: Message,
    command: CommandObject,
    bot: Bot,
    repos: Repos,
    user: UserDTO | None,
    settings: Settings,
    translator: Translator,
    l10n: L10n,
    now: datetime,
    state: FSMContext,
) -> None:
    assert message.from_user is not None
    result = await redeem_invite(
        repos,
        (command.args or "").strip(),
        TelegramProfile(
            telegram_id=message.from_user.id,
            full_name=message.from_user.full_name,
            username=message.from_user.username,
            language_code=message.from_user.language_code,
        ),
        default_language=settings.default_language,
        default_timezone=settings.default_timezone,
        now=now,
    )
    if result.outcome is Admission.ALREADY_REGISTERED and user is not None:
        # A registered person's /start <code> is a plain /start (unless the code handed
        # them another identity: then it was ADMITTED).
        await cmd_start(message, bot, user, translator, state)
        return
    if result.outcome is not Admission.ADMITTED or result.user is None:
        await message.answer(l10n(REFUSALS.get(result.outcome, "start-invite-unknown")))
        return
    await cmd_start(message, bot, result.user, translator, state, newly_registered=True)


async def cmd_start(
    message: Message,
    bot: Bot,
    user: UserDTO,
    translator: Translator,
    state: FSMContext,
    newly_registered: bool = False,
) -> None:
    await state.clear()
    l10n = translator.get(user.language)
    if newly_registered:
        await sync_user_commands(bot, user, translator)
    await message.answer(
        l10n("start-welcome", name=user.full_name, role=role_name(l10n, user)),
        reply_markup=main_menu(user.role, l10n),
    )


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(cmd_start_invite, CommandStart(deep_link=True))
    # Plain /start of a registered user (strangers never get this far).
    r.message.register(cmd_start, CommandStart())
    return r
