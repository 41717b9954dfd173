"""Keyboards of the accounts screens."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import (
    CalendarAction,
    CalendarCallback,
    ClientAction,
    ClientCallback,
    DebtsCallback,
    EditCallback,
    HandOverCallback,
    LogAction,
    LogCallback,
    NewClientAction,
    NewClientCallback,
    OpportunityCallback,
    OrdersCallback,
    PersonAction,
    PersonCallback,
)
from bot.i18n import L10n
from bot.services.accounts import ClientCard, HandOver
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


def _nav(
    builder: InlineKeyboardBuilder,
    action: ClientAction,
    page: int,
    has_next: bool,
    client_id: int = 0,
) -> int:
    nav = [("◀", page - 1)] if page > 0 else []
    if has_next:
        nav.append(("▶", page + 1))
    for text, target in nav:
        builder.button(
            text=text,
            callback_data=ClientCallback(action=action, client_id=client_id, value=target),
        )
    return len(nav)


def client_card(card: ClientCard, l10n: L10n) -> InlineKeyboardMarkup:
    cid = card.client.id
    b = InlineKeyboardBuilder()
    if card.can_change:
        b.button(
            text=l10n("card-btn-log"), callback_data=ClientCallback(action=A.LOG, client_id=cid)
        )
    b.button(
        text=l10n("card-btn-history"),
        callback_data=ClientCallback(action=A.HISTORY, client_id=cid),
    )
    if card.can_change:
        b.button(
            text=l10n("card-btn-persons"),
            callback_data=ClientCallback(action=A.PERSONS, client_id=cid),
        )
        b.button(
            text=l10n("card-btn-opportunity"),
            callback_data=ClientCallback(action=A.ADD_OPPORTUNITY, client_id=cid),
        )
        b.button(
            text=l10n("card-btn-competitor"),
            callback_data=ClientCallback(action=A.ADD_NOTE, client_id=cid),
        )
        for opp in card.opportunities[:5]:
            b.button(
                text=f"⚙ {opp.title[:30]}",
                callback_data=OpportunityCallback(opportunity_id=opp.id),
            )
        b.button(text=l10n("card-btn-edit"), callback_data=EditCallback(target="c", item_id=cid))
        b.button(
            text=l10n("card-btn-claim"),
            callback_data=ClientCallback(action=A.CLAIM, client_id=cid),
        )
    b.button(text=l10n("card-btn-orders"), callback_data=OrdersCallback(client_id=cid))
    b.button(text=l10n("card-btn-debts"), callback_data=DebtsCallback(client_id=cid))
    if card.can_reassign:
        b.button(
            text=l10n("card-btn-reassign"),
            callback_data=ClientCallback(action=A.REASSIGN, client_id=cid),
        )
    b.adjust(2)
    return b.as_markup()


def _open_card(client_id: int) -> CallbackData:
    return ClientCallback(action=A.OPEN, client_id=client_id)


def client_lines(
    lines: Sequence[ClientLine],
    *,
    offset: int = 0,
    page: int = 0,
    has_next: bool = False,
    opens: Callable[[int], CallbackData] = _open_card,
) -> InlineKeyboardMarkup:
    """Numbered clients found; a button opens the card, or what `opens` says (the debts
    view for /debts, the orders for /orders)."""
    b = InlineKeyboardBuilder()
    for index, line in enumerate(lines, start=offset + 1):
        b.button(text=f"{index}. {line.name[:40]}", callback_data=opens(line.id))
    count = _nav(b, A.PAGE, page, has_next)
    b.adjust(*([1] * len(lines)), max(count, 1))
    return b.as_markup()


def numbered_clients(client_ids: Sequence[int], *, offset: int) -> InlineKeyboardMarkup:
    """One button per numbered agenda line (Telegram allows about 100 per message)."""
    b = InlineKeyboardBuilder()
    for index, client_id in enumerate(client_ids, start=offset + 1):
        b.button(text=str(index), callback_data=ClientCallback(action=A.OPEN, client_id=client_id))
    b.adjust(5)
    return b.as_markup()


def history_nav(client_id: int, page: int, has_next: bool, l10n: L10n) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    count = _nav(b, A.HISTORY, page, has_next, client_id)
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
            callback_data=NewClientCallback(action=NewClientAction.TIER, value=tier.value),
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
            callback_data=EditCallback(target="p", item_id=person.id),
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
            callback_data=PersonCallback(action=PersonAction.ROLE, value=role.value),
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
    for field in ("title", "amount", "expected_close"):
        b.button(
            text=l10n(f"edit-field-{field}"),
            callback_data=EditCallback(target="o", item_id=opportunity.id, field=field),
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
    for field in ("name", "kpp", "holding"):
        b.button(
            text=l10n(f"edit-field-{field}"),
            callback_data=EditCallback(target="c", item_id=client.id, field=field),
        )
    for tier in Tier:
        if tier is not client.tier:
            b.button(
                text=l10n(f"tier-{tier.value}"),
                callback_data=EditCallback(
                    target="c", item_id=client.id, field="tier", value=tier.value
                ),
            )
    b.button(
        text=l10n("edit-key-off" if client.is_key else "edit-key-on"),
        callback_data=EditCallback(target="c", item_id=client.id, field="key", value="1"),
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
                    target="c", item_id=client_id, field="holding", value=str(line.id)
                ),
            )
    b.adjust(1)
    return b.as_markup()


PERSON_FIELDS = ("full_name", "position", "buying_role", "phone", "email", "birthday", "note")


def edit_person_menu(person: PersonDTO, l10n: L10n) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for field in PERSON_FIELDS:
        b.button(
            text=l10n(f"edit-field-{field}"),
            callback_data=EditCallback(target="p", item_id=person.id, field=field),
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
                target="p", item_id=person.id, field="buying_role", value=role.value
            ),
        )
    b.adjust(2)
    return b.as_markup()
