"""FSM states of the order dialog (its data: bot.services.chat_orders.OrderDraft)."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class ChatOrderStates(StatesGroup):
    client = State()  # /neworder without a client: whose order
    products = State()  # buttons, or a name or article typed
    quantity = State()  # the quantity of the product chosen, typed
    delivery = State()  # the date picker, or a date typed
    comment = State()  # typed, or Skip
    confirm = State()  # the summary
