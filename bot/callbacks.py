"""Callback data: ids and short enum actions only (64-byte limit); never trusted."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


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
    user_id: int = 0
    value: int = 0


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
    client_id: int = 0
    value: int = 0


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
    opportunity_id: int
    stage: int = -1  # -1: show the stages; otherwise the index of the new stage


class EditCallback(CallbackData, prefix="ed"):
    """Edit one field of a client ("c") or a person ("p"); an empty field shows the menu."""

    target: str
    item_id: int
    field: str = ""
    value: str = ""


class OrdersCallback(CallbackData, prefix="or"):
    client_id: int = 0
    status: str = "a"  # o: open, s: shipped, a: all
    page: int = 0


class DebtsCallback(CallbackData, prefix="db"):
    client_id: int = 0


class OrderCallback(CallbackData, prefix="od"):
    """One order of a /orders page: opens it as /order does."""

    order_id: int


class ImportCallback(CallbackData, prefix="im"):
    kind: str


class CalendarAction(StrEnum):
    MONTH = "m"
    DAY = "d"
    NOOP = "n"


class CalendarCallback(CallbackData, prefix="ca"):
    """A date picked on the calendar keyboard (or a month to show)."""

    action: CalendarAction
    year: int = 0
    month: int = 0
    day: int = 0


class ReminderAction(StrEnum):
    OPEN = "o"
    SNOOZE = "s"
    DONE = "d"


class ReminderCallback(CallbackData, prefix="rm"):
    """An item of a digest: kind f(ollow-up), n(eglected client), o(verdue), p(rice)."""

    kind: str
    item_id: int
    action: ReminderAction = ReminderAction.OPEN
    days: int = 0


class InformedCallback(CallbackData, prefix="pi"):
    price_id: int
    client_id: int


class ClaimCallback(CallbackData, prefix="cm"):
    """A claim's card (action "o"), an action on it, or a question ("q")."""

    claim_id: int
    action: str = "o"


class ClaimDialogCallback(CallbackData, prefix="cd"):
    step: str  # c(lient) r(elated) k(category) s(kip amount) d(one with files) y(confirm)
    value: str = ""


class ClaimListCallback(CallbackData, prefix="cs"):
    state: str = "open"


class DepartmentCallback(CallbackData, prefix="dp"):
    department_id: int = 0
    action: str = ""  # o(pen) c(ategory toggle) m(embers) a(dd member) n(ew)
    value: str = ""


class PaymentClaimCallback(CallbackData, prefix="pc"):
    client_id: int


class PlanCallback(CallbackData, prefix="pl"):
    step: str  # s(et) m(anager chosen) p(eriod chosen)
    value: str = ""


class ReportCallback(CallbackData, prefix="rp"):
    """/report for a period: w(eek) l(ast week) m(onth) q(uarter)."""

    period: str


class TeamCallback(CallbackData, prefix="tm"):
    """/team: the list (all zero), one team of an admin's (team: the supervisor's id, -1
    for managers without one), or one manager's view (user_id)."""

    user_id: int = 0
    team: int = 0


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
