"""What is in stock, as 1C's site exchange states it: /stock (a product by article or name:
stock per warehouse, the price, the next price change), and a client's usual products
that are out of stock everywhere (the client card, the morning digest)."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from bot.services.access import AccessDenied
from bot.services.client_search import query_key
from bot.services.numbers import MAX_ID
from storage.chat_orders import OrderItem
from storage.dto import Role, UserDTO
from storage.exchange import WarehouseStock
from storage.repositories import Repos

# Who may look stock up: those who work accounts (the menu's Feature("stock"); a unit test
# holds the two equal, services may not import the views).
STOCK_ROLES = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.ADMIN})
# A client's usual products: those it ordered in the last 90 days.
USUAL_DAYS = 90
PAGE_SIZE = 8
MAX_PAGES = 20  # 160 matches: past that, a narrower query serves better than more pages
QUERY_REF_MAX = 0xFFFF
QUERY_LIMIT = 100  # characters of a query: an article or a name fragment is far shorter


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"


def price_direction(current: Decimal | None, upcoming: Decimal) -> Direction | None:
    """Which way the next price goes from the current one; None when there is no current
    price to compare with."""
    if current is None:
        return None
    if upcoming > current:
        return Direction.UP
    if upcoming < current:
        return Direction.DOWN
    return Direction.SAME


def stock_total(levels: Sequence[WarehouseStock]) -> Decimal | None:
    """All warehouses together; None when the exchange never stated the product's stock
    (not the same as 0: nobody said it is out)."""
    if not levels:
        return None
    return sum((level.quantity for level in levels), Decimal(0))


def stock_as_of(levels: Sequence[WarehouseStock]) -> datetime | None:
    """When the exchange last stated the product's stock (at any of its warehouses)."""
    return max((level.updated_at for level in levels), default=None)


def query_ref(query: str) -> int:
    """A short mark of a query, for a list's page buttons to carry (callback data holds
    ids, never text): a button of an older list than the query kept for paging is told
    apart and refused."""
    return zlib.crc32(query.encode()) & QUERY_REF_MAX


def short_list(names: Sequence[str], limit: int) -> tuple[list[str], int]:
    """The first `limit` names, and how many more there are."""
    return list(names[:limit]), max(len(names) - limit, 0)


@dataclass(frozen=True)
class ProductStock:
    """One product as /stock shows it."""

    product_id: int
    code: str
    name: str
    unit: str | None
    levels: tuple[WarehouseStock, ...]  # by warehouse name
    price: Decimal | None
    currency: str | None
    next_price: Decimal | None = None
    next_from: date | None = None

    @property
    def total(self) -> Decimal | None:
        return stock_total(self.levels)

    @property
    def as_of(self) -> datetime | None:
        return stock_as_of(self.levels)

    @property
    def direction(self) -> Direction | None:
        if self.next_price is None:
            return None
        return price_direction(self.price, self.next_price)


@dataclass(frozen=True)
class StockMatches:
    """One page of the products a query matches (the article's first, then by name)."""

    query: str
    items: tuple[OrderItem, ...]
    page: int
    has_next: bool


def check_access(user: UserDTO) -> None:
    if user.role not in STOCK_ROLES:
        raise AccessDenied


def clean_query(text: str) -> str:
    return text.strip()[:QUERY_LIMIT]


async def find_products(
    repos: Repos, user: UserDTO, text: str, *, today: date, page: int = 0
) -> StockMatches:
    """The products whose article is the query, or whose name holds it (normalised as
    products' search keys are), one page of them: one query, whatever the page."""
    check_access(user)
    query = clean_query(text)
    if not query or not 0 <= page < MAX_PAGES:
        raise AccessDenied
    end = (page + 1) * PAGE_SIZE
    # Punctuation alone ("-", "*") leaves an empty key, which every name holds: then only
    # the article is looked up.
    key = query_key(query) or None
    found = await repos.chat_orders.find_items(key, query, today, end + 1)
    items = tuple(found[page * PAGE_SIZE : end])
    if page and not items:  # a page of an older list, gone since
        raise AccessDenied
    return StockMatches(query, items, page, len(found) > end and page + 1 < MAX_PAGES)


async def product_stock(
    repos: Repos, user: UserDTO, product_id: int, *, today: date, item: OrderItem | None = None
) -> ProductStock:
    """A product's stock per warehouse, its price and its next price change (`item`: the
    product as a search found it, which saves reading it again)."""
    check_access(user)
    if item is None:
        # An id no row can have is refused before the query, which would fail on it.
        found = (
            await repos.chat_orders.items([product_id], today) if 1 <= product_id <= MAX_ID else []
        )
        if not found:
            raise AccessDenied
        item = found[0]
    levels = (await repos.exchange.stock_of([item.product_id])).get(item.product_id, [])
    prices = [p for p in await repos.erp.prices(None, item.code, today, 1) if p.code == item.code]
    price = prices[0] if prices else None
    return ProductStock(
        product_id=item.product_id,
        code=item.code,
        name=item.name,
        unit=item.unit,
        levels=tuple(levels),
        price=price.price if price else item.price,
        currency=(price.currency if price else None) or item.currency,
        next_price=price.next_price if price else None,
        next_from=price.next_from if price else None,
    )


# --- usual products out of stock -----------------------------------------------------------


def usual_since(today: date) -> date:
    return today - timedelta(days=USUAL_DAYS)


async def usual_out_of_stock(repos: Repos, client_id: int, today: date) -> list[str]:
    """The names of the client's usual products (ordered in the last USUAL_DAYS) that the
    exchange states as out of stock everywhere, by name."""
    return await repos.chat_orders.usual_out_of_stock(client_id, usual_since(today))
