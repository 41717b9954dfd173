"""Typed data crossing the boundary of the site exchange's repositories (storage/exchange.py)
and of the orders taken in the chat (storage/chat_orders.py): NamedTuples, as the ERP data's
rows in storage/erp_dto.py, since they cross by the thousand."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple


class ExchangeProduct(NamedTuple):
    """A product as the exchange states it, ready to store (its search key computed)."""

    onec_id: str
    code: str  # the article, else the 1C id: the key the file imports match on
    name: str
    search_key: str
    unit: str | None
    unit_code: str | None
    removed: bool


class KnownProduct(NamedTuple):
    id: int
    onec_id: str | None
    code: str


class StockRow(NamedTuple):
    product_id: int
    warehouse_id: int
    quantity: Decimal


class PriceRow(NamedTuple):
    product_id: int
    price: Decimal
    currency: str
    effective_from: date


class CurrentPrice(NamedTuple):
    product_id: int
    price: Decimal
    currency: str
    effective_from: date


class WarehouseStock(NamedTuple):
    warehouse: str
    quantity: Decimal
    updated_at: datetime


class ExchangeRunDTO(NamedTuple):
    id: int
    exchange_type: str
    action: str
    file_name: str | None
    status: str
    counts: dict[str, Any]
    error: str | None
    started_at: datetime
    finished_at: datetime | None


class ChatOrderState(StrEnum):
    WAITING = "waiting"  # saved; 1C has not taken it yet
    ACCEPTED = "accepted"  # 1C took it and gave its number
    PAID = "paid"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


# An order can be edited or cancelled in the chat while it waits and 1C has not confirmed
# taking it (a `success` after the query that handed it over).


class OrderItem(NamedTuple):
    """A product offered in the order dialog: what it is, its price and stock."""

    product_id: int
    code: str
    name: str
    unit: str | None
    unit_code: str | None
    price: Decimal | None
    currency: str | None
    in_stock: Decimal | None  # all warehouses; None: the exchange never stated its stock


class NewOrderLine(NamedTuple):
    product_id: int
    quantity: Decimal
    price: Decimal


class ChatOrderLineDTO(NamedTuple):
    line_no: int
    product_id: int
    code: str
    name: str
    unit: str | None
    quantity: Decimal
    price: Decimal
    amount: Decimal


class ChatOrderDTO(NamedTuple):
    id: int
    number: str
    site_id: str
    client_id: int
    client_name: str
    manager_id: int
    state: ChatOrderState
    delivery_date: date
    comment: str | None
    amount: Decimal
    currency: str
    taken: bool  # 1C has confirmed taking it: no more changes from the chat
    onec_number: str | None
    onec_date: date | None
    onec_status: str | None
    created_at: datetime
    updated_at: datetime


class ExportLine(NamedTuple):
    product_onec_id: str | None
    code: str
    name: str
    unit: str | None
    unit_code: str | None
    quantity: Decimal
    price: Decimal
    amount: Decimal


class ExportOrder(NamedTuple):
    """An order due to 1C: its own fields, the client's and manager's, and its lines."""

    id: int
    version: int
    number: str
    site_id: str
    state: ChatOrderState
    created_at: datetime
    delivery_date: date
    comment: str | None
    amount: Decimal
    currency: str
    client_name: str
    client_inn: str | None
    client_kpp: str
    client_code: str | None
    manager_name: str
    manager_erp_name: str | None
    lines: tuple[ExportLine, ...]


class StatusChange(NamedTuple):
    """What 1C's answer changed of an order, for telling its manager."""

    order_id: int
    number: str
    manager_id: int
    client_name: str
    before: ChatOrderState
    after: ChatOrderState
    onec_number: str | None


class OrderStatus(NamedTuple):
    """1C's word on an order, matched by our id or number."""

    site_id: str | None
    number: str | None
    onec_number: str | None
    onec_date: date | None
    onec_status: str | None
    state: ChatOrderState | None  # None: no change of state, only the details
