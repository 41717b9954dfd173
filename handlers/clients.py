"""/clients, /client, /history, the client card, a new client, persons, opportunities,
competitor notes and reassignment."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, or_f
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.runtime.filters import MenuButton
from bot.runtime.i18n import L10n, Translator
from bot.runtime.update_scope import READS_ONLY
from bot.services import access, accounts
from bot.services.access import AccessDenied
from bot.services.accounts import AccountsError
from bot.services.dates import DateParseError, parse_future_when
from bot.services.money import AmountError, parse_amount
from bot.services.requisites import normalize_inn, valid_inn, valid_kpp
from bot.views.accounts import keyboards as kb
from bot.views.accounts.callbacks import (
    ClientAction,
    ClientCallback,
    HandOverCallback,
    NewClientAction,
    NewClientCallback,
    NewClientStart,
    OpportunityCallback,
    PersonAction,
    PersonCallback,
)
from bot.views.accounts.states import (
    CompetitorStates,
    NewClientStates,
    OpportunityStates,
    PersonStates,
)
from bot.views.accounts.texts import client_card_text, client_list_text, timeline_text
from bot.views.common.clients import client_lines, search_results_text
from handlers.util import dialog_data, refuse, reply, say, show, text_step
from storage.dto import (
    BuyingRole,
    ClientLine,
    CompetitorNoteCreate,
    OpportunityCreate,
    PersonCreate,
    Role,
    Tier,
    UserDTO,
)
from storage.repositories import Repos

A = ClientAction
PAGE = 20


async def _card(
    repos: Repos, user: UserDTO, client_id: int, l10n: L10n, now: datetime
) -> tuple[str, Any]:
    card = await accounts.client_card(repos, user, client_id, now=now)
    return client_card_text(card, l10n, user), kb.client_card(card, l10n)


async def send_card(
    message: Message, repos: Repos, user: UserDTO, client_id: int, l10n: L10n, now: datetime
) -> None:
    text, markup = await _card(repos, user, client_id, l10n, now)
    await message.answer(text, reply_markup=markup)


async def cmd_clients(message: Message, repos: Repos, user: UserDTO, l10n: L10n) -> None:
    text, markup = await _page(repos, user, l10n, 0)
    await message.answer(text, reply_markup=markup)


async def on_clients_page(
    callback: CallbackQuery, callback_data: ClientCallback, repos: Repos, user: UserDTO, l10n: L10n
) -> None:
    text, markup = await _page(repos, user, l10n, max(callback_data.value, 0))
    await show(callback, text, markup)


async def _page(repos: Repos, user: UserDTO, l10n: L10n, page: int) -> tuple[str, Any]:
    owners = await access.visible_owners(repos, user)
    lines, total = await repos.clients.page(owners, offset=page * PAGE, limit=PAGE)
    markup = client_lines(lines, offset=page * PAGE, page=page, has_next=(page + 1) * PAGE < total)
    return client_list_text(
        lines, l10n, total=total, offset=page * PAGE
    ), kb.with_new_client_button(markup, l10n)


async def search_and_answer(
    message: Message, query: str, repos: Repos, user: UserDTO, l10n: L10n, now: datetime
) -> None:
    found = await accounts.find_clients(repos, user, query)
    if len(found) == 1:
        await send_card(message, repos, user, found[0].id, l10n, now)
        return
    markup = kb.with_new_client_button(client_lines(found), l10n)
    await message.answer(search_results_text(found, l10n, query), reply_markup=markup)


async def cmd_client(
    message: Message,
    command: CommandObject,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
) -> None:
    if not (command.args or "").strip():
        await message.answer(l10n("client-ask-query"))
        return
    await search_and_answer(message, command.args or "", repos, user, l10n, now)


async def on_client_open(
    callback: CallbackQuery,
    callback_data: ClientCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    await state.clear()
    text, markup = await _card(repos, user, callback_data.client_id, l10n, now)
    await show(callback, text, markup)


async def cmd_history(
    message: Message, command: CommandObject, repos: Repos, user: UserDTO, l10n: L10n
) -> None:
    query = (command.args or "").strip()
    found = await accounts.find_clients(repos, user, query) if query else []
    if len(found) != 1:
        markup = client_lines(found)
        await message.answer(
            search_results_text(found, l10n, query) if query else l10n("history-ask-client"),
            reply_markup=markup,
        )
        return
    text, markup = await _history(repos, user, l10n, found[0].id, 0)
    await message.answer(text, reply_markup=markup)


async def on_history(
    callback: CallbackQuery, callback_data: ClientCallback, repos: Repos, user: UserDTO, l10n: L10n
) -> None:
    text, markup = await _history(
        repos, user, l10n, callback_data.client_id, max(callback_data.value, 0)
    )
    await show(callback, text, markup)


async def _history(
    repos: Repos, user: UserDTO, l10n: L10n, client_id: int, page: int
) -> tuple[str, Any]:
    client, entries, total = await accounts.client_timeline(
        repos, user, client_id, page=page, size=PAGE
    )
    text = timeline_text(client.name, entries, l10n, user, total=total)
    return text, kb.history_nav(client.id, page, (page + 1) * PAGE < total, l10n)


# --- a new client ---------------------------------------------------------------------


async def on_new_client(
    callback: CallbackQuery,
    callback_data: NewClientCallback,
    l10n: L10n,
    state: FSMContext,
    user: UserDTO,
) -> None:
    if user.role is Role.DEPARTMENT:
        await refuse(callback, l10n("error-not-available"))
        return
    await state.set_state(NewClientStates.name)
    await state.set_data({})
    await callback.answer()
    await say(callback, l10n("newclient-ask-name"))


async def on_new_client_name(message: Message, l10n: L10n, state: FSMContext) -> None:
    name = (message.text or "").strip()
    if not name or len(name) > 512:
        await message.answer(l10n("client-error-name"))
        return
    await state.update_data(name=name)
    await state.set_state(NewClientStates.inn)
    await message.answer(
        l10n("newclient-ask-inn"), reply_markup=kb.skip(NewClientAction.SKIP_INN, l10n)
    )


async def on_new_client_inn(message: Message, l10n: L10n, state: FSMContext) -> None:
    inn = normalize_inn(message.text or "")

    if not valid_inn(inn):
        await message.answer(l10n("client-error-inn"))
        return
    await state.update_data(inn=inn)
    await state.set_state(NewClientStates.kpp)
    await message.answer(
        l10n("newclient-ask-kpp"), reply_markup=kb.skip(NewClientAction.SKIP_KPP, l10n)
    )


async def on_new_client_skip_inn(callback: CallbackQuery, l10n: L10n, state: FSMContext) -> None:
    await state.update_data(inn=None, kpp=None)
    await state.set_state(NewClientStates.tier)
    await show(callback, l10n("newclient-ask-tier"), kb.tiers(l10n))


async def on_new_client_kpp(message: Message, l10n: L10n, state: FSMContext) -> None:

    kpp = (message.text or "").strip().upper()
    if not valid_kpp(kpp):
        await message.answer(l10n("client-error-kpp"))
        return
    await state.update_data(kpp=kpp)
    await state.set_state(NewClientStates.tier)
    await message.answer(l10n("newclient-ask-tier"), reply_markup=kb.tiers(l10n))


async def on_new_client_skip_kpp(callback: CallbackQuery, l10n: L10n, state: FSMContext) -> None:
    await state.update_data(kpp=None)
    await state.set_state(NewClientStates.tier)
    await show(callback, l10n("newclient-ask-tier"), kb.tiers(l10n))


async def on_new_client_tier(
    callback: CallbackQuery,
    callback_data: NewClientCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    data = await state.get_data()
    tier = callback_data.value
    if not isinstance(tier, Tier) or "name" not in data:
        await refuse(callback, l10n("error-not-available"))
        return
    try:
        client = await accounts.create_client(
            repos,
            user,
            name=data["name"],
            inn=data.get("inn"),
            kpp=data.get("kpp"),
            tier=tier,
            now=now,
        )
    except AccountsError as exc:
        await state.clear()
        existing = exc.existing
        await show(
            callback,
            l10n(exc.reason, name=existing.name if existing else ""),
            client_lines([]) if existing is None else None,
        )
        if existing is not None:
            await say(callback, l10n("client-duplicate-open"), client_lines([_line(existing)]))
        return
    await state.clear()
    text, markup = await _card(repos, user, client.id, l10n, now)
    await show(callback, l10n("newclient-created") + "\n\n" + text, markup)


def _line(client: Any) -> Any:

    return ClientLine(
        id=client.id,
        name=client.name,
        tier=client.tier,
        is_key=client.is_key,
        owner_id=client.owner_id,
    )


# --- persons --------------------------------------------------------------------------


async def on_persons(
    callback: CallbackQuery, callback_data: ClientCallback, repos: Repos, user: UserDTO, l10n: L10n
) -> None:
    client = await access.client_for(repos, user, callback_data.client_id, change=True)
    persons = await repos.persons.of_client(client.id)
    text = l10n("persons-title", client=client.name, count=len(persons))
    await show(
        callback,
        text,
        kb.persons_manage(client.id, persons, l10n, can_erase=user.role is Role.ADMIN),
    )


async def on_person_add(
    callback: CallbackQuery,
    callback_data: ClientCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
) -> None:
    client = await access.client_for(repos, user, callback_data.client_id, change=True)
    await state.set_state(PersonStates.name)
    await state.set_data({"client_id": client.id})
    await callback.answer()
    await say(callback, l10n("person-ask-name", client=client.name))


async def on_person_name(message: Message, l10n: L10n, state: FSMContext) -> None:
    if message.contact is not None:
        contact = message.contact
        name = " ".join(p for p in (contact.first_name, contact.last_name) if p)
        await state.update_data(full_name=name[:256], phone=contact.phone_number)
    else:
        name = (message.text or "").strip()
        if not name or len(name) > 256:
            await message.answer(l10n("person-error-name"))
            return
        await state.update_data(full_name=name)
    await state.set_state(PersonStates.position)
    await message.answer(l10n("person-ask-position"), reply_markup=kb.person_skip(l10n))


async def on_person_position(message: Message, l10n: L10n, state: FSMContext) -> None:
    text = (message.text or "").strip()
    if len(text) > 256:
        await message.answer(l10n("text-error-too-long"))
        return
    await state.update_data(position=text or None)
    await state.set_state(PersonStates.role)
    await message.answer(l10n("person-ask-role"), reply_markup=kb.buying_roles(l10n))


async def on_person_skip(
    callback: CallbackQuery,
    l10n: L10n,
    state: FSMContext,
    repos: Repos,
    user: UserDTO,
    now: datetime,
) -> None:
    current = await state.get_state()
    if current == PersonStates.position.state:
        await state.set_state(PersonStates.role)
        await show(callback, l10n("person-ask-role"), kb.buying_roles(l10n))
    elif current == PersonStates.phone.state:
        await state.set_state(PersonStates.email)
        await show(callback, l10n("person-ask-email"), kb.person_skip(l10n))
    elif current == PersonStates.email.state:
        await callback.answer()
        await _save_person(callback, repos, user, l10n, state, now)
    else:
        await refuse(callback, l10n("error-not-available"))


async def on_person_role(
    callback: CallbackQuery, callback_data: PersonCallback, l10n: L10n, state: FSMContext
) -> None:
    if not isinstance(callback_data.value, BuyingRole):
        await refuse(callback, l10n("error-not-available"))
        return
    await state.update_data(buying_role=callback_data.value)
    data = await state.get_data()
    if data.get("phone"):
        await state.set_state(PersonStates.email)
        await show(callback, l10n("person-ask-email"), kb.person_skip(l10n))
        return
    await state.set_state(PersonStates.phone)
    await show(callback, l10n("person-ask-phone"), kb.person_skip(l10n))


async def on_person_phone(message: Message, l10n: L10n, state: FSMContext) -> None:
    phone = message.contact.phone_number if message.contact else (message.text or "").strip()
    if not phone or len(phone) > 64 or not any(ch.isdigit() for ch in phone):
        await message.answer(l10n("person-error-phone"))
        return
    await state.update_data(phone=phone)
    await state.set_state(PersonStates.email)
    await message.answer(l10n("person-ask-email"), reply_markup=kb.person_skip(l10n))


async def on_person_email(
    message: Message, l10n: L10n, state: FSMContext, repos: Repos, user: UserDTO, now: datetime
) -> None:
    email = (message.text or "").strip()
    if "@" not in email or len(email) > 256 or " " in email:
        await message.answer(l10n("person-error-email"))
        return
    await state.update_data(email=email)
    await _save_person(message, repos, user, l10n, state, now)


async def _save_person(
    event: Message | CallbackQuery,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    data = await dialog_data(event, state, PersonCreate, l10n)
    if data is None:
        return
    person = await accounts.add_person(repos, user, data, now=now)
    await state.clear()
    text, markup = await _card(repos, user, person.client_id, l10n, now)
    await reply(event, l10n("person-saved", name=person.full_name) + "\n\n" + text, markup)


async def on_person_remove(
    callback: CallbackQuery,
    callback_data: ClientCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
) -> None:
    person = await repos.persons.get(callback_data.value)
    if person is None or person.client_id != callback_data.client_id:
        raise AccessDenied
    if callback_data.action is A.ERASE_PERSON:
        await accounts.erase_person(repos, user, person.id, now=now)
    else:
        await accounts.remove_person(repos, user, person.id, now=now)
    persons = await repos.persons.of_client(person.client_id)
    await show(
        callback,
        l10n("persons-updated"),
        kb.persons_manage(person.client_id, persons, l10n, can_erase=user.role is Role.ADMIN),
    )


# --- opportunities --------------------------------------------------------------------


async def on_opportunity_add(
    callback: CallbackQuery,
    callback_data: ClientCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
) -> None:
    client = await access.client_for(repos, user, callback_data.client_id, change=True)
    await state.set_state(OpportunityStates.title)
    await state.set_data({"client_id": client.id, "owner_id": client.owner_id or user.id})
    await callback.answer()
    await say(callback, l10n("opportunity-ask-title", client=client.name))


async def on_opportunity_title(message: Message, l10n: L10n, state: FSMContext) -> None:
    title = await text_step(message, l10n, 512)
    if title is None:
        return
    await state.update_data(title=title)
    await state.set_state(OpportunityStates.amount)
    await message.answer(l10n("opportunity-ask-amount"))


async def on_opportunity_amount(message: Message, l10n: L10n, state: FSMContext) -> None:
    try:
        amount = parse_amount(message.text or "")
    except AmountError:
        await message.answer(l10n("amount-error"))
        return
    await state.update_data(amount=str(amount))
    await state.set_state(OpportunityStates.close_date)
    await message.answer(l10n("opportunity-ask-close"))


async def on_opportunity_close(
    message: Message, l10n: L10n, state: FSMContext, repos: Repos, user: UserDTO, now: datetime
) -> None:
    zone = ZoneInfo(user.timezone)
    try:
        when = parse_future_when(message.text or "", now=now, tz=zone)
    except DateParseError as exc:
        await message.answer(l10n(exc.reason))
        return
    data = OpportunityCreate.model_validate({**await state.get_data(), "expected_close": when.day})
    opportunity = await accounts.add_opportunity(repos, user, data, now=now)
    await state.clear()
    await send_card(message, repos, user, opportunity.client_id, l10n, now)


async def on_opportunity_stage(
    callback: CallbackQuery,
    callback_data: OpportunityCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
) -> None:
    opportunity = await repos.opportunities.get(callback_data.opportunity_id)
    if opportunity is None:
        raise AccessDenied
    await access.client_for(repos, user, opportunity.client_id, change=True)
    if callback_data.stage < 0:
        await show(
            callback,
            l10n("opportunity-choose-stage", title=opportunity.title),
            kb.opportunity_stages(opportunity, l10n),
        )
        return
    if callback_data.stage >= len(kb.STAGES):
        raise AccessDenied
    await repos.opportunities.set_stage(
        opportunity.id, kb.STAGES[callback_data.stage], actor_id=user.id, now=now
    )
    text, markup = await _card(repos, user, opportunity.client_id, l10n, now)
    await show(callback, text, markup, notice=l10n("saved"))


# --- competitor notes -----------------------------------------------------------------


async def on_note_add(
    callback: CallbackQuery,
    callback_data: ClientCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
) -> None:
    client = await access.client_for(repos, user, callback_data.client_id, change=True)
    await state.set_state(CompetitorStates.competitor)
    await state.set_data({"client_id": client.id, "author_id": user.id})
    await callback.answer()
    await say(callback, l10n("competitor-ask-name", client=client.name))


async def on_note_competitor(message: Message, l10n: L10n, state: FSMContext) -> None:
    name = await text_step(message, l10n, 256)
    if name is None:
        return
    await state.update_data(competitor=name)
    await state.set_state(CompetitorStates.note)
    await message.answer(l10n("competitor-ask-note"))


async def on_note_text(message: Message, l10n: L10n, state: FSMContext) -> None:
    note = await text_step(message, l10n)
    if note is None:
        return
    await state.update_data(note=note)
    await state.set_state(CompetitorStates.price)
    await message.answer(l10n("competitor-ask-price"), reply_markup=kb.person_skip(l10n))


async def on_note_price(
    message: Message, l10n: L10n, state: FSMContext, repos: Repos, user: UserDTO, now: datetime
) -> None:
    try:
        price = parse_amount(message.text or "")
    except AmountError:
        await message.answer(l10n("amount-error"))
        return
    await _save_note(message, repos, user, l10n, state, now, price=str(price), currency="RUB")


async def on_note_skip_price(
    callback: CallbackQuery,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    await callback.answer()
    await _save_note(callback, repos, user, l10n, state, now, price=None, currency=None)


async def _save_note(
    event: Message | CallbackQuery,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
    *,
    price: str | None,
    currency: str | None,
) -> None:
    data = CompetitorNoteCreate.model_validate(
        {**await state.get_data(), "price_seen": price, "currency": currency}
    )
    note = await accounts.add_competitor_note(repos, user, data, now=now)
    await state.clear()
    text, markup = await _card(repos, user, note.client_id, l10n, now)
    await reply(event, text, markup)


# --- reassignment ---------------------------------------------------------------------


async def on_reassign(
    callback: CallbackQuery, callback_data: ClientCallback, repos: Repos, user: UserDTO, l10n: L10n
) -> None:
    client = await access.client_for(repos, user, callback_data.client_id)
    if user.role not in (Role.ADMIN, Role.SUPERVISOR):
        raise AccessDenied
    candidates = (
        await repos.users.team(user.id)
        if user.role is Role.SUPERVISOR
        else await repos.users.with_role(Role.MANAGER)
    )
    managers = [m for m in candidates if m.is_active and m.id != client.owner_id]
    await show(
        callback,
        l10n("reassign-choose", client=client.name),
        kb.reassign_targets(client.id, managers),
    )


async def on_set_owner(
    callback: CallbackQuery, callback_data: ClientCallback, repos: Repos, user: UserDTO, l10n: L10n
) -> None:
    """A manager picked: ask before the client changes hands."""
    try:
        offer = await accounts.hand_over_offer(
            repos, user, callback_data.client_id, callback_data.value
        )
    except AccountsError as exc:
        await refuse(callback, l10n(exc.reason))
        return
    await show(
        callback,
        _hand_over_text("handover-confirm", offer, l10n),
        kb.hand_over_confirm(offer, l10n),
    )


async def on_hand_over_confirmed(
    callback: CallbackQuery,
    callback_data: HandOverCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
    translator: Translator,
) -> None:
    try:
        done = await accounts.confirm_hand_over(
            repos,
            user,
            callback_data.client_id,
            callback_data.owner_id,
            callback_data.previous_id or None,
            now=now,
            texts=translator,
        )
        result = _hand_over_text("handover-done", done, l10n)
    except AccountsError as exc:  # replayed, or the owner changed meanwhile: nothing done
        result = l10n(exc.reason)
    text, markup = await _card(repos, user, callback_data.client_id, l10n, now)
    await show(callback, result + "\n\n" + text, markup)


def _hand_over_text(key: str, hand_over: accounts.HandOver, l10n: L10n) -> str:
    previous = hand_over.previous
    return l10n(
        key if previous else f"{key}-first",
        client=hand_over.client.name,
        owner=hand_over.new_owner.full_name,
        previous=previous.full_name if previous else "",
    )


def router() -> Router:
    r = Router(name=__name__)
    cb = ClientCallback.filter
    r.message.register(
        cmd_clients, or_f(Command("clients"), MenuButton("clients")), flags=READS_ONLY
    )
    r.message.register(cmd_client, Command("client"), flags=READS_ONLY)
    r.message.register(cmd_history, Command("history"), flags=READS_ONLY)
    r.callback_query.register(on_clients_page, cb(F.action == A.PAGE), flags=READS_ONLY)
    r.callback_query.register(on_client_open, cb(F.action == A.OPEN), flags=READS_ONLY)
    r.callback_query.register(on_history, cb(F.action == A.HISTORY), flags=READS_ONLY)
    n = NewClientCallback.filter
    r.callback_query.register(on_new_client, n(F.value == NewClientStart.NEW))
    r.message.register(on_new_client_name, NewClientStates.name, F.text)
    r.message.register(on_new_client_inn, NewClientStates.inn, F.text)
    r.callback_query.register(
        on_new_client_skip_inn, n(F.action == NewClientAction.SKIP_INN), NewClientStates.inn
    )
    r.message.register(on_new_client_kpp, NewClientStates.kpp, F.text)
    r.callback_query.register(
        on_new_client_skip_kpp, n(F.action == NewClientAction.SKIP_KPP), NewClientStates.kpp
    )
    r.callback_query.register(
        on_new_client_tier, n(F.action == NewClientAction.TIER), NewClientStates.tier
    )
    r.callback_query.register(on_persons, cb(F.action == A.PERSONS))
    r.callback_query.register(on_person_add, cb(F.action == A.ADD_PERSON))
    r.callback_query.register(
        on_person_remove, cb(F.action.in_({A.REMOVE_PERSON, A.ERASE_PERSON}))
    )
    r.message.register(on_person_name, PersonStates.name, or_f(F.text, F.contact))
    r.message.register(on_person_position, PersonStates.position, F.text)
    r.callback_query.register(
        on_person_role, PersonCallback.filter(F.action == PersonAction.ROLE), PersonStates.role
    )
    r.message.register(on_person_phone, PersonStates.phone, or_f(F.text, F.contact))
    r.message.register(on_person_email, PersonStates.email, F.text)
    r.callback_query.register(
        on_person_skip, PersonCallback.filter(F.action == PersonAction.SKIP), PersonStates.position
    )
    r.callback_query.register(
        on_person_skip, PersonCallback.filter(F.action == PersonAction.SKIP), PersonStates.phone
    )
    r.callback_query.register(
        on_person_skip, PersonCallback.filter(F.action == PersonAction.SKIP), PersonStates.email
    )
    r.callback_query.register(
        on_note_skip_price,
        PersonCallback.filter(F.action == PersonAction.SKIP),
        CompetitorStates.price,
    )
    r.callback_query.register(on_opportunity_add, cb(F.action == A.ADD_OPPORTUNITY))
    r.message.register(on_opportunity_title, OpportunityStates.title, F.text)
    r.message.register(on_opportunity_amount, OpportunityStates.amount, F.text)
    r.message.register(on_opportunity_close, OpportunityStates.close_date, F.text)
    r.callback_query.register(on_opportunity_stage, OpportunityCallback.filter())
    r.callback_query.register(on_note_add, cb(F.action == A.ADD_NOTE))
    r.message.register(on_note_competitor, CompetitorStates.competitor, F.text)
    r.message.register(on_note_text, CompetitorStates.note, F.text)
    r.message.register(on_note_price, CompetitorStates.price, F.text)
    r.callback_query.register(on_reassign, cb(F.action == A.REASSIGN))
    r.callback_query.register(on_set_owner, cb(F.action == A.SET_OWNER))
    r.callback_query.register(on_hand_over_confirmed, HandOverCallback.filter())
    return r
