"""Keyboard builders: pure functions of data and texts."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import (
    InlineKeyboardMarkup,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.runtime.i18n import L10n
from bot.services.business_settings import SPECS
from bot.views.settings.callbacks import SettingsAction, SettingsCallback
from bot.views.settings.texts import zone_label

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
