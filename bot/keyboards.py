"""Keyboard builders: pure functions of data and texts."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder, ReplyKeyboardBuilder

from bot.callbacks import (
    InviteAction,
    InviteCallback,
    SettingsAction,
    SettingsCallback,
    UsersAction,
    UsersCallback,
)
from bot.i18n import L10n
from bot.menu import menu_commands
from bot.render import zone_label
from bot.services.business_settings import SPECS
from bot.services.people import INVITABLE_ROLES
from storage.dto import Role, UserDTO

# Zones offered as buttons: Russia from Kaliningrad to Kamchatka; others are typed.
COMMON_ZONES = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
)
DIGEST_HOURS = (6, 7, 8, 9, 10, 11, 12)
USERS_PAGE_SIZE = 10


def button_grid(
    buttons: Sequence[InlineKeyboardButton], width: int
) -> list[list[InlineKeyboardButton]]:
    """Buttons in rows of `width`. For long keyboards (a digest's numbered items, a price
    change's clients): InlineKeyboardBuilder copies its whole markup on every button added,
    90 buttons cost 75 ms that way and 2 ms here."""
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def main_menu(role: Role, l10n: L10n) -> ReplyKeyboardMarkup:
    builder = ReplyKeyboardBuilder()
    for command in menu_commands(role):
        builder.add(KeyboardButton(text=l10n(f"menu-{command}")))
    builder.adjust(2)
    return builder.as_markup(resize_keyboard=True, is_persistent=True)


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


def settings_menu(l10n: L10n, *, is_admin: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=l10n("settings-language"),
        callback_data=SettingsCallback(action=SettingsAction.LANGUAGE),
    )
    builder.button(
        text=l10n("settings-timezone"),
        callback_data=SettingsCallback(action=SettingsAction.TIMEZONE),
    )
    builder.button(
        text=l10n("settings-digest"), callback_data=SettingsCallback(action=SettingsAction.DIGEST)
    )
    if is_admin:
        builder.button(
            text=l10n("settings-company"),
            callback_data=SettingsCallback(action=SettingsAction.COMPANY),
        )
    builder.adjust(1)
    return builder.as_markup()


def settings_languages(languages: Sequence[str], l10n: L10n) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for language in languages:
        builder.button(
            text=l10n(f"language-{language}"),
            callback_data=SettingsCallback(action=SettingsAction.SET_LANGUAGE, value=language),
        )
    builder.button(
        text=l10n("button-back"), callback_data=SettingsCallback(action=SettingsAction.BACK)
    )
    builder.adjust(len(languages), 1)
    return builder.as_markup()


def settings_timezones(l10n: L10n) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for index, zone in enumerate(COMMON_ZONES):
        builder.button(
            text=zone_label(l10n, zone),
            callback_data=SettingsCallback(action=SettingsAction.SET_TIMEZONE, value=str(index)),
        )
    builder.button(
        text=l10n("button-back"), callback_data=SettingsCallback(action=SettingsAction.BACK)
    )
    builder.adjust(3)
    return builder.as_markup()


def settings_digest_hours(l10n: L10n) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for hour in DIGEST_HOURS:
        builder.button(
            text=f"{hour:02d}:00",
            callback_data=SettingsCallback(action=SettingsAction.SET_DIGEST, value=str(hour)),
        )
    builder.button(
        text=l10n("button-back"), callback_data=SettingsCallback(action=SettingsAction.BACK)
    )
    builder.adjust(4)
    return builder.as_markup()


def company_settings(l10n: L10n) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for key in SPECS:
        builder.button(
            text=l10n(f"setting-{key}"),
            callback_data=SettingsCallback(action=SettingsAction.COMPANY_KEY, value=key),
        )
    builder.button(
        text=l10n("button-back"), callback_data=SettingsCallback(action=SettingsAction.BACK)
    )
    builder.adjust(1)
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
