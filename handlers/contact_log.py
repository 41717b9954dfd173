"""/log: a contact with a client, by dialog (a few taps) or in one message (the quick form)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, or_f
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from pydantic import BaseModel

from bot.runtime.filters import MenuButton
from bot.runtime.i18n import L10n
from bot.services import access, accounts
from bot.services.dates import (
    REASON_FORMAT,
    REASON_INVALID,
    REASON_TIME,
    DateParseError,
    When,
    parse_future_when,
    parse_when,
    validate_next_step,
)
from bot.services.local_time import local_date
from bot.services.numbers import parse_id
from bot.services.quick_log import REASON_DATE, QuickLog, QuickLogError, parse_quick_log
from bot.views.accounts import keyboards as kb
from bot.views.accounts.callbacks import ClientAction, ClientCallback, LogAction, LogCallback
from bot.views.accounts.states import LogStates
from bot.views.accounts.texts import client_card_text
from bot.views.common.calendar import CalendarAction, CalendarCallback, month_keyboard
from bot.views.common.texts import fmt_date, fmt_moment
from handlers.util import dialog_data, refuse, reply, say, show, text_step
from storage.dto import Channel, Outcome, UserDTO
from storage.repositories import Repos

RECENT = 6


class LogDraft(BaseModel):
    client_id: int
    channel: Channel
    outcome: Outcome
    summary: str
    person_id: int | None = None
    next_step: str | None = None


async def cmd_log(
    message: Message,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
    command: CommandObject | None = None,  # None: the menu button
) -> None:
    args = (command.args if command else None) or ""
    if args.strip():
        await _quick_log(message, args, repos, user, l10n, state, now)
        return
    recent = await repos.clients.recent_for_author(
        user.id, await access.visible_owners(repos, user), RECENT
    )
    await state.set_state(LogStates.client)
    await state.set_data({})
    await message.answer(
        l10n("log-ask-client" if recent else "log-ask-client-none"),
        reply_markup=kb.log_clients(recent) if recent else None,
    )


async def on_log_from_card(
    callback: CallbackQuery,
    callback_data: ClientCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
) -> None:
    client = await access.client_for(repos, user, callback_data.client_id, change=True)
    await _start_for_client(callback, client.id, client.name, l10n, state)


async def on_log_client_button(
    callback: CallbackQuery,
    callback_data: LogCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    client = await access.client_for(repos, user, parse_id(callback_data.value) or 0, change=True)
    quick = (await state.get_data()).get("quick")
    if quick:
        await _quick_log_for(callback, str(quick), client.id, repos, user, l10n, state, now)
        return
    await _start_for_client(callback, client.id, client.name, l10n, state)


async def on_log_client_typed(
    message: Message, repos: Repos, user: UserDTO, l10n: L10n, state: FSMContext
) -> None:
    found = await accounts.find_changeable_clients(repos, user, message.text or "")
    if not found:
        await message.answer(l10n("search-nothing", query=(message.text or "")[:100]))
        return
    await message.answer(l10n("log-ask-client"), reply_markup=kb.log_clients(found[:10]))


async def _start_for_client(
    callback: CallbackQuery, client_id: int, name: str, l10n: L10n, state: FSMContext
) -> None:
    await state.set_state(LogStates.channel)
    await state.set_data({"client_id": client_id})
    await callback.answer()
    await say(callback, l10n("log-ask-channel", client=name), kb.log_channels(l10n))


async def on_log_channel(
    callback: CallbackQuery,
    callback_data: LogCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
) -> None:
    if callback_data.value not in {c.value for c in Channel}:
        await refuse(callback, l10n("error-not-available"))
        return
    await state.update_data(channel=callback_data.value)
    persons = await repos.persons.of_client(int((await state.get_data())["client_id"]))
    if persons:
        await state.set_state(LogStates.person)
        await show(callback, l10n("log-ask-person"), kb.log_persons(persons, l10n))
        return
    await state.set_state(LogStates.summary)
    await show(callback, l10n("log-ask-summary"), None)


async def on_log_person(
    callback: CallbackQuery,
    callback_data: LogCallback,
    repos: Repos,
    l10n: L10n,
    state: FSMContext,
) -> None:
    data = await state.get_data()
    # "0": the Skip button; anything that is not an id is refused below.
    person_id = 0 if callback_data.value == "0" else parse_id(callback_data.value) or -1
    if person_id:
        person = await repos.persons.get(person_id)
        if person is None or person.client_id != data.get("client_id"):
            await refuse(callback, l10n("error-not-available"))
            return
    await state.update_data(person_id=person_id or None)
    await state.set_state(LogStates.summary)
    await show(callback, l10n("log-ask-summary"), None)


async def on_log_summary(message: Message, l10n: L10n, state: FSMContext) -> None:
    text = await text_step(message, l10n)
    if text is None:
        return
    await state.update_data(summary=text)
    await state.set_state(LogStates.outcome)
    await message.answer(l10n("log-ask-outcome"), reply_markup=kb.log_outcomes(l10n))


async def on_log_outcome(
    callback: CallbackQuery, callback_data: LogCallback, l10n: L10n, state: FSMContext
) -> None:
    if callback_data.value not in {o.value for o in Outcome}:
        await refuse(callback, l10n("error-not-available"))
        return
    await state.update_data(outcome=callback_data.value)
    await state.set_state(LogStates.next_step)
    await show(callback, l10n("log-ask-next-step"), kb.log_no_next(l10n))


async def on_log_next_step(message: Message, l10n: L10n, state: FSMContext) -> None:
    text = await text_step(message, l10n)
    if text is None:
        return
    await state.update_data(next_step=text)
    await state.set_state(LogStates.next_when)
    await message.answer(l10n("log-ask-when"), reply_markup=kb.log_when(l10n))


async def on_log_no_next(
    callback: CallbackQuery,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    await callback.answer()
    await _save(callback, None, repos, user, l10n, state, now)


async def on_log_when_button(
    callback: CallbackQuery,
    callback_data: LogCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    if callback_data.value not in kb.WHEN_BUTTONS:
        await refuse(callback, l10n("error-not-available"))
        return
    when = parse_when(callback_data.value, now=now, tz=ZoneInfo(user.timezone))
    await callback.answer()
    await _save(callback, when, repos, user, l10n, state, now)


async def on_log_when_typed(
    message: Message, repos: Repos, user: UserDTO, l10n: L10n, state: FSMContext, now: datetime
) -> None:
    zone = ZoneInfo(user.timezone)
    try:
        when = parse_future_when(message.text or "", now=now, tz=zone)
    except DateParseError as exc:
        await message.answer(l10n(exc.reason))
        return
    await _save(message, when, repos, user, l10n, state, now)


async def on_log_calendar(
    callback: CallbackQuery,
    callback_data: CalendarCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    zone = ZoneInfo(user.timezone)
    today = local_date(now, zone)
    data = callback_data
    if data.action is CalendarAction.NOOP:
        await callback.answer()
        return
    if data.action is CalendarAction.MONTH:
        year, month = (data.year, data.month) if data.month else (today.year, today.month)
        if not 1 <= month <= 12 or not today.year <= year <= today.year + 5:
            await refuse(callback, l10n("error-not-available"))
            return
        await show(callback, l10n("log-ask-when"), month_keyboard(year, month, today, l10n))
        return
    try:
        when = When(date(data.year, data.month, data.day))
        validate_next_step(when, now=now, tz=zone)
    except (ValueError, DateParseError):
        await refuse(callback, l10n("date-error-past"))
        return
    await callback.answer()
    await _save(callback, when, repos, user, l10n, state, now)


async def _save(
    event: Message | CallbackQuery,
    when: When | None,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    draft = await dialog_data(event, state, LogDraft, l10n)
    if draft is None:
        return
    logged = await accounts.log_contact(
        repos,
        user,
        draft.client_id,
        channel=draft.channel,
        outcome=draft.outcome,
        summary=draft.summary,
        person_id=draft.person_id,
        next_step=draft.next_step,
        next_when=when,
        now=now,
    )
    await state.clear()
    await _confirm(event, logged, repos, user, l10n, now)


async def _quick_log(
    message: Message,
    text: str,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    zone = ZoneInfo(user.timezone)
    try:
        quick = parse_quick_log(text, now=now, tz=zone)
        when = (
            parse_future_when(quick.next_when_text, now=now, tz=zone)
            if quick.next_when_text
            else None
        )
    except QuickLogError as exc:
        await message.answer(_quick_log_error(exc, l10n))
        return
    except DateParseError as exc:
        await message.answer(l10n(exc.reason))
        return
    found = await accounts.find_changeable_clients(repos, user, quick.client_query)
    if len(found) != 1:
        # The client is asked for (several match, or none: a better name may be typed);
        # a command or a menu button leaves this step like any other.
        await state.set_state(LogStates.client)
        await state.set_data({"quick": text})
        key = "log-quick-choose" if found else "log-quick-nothing"
        await message.answer(
            l10n(key, query=quick.client_query[:100]),
            reply_markup=kb.log_clients(found[:10]) if found else None,
        )
        return
    if quick.next_step and when is None:
        await _ask_quick_when(message, found[0].id, quick, l10n, state)
        return
    logged = await accounts.log_contact(
        repos,
        user,
        found[0].id,
        channel=Channel.CALL,
        outcome=Outcome.NEUTRAL,
        summary=quick.summary,
        person_id=None,
        next_step=quick.next_step,
        next_when=when,
        now=now,
    )
    await _confirm(message, logged, repos, user, l10n, now)


async def _quick_log_for(
    callback: CallbackQuery,
    text: str,
    client_id: int,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    """The quick form matched several clients: the chosen one gets the contact."""
    zone = ZoneInfo(user.timezone)
    quick = parse_quick_log(text, now=now, tz=zone)
    when = parse_when(quick.next_when_text, now=now, tz=zone) if quick.next_when_text else None
    if quick.next_step and when is None:
        await callback.answer()
        await _ask_quick_when(callback, client_id, quick, l10n, state)
        return
    logged = await accounts.log_contact(
        repos,
        user,
        client_id,
        channel=Channel.CALL,
        outcome=Outcome.NEUTRAL,
        summary=quick.summary,
        person_id=None,
        next_step=quick.next_step,
        next_when=when,
        now=now,
    )
    await state.clear()
    await callback.answer()
    await _confirm(callback, logged, repos, user, l10n, now)


async def _ask_quick_when(
    event: Message | CallbackQuery, client_id: int, quick: QuickLog, l10n: L10n, state: FSMContext
) -> None:
    """A quick form with a next step but no date: nothing is saved until the date comes,
    asked as the dialog's own date step (buttons, calendar or typed)."""
    await state.set_state(LogStates.next_when)
    await state.set_data(
        {
            "client_id": client_id,
            "channel": Channel.CALL.value,
            "outcome": Outcome.NEUTRAL.value,
            "summary": quick.summary,
            "next_step": quick.next_step,
        }
    )
    await reply(event, l10n("log-quick-ask-when", step=quick.next_step), kb.log_when(l10n))


