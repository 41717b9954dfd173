"""Keyboards of the accounts screens."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.runtime.i18n import L10n
from bot.services.accounts import ClientCard, HandOver
from bot.views.accounts.callbacks import (
    ClientAction,
    ClientCallback,
    EditCallback,
    EditField,
    EditTarget,
    HandOverCallback,
    LogAction,
    LogCallback,
    NewClientAction,
    NewClientCallback,
    NewClientStart,
    OpportunityCallback,
    PersonAction,
    PersonCallback,
)
from bot.views.chat_orders.callbacks import NewOrderCallback
from bot.views.common.calendar import CalendarAction, CalendarCallback
from bot.views.common.clients import page_buttons
from bot.views.common.keyboards import button, button_grid
from bot.views.erp.callbacks import DebtsCallback, OrdersCallback
from storage.dto import (
    BuyingRole,
    Channel,
    ClientDTO,
    ClientLine,
    OpportunityDTO,
    Outcome,
    PersonDTO,
    Stage,
    Tier,
    UserDTO,
)

A = ClientAction
STAGES = list(Stage)
WHEN_BUTTONS = ("tomorrow", "+3", "+7", "+14")


def client_card(card: ClientCard, l10n: L10n) -> InlineKeyboardMarkup:
    cid = card.client.id

    def client(action: ClientAction) -> ClientCallback:
        return ClientCallback(action=action, client_id=cid)

    buttons: list[tuple[str, CallbackData]] = []
    if card.can_change:
        buttons.append((l10n("card-btn-log"), client(A.LOG)))
    buttons.append((l10n("card-btn-history"), client(A.HISTORY)))
    if card.can_change:
        buttons += [
            (l10n("card-btn-persons"), client(A.PERSONS)),
            (l10n("card-btn-opportunity"), client(A.ADD_OPPORTUNITY)),
            (l10n("card-btn-competitor"), client(A.ADD_NOTE)),
        ]
        buttons += [
            (f"⚙ {opp.title[:30]}", OpportunityCallback(opportunity_id=opp.id))
            for opp in card.opportunities[:5]
        ]
        buttons += [
            (l10n("card-btn-edit"), EditCallback(target=EditTarget.CLIENT, item_id=cid)),
            (l10n("card-btn-claim"), client(A.CLAIM)),
            (l10n("card-btn-neworder"), NewOrderCallback(client_id=cid)),
        ]
    buttons += [
        (l10n("card-btn-orders"), OrdersCallback(client_id=cid)),
        (l10n("card-btn-debts"), DebtsCallback(client_id=cid)),
    ]
    if card.can_reassign:
        buttons.append((l10n("card-btn-reassign"), client(A.REASSIGN)))
    return InlineKeyboardMarkup(inline_keyboard=button_grid([button(*b) for b in buttons], 2))


def with_new_client_button(markup: InlineKeyboardMarkup, l10n: L10n) -> InlineKeyboardMarkup:
    """A client list with, below it, the button that starts a new client."""
    new = button(
        l10n("clients-new"),
        NewClientCallback(action=NewClientAction.TIER, value=NewClientStart.NEW),
    )
    return InlineKeyboardMarkup(inline_keyboard=[*markup.inline_keyboard, [new]])


def numbered_clients(client_ids: Sequence[int], *, offset: int) -> InlineKeyboardMarkup:
    """One button per numbered agenda line (Telegram allows about 100 per message)."""
    buttons = [
        button(str(index), ClientCallback(action=A.OPEN, client_id=client_id))
        for index, client_id in enumerate(client_ids, start=offset + 1)
    ]
    return InlineKeyboardMarkup(inline_keyboard=button_grid(buttons, 5))


def history_nav(client_id: int, page: int, has_next: bool, l10n: L10n) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    count = page_buttons(b, A.HISTORY, page, has_next, client_id)
    b.button(
        text=l10n("button-back"), callback_data=ClientCallback(action=A.OPEN, client_id=client_id)
    )
    b.adjust(max(count, 1), 1)
    return b.as_markup()


def tiers(l10n: L10n) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for tier in Tier:
        b.button(
            text=l10n(f"tier-{tier.value}"),
            callback_data=NewClientCallback(action=NewClientAction.TIER, value=tier),
        )
    b.adjust(1)
    return b.as_markup()


def skip(action: NewClientAction, l10n: L10n) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    b.button(text=l10n("button-skip"), callback_data=NewClientCallback(action=action))
    return b.as_markup()


def log_clients(lines: Sequence[ClientLine]) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for line in lines:
        b.button(
            text=line.name[:40],
            callback_data=LogCallback(action=LogAction.CLIENT, value=str(line.id)),
        )
    b.adjust(1)
    return b.as_markup()


def log_channels(l10n: L10n) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for channel in Channel:
        b.button(
            text=l10n(f"channel-{channel.value}"),
            callback_data=LogCallback(action=LogAction.CHANNEL, value=channel.value),
        )
    b.adjust(3)
    return b.as_markup()


def log_persons(persons: Sequence[PersonDTO], l10n: L10n) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for person in persons:
        b.button(
            text=person.full_name[:40],
            callback_data=LogCallback(action=LogAction.PERSON, value=str(person.id)),
        )
    b.button(
        text=l10n("button-skip"), callback_data=LogCallback(action=LogAction.PERSON, value="0")
    )
    b.adjust(1)
    return b.as_markup()


def log_outcomes(l10n: L10n) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for outcome in Outcome:
        b.button(
            text=l10n(f"outcome-{outcome.value}"),
            callback_data=LogCallback(action=LogAction.OUTCOME, value=outcome.value),
        )
    b.adjust(3)
    return b.as_markup()


def log_no_next(l10n: L10n) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    b.button(text=l10n("log-no-next-step"), callback_data=LogCallback(action=LogAction.NO_NEXT))
    return b.as_markup()


def log_when(l10n: L10n) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for value in WHEN_BUTTONS:
        b.button(
            text=l10n(f"when-{value.strip('+') if value != 'tomorrow' else 'tomorrow'}"),
            callback_data=LogCallback(action=LogAction.WHEN, value=value),
        )
    b.button(
        text=l10n("when-calendar"), callback_data=CalendarCallback(action=CalendarAction.MONTH)
    )
    b.adjust(4, 1)
    return b.as_markup()


def persons_manage(
    client_id: int, persons: Sequence[PersonDTO], l10n: L10n, *, can_erase: bool
) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    b.button(
        text=l10n("persons-add"),
        callback_data=ClientCallback(action=A.ADD_PERSON, client_id=client_id),
    )
    for person in persons:
        b.button(
            text=l10n("persons-edit", name=person.full_name[:30]),
            callback_data=EditCallback(target=EditTarget.PERSON, item_id=person.id),
        )
        b.button(
            text=l10n("persons-remove", name=person.full_name[:30]),
            callback_data=ClientCallback(
                action=A.REMOVE_PERSON, client_id=client_id, value=person.id
            ),
        )
        if can_erase and not person.is_erased:
            b.button(
                text=l10n("persons-erase", name=person.full_name[:30]),
                callback_data=ClientCallback(
                    action=A.ERASE_PERSON, client_id=client_id, value=person.id
                ),
            )
    b.button(
        text=l10n("button-back"), callback_data=ClientCallback(action=A.OPEN, client_id=client_id)
    )
    b.adjust(1)
    return b.as_markup()


def buying_roles(l10n: L10n) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for role in BuyingRole:
        b.button(
            text=l10n(f"buying-role-{role.value}"),
            callback_data=PersonCallback(action=PersonAction.ROLE, value=role),
        )
    b.adjust(2)
    return b.as_markup()


def person_skip(l10n: L10n) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    b.button(text=l10n("button-skip"), callback_data=PersonCallback(action=PersonAction.SKIP))
    return b.as_markup()


def opportunity_stages(opportunity: OpportunityDTO, l10n: L10n) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for index, stage in enumerate(STAGES):
        if stage is not opportunity.stage:
            b.button(
                text=l10n(f"stage-{stage.value}"),
                callback_data=OpportunityCallback(opportunity_id=opportunity.id, stage=index),
            )
    for field in (EditField.TITLE, EditField.AMOUNT, EditField.EXPECTED_CLOSE):
        b.button(
            text=l10n(f"edit-field-{field}"),
            callback_data=EditCallback(
                target=EditTarget.OPPORTUNITY, item_id=opportunity.id, field=field
            ),
        )
    b.button(
        text=l10n("button-back"),
        callback_data=ClientCallback(action=A.OPEN, client_id=opportunity.client_id),
    )
    b.adjust(3)
    return b.as_markup()


def reassign_targets(client_id: int, managers: Sequence[UserDTO]) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for manager in managers:
        b.button(
            text=manager.full_name[:40],
            callback_data=ClientCallback(
                action=A.SET_OWNER, client_id=client_id, value=manager.id
            ),
        )
    b.adjust(1)
    return b.as_markup()


def hand_over_confirm(offer: HandOver, l10n: L10n) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    b.button(
        text=l10n("handover-yes"),
        callback_data=HandOverCallback(
            client_id=offer.client.id,
            owner_id=offer.new_owner.id,
            previous_id=offer.previous.id if offer.previous else 0,
        ),
    )
    b.button(
        text=l10n("handover-no"),
        callback_data=ClientCallback(action=A.OPEN, client_id=offer.client.id),
    )
    b.adjust(2)
    return b.as_markup()


def edit_client_menu(client: ClientDTO, l10n: L10n) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for field in (EditField.NAME, EditField.KPP, EditField.HOLDING):
        b.button(
            text=l10n(f"edit-field-{field}"),
            callback_data=EditCallback(target=EditTarget.CLIENT, item_id=client.id, field=field),
        )
    for tier in Tier:
        if tier is not client.tier:
            b.button(
                text=l10n(f"tier-{tier.value}"),
                callback_data=EditCallback(
                    target=EditTarget.CLIENT,
                    item_id=client.id,
                    field=EditField.TIER,
                    value=tier.value,
                ),
            )
    b.button(
        text=l10n("edit-key-off" if client.is_key else "edit-key-on"),
        callback_data=EditCallback(
            target=EditTarget.CLIENT, item_id=client.id, field=EditField.KEY, value="1"
        ),
    )
    b.button(
        text=l10n("button-back"), callback_data=ClientCallback(action=A.OPEN, client_id=client.id)
    )
    b.adjust(3, 3, 1, 1)
    return b.as_markup()


def holding_choices(client_id: int, lines: Sequence[ClientLine]) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for line in lines:
        if line.id != client_id:
            b.button(
                text=line.name[:40],
                callback_data=EditCallback(
                    target=EditTarget.CLIENT,
                    item_id=client_id,
                    field=EditField.HOLDING,
                    value=str(line.id),
                ),
            )
    b.adjust(1)
    return b.as_markup()


PERSON_FIELDS = (
    EditField.FULL_NAME,
    EditField.POSITION,
    EditField.BUYING_ROLE,
    EditField.PHONE,
    EditField.EMAIL,
    EditField.BIRTHDAY,
    EditField.NOTE,
)


def edit_person_menu(person: PersonDTO, l10n: L10n) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for field in PERSON_FIELDS:
        b.button(
            text=l10n(f"edit-field-{field}"),
            callback_data=EditCallback(target=EditTarget.PERSON, item_id=person.id, field=field),
        )
    b.button(
        text=l10n("button-back"),
        callback_data=ClientCallback(action=A.PERSONS, client_id=person.client_id),
    )
    b.adjust(2)
    return b.as_markup()


def person_roles_edit(person: PersonDTO, l10n: L10n) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for role in BuyingRole:
        b.button(
            text=l10n(f"buying-role-{role.value}"),
            callback_data=EditCallback(
                target=EditTarget.PERSON,
                item_id=person.id,
                field=EditField.BUYING_ROLE,
                value=role.value,
            ),
        )
    b.adjust(2)
    return b.as_markup()
