"""Callback data: ids and short enum actions only (64-byte limit); never trusted."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.views.common.callbacks import Id, OptionalId
from storage.dto import BuyingRole, Tier


class ClientAction(StrEnum):
    OPEN = "o"
    PAGE = "p"
    HISTORY = "h"
    LOG = "l"
    PERSONS = "s"
    ADD_PERSON = "a"
    REMOVE_PERSON = "r"
    ERASE_PERSON = "e"
    ADD_OPPORTUNITY = "y"
    OPPORTUNITY_STAGE = "g"
    ADD_NOTE = "n"
    REASSIGN = "w"
    SET_OWNER = "W"
    CLAIM = "c"


class ClientCallback(CallbackData, prefix="cl"):
    action: ClientAction
    client_id: OptionalId = 0
    value: OptionalId = 0  # a page, a person's or a new owner's id


class HandOverCallback(CallbackData, prefix="ho"):
    """Yes to "give this client to that manager?": `previous_id` is the owner the question
    named (0: none). All three are checked again on the press, never trusted."""

    client_id: Id
    owner_id: Id
    previous_id: OptionalId = 0


class NewClientAction(StrEnum):
    SKIP_INN = "i"
    SKIP_KPP = "k"
    TIER = "t"


class NewClientStart(StrEnum):
    NEW = "new"  # the button under a client list that starts the dialog


class NewClientCallback(CallbackData, prefix="nc"):
    action: NewClientAction
    # The tier chosen (TIER), NEW to start the dialog; None (packed empty) for the skips.
    value: Tier | NewClientStart | None = None


class LogAction(StrEnum):
    CLIENT = "c"
    CHANNEL = "h"
    PERSON = "p"
    OUTCOME = "o"
    NO_NEXT = "n"
    WHEN = "w"


class LogCallback(CallbackData, prefix="lg"):
    action: LogAction
    value: str = ""


class PersonAction(StrEnum):
    ROLE = "r"
    SKIP = "s"


class PersonCallback(CallbackData, prefix="pe"):
    action: PersonAction
    value: BuyingRole | None = None  # the role chosen (ROLE); None (packed empty) for SKIP


class OpportunityCallback(CallbackData, prefix="op"):
    opportunity_id: Id
    # -1: show the stages; otherwise the index of the new stage
    stage: Annotated[int, Field(ge=-1, le=99)] = -1


class EditTarget(StrEnum):
    CLIENT = "c"
    PERSON = "p"
    OPPORTUNITY = "o"


class EditField(StrEnum):
    """The fields a button edits (the services name them so: bot.services.editing)."""

    MENU = ""  # no field: the target's menu of fields
    # a client's
    NAME = "name"
    KPP = "kpp"
    HOLDING = "holding"
    TIER = "tier"
    KEY = "key"
    # a key person's
    FULL_NAME = "full_name"
    POSITION = "position"
    BUYING_ROLE = "buying_role"
    PHONE = "phone"
    EMAIL = "email"
    BIRTHDAY = "birthday"
    NOTE = "note"
    # an opportunity's
    TITLE = "title"
    AMOUNT = "amount"
    EXPECTED_CLOSE = "expected_close"


class EditCallback(CallbackData, prefix="ed"):
    """Edit one field of a client, a person or an opportunity; MENU shows the menu. `value`
    is the data a button sets at once: a tier, "1" for the key flag, a holding's id, a role."""

    target: EditTarget
    item_id: Id
    field: EditField = EditField.MENU
    value: str = ""
