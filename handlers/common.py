"""/help, /menu, /cancel."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, or_f
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.runtime.filters import MenuButton
from bot.runtime.i18n import L10n
from bot.runtime.update_scope import READS_ONLY
from bot.views.common.keyboards import main_menu
from bot.views.common.texts import help_text
from storage.dto import UserDTO


async def cmd_help(message: Message, user: UserDTO, l10n: L10n) -> None:
    await message.answer(help_text(l10n, user), reply_markup=main_menu(user.role, l10n))


async def cmd_menu(message: Message, user: UserDTO, l10n: L10n) -> None:
    await message.answer(l10n("menu-shown"), reply_markup=main_menu(user.role, l10n))


async def cmd_cancel(message: Message, state: FSMContext, user: UserDTO, l10n: L10n) -> None:
    had_dialog = await state.get_state() is not None
    await state.clear()
    await message.answer(
        l10n("cancel-done" if had_dialog else "cancel-nothing"),
        reply_markup=main_menu(user.role, l10n),
    )


def router() -> Router:
    r = Router(name=__name__)
    # /cancel works in any state, so it is registered before the dialogs' text handlers.
    r.message.register(cmd_cancel, Command("cancel"))
    r.message.register(cmd_help, or_f(Command("help"), MenuButton("help")), flags=READS_ONLY)
    r.message.register(cmd_menu, Command("menu"), flags=READS_ONLY)
    return r
