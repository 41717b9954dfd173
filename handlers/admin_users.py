"""/users (admin): list users, change a role or team, deactivate or reactivate."""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command, or_f
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.runtime.commands import sync_user_commands
from bot.runtime.filters import MenuButton, RoleFilter
from bot.runtime.i18n import L10n, Translator
from bot.services.people import PeopleError, change_role, change_supervisor, set_active
from bot.views.users.callbacks import UsersAction, UsersCallback
from bot.views.users.keyboards import (
    USERS_PAGE_SIZE,
    confirm_deactivate,
    user_card,
    user_roles,
    user_supervisors,
    users_page,
)
from bot.views.users.texts import user_card_text, users_list_text
from handlers.util import refuse, show
from storage.dto import Role, UserDTO
from storage.repositories import Repos

A = UsersAction
ROLES = list(Role)


async def cmd_users(message: Message, repos: Repos, l10n: L10n) -> None:
    text, markup = await _page(repos, l10n, 0)
    await message.answer(text, reply_markup=markup)


async def on_users_page(
    callback: CallbackQuery, callback_data: UsersCallback, repos: Repos, l10n: L10n
) -> None:
    text, markup = await _page(repos, l10n, max(callback_data.value, 0))
    await show(callback, text, markup)


async def _page(repos: Repos, l10n: L10n, page: int) -> tuple[str, InlineKeyboardMarkup]:
    users = await repos.users.list_users(offset=page * USERS_PAGE_SIZE, limit=USERS_PAGE_SIZE + 1)
    total = await repos.users.count()
    shown = users[:USERS_PAGE_SIZE]
    markup = users_page(shown, page=page, has_next=len(users) > USERS_PAGE_SIZE, l10n=l10n)
    return users_list_text(l10n, shown, page=page, total=total), markup


async def on_user_open(
    callback: CallbackQuery, callback_data: UsersCallback, repos: Repos, l10n: L10n
) -> None:
    target = await repos.users.get(callback_data.user_id)
    if target is None:
        await refuse(callback, l10n("error-not-available"))
        return
    await _show_card(callback, repos, l10n, target)


async def _show_card(
    callback: CallbackQuery, repos: Repos, l10n: L10n, target: UserDTO, notice: str | None = None
) -> None:
    supervisor = await repos.users.get(target.supervisor_id) if target.supervisor_id else None
    team = await repos.users.team(target.id) if target.role is Role.SUPERVISOR else []
    team = [member for member in team if member.is_active]
    text = user_card_text(l10n, target, supervisor, team)
    await show(callback, text, user_card(target, l10n), notice)


async def on_user_role_menu(
    callback: CallbackQuery, callback_data: UsersCallback, repos: Repos, l10n: L10n
) -> None:
    target = await repos.users.get(callback_data.user_id)
    if target is None:
        await refuse(callback, l10n("error-not-available"))
        return
    await show(
        callback, l10n("users-choose-role", name=target.full_name), user_roles(target, l10n)
    )


async def on_user_role_set(
    callback: CallbackQuery,
    callback_data: UsersCallback,
    repos: Repos,
    l10n: L10n,
    user: UserDTO,
    now: datetime,
    bot: Bot,
    translator: Translator,
) -> None:
    if not 0 <= callback_data.value < len(ROLES):
        await refuse(callback, l10n("error-not-available"))
        return
    try:
        target = await change_role(
            repos, user, callback_data.user_id, ROLES[callback_data.value], now=now
        )
    except PeopleError as exc:
        await refuse(callback, l10n(exc.reason))
        return
    await sync_user_commands(bot, target, translator)
    if target.role is Role.MANAGER and target.supervisor_id is None:
        supervisors = await repos.users.with_role(Role.SUPERVISOR)
        if supervisors:
            await show(
                callback,
                l10n("users-choose-team", name=target.full_name),
                user_supervisors(target, supervisors),
            )
            return
    await _show_card(callback, repos, l10n, target, l10n("users-saved"))


async def on_user_team_menu(
    callback: CallbackQuery, callback_data: UsersCallback, repos: Repos, l10n: L10n
) -> None:
    target = await repos.users.get(callback_data.user_id)
    supervisors = await repos.users.with_role(Role.SUPERVISOR)
    if target is None or not supervisors:
        await refuse(callback, l10n("invite-no-supervisors" if target else "error-not-available"))
        return
    await show(
        callback,
        l10n("users-choose-team", name=target.full_name),
        user_supervisors(target, supervisors),
    )


async def on_user_team_set(
    callback: CallbackQuery,
    callback_data: UsersCallback,
    repos: Repos,
    l10n: L10n,
    user: UserDTO,
    now: datetime,
) -> None:
    try:
        target = await change_supervisor(
            repos, user, callback_data.user_id, callback_data.value, now=now
        )
    except PeopleError as exc:
        await refuse(callback, l10n(exc.reason))
        return
    await _show_card(callback, repos, l10n, target, l10n("users-saved"))


async def on_user_deactivate(
    callback: CallbackQuery, callback_data: UsersCallback, repos: Repos, l10n: L10n
) -> None:
    target = await repos.users.get(callback_data.user_id)
    if target is None:
        await refuse(callback, l10n("error-not-available"))
        return
    await show(
        callback,
        l10n("users-confirm-deactivate-text", name=target.full_name),
        confirm_deactivate(target, l10n),
    )


async def on_user_set_active(
    callback: CallbackQuery,
    callback_data: UsersCallback,
    repos: Repos,
    l10n: L10n,
    user: UserDTO,
    now: datetime,
    bot: Bot,
    translator: Translator,
) -> None:
    active = callback_data.action is A.ACTIVATE
    try:
        target = await set_active(
            repos, user, callback_data.user_id, active, now=now, texts=translator
        )
    except PeopleError as exc:
        await refuse(callback, l10n(exc.reason))
        return
    await sync_user_commands(bot, target, translator)
    await _show_card(callback, repos, l10n, target, l10n("users-saved"))


def router() -> Router:
    r = Router(name=__name__)
    admin = RoleFilter(Role.ADMIN)
    r.message.filter(admin)
    r.callback_query.filter(admin)
    r.message.register(cmd_users, or_f(Command("users"), MenuButton("users")))
    cb = UsersCallback.filter
    r.callback_query.register(on_users_page, cb(F.action == A.PAGE))
    r.callback_query.register(on_user_open, cb(F.action == A.OPEN))
    r.callback_query.register(on_user_role_menu, cb(F.action == A.ROLE))
    r.callback_query.register(on_user_role_set, cb(F.action == A.SET_ROLE))
    r.callback_query.register(on_user_team_menu, cb(F.action == A.SUPERVISOR))
    r.callback_query.register(on_user_team_set, cb(F.action == A.SET_SUPERVISOR))
    r.callback_query.register(on_user_deactivate, cb(F.action == A.DEACTIVATE))
    r.callback_query.register(
        on_user_set_active, cb(F.action.in_({A.CONFIRM_DEACTIVATE, A.ACTIVATE}))
    )
    return r
