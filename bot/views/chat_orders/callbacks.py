"""Callback data: ids and short enum actions only (64-byte limit); never trusted."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.views.common.callbacks import Id, OptionalId


class NewOrderCallback(CallbackData, prefix="on"):
    """➕ Order on a client's card, or a client picked for /neworder."""

    client_id: Id


class OrderStep(StrEnum):
    PRODUCT = "p"  # item: the product's id
    REMOVE = "r"  # item: the product's id
    REPEAT = "l"  # the client's last order
    DONE = "d"  # the products are in: the delivery date
    KEEP_DATE = "k"  # an order being changed keeps its delivery date
    SKIP_COMMENT = "s"
    KEEP_COMMENT = "m"  # an order being changed keeps its comment
    CHANGE = "c"  # from the summary back to the products
    CONFIRM = "y"


class OrderDialogCallback(CallbackData, prefix="oq"):
    step: OrderStep
    item: OptionalId = 0


class ChatOrderAction(StrEnum):
    OPEN = "o"
    EDIT = "e"
    CANCEL = "x"  # asks first
    CANCEL_YES = "X"
    BACK = "b"  # "No, keep it": the view again, in place of the question


class ChatOrderCallback(CallbackData, prefix="oc"):
    order_id: Id
    action: ChatOrderAction = ChatOrderAction.OPEN
