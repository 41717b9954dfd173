"""What the CommerceML files of 1C's site exchange carry, as the bot reads and writes them.

Ids are 1C's own (`Ид`): a product's GUID, or `product#characteristic` for a variant; the
parsers keep them as 1C writes them. Amounts and quantities are Decimal, never float."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class CommerceMLError(Exception):
    """A file that cannot be applied: malformed, unsafe (a DTD, entities, a zip bomb) or not
    CommerceML. `reason` is a short English line for 1C's exchange log and the bot's."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DocumentKind(StrEnum):
    CATALOG = "catalog"  # import.xml: Классификатор and Каталог
    OFFERS = "offers"  # offers.xml, and CommerceML 3's prices.xml and rests.xml
    ORDERS = "orders"  # Документ elements: orders, and 1C's answer about them


@dataclass(frozen=True, slots=True)
class PriceType:
    onec_id: str
    name: str
    currency: str | None  # as 1C writes it: "RUB", "руб", "643"


@dataclass(frozen=True, slots=True)
class Warehouse:
    onec_id: str
    name: str


@dataclass(frozen=True, slots=True)
class CatalogHeader:
    schema_version: str
    generated_at: datetime | None  # ДатаФормирования, naive as 1C writes it (its local time)
    only_changes: bool  # Каталог СодержитТолькоИзменения="true"
    catalog_id: str | None
    groups: dict[str, str] = field(default_factory=dict)  # Ид → Наименование, nested flattened
    # CommerceML 3 keeps these in the Классификатор of import.xml.
    price_types: dict[str, PriceType] = field(default_factory=dict)
    warehouses: dict[str, Warehouse] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CatalogProduct:
    onec_id: str
    article: str | None
    name: str
    unit: str | None  # the short name: "шт", "кг"
    unit_code: str | None  # the OKEI code: "796" (piece), "166" (kg)
    group_ids: tuple[str, ...]
    deleted: bool  # Статус "Удален" or ПометкаУдаления true


@dataclass(frozen=True, slots=True)
class OffersHeader:
    schema_version: str
    generated_at: datetime | None
    only_changes: bool  # ПакетПредложений СодержитТолькоИзменения="true"
    price_types: dict[str, PriceType] = field(default_factory=dict)
    warehouses: dict[str, Warehouse] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OfferPrice:
    price_type_id: str
    price: Decimal  # ЦенаЗаЕдиницу
    currency: str | None
    unit: str | None
    per: Decimal  # Коэффициент: the price is for this many base units (1 unless stated)


@dataclass(frozen=True, slots=True)
class StockLevel:
    warehouse_id: str
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class Offer:
    onec_id: str
    article: str | None
    name: str | None
    unit: str | None
    prices: tuple[OfferPrice, ...]
    # Per warehouse, in either shape 1C writes (<Склад ИдСклада КоличествоНаСкладе/> or
    # <Остатки><Остаток><Склад><Ид/><Количество/>). Empty: the file states no warehouses.
    stock: tuple[StockLevel, ...]
    total_quantity: Decimal | None  # <Количество>, when given
    # Whether the offer carried prices / stock at all: a prices.xml offer says nothing of
    # stock and a rests.xml offer nothing of prices, so neither is cleared by the other.
    has_prices: bool
    has_stock: bool


@dataclass(frozen=True, slots=True)
class OrderParty:
    name: str
    inn: str | None
    kpp: str | None
    onec_id: str | None = None  # the contractor's 1C id where the bot knows it


@dataclass(frozen=True, slots=True)
class OutgoingOrderLine:
    product_onec_id: str | None
    article: str | None
    name: str
    unit: str | None
    unit_code: str | None
    quantity: Decimal
    price: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class OutgoingOrder:
    """An order taken in the chat, as it goes to 1C."""

    site_id: str  # the bot's Ид of the order (a UUID), echoed back by 1C
    number: str  # the bot's number, shown to the manager
    created_at: datetime  # aware; written in the company's zone
    currency: str  # ISO: "RUB"
    amount: Decimal
    client: OrderParty
    lines: tuple[OutgoingOrderLine, ...]
    delivery_date: date
    manager_name: str
    comment: str | None
    cancelled: bool = False  # cancelled in the chat after 1C took it: ПометкаУдаления


@dataclass(frozen=True, slots=True)
class OrderStatusUpdate:
    """What 1C says about an order the bot sent: its own number and the order's state."""

    site_id: str | None  # our Ид as 1C echoes it
    site_number: str | None  # Номер: ours, as sent
    onec_number: str | None  # "Номер по 1С"
    onec_date: date | None  # "Дата по 1С"
    status: str | None  # "Статус заказа" as 1C words it: "[N] Принят", "Закрыт", …
    paid: bool  # "Заказ оплачен" / "Дата оплаты по 1С"
    shipped: bool  # "Отгружен" / "Дата отгрузки по 1С"
    cancelled: bool  # "Отменен", or ПометкаУдаления
