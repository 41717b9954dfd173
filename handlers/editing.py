"""Editing a client card (name, КПП, tier, key flag, holding) and a key person's fields."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.runtime.i18n import L10n
from bot.services import access, accounts
from bot.services.access import AccessDenied
from bot.services.accounts import AccountsError
from bot.services.editing import (
    OPPORTUNITY_FIELDS,
    edit_client,
    edit_opportunity,
    edit_person,
)
from bot.views.accounts import keyboards as kb
from bot.views.accounts.callbacks import EditCallback, EditField, EditTarget
from bot.views.accounts.states import EditStates
from bot.views.accounts.texts import client_card_text
from bot.views.common.clients import search_results_text
from handlers.util import refuse, say, show
from storage.dto import UserDTO
from storage.repositories import Repos

# Fields set straight from a button; the others ask for text.
CLIENT_BUTTON_FIELDS = {EditField.TIER, EditField.KEY}
PROMPTS = {
    EditField.NAME: "edit-ask-name",
    EditField.KPP: "edit-ask-kpp",
    EditField.HOLDING: "edit-ask-holding",
}


async def on_edit(
    callback: CallbackQuery,
    callback_data: EditCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    if callback_data.target is EditTarget.CLIENT:
        await _client(callback, callback_data, repos, user, l10n, state, now)
    elif callback_data.target is EditTarget.PERSON:
        await _person(callback, callback_data, repos, user, l10n, state, now)
    elif (
        callback_data.target is EditTarget.OPPORTUNITY
        and callback_data.field in OPPORTUNITY_FIELDS
    ):
        opportunity = await repos.opportunities.get(callback_data.item_id)
        if opportunity is None:
            raise AccessDenied
        await access.client_for(repos, user, opportunity.client_id, change=True)
        await state.set_state(EditStates.value)
        await state.set_data(
            {
                "target": EditTarget.OPPORTUNITY,
                "item_id": opportunity.id,
                "field": callback_data.field,
            }
        )
        await callback.answer()
        await say(callback, l10n(f"edit-ask-{callback_data.field}"))
    else:
        raise AccessDenied


async def _client(
    callback: CallbackQuery,
    data: EditCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    client = await access.client_for(repos, user, data.item_id, change=True)
    if not data.field:
        await show(
            callback,
            l10n("edit-client-menu", client=client.name),
            kb.edit_client_menu(client, l10n),
        )
        return
    if data.field in CLIENT_BUTTON_FIELDS or (data.field is EditField.HOLDING and data.value):
        await state.clear()
        try:
            await edit_client(repos, user, client.id, data.field, data.value, now=now)
        except AccountsError as exc:
            await refuse(callback, l10n(exc.reason))
            return
        await _show_card(callback, repos, user, client.id, l10n, now)
        return
    if data.field not in PROMPTS:
        raise AccessDenied
    await state.set_state(EditStates.value)
    await state.set_data({"target": EditTarget.CLIENT, "item_id": client.id, "field": data.field})
    await callback.answer()
    await say(callback, l10n(PROMPTS[data.field]))


async def _person(
    callback: CallbackQuery,
    data: EditCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    person = await repos.persons.get(data.item_id)
    if person is None:
        raise AccessDenied
    await access.client_for(repos, user, person.client_id, change=True)
    if not data.field:
        await show(
            callback,
            l10n("edit-person-menu", name=person.full_name),
            kb.edit_person_menu(person, l10n),
        )
        return
    if data.field is EditField.BUYING_ROLE and not data.value:
        await show(
            callback,
            l10n("edit-person-menu", name=person.full_name),
            kb.person_roles_edit(person, l10n),
        )
        return
    if data.field is EditField.BUYING_ROLE:
        await edit_person(repos, user, person.id, data.field, data.value, now=now)
        await _show_card(callback, repos, user, person.client_id, l10n, now)
        return
    if data.field not in kb.PERSON_FIELDS:
        raise AccessDenied
    await state.set_state(EditStates.value)
    await state.set_data({"target": EditTarget.PERSON, "item_id": person.id, "field": data.field})
    await callback.answer()
    prompt = "edit-ask-birthday" if data.field is EditField.BIRTHDAY else "edit-ask-person-field"
    await say(callback, l10n(prompt, field=l10n(f"edit-field-{data.field}")))


async def on_edit_value(
    message: Message, repos: Repos, user: UserDTO, l10n: L10n, state: FSMContext, now: datetime
) -> None:
    data = await state.get_data()
    target, item_id, field = (
        data.get("target"),
        int(data.get("item_id", 0)),
        str(data.get("field", "")),
    )
    text = message.text or ""
    try:
        if target == EditTarget.CLIENT and field == EditField.HOLDING and text.strip() != "-":
            found = await accounts.find_clients(repos, user, text)
            await message.answer(
                search_results_text(found, l10n, text),
                reply_markup=kb.holding_choices(item_id, found),
            )
            return
        if target == EditTarget.OPPORTUNITY:
            opportunity = await edit_opportunity(
                repos, user, item_id, field, text, now=now, tz=ZoneInfo(user.timezone)
            )
            client_id = opportunity.client_id
        elif target == EditTarget.CLIENT:
            client = await edit_client(
                repos, user, item_id, field, "" if field == EditField.HOLDING else text, now=now
            )
            client_id = client.id
        else:
            person = await edit_person(repos, user, item_id, field, text, now=now)
            client_id = person.client_id
    except AccountsError as exc:
        await message.answer(l10n(exc.reason))  # the step is kept: send another value
        return
    await state.clear()
    card = await accounts.client_card(repos, user, client_id, now=now)
    await message.answer(
        client_card_text(card, l10n, user), reply_markup=kb.client_card(card, l10n)
    )


async def _show_card(
    callback: CallbackQuery,
    repos: Repos,
    user: UserDTO,
    client_id: int,
    l10n: L10n,
    now: datetime,
) -> None:
    card = await accounts.client_card(repos, user, client_id, now=now)
    await show(
        callback,
        client_card_text(card, l10n, user),
        kb.client_card(card, l10n),
        notice=l10n("saved"),
    )


def router() -> Router:
    r = Router(name=__name__)
    r.callback_query.register(on_edit, EditCallback.filter())
    r.message.register(on_edit_value, EditStates.value, F.text)
    return r
