"""CommerceML, the XML of 1C's "Обмен с сайтами" (exchange with web sites), without the
database, Telegram or HTTP: the catalog (import.xml), offers (offers.xml; CommerceML 3's
prices.xml and rests.xml), the orders the bot hands 1C and 1C's answer about them, read
safely (no DTDs or entities, size and zip limits) and streamed, one record at a time."""

from bot.services.commerceml.catalog import OKEI_UNITS, read_catalog
from bot.services.commerceml.model import (
    CatalogHeader,
    CatalogProduct,
    CommerceMLError,
    DocumentKind,
    Offer,
    OfferPrice,
    OffersHeader,
    OrderParty,
    OrderStatusUpdate,
    OutgoingOrder,
    OutgoingOrderLine,
    PriceType,
    StockLevel,
    Warehouse,
)
from bot.services.commerceml.offers import read_offers
from bot.services.commerceml.orders import detect_kind, read_order_updates, write_orders
from bot.services.commerceml.safe import detect_encoding, iterparse, safe_unzip

__all__ = [
    "OKEI_UNITS",
    "CatalogHeader",
    "CatalogProduct",
    "CommerceMLError",
    "DocumentKind",
    "Offer",
    "OfferPrice",
    "OffersHeader",
    "OrderParty",
    "OrderStatusUpdate",
    "OutgoingOrder",
    "OutgoingOrderLine",
    "PriceType",
    "StockLevel",
    "Warehouse",
    "detect_encoding",
    "detect_kind",
    "iterparse",
    "read_catalog",
    "read_offers",
    "read_order_updates",
    "safe_unzip",
    "write_orders",
]
