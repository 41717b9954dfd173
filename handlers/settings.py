"""/settings: a user's language, time zone and digest hour; an admin's company settings."""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command, or_f
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.runtime.commands import sync_user_commands
from bot.runtime.filters import MenuButton, RoleFilter
from bot.runtime.i18n import L10n, Translator
from bot.services.business_settings import SPECS, SettingValueError, change_setting, load_settings
from bot.services.local_time import HourError, parse_hour, validate_timezone
from bot.services.numbers import parse_index
from bot.services.people import update_preferences
from bot.views.common.keyboards import main_menu
from bot.views.settings.callbacks import SettingsAction, SettingsCallback
from bot.views.settings.keyboards import (
    COMMON_ZONES,
    company_settings,
    settings_digest_hours,
    settings_languages,
    settings_menu,
    settings_timezones,
)
from bot.views.settings.states import SettingsStates
from bot.views.settings.texts import company_settings_text, settings_text
from handlers.util import refuse, say, show
from storage.dto import Role, UserDTO, UserUpdate
from storage.repositories import Repos

A = SettingsAction


async def cmd_settings(message: Message, user: UserDTO, l10n: L10n, state: FSMContext) -> None:
    await state.clear()
    await message.answer(
        settings_text(l10n, user), reply_markup=settings_menu(l10n, is_admin=user.is_admin)
    )


async def on_settings_back(
    callback: CallbackQuery, user: UserDTO, l10n: L10n, state: FSMContext
) -> None:
    await state.clear()
    await show(callback, settings_text(l10n, user), settings_menu(l10n, is_admin=user.is_admin))


async def on_language_menu(callback: CallbackQuery, l10n: L10n, translator: Translator) -> None:
    await show(
        callback, l10n("settings-choose-language"), settings_languages(translator.languages, l10n)
    )


async def on_language_set(
    callback: CallbackQuery,
    callback_data: SettingsCallback,
    user: UserDTO,
    repos: Repos,
    translator: Translator,
    bot: Bot,
    now: datetime,
    l10n: L10n,
) -> None:
    if callback_data.value not in translator.languages:
        await refuse(callback, l10n("error-not-available"))
        return
    user = await update_preferences(repos, user, UserUpdate(language=callback_data.value), now=now)
    new_l10n = translator.get(user.language)
    await sync_user_commands(bot, user, translator)
    await show(
        callback, settings_text(new_l10n, user), settings_menu(new_l10n, is_admin=user.is_admin)
    )
    # The reply keyboard's labels change language too.
    await say(callback, new_l10n("settings-language-changed"), main_menu(user.role, new_l10n))


async def on_timezone_menu(callback: CallbackQuery, l10n: L10n, state: FSMContext) -> None:
    await state.set_state(SettingsStates.timezone)
    await show(callback, l10n("settings-choose-timezone"), settings_timezones(l10n))


async def on_timezone_button(
    callback: CallbackQuery,
    callback_data: SettingsCallback,
    user: UserDTO,
    repos: Repos,
    l10n: L10n,
    now: datetime,
    state: FSMContext,
) -> None:
    index = parse_index(callback_data.value)
    if index is None or index >= len(COMMON_ZONES):
        await refuse(callback, l10n("error-not-available"))
        return
    await _save_timezone(callback, COMMON_ZONES[index], user, repos, l10n, now, state)


async def on_timezone_typed(
    message: Message, user: UserDTO, repos: Repos, l10n: L10n, now: datetime, state: FSMContext
) -> None:
    name = (message.text or "").strip()
    try:
        zone = validate_timezone(name)
    except ValueError:
        await message.answer(l10n("settings-timezone-invalid", value=name[:64]))
        return
    await _save_timezone(message, zone.key, user, repos, l10n, now, state)


async def _save_timezone(
    event: Message | CallbackQuery,
    zone: str,
    user: UserDTO,
    repos: Repos,
    l10n: L10n,
    now: datetime,
    state: FSMContext,
) -> None:
    user = await update_preferences(repos, user, UserUpdate(timezone=zone), now=now)
    await state.clear()
    text = l10n("settings-saved") + "\n\n" + settings_text(l10n, user)
    markup = settings_menu(l10n, is_admin=user.is_admin)
    if isinstance(event, CallbackQuery):
        await show(event, text, markup)
    else:
        await event.answer(text, reply_markup=markup)