# Why a date could not be read, as a clause of quicklog-error-date.
_WHY_NOT_A_DATE = {
    REASON_INVALID: "date-why-invalid",
    REASON_TIME: "date-why-time",
    REASON_FORMAT: "date-why-format",
}


def _quick_log_error(exc: QuickLogError, l10n: L10n) -> str:
    if exc.reason == REASON_DATE:
        why = l10n(_WHY_NOT_A_DATE.get(exc.date_reason, "date-why-format"))
        return l10n("quicklog-error-date", value=exc.value, reason=why)
    return l10n(exc.reason)


async def _confirm(
    event: Message | CallbackQuery,
    logged: accounts.LoggedContact,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
) -> None:
    follow_up = logged.follow_up
    if follow_up is None:
        head = l10n("log-saved")
    else:
        when = (
            fmt_moment(follow_up.due_at, user)
            if follow_up.due_at
            else fmt_date(follow_up.due_date)
        )
        head = l10n("log-saved-next", when=when, text=follow_up.text)
        if logged.moved_from is not None:
            head += "\n" + l10n("log-next-moved", day=fmt_date(logged.moved_from))
        elif logged.on_day_off:
            head += "\n" + l10n("log-next-day-off")
    card = await accounts.client_card(repos, user, logged.contact.client_id, now=now)
    await reply(
        event, head + "\n\n" + client_card_text(card, l10n, user), kb.client_card(card, l10n)
    )


