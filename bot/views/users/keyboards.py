"""Keyboard builders: pure functions of data and texts."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import (
    InlineKeyboardMarkup,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.runtime.i18n import L10n
from bot.services.people import INVITABLE_ROLES
from bot.views.users.callbacks import InviteAction, InviteCallback, UsersAction, UsersCallback
from storage.dto import Role, UserDTO

USERS_PAGE_SIZE = 10


def invite_roles(l10n: L10n) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for role in INVITABLE_ROLES:
        builder.button(
            text=l10n(f"role-{role.value}"),
            callback_data=InviteCallback(action=InviteAction.ROLE, value=role.value),
        )
    return builder.as_markup()


def invite_supervisors(supervisors: Sequence[UserDTO]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for supervisor in supervisors:
        builder.button(
            text=supervisor.full_name,
            callback_data=InviteCallback(action=InviteAction.SUPERVISOR, value=str(supervisor.id)),
        )
    builder.adjust(1)
    return builder.as_markup()


def invite_skip_erp(l10n: L10n) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=l10n("button-skip"), callback_data=InviteCallback(action=InviteAction.SKIP_ERP)
    )
    return builder.as_markup()


def users_page(
    users: Sequence[UserDTO], *, page: int, has_next: bool, l10n: L10n
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for user in users:
        mark = "" if user.is_active else "⛔ "
        builder.button(
            text=f"{mark}{user.full_name} · {l10n(f'role-{user.role.value}')}",
            callback_data=UsersCallback(action=UsersAction.OPEN, user_id=user.id),
        )
    nav = []
    if page > 0:
        nav.append(("◀", page - 1))
    if has_next:
        nav.append(("▶", page + 1))
    for text, target in nav:
        builder.button(
            text=text, callback_data=UsersCallback(action=UsersAction.PAGE, value=target)
        )
    builder.adjust(*([1] * len(users)), max(len(nav), 1))
    return builder.as_markup()


def user_card(target: UserDTO, l10n: L10n) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    uid = target.id
    builder.button(
        text=l10n("users-change-role"),
        callback_data=UsersCallback(action=UsersAction.ROLE, user_id=uid),
    )
    if target.role is Role.MANAGER:
        builder.button(
            text=l10n("users-change-team"),
            callback_data=UsersCallback(action=UsersAction.SUPERVISOR, user_id=uid),
        )
    if target.is_active:
        builder.button(
            text=l10n("users-deactivate"),
            callback_data=UsersCallback(action=UsersAction.DEACTIVATE, user_id=uid),
        )
    else:
        builder.button(
            text=l10n("users-activate"),
            callback_data=UsersCallback(action=UsersAction.ACTIVATE, user_id=uid),
        )
    builder.button(
        text=l10n("button-back"), callback_data=UsersCallback(action=UsersAction.PAGE, value=0)
    )
    builder.adjust(1)
    return builder.as_markup()


def user_roles(target: UserDTO, l10n: L10n) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for role in Role:
        if role is not target.role:
            builder.button(
                text=l10n(f"role-{role.value}"),
                callback_data=UsersCallback(
                    action=UsersAction.SET_ROLE, user_id=target.id, value=list(Role).index(role)
                ),
            )
    builder.adjust(1)
    return builder.as_markup()


def user_supervisors(target: UserDTO, supervisors: Sequence[UserDTO]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for supervisor in supervisors:
        builder.button(
            text=supervisor.full_name,
            callback_data=UsersCallback(
                action=UsersAction.SET_SUPERVISOR, user_id=target.id, value=supervisor.id
            ),
        )
    builder.adjust(1)
    return builder.as_markup()


def confirm_deactivate(target: UserDTO, l10n: L10n) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=l10n("users-confirm-deactivate"),
        callback_data=UsersCallback(action=UsersAction.CONFIRM_DEACTIVATE, user_id=target.id),
    )
    builder.button(
        text=l10n("button-back"),
        callback_data=UsersCallback(action=UsersAction.OPEN, user_id=target.id),
    )
    builder.adjust(1)
    return builder.as_markup()