async def on_digest_menu(callback: CallbackQuery, l10n: L10n, state: FSMContext) -> None:
    # The hour may be typed too ("8", "08:00"): a text here is that hour, not a search.
    await state.set_state(SettingsStates.digest_hour)
    await show(callback, l10n("settings-choose-digest"), settings_digest_hours(l10n))


async def on_digest_typed(
    message: Message, user: UserDTO, repos: Repos, l10n: L10n, now: datetime, state: FSMContext
) -> None:
    try:
        hour = parse_hour(message.text or "")
    except HourError as exc:
        await message.answer(l10n(exc.reason), reply_markup=settings_digest_hours(l10n))
        return
    user = await update_preferences(repos, user, UserUpdate(digest_hour=hour), now=now)
    await state.clear()
    await message.answer(
        l10n("settings-saved") + "\n\n" + settings_text(l10n, user),
        reply_markup=settings_menu(l10n, is_admin=user.is_admin),
    )


async def on_digest_set(
    callback: CallbackQuery,
    callback_data: SettingsCallback,
    user: UserDTO,
    repos: Repos,
    l10n: L10n,
    now: datetime,
    state: FSMContext,
) -> None:
    hour = parse_index(callback_data.value)
    if hour is None or hour > 23:
        await refuse(callback, l10n("error-not-available"))
        return
    user = await update_preferences(repos, user, UserUpdate(digest_hour=hour), now=now)
    await state.clear()
    await show(
        callback,
        settings_text(l10n, user),
        settings_menu(l10n, is_admin=user.is_admin),
        notice=l10n("settings-saved"),
    )


async def on_company_menu(callback: CallbackQuery, repos: Repos, l10n: L10n) -> None:
    current = await load_settings(repos)
    await show(callback, company_settings_text(l10n, current), company_settings(l10n))


async def on_company_key(
    callback: CallbackQuery,
    callback_data: SettingsCallback,
    repos: Repos,
    l10n: L10n,
    state: FSMContext,
) -> None:
    key = callback_data.value
    if key not in SPECS:
        await refuse(callback, l10n("error-not-available"))
        return
    current = await load_settings(repos)
    await state.set_state(SettingsStates.company_value)
    await state.update_data(setting_key=key)
    await callback.answer()
    await say(
        callback,
        l10n(
            "company-setting-prompt",
            name=l10n(f"setting-{key}"),
            value=current.rendered(key),
            hint=l10n(f"setting-{key}-hint"),
        ),
    )


async def on_company_value(
    message: Message, user: UserDTO, repos: Repos, l10n: L10n, now: datetime, state: FSMContext
) -> None:
    key = str((await state.get_data()).get("setting_key", ""))
    if key not in SPECS:
        await state.clear()
        await message.answer(l10n("error-not-available"))
        return
    try:
        updated = await change_setting(repos, key, message.text or "", actor_id=user.id, now=now)
    except SettingValueError as exc:
        await message.answer(l10n(exc.hint))
        return
    await state.clear()
    await message.answer(
        l10n("company-setting-saved", name=l10n(f"setting-{key}"), value=updated.rendered(key)),
        reply_markup=company_settings(l10n),
    )


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(cmd_settings, or_f(Command("settings"), MenuButton("settings")))
    cb = SettingsCallback.filter
    r.callback_query.register(on_settings_back, cb(F.action == A.BACK))
    r.callback_query.register(on_language_menu, cb(F.action == A.LANGUAGE))
    r.callback_query.register(on_language_set, cb(F.action == A.SET_LANGUAGE))
    r.callback_query.register(on_timezone_menu, cb(F.action == A.TIMEZONE))
    r.callback_query.register(on_timezone_button, cb(F.action == A.SET_TIMEZONE))
    r.message.register(on_timezone_typed, SettingsStates.timezone, F.text)
    r.callback_query.register(on_digest_menu, cb(F.action == A.DIGEST))
    r.callback_query.register(on_digest_set, cb(F.action == A.SET_DIGEST))
    r.message.register(on_digest_typed, SettingsStates.digest_hour, F.text)
    admin = RoleFilter(Role.ADMIN)
    r.callback_query.register(on_company_menu, cb(F.action == A.COMPANY), admin)
    r.callback_query.register(on_company_key, cb(F.action == A.COMPANY_KEY), admin)
    r.message.register(on_company_value, SettingsStates.company_value, F.text, admin)
    return r
