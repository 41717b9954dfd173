"""Keyboard builders: pure functions of data."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services.stock import PAGE_SIZE, StockMatches, query_ref
from bot.views.common.keyboards import button
from bot.views.stock.callbacks import StockAction, StockCallback

NAME_ON_BUTTON = 40


def matches_keyboard(matches: StockMatches) -> InlineKeyboardMarkup | None:
    """A button per product found, to open it; ◀ ▶ to the neighbouring pages."""
    if not matches.items:
        return None
    first = matches.page * PAGE_SIZE + 1
    rows = [
        [
            button(
                f"{number}. {item.name[:NAME_ON_BUTTON]}",
                StockCallback(action=StockAction.OPEN, product_id=item.product_id),
            )
        ]
        for number, item in enumerate(matches.items, start=first)
    ]
    ref = query_ref(matches.query)
    nav: list[InlineKeyboardButton] = []
    if matches.page > 0:
        nav.append(
            button("◀", StockCallback(action=StockAction.PAGE, page=matches.page - 1, ref=ref))
        )
    if matches.has_next:
        nav.append(
            button("▶", StockCallback(action=StockAction.PAGE, page=matches.page + 1, ref=ref))
        )
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(inline_keyboard=rows)
