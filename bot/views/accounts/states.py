"""FSM states of the dialogs."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


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
