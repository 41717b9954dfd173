"""Orders taken in the chat: who may take, see, change and cancel them, what the dialog
offers (the client's usual products, a search, the last order repeated), the checks of
each step, the summary at today's prices with its stock warnings, and saving, editing and
cancelling with the audit trail. The pure rules (quantities, piece units, stock, delivery
days) come first, as plain functions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from bot.services.access import AccessDenied, can_change, client_for, visible_owners
from bot.services.accounts import find_changeable_clients
from bot.services.business_calendar import BusinessCalendar
from bot.services.business_settings import load_settings
from bot.services.client_search import query_key
from bot.services.money import MAX_TYPED_AMOUNT
from bot.services.numbers import MAX_ID

# The views and the handler read the order DTOs from here: storage/chat_orders.py holds
# the repository too, which they may not reach (tests/unit/test_import_rules.py).
from storage.chat_orders import ChatOrderDTO as ChatOrderDTO
from storage.chat_orders import ChatOrderLineDTO as ChatOrderLineDTO
from storage.chat_orders import ChatOrderState as ChatOrderState
from storage.chat_orders import NewOrderLine, line_total
from storage.chat_orders import OrderItem as OrderItem
from storage.dto import ClientDTO, ClientLine, UserDTO
from storage.repositories import Repos

USUAL_DAYS = 90  # "usual" products: those the client ordered in the last 90 days
USUAL_LIMIT = 8  # usual products offered as buttons
FOUND_LIMIT = 10  # products a typed search offers
MAX_LINES = 50  # lines of one order
MAX_COMMENT = 1000  # characters of a comment (1C's `Комментарий` is a string field)
MAX_QUANTITY = Decimal(10_000_000)  # a line's quantity, exclusive: beyond any real order
MAX_DELIVERY_DAYS = 366  # how far ahead a delivery date may be
OPEN_SHOWN = 10  # open chat orders /orders lists
PIECES_CODE = "796"  # OKEI: штука
# Units written in words that mean pieces, normalised (lower case, no final dot).
PIECE_UNITS = frozenset(
    {"шт", "штук", "штука", "штуки", "pcs", "pc", "piece", "pieces", "ea", "each"}
)

# Quantity reasons (translation keys).
QTY_FORMAT = "chat-order-qty-error-format"
QTY_NOT_POSITIVE = "chat-order-qty-error-not-positive"
QTY_DECIMALS = "chat-order-qty-error-decimals"
QTY_PIECES = "chat-order-qty-error-pieces"
QTY_TOO_LARGE = "chat-order-qty-error-too-large"
# Delivery date reasons.
DATE_PAST = "chat-order-date-past"
DATE_DAY_OFF = "chat-order-date-day-off"
DATE_TOO_FAR = "chat-order-date-too-far"

# ASCII digits only (re's \d takes "٣" too); thousands may be grouped by a space, as the
# bot writes them ("1 000", a no-break or thin space too), never "1 2"; one decimal
# separator, comma or point. A sign is read, to say "more than zero" to a minus.
_QUANTITY = re.compile(
    r"([+\-\u2212]?)([0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]{1,12})(?:[.,]([0-9]{1,12}))?"
)
_GROUP = re.compile(r"[ \u00a0\u202f]")
_MAX_INPUT = 40
_THOUSANDTH = Decimal("0.001")


class ChatOrderError(Exception):
    """A rule refused the input; `reason` is a translation key, `values` its arguments
    (dates and Decimals, formatted by the view)."""

    def __init__(self, reason: str, **values: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.values = values


class QuantityError(ChatOrderError):
    pass


# --- pure rules --------------------------------------------------------------------------


def is_piece_unit(unit: str | None, unit_code: str | None) -> bool:
    """Pieces cannot be ordered in fractions: the OKEI code 796, or the unit written as
    шт / штук / pcs (a file import gives the unit's name only)."""
    if (unit_code or "").strip() == PIECES_CODE:
        return True
    return (unit or "").strip().casefold().rstrip(".") in PIECE_UNITS


def check_quantity(quantity: Decimal, *, pieces: bool) -> Decimal:
    """A quantity one order line may have: more than zero, at most three decimals (1C
    keeps thousandths), whole for pieces, below MAX_QUANTITY."""
    if not quantity.is_finite():
        raise QuantityError(QTY_FORMAT)
    if quantity <= 0:
        raise QuantityError(QTY_NOT_POSITIVE)
    if quantity >= MAX_QUANTITY:
        raise QuantityError(QTY_TOO_LARGE)
    # Below MAX_QUANTITY, quantize() stays within Decimal's 28 digits.
    thousandths = quantity.quantize(_THOUSANDTH)
    if thousandths != quantity:
        raise QuantityError(QTY_DECIMALS)
    if pieces and quantity != quantity.to_integral_value():
        raise QuantityError(QTY_PIECES)
    return thousandths


def parse_quantity(text: str, *, pieces: bool) -> Decimal:
    """ "5", "2,5", "2.5", "1 000" → Decimal; letters, zero, a negative number, more than
    three decimals, or a fraction of pieces are refused (QuantityError, its reason a
    translation key)."""
    if len(text) > _MAX_INPUT:
        raise QuantityError(QTY_FORMAT)
    match = _QUANTITY.fullmatch(text.strip())
    if match is None:
        raise QuantityError(QTY_FORMAT)
    sign, grouped, fraction = match.groups()
    whole = _GROUP.sub("", grouped)
    # Trailing zeros of the fraction carry nothing: "2,5000" is 2,5 and "5,0" pieces are 5.
    fraction = (fraction or "").rstrip("0")
    value = Decimal(f"{whole}.{fraction}" if fraction else whole)
    if sign in ("-", "\u2212") and value != 0:
        raise QuantityError(QTY_NOT_POSITIVE)
    return check_quantity(value, pieces=pieces)


def stock_short(quantity: Decimal, in_stock: Decimal | None) -> bool:
    """The quantity exceeds what 1C states in stock (all warehouses). No warning when the
    exchange never stated the product's stock (None): nothing is known."""
    return in_stock is not None and quantity > in_stock


def check_delivery(day: date, *, today: date, calendar: BusinessCalendar) -> date:
    """A delivery date: today or later in the user's zone, a business day of the company
    calendar, at most MAX_DELIVERY_DAYS ahead."""
    if day < today:
        raise ChatOrderError(DATE_PAST, date=day)
    if day > today + timedelta(days=MAX_DELIVERY_DAYS):
        raise ChatOrderError(DATE_TOO_FAR, date=day)
    if not calendar.is_business_day(day):
        raise ChatOrderError(DATE_DAY_OFF, date=day)
    return day


def is_editable(order: ChatOrderDTO) -> bool:
    """Changes from the chat while the order waits and 1C has not confirmed taking it (the
    repository's own rule, which `replace` and `cancel` apply again)."""
    return order.state is ChatOrderState.WAITING and not order.taken


# --- the dialog's data ------------------------------------------------------------------


class DraftLine(BaseModel):
    product_id: int = Field(ge=1, le=MAX_ID)
    quantity: Decimal


class OrderDraft(BaseModel):
    """What the dialog has collected (the FSM data, dumped in JSON mode: Decimals and dates
    as strings)."""

    client_id: int = Field(ge=1, le=MAX_ID)
    order_id: int | None = Field(default=None, ge=1, le=MAX_ID)  # set when editing
    lines: list[DraftLine] = Field(default_factory=list)
    pending: int | None = Field(default=None, ge=1, le=MAX_ID)  # the product asked about
    delivery: date | None = None
    comment: str | None = None

    def quantity_of(self, product_id: int) -> Decimal | None:
        return next((ln.quantity for ln in self.lines if ln.product_id == product_id), None)


def with_line(draft: OrderDraft, item: OrderItem, quantity: Decimal) -> OrderDraft:
    """The draft with this product at this quantity: a product chosen again gets the new
    quantity in its place."""
    if item.price is None:
        raise ChatOrderError("chat-order-no-price", product=item.name)
    quantity = check_quantity(quantity, pieces=is_piece_unit(item.unit, item.unit_code))
    if line_total(quantity, item.price) >= MAX_TYPED_AMOUNT:
        raise ChatOrderError("chat-order-error-amount")
    line = DraftLine(product_id=item.product_id, quantity=quantity)
    if draft.quantity_of(item.product_id) is not None:  # chosen again: in its place
        lines = [line if ln.product_id == item.product_id else ln for ln in draft.lines]
    elif len(draft.lines) >= MAX_LINES:
        raise ChatOrderError("chat-order-error-too-many-lines", max=MAX_LINES)
    else:
        lines = [*draft.lines, line]
    return draft.model_copy(update={"lines": lines, "pending": None})


def without_line(draft: OrderDraft, product_id: int) -> OrderDraft:
    if draft.quantity_of(product_id) is None:
        raise AccessDenied  # a forged or stale button: not a line of this draft
    lines = [ln for ln in draft.lines if ln.product_id != product_id]
    return draft.model_copy(update={"lines": lines})


# --- access ------------------------------------------------------------------------------


async def find_clients(repos: Repos, user: UserDTO, text: str) -> list[ClientLine]:
    """The clients matching `text` the user may order for."""
    return await find_changeable_clients(repos, user, text)


async def orderable_client(repos: Repos, user: UserDTO, client_id: int) -> ClientDTO:
    """A client the user may order for, as for a contact or a claim: a manager's own, any
    for an admin (a supervisor sees the team's orders read-only). 1C matches the buyer by
    ИНН and КПП: a client without ИНН is refused."""
    client = await client_for(repos, user, client_id, change=True)
    if not client.inn:
        raise ChatOrderError("chat-order-error-no-inn", client=client.name)
    return client


async def visible_order(repos: Repos, user: UserDTO, order_id: int) -> ChatOrderDTO:
    order = await repos.chat_orders.get(order_id) if 1 <= order_id <= MAX_ID else None
    if order is None:
        raise AccessDenied
    await client_for(repos, user, order.client_id)
    return order


async def changeable_order(repos: Repos, user: UserDTO, order_id: int) -> ChatOrderDTO:
    """An order the user may change or cancel now: theirs to order for, and 1C has not
    taken it."""
    order = await visible_order(repos, user, order_id)
    await client_for(repos, user, order.client_id, change=True)
    if order.state is ChatOrderState.CANCELLED:
        raise ChatOrderError("chat-order-error-cancelled", number=order.number)
    if not is_editable(order):
        raise ChatOrderError("chat-order-error-taken", number=order.number)
    return order


# --- what the dialog offers ---------------------------------------------------------------


@dataclass(frozen=True)
class DraftItem:
    item: OrderItem
    quantity: Decimal


@dataclass(frozen=True)
class ProductsStep:
    client: ClientDTO
    order: ChatOrderDTO | None  # the order being changed
    usual: tuple[OrderItem, ...]
    lines: tuple[DraftItem, ...]
    can_repeat: bool  # the client has an earlier order (offered while the draft is empty)


async def _draft_items(repos: Repos, draft: OrderDraft, today: date) -> list[DraftItem]:
    found = {
        i.product_id: i for i in await _items(repos, [ln.product_id for ln in draft.lines], today)
    }
    return [
        DraftItem(found[ln.product_id], ln.quantity)
        for ln in draft.lines
        if ln.product_id in found
    ]


async def _items(repos: Repos, product_ids: Sequence[int], today: date) -> list[OrderItem]:
    return await repos.chat_orders.items(product_ids, today) if product_ids else []


async def products_step(
    repos: Repos, user: UserDTO, draft: OrderDraft, today: date
) -> ProductsStep:
    client = await orderable_client(repos, user, draft.client_id)
    order = await changeable_order(repos, user, draft.order_id) if draft.order_id else None
    usual = await repos.chat_orders.usual_items(
        client.id, today - timedelta(days=USUAL_DAYS), today, USUAL_LIMIT
    )
    can_repeat = not draft.lines and bool(await repos.chat_orders.last_order_lines(client.id))
    return ProductsStep(
        client, order, tuple(usual), tuple(await _draft_items(repos, draft, today)), can_repeat
    )


async def find_products(repos: Repos, text: str, today: date) -> list[OrderItem]:
    """Products whose name holds the words typed, or whose article is the text. The
    products' search key is built as the clients' is (bot.services.client_search)."""
    text = text.strip()
    key = query_key(text)
    if not key or len(text) > 100:
        return []
    return await repos.chat_orders.find_items(key, text, today, FOUND_LIMIT)


async def product_for(repos: Repos, product_id: int, today: date) -> OrderItem:
    """A product a button names: one that exists and is sold (else a forged or stale
    button), with a price (else it cannot be ordered)."""
    found = await repos.chat_orders.items([product_id], today) if 1 <= product_id <= MAX_ID else []
    if not found:
        raise AccessDenied
    item = found[0]
    if item.price is None:
        raise ChatOrderError("chat-order-no-price", product=item.name)
    return item


@dataclass(frozen=True)
class Repeated:
    draft: OrderDraft
    left_out: tuple[str, ...]  # products without a price today, or a quantity no line takes
    gone: int  # products of that order no longer sold


async def repeat_last(repos: Repos, user: UserDTO, draft: OrderDraft, today: date) -> Repeated:
    """The draft with the lines of the client's last order (in the chat or in 1C, the
    newer), its quantities at today's prices."""
    client = await orderable_client(repos, user, draft.client_id)
    last = await repos.chat_orders.last_order_lines(client.id)
    if not last:
        raise ChatOrderError("chat-order-no-last")
    found = {i.product_id: i for i in await _items(repos, [ln.product_id for ln in last], today)}
    repeated = draft.model_copy(update={"lines": [], "pending": None})
    left_out: list[str] = []
    gone = 0
    for line in last:
        item = found.get(line.product_id)
        if item is None:
            gone += 1
            continue
        try:
            repeated = with_line(repeated, item, line.quantity)
        except ChatOrderError:
            left_out.append(item.name)
    if not repeated.lines:
        raise ChatOrderError("chat-order-repeat-nothing")
    return Repeated(repeated, tuple(left_out), gone)


async def delivery_calendar(repos: Repos) -> BusinessCalendar:
    """The company's calendar: deliveries on business days only."""
    return (await load_settings(repos)).business_calendar()


async def delivery_day(repos: Repos, day: date, today: date) -> date:
    return check_delivery(day, today=today, calendar=await delivery_calendar(repos))


# --- the summary, and saving --------------------------------------------------------------


@dataclass(frozen=True)
class SummaryLine:
    item: OrderItem
    quantity: Decimal
    price: Decimal
    amount: Decimal
    short: bool  # more than the stock 1C states: a warning, not a refusal


@dataclass(frozen=True)
class OrderSummary:
    client: ClientDTO
    order: ChatOrderDTO | None  # the order being changed
    lines: tuple[SummaryLine, ...]
    total: Decimal
    currency: str
    delivery: date
    comment: str | None

    @property
    def any_short(self) -> bool:
        return any(line.short for line in self.lines)


async def summary(repos: Repos, user: UserDTO, draft: OrderDraft, today: date) -> OrderSummary:
    """Everything checked again (the dialog's data is not trusted): access, the ИНН, each
    product sold and priced today, each quantity, one currency, the delivery day."""
    client = await orderable_client(repos, user, draft.client_id)
    order = await changeable_order(repos, user, draft.order_id) if draft.order_id else None
    if order is not None and order.client_id != client.id:
        raise AccessDenied
    if not draft.lines:
        raise ChatOrderError("chat-order-error-empty")
    if len(draft.lines) > MAX_LINES:
        raise ChatOrderError("chat-order-error-too-many-lines", max=MAX_LINES)
    if draft.delivery is None:
        raise ChatOrderError("chat-order-error-no-date")
    delivery = await delivery_day(repos, draft.delivery, today)
    if draft.comment is not None and len(draft.comment) > MAX_COMMENT:
        raise ChatOrderError("chat-order-error-comment", max=MAX_COMMENT)
    found = {
        i.product_id: i for i in await _items(repos, [ln.product_id for ln in draft.lines], today)
    }
    lines: list[SummaryLine] = []
    currencies: set[str] = set()
    for line in draft.lines:
        item = found.get(line.product_id)
        if item is None:
            raise ChatOrderError("chat-order-error-gone")
        if item.price is None:
            raise ChatOrderError("chat-order-no-price", product=item.name)
        quantity = check_quantity(line.quantity, pieces=is_piece_unit(item.unit, item.unit_code))
        amount = line_total(quantity, item.price)
        currencies.add(item.currency or "RUB")
        lines.append(
            SummaryLine(item, quantity, item.price, amount, stock_short(quantity, item.in_stock))
        )
    if len(currencies) > 1:
        raise ChatOrderError("chat-order-error-currency")
    total = sum((line.amount for line in lines), Decimal("0.00"))
    if total >= MAX_TYPED_AMOUNT:
        raise ChatOrderError("chat-order-error-amount")
    return OrderSummary(
        client, order, tuple(lines), total, currencies.pop(), delivery, draft.comment
    )


def _lines_text(lines: Sequence[tuple[str, Decimal, Decimal]]) -> str:
    """Lines as the audit trail keeps them: "B-8 × 50 @ 20.00; …"."""
    return "; ".join(
        f"{code} × {quantity.normalize():f} @ {price}" for code, quantity, price in lines
    )


async def place_order(
    repos: Repos, user: UserDTO, draft: OrderDraft, *, now: datetime, today: date
) -> ChatOrderDTO:
    """Save a new order, waiting for 1C, at today's prices; or, when the draft changes an
    order, its new version (refused when 1C took the order meanwhile)."""
    checked = await summary(repos, user, draft, today)
    new_lines = [NewOrderLine(ln.item.product_id, ln.quantity, ln.price) for ln in checked.lines]
    audit_lines = _lines_text([(ln.item.code, ln.quantity, ln.price) for ln in checked.lines])
    if checked.order is not None:
        return await _change(repos, user, checked, new_lines, audit_lines, now)
    order = await repos.chat_orders.create(
        client_id=checked.client.id,
        # The client's manager: 1C's order names them, and they hear 1C's answers.
        manager_id=checked.client.owner_id or user.id,
        delivery_date=checked.delivery,
        comment=checked.comment,
        currency=checked.currency,
        lines=new_lines,
        now=now,
    )
    await repos.audit.record(
        entity="chat_order",
        entity_id=order.id,
        action="create",
        changes={
            "number": (None, order.number),
            "client_id": (None, order.client_id),
            "state": (None, order.state),
            "delivery_date": (None, order.delivery_date),
            "comment": (None, order.comment),
            "amount": (None, order.amount),
            "lines": (None, audit_lines),
        },
        actor_id=user.id,
        now=now,
    )
    return order


async def _change(
    repos: Repos,
    user: UserDTO,
    checked: OrderSummary,
    new_lines: list[NewOrderLine],
    audit_lines: str,
    now: datetime,
) -> ChatOrderDTO:
    before = checked.order
    assert before is not None
    old_lines = await repos.chat_orders.lines(before.id)
    changed = await repos.chat_orders.replace(
        before.id,
        delivery_date=checked.delivery,
        comment=checked.comment,
        lines=new_lines,
        now=now,
    )
    if not changed:
        raise ChatOrderError("chat-order-error-taken", number=before.number)
    after = await repos.chat_orders.get(before.id)
    assert after is not None
    old_text = _lines_text([(ln.code, ln.quantity, ln.price) for ln in old_lines])
    changes: dict[str, tuple[Any, Any]] = {
        key: (old, new)
        for key, old, new in (
            ("delivery_date", before.delivery_date, after.delivery_date),
            ("comment", before.comment, after.comment),
            ("amount", before.amount, after.amount),
            ("lines", old_text, audit_lines),
        )
        if old != new
    }
    await repos.audit.record(
        entity="chat_order",
        entity_id=after.id,
        action="update",
        changes=changes,
        actor_id=user.id,
        now=now,
    )
    return after


async def cancel_order(
    repos: Repos, user: UserDTO, order_id: int, *, now: datetime
) -> ChatOrderDTO:
    order = await changeable_order(repos, user, order_id)
    if not await repos.chat_orders.cancel(order.id, now):
        raise ChatOrderError("chat-order-error-taken", number=order.number)
    await repos.audit.record(
        entity="chat_order",
        entity_id=order.id,
        action="cancel",
        changes={"state": (order.state, ChatOrderState.CANCELLED)},
        actor_id=user.id,
        now=now,
    )
    cancelled = await repos.chat_orders.get(order.id)
    assert cancelled is not None
    return cancelled


async def draft_of(repos: Repos, user: UserDTO, order_id: int) -> OrderDraft:
    """The dialog's data to change an order: its lines, delivery date and comment."""
    order = await changeable_order(repos, user, order_id)
    await orderable_client(repos, user, order.client_id)
    return OrderDraft(
        client_id=order.client_id,
        order_id=order.id,
        lines=[
            DraftLine(product_id=ln.product_id, quantity=ln.quantity)
            for ln in await repos.chat_orders.lines(order.id)
        ],
        delivery=order.delivery_date,
        comment=order.comment,
    )


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderView:
    order: ChatOrderDTO
    lines: tuple[ChatOrderLineDTO, ...]
    can_change: bool  # the user may change or cancel it, and 1C has not taken it


async def order_view(repos: Repos, user: UserDTO, order_id: int) -> OrderView:
    order = await visible_order(repos, user, order_id)
    client = await client_for(repos, user, order.client_id)
    lines = await repos.chat_orders.lines(order.id)
    return OrderView(order, tuple(lines), can_change(user, client) and is_editable(order))


async def open_orders(
    repos: Repos, user: UserDTO, client_id: int | None, limit: int = OPEN_SHOWN
) -> list[ChatOrderDTO]:
    """The newest open chat orders (waiting for 1C or accepted) of the clients the user
    sees, or of one of them: two queries at most, whatever the number of orders."""
    if client_id is not None:
        await client_for(repos, user, client_id)
        return await repos.chat_orders.of_clients([client_id], open_only=True, limit=limit)
    owners = await visible_owners(repos, user)
    ids = None if owners is None else list((await repos.erp.clients_of(owners)).keys())
    if ids == []:
        return []
    return await repos.chat_orders.of_clients(ids, open_only=True, limit=limit)
