"""Texts of /stock, and the out-of-stock lists of the client card and the digest:
assembled from the catalogues, pure functions of data."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from bot.runtime.i18n import L10n
from bot.services import formatting
from bot.services.money import format_money
from bot.services.stock import (
    PAGE_SIZE,
    Direction,
    ProductStock,
    StockMatches,
    short_list,
)
from bot.views.common.texts import fmt_date, fmt_moment
from storage.dto import UserDTO

ARROWS = {Direction.UP: "↑", Direction.DOWN: "↓", Direction.SAME: "="}
QUERY_SHOWN = 100


def _price(amount: Decimal, currency: str | None, unit: str | None, language: str) -> str:
    money = format_money(amount, currency or "RUB", language)
    return f"{money} / {unit}" if unit else money


def _short_stock(total: Decimal | None, unit: str | None, l10n: L10n) -> str:
    if total is None:
        return l10n("stock-short-no-data")
    if total <= 0:
        return l10n("stock-short-out")
    return formatting.quantity(total, unit, l10n.language)


def product_stock_text(product: ProductStock, l10n: L10n, user: UserDTO) -> str:
    """The product, its stock per warehouse and in all (as of the exchange's last word on
    it, in the user's zone), its price and the next price change."""
    language = user.language
    lines = [l10n("stock-title", name=product.name, code=product.code)]
    total, as_of = product.total, product.as_of
    if total is None or as_of is None:
        lines.append(l10n("stock-no-data"))
    else:
        lines.append(l10n("stock-as-of", when=fmt_moment(as_of, user)))
        lines += [
            l10n(
                "stock-warehouse",
                warehouse=level.warehouse,
                quantity=formatting.quantity(level.quantity, product.unit, language),
            )
            for level in product.levels
        ]
        lines.append(
            l10n(
                "stock-total" if total > 0 else "stock-total-out",
                quantity=formatting.quantity(total, product.unit, language),
            )
        )
    if product.price is not None:
        lines.append(
            l10n(
                "stock-price",
                price=_price(product.price, product.currency, product.unit, language),
            )
        )
    else:
        lines.append(l10n("stock-price-none"))
    if product.next_price is not None and product.next_from is not None:
        direction = product.direction
        change = ""
        if product.price:
            rise = (product.next_price - product.price) / product.price * 100
            change = f" ({formatting.percent(rise, language, signed=True)})"
        lines.append(
            l10n(
                "stock-next",
                arrow=f"{ARROWS[direction]} " if direction else "",
                price=format_money(product.next_price, product.currency or "RUB", language),
                date=fmt_date(product.next_from),
                change=change,
            )
        )
    else:
        lines.append(l10n("stock-next-none"))
    return "\n".join(lines)


def matches_text(matches: StockMatches, l10n: L10n, user: UserDTO) -> str:
    """Nothing found, or the numbered list of one page of matches: each with its stock in
    all and its price."""
    query = matches.query[:QUERY_SHOWN]
    if not matches.items:
        return l10n("stock-none", query=query)
    paged = matches.page > 0 or matches.has_next
    lines = [
        l10n("stock-found-page", query=query, page=matches.page + 1)
        if paged
        else l10n("stock-found", query=query)
    ]
    first = matches.page * PAGE_SIZE + 1
    for number, item in enumerate(matches.items, start=first):
        price = (
            format_money(item.price, item.currency or "RUB", user.language)
            if item.price is not None
            else "—"
        )
        lines.append(
            l10n(
                "stock-line",
                number=number,
                name=item.name,
                code=item.code,
                stock=_short_stock(item.in_stock, item.unit, l10n),
                price=price,
            )
        )
    return "\n".join(lines)


def product_names(names: Sequence[str], l10n: L10n, limit: int) -> str:
    """`Болт М8, Гайка М8 and 3 more`: the first few names, and how many more."""
    shown, more = short_list(names, limit)
    text = ", ".join(shown)
    return f"{text} {l10n('stock-and-more', count=more)}" if more else text
