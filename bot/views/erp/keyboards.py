"""Keyboards of the ERP screens: /debts, /orders and a file's import."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup

from bot.runtime.i18n import L10n
from bot.views.common.keyboards import button, button_grid
from bot.views.erp.callbacks import (
    ImportCallback,
    ImportKind,
    OrderCallback,
    OrdersCallback,
    OrdersStatus,
    PaymentClaimCallback,
)


def payment_claim_keyboard(l10n: L10n, client_id: int) -> InlineKeyboardMarkup:
    """Under a client's debts: prepare the payment claim (⚖️)."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button(l10n("payment-claim-prepare"), PaymentClaimCallback(client_id=client_id))]
        ]
    )


def orders_keyboard(
    l10n: L10n,
    order_ids: Sequence[int],
    *,
    first: int,
    client_id: int,
    status: OrdersStatus,
    page: int,
    has_next: bool,
) -> InlineKeyboardMarkup:
    """A page of /orders: a number per order (`first` is the first one's, as the list
    numbers them), which opens it as /order does, five a row; the status filters (• the
    one shown); ◀ ▶ to the pages around."""
    numbers = [
        button(str(index), OrderCallback(order_id=order_id))
        for index, order_id in enumerate(order_ids, start=first)
    ]
    filters = [
        button(
            ("• " if code == status else "") + l10n(f"orders-filter-{code.value}"),
            OrdersCallback(client_id=client_id, status=code),
        )
        for code in OrdersStatus
    ]
    nav = []
    if page > 0:
        nav.append(("◀", page - 1))
    if has_next:
        nav.append(("▶", page + 1))
    pages = [
        button(text, OrdersCallback(client_id=client_id, status=status, page=target))
        for text, target in nav
    ]
    rows = [*button_grid(numbers, 5), filters]
    if pages:
        rows.append(pages)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def import_kinds(l10n: L10n, kinds: Sequence[str]) -> InlineKeyboardMarkup:
    """What the file sent holds: one of `kinds` (the handler's, export kinds and a bank
    statement), two a row."""
    buttons = [
        button(l10n(f"import-kind-{kind}"), ImportCallback(kind=ImportKind(kind)))
        for kind in kinds
    ]
    return InlineKeyboardMarkup(inline_keyboard=button_grid(buttons, 2))
