"""Keyboards of the order dialog and of a chat order's view: pure functions of data and
texts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.runtime.i18n import L10n
from bot.services import formatting
from bot.services.chat_orders import ChatOrderDTO, OrderItem, OrderView, ProductsStep
from bot.views.chat_orders.callbacks import (
    ChatOrderAction,
    ChatOrderCallback,
    OrderDialogCallback,
    OrderStep,
)
from bot.views.chat_orders.texts import price_text, state_name
from bot.views.common.calendar import month_keyboard
from bot.views.common.keyboards import button, button_grid

NAME_CHARS = 40  # of a product's name on a button


def _step(step: OrderStep, item: int = 0) -> OrderDialogCallback:
    return OrderDialogCallback(step=step, item=item)


def _one(text: str, step: OrderStep) -> list[InlineKeyboardButton]:
    return [button(text, _step(step))]


def product_buttons(l10n: L10n, items: Sequence[OrderItem]) -> list[list[InlineKeyboardButton]]:
    """A product a row, with its price today (carrying only its id)."""
    return [
        [
            button(
                l10n(
                    "chat-order-product-button",
                    product=item.name[:NAME_CHARS],
                    price=price_text(item, l10n.language),
                ),
                _step(OrderStep.PRODUCT, item.product_id),
            )
        ]
        for item in items
    ]


def products_keyboard(l10n: L10n, step: ProductsStep) -> InlineKeyboardMarkup:
    """The client's usual products; ✖ per line of the draft; the last order repeated (while
    the draft is empty); Done (once it is not)."""
    rows = product_buttons(l10n, step.usual)
    removes = [
        button(
            l10n("chat-order-remove-button", product=line.item.name[:NAME_CHARS]),
            _step(OrderStep.REMOVE, line.item.product_id),
        )
        for line in step.lines
    ]
    rows += button_grid(removes, 2)
    if step.can_repeat:
        rows.append(_one(l10n("chat-order-repeat-button"), OrderStep.REPEAT))
    if step.lines:
        rows.append(_one(l10n("chat-order-done-button"), OrderStep.DONE))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def found_keyboard(l10n: L10n, items: Sequence[OrderItem]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=product_buttons(l10n, items))


def delivery_keyboard(
    l10n: L10n,
    year: int,
    month: int,
    today: date,
    keep: date | None,
    *,
    business_day: Callable[[date], bool],
) -> InlineKeyboardMarkup:
    """The shared date picker, days off not pickable, with "Keep 25.12.2026" below when an
    order being changed has its date already."""
    picker = month_keyboard(year, month, today, l10n, closed=lambda day: not business_day(day))
    if keep is None:
        return picker
    text = l10n("chat-order-keep-date-button", date=formatting.day(keep, l10n.language))
    return InlineKeyboardMarkup(
        inline_keyboard=[*picker.inline_keyboard, _one(text, OrderStep.KEEP_DATE)]
    )


def comment_keyboard(l10n: L10n, *, keep: bool) -> InlineKeyboardMarkup:
    rows = [_one(l10n("button-skip"), OrderStep.SKIP_COMMENT)]
    if keep:
        rows.insert(0, _one(l10n("chat-order-keep-comment-button"), OrderStep.KEEP_COMMENT))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def summary_keyboard(l10n: L10n, *, changing: bool) -> InlineKeyboardMarkup:
    confirm = l10n("chat-order-save-button" if changing else "chat-order-confirm-button")
    return InlineKeyboardMarkup(
        inline_keyboard=[
            _one(confirm, OrderStep.CONFIRM),
            _one(l10n("chat-order-change-button"), OrderStep.CHANGE),
        ]
    )


def open_order_button(l10n: L10n, order: ChatOrderDTO) -> InlineKeyboardButton:
    return button(
        l10n("chat-order-open-button", number=order.number, state=state_name(l10n, order.state)),
        ChatOrderCallback(order_id=order.id),
    )


def saved_keyboard(l10n: L10n, order: ChatOrderDTO) -> InlineKeyboardMarkup:
    """Under "Order TG-000012 is saved": the order's view."""
    return InlineKeyboardMarkup(inline_keyboard=[[open_order_button(l10n, order)]])


def order_keyboard(l10n: L10n, view: OrderView) -> InlineKeyboardMarkup | None:
    """Change and Cancel while the user may and 1C has not taken the order."""
    if not view.can_change:
        return None
    oid = view.order.id
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                button(
                    l10n("chat-order-edit-button"),
                    ChatOrderCallback(order_id=oid, action=ChatOrderAction.EDIT),
                ),
                button(
                    l10n("chat-order-cancel-button"),
                    ChatOrderCallback(order_id=oid, action=ChatOrderAction.CANCEL),
                ),
            ]
        ]
    )


def cancel_keyboard(l10n: L10n, order: ChatOrderDTO) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                button(
                    l10n("chat-order-cancel-yes-button"),
                    ChatOrderCallback(order_id=order.id, action=ChatOrderAction.CANCEL_YES),
                ),
                button(
                    l10n("chat-order-cancel-no-button"),
                    ChatOrderCallback(order_id=order.id, action=ChatOrderAction.BACK),
                ),
            ]
        ]
    )


def open_orders_rows(
    l10n: L10n, orders: Sequence[ChatOrderDTO]
) -> list[list[InlineKeyboardButton]]:
    """A button per open chat order, two a row, for the top of /orders."""
    return button_grid([open_order_button(l10n, o) for o in orders], 2)