def router() -> Router:
    r = Router(name=__name__)
    lg = LogCallback.filter
    r.message.register(cmd_log, or_f(Command("log"), MenuButton("log")))
    r.callback_query.register(
        on_log_from_card, ClientCallback.filter(F.action == ClientAction.LOG)
    )
    r.message.register(on_log_client_typed, LogStates.client, F.text)
    r.callback_query.register(on_log_channel, lg(F.action == LogAction.CHANNEL), LogStates.channel)
    r.callback_query.register(on_log_person, lg(F.action == LogAction.PERSON), LogStates.person)
    r.message.register(on_log_summary, LogStates.summary, F.text)
    r.callback_query.register(on_log_outcome, lg(F.action == LogAction.OUTCOME), LogStates.outcome)
    r.message.register(on_log_next_step, LogStates.next_step, F.text)
    r.callback_query.register(
        on_log_no_next, lg(F.action == LogAction.NO_NEXT), LogStates.next_step
    )
    r.callback_query.register(
        on_log_when_button, lg(F.action == LogAction.WHEN), LogStates.next_when
    )
    r.message.register(on_log_when_typed, LogStates.next_when, F.text)
    r.callback_query.register(on_log_calendar, CalendarCallback.filter(), LogStates.next_when)
    r.callback_query.register(on_log_client_button, lg(F.action == LogAction.CLIENT))
    return r
