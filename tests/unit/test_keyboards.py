"""Long keyboards built row by row without aiogram's builder (which copies the markup on
every button): the same rows a builder with `adjust(width)` gives."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.views.common.keyboards import button_grid


def _buttons(count: int) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(text=str(n), callback_data=f"x:{n}") for n in range(count)]


def test_grid_rows_match_the_builders_adjust() -> None:
    for count, width in ((0, 6), (1, 6), (6, 6), (13, 6), (90, 6), (4, 1)):
        builder = InlineKeyboardBuilder()
        for button in _buttons(count):
            builder.add(button)
        builder.adjust(width)
        assert button_grid(_buttons(count), width) == builder.export(), (count, width)


def test_grid_keeps_the_order_and_leaves_the_rest_in_a_short_last_row() -> None:
    rows = button_grid(_buttons(13), 6)
    assert [[b.text for b in row] for row in rows] == [
        ["0", "1", "2", "3", "4", "5"],
        ["6", "7", "8", "9", "10", "11"],
        ["12"],
    ]
