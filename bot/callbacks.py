"""Callback data: ids and short enum actions only (64-byte limit); never trusted."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.services.numbers import MAX_ID, MAX_PAGE

# Bounded numbers. A forged or stale button carrying an id no row can have (2^63, 10^20,
# -1) fails to unpack: no handler's filter matches it (aiogram's filter returns False on
# the ValidationError), and the catch-all answers it "not available". Ids that are text
# (a `value: str` with several meanings) go through bot.services.numbers.parse_id.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
OptionalId = Annotated[int, Field(ge=0, le=MAX_ID)]  # 0: none
Page = Annotated[int, Field(ge=0, le=MAX_PAGE)]


class InviteAction(StrEnum):
    ROLE = "r"
    SUPERVISOR = "s"
    SKIP_ERP = "k"


class InviteCallback(CallbackData, prefix="inv"):
    action: InviteAction
    value: str = ""


class SettingsAction(StrEnum):
    LANGUAGE = "l"
    SET_LANGUAGE = "L"
    TIMEZONE = "z"
    SET_TIMEZONE = "Z"
    DIGEST = "d"
    SET_DIGEST = "D"
    COMPANY = "c"
    COMPANY_KEY = "k"
    BACK = "b"


class SettingsCallback(CallbackData, prefix="set"):
    action: SettingsAction
    value: str = ""


class UsersAction(StrEnum):
    PAGE = "p"
    OPEN = "o"
    ROLE = "r"
    SET_ROLE = "R"
    SUPERVISOR = "s"
    SET_SUPERVISOR = "S"
    DEACTIVATE = "d"
    CONFIRM_DEACTIVATE = "D"
    ACTIVATE = "a"


class UsersCallback(CallbackData, prefix="usr"):
    action: UsersAction
    user_id: OptionalId = 0
    value: OptionalId = 0  # a page, a role's index or a supervisor's id


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


class NewClientCallback(CallbackData, prefix="nc"):
    action: NewClientAction
    value: str = ""


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
    value: str = ""


class OpportunityCallback(CallbackData, prefix="op"):
    opportunity_id: Id
    # -1: show the stages; otherwise the index of the new stage
    stage: Annotated[int, Field(ge=-1, le=99)] = -1


class EditCallback(CallbackData, prefix="ed"):
    """Edit one field of a client ("c") or a person ("p"); an empty field shows the menu."""

    target: str
    item_id: Id
    field: str = ""
    value: str = ""


class OrdersCallback(CallbackData, prefix="or"):
    client_id: OptionalId = 0
    status: str = "a"  # o: open, s: shipped, a: all
    page: Page = 0


class DebtsCallback(CallbackData, prefix="db"):
    client_id: OptionalId = 0


class OrderCallback(CallbackData, prefix="od"):
    """One order of a /orders page: opens it as /order does."""

    order_id: Id


class ImportCallback(CallbackData, prefix="im"):
    kind: str


class CalendarAction(StrEnum):
    MONTH = "m"
    DAY = "d"
    NOOP = "n"


class CalendarCallback(CallbackData, prefix="ca"):
    """A date picked on the calendar keyboard (or a month to show)."""

    action: CalendarAction
    year: Annotated[int, Field(ge=0, le=9999)] = 0
    month: Annotated[int, Field(ge=0, le=12)] = 0
    day: Annotated[int, Field(ge=0, le=31)] = 0


class ReminderAction(StrEnum):
    OPEN = "o"
    SNOOZE = "s"
    DONE = "d"


class ReminderCallback(CallbackData, prefix="rm"):
    """An item of a digest: kind f(ollow-up), n(eglected client), o(verdue), p(rice)."""

    kind: str
    item_id: Id
    action: ReminderAction = ReminderAction.OPEN
    days: Annotated[int, Field(ge=0, le=366)] = 0


class InformedCallback(CallbackData, prefix="pi"):
    price_id: Id
    client_id: Id


class ClaimCallback(CallbackData, prefix="cm"):
    """A claim's card (action "o"), an action on it, or a question ("q")."""

    claim_id: Id
    action: str = "o"


class ClaimDialogCallback(CallbackData, prefix="cd"):
    step: str  # c(lient) r(elated) k(category) s(kip amount) d(one with files) y(confirm)
    value: str = ""


class ClaimListCallback(CallbackData, prefix="cs"):
    state: str = "open"


class DepartmentCallback(CallbackData, prefix="dp"):
    department_id: OptionalId = 0
    action: str = ""  # o(pen) c(ategory toggle) m(embers) a(dd member) n(ew)
    value: str = ""


class PaymentClaimCallback(CallbackData, prefix="pc"):
    client_id: Id


class PlanCallback(CallbackData, prefix="pl"):
    step: str  # s(et) m(anager chosen) p(eriod chosen)
    value: str = ""


class ReportCallback(CallbackData, prefix="rp"):
    """/report for a period: w(eek) l(ast week) m(onth) q(uarter)."""

    period: str


class TeamCallback(CallbackData, prefix="tm"):
    """/team: the list (all zero), one team of an admin's (team: the supervisor's id, -1
    for managers without one), or one manager's view (user_id)."""

    user_id: OptionalId = 0
    team: Annotated[int, Field(ge=-1, le=MAX_ID)] = 0


class ExportCallback(CallbackData, prefix="ex"):
    """/export for a period: w l m q, as in ReportCallback."""

    period: str


class AbcAction(StrEnum):
    PERIODS = "o"  # choose a period
    SUBJECTS = "p"  # a period chosen: clients or products?
    SHOW = "s"  # the result
    CONFIRM = "a"  # write the clients' classes into their tiers?
    APPLY = "y"  # yes, write them


class AbcCallback(CallbackData, prefix="ab"):
    """ABC analysis of c(lients) or p(roducts) for a period code (see ABC_PERIODS)."""

    action: AbcAction
    subject: str = "c"
    period: str = "q"
