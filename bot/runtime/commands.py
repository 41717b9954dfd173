"""Telegram's command lists: per user (chat scope) by role and language, public by default."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.runtime.i18n import Translator
from bot.views.common.menu import PUBLIC_COMMANDS, features_for
from storage.dto import UserDTO

logger = logging.getLogger(__name__)


def _commands(
    names: list[str] | tuple[str, ...], translator: Translator, language: str
) -> list[BotCommand]:
    l10n = translator.get(language)
    return [BotCommand(command=name, description=l10n(f"cmd-{name}")) for name in names]


async def set_public_commands(bot: Bot, translator: Translator) -> None:
    await bot.set_my_commands(
        _commands(PUBLIC_COMMANDS, translator, translator.default), scope=BotCommandScopeDefault()
    )
    for language in translator.languages:
        await bot.set_my_commands(
            _commands(PUBLIC_COMMANDS, translator, language),
            scope=BotCommandScopeDefault(),
            language_code=language,
        )


async def sync_user_commands(bot: Bot, user: UserDTO, translator: Translator) -> None:
    """Called at registration and on any change of role, language or activity. A failure
    here must not undo the change that caused it: the list is cosmetic, access is not."""
    scope = BotCommandScopeChat(chat_id=user.telegram_id)
    try:
        if not user.is_active:
            await bot.delete_my_commands(scope=scope)
            return
        names = [f.command for f in features_for(user.role)]
        await bot.set_my_commands(_commands(names, translator, user.language), scope=scope)
    except TelegramAPIError:
        logger.warning("could not set commands for user %s", user.id, exc_info=True)
