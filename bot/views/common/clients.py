"""The numbered list of clients with its pages: the accounts' lists, and wherever another
feature asks which client (the debts, the orders)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.runtime.i18n import L10n
from bot.views.accounts.callbacks import ClientAction, ClientCallback
from bot.views.common.keyboards import button
from storage.dto import ClientLine


def page_row(
    action: ClientAction, page: int, has_next: bool, client_id: int = 0
) -> list[InlineKeyboardButton]:
    """◀ and ▶ to the neighbouring pages of a client list (either may be missing)."""
    nav = [("◀", page - 1)] if page > 0 else []
    if has_next:
        nav.append(("▶", page + 1))
    return [
        button(text, ClientCallback(action=action, client_id=client_id, value=target))
        for text, target in nav
    ]


def page_buttons(
    builder: InlineKeyboardBuilder,
    action: ClientAction,
    page: int,
    has_next: bool,
    client_id: int = 0,
) -> int:
    """page_row added to a keyboard being built; returns how many buttons it added."""
    row = page_row(action, page, has_next, client_id)
    builder.add(*row)
    return len(row)


def _open_card(client_id: int) -> CallbackData:
    return ClientCallback(action=ClientAction.OPEN, client_id=client_id)


def client_lines(
    lines: Sequence[ClientLine],
    *,
    offset: int = 0,
    page: int = 0,
    has_next: bool = False,
    opens: Callable[[int], CallbackData] = _open_card,
) -> InlineKeyboardMarkup:
    """Numbered clients found; a button opens the card, or what `opens` says (the debts
    view for /debts, the orders for /orders)."""
    rows = [
        [button(f"{index}. {line.name[:40]}", opens(line.id))]
        for index, line in enumerate(lines, start=offset + 1)
    ]
    nav = page_row(ClientAction.PAGE, page, has_next)
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def search_results_text(lines: Sequence[ClientLine], l10n: L10n, query: str) -> str:
    if not lines:
        return l10n("search-nothing", query=query[:100])
    return l10n("search-found", count=len(lines), query=query[:100])
