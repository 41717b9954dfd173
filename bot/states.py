"""FSM states of the dialogs."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class InviteStates(StatesGroup):
    role = State()
    supervisor = State()
    erp_name = State()


class SettingsStates(StatesGroup):
    timezone = State()
    digest_hour = State()
    company_value = State()


class NewClientStates(StatesGroup):
    name = State()
    inn = State()
    kpp = State()
    tier = State()


class LogStates(StatesGroup):
    client = State()
    channel = State()
    person = State()
    summary = State()
    outcome = State()
    next_step = State()
    next_when = State()


class PersonStates(StatesGroup):
    name = State()
    position = State()
    role = State()
    phone = State()
    email = State()


class OpportunityStates(StatesGroup):
    title = State()
    amount = State()
    close_date = State()


class CompetitorStates(StatesGroup):
    competitor = State()
    note = State()
    price = State()


class EditStates(StatesGroup):
    value = State()


class ImportStates(StatesGroup):
    kind = State()


class ClaimStates(StatesGroup):
    client = State()
    related = State()
    category = State()
    description = State()
    amount = State()
    files = State()
    confirm = State()


class ClaimDecisionStates(StatesGroup):
    """Resolve or Reject pressed: the resolution or the reason is awaited (per chat and
    user, so in a department's group too)."""

    reason = State()


class DepartmentStates(StatesGroup):
    name = State()


class PlanStates(StatesGroup):
    amount = State()
    client = State()  # a per-client plan: the client's name typed
