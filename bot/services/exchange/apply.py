"""Apply what 1C's site exchange uploads: the catalog (import.xml) and the offers (offers.xml,
and CommerceML 3's prices.xml and rests.xml).

A file is read once, streamed, to its end before anything of it is written (a malformed or
unsafe file is refused whole), its records reduced and staged on disk (staging.py); then
applied a thousand at a time, each batch its own short transaction, so the bot's own writes
never wait long behind a 50,000-product package. Every statement is an idempotent upsert:
a package cut off by a failure is applied whole when 1C sends it again.

Products are matched by 1C's id, else by article (the code a file import keys on): the
same product from a file import and from the exchange is one product. Prices: the
configured price type's (business setting `erp_sync_price_type`, by name or id; else the
package's first), as of the package's date; a price that differs from the one in effect
then is stored, and a later-dated one feeds the price-change notices as any import's does.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.services.business_settings import load_settings
from bot.services.client_search import search_key
from bot.services.commerceml import read_catalog, read_offers
from bot.services.commerceml.model import (
    CatalogHeader,
    CatalogProduct,
    Offer,
    OffersHeader,
    PriceType,
)
from bot.services.exchange.staging import StagedBatches
from bot.services.onec.reading import currency_code
from storage.engine import Database
from storage.exchange import ExchangeProduct, PriceRow, StockRow
from storage.repositories import Repos

BATCH = 1000
# A stock line without a warehouse (<Остатки><Остаток><Количество>): all warehouses.
ALL_WAREHOUSES = "*"
CODE_LENGTH = 64
KOPECK = Decimal("0.01")
THOUSANDTH = Decimal("0.001")


@dataclass(slots=True)
class ExchangeCounts:
    products: int = 0
    new_products: int = 0
    prices: int = 0  # prices that changed
    stock: int = 0  # stock lines stated
    cleared: int = 0  # stock lines a full package set to zero
    unknown: int = 0  # offers naming a product the bot does not know, with no name to add it
    price_type: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "products": self.products,
            "new_products": self.new_products,
            "prices": self.prices,
            "stock": self.stock,
            "cleared": self.cleared,
            "unknown": self.unknown,
            "price_type": self.price_type,
        }


def product_code(article: str | None, onec_id: str) -> str:
    """The code a product is stored under: its article, else 1C's id (a variant's
    `guid#guid` over 64 characters keeps its product's GUID and a digest of the rest)."""
    if article:
        return article[:CODE_LENGTH]
    if len(onec_id) <= CODE_LENGTH:
        return onec_id
    return f"{onec_id[:36]}#{hashlib.sha256(onec_id.encode()).hexdigest()[:16]}"


def to_kopecks(price: Decimal, per: Decimal) -> Decimal:
    """ЦенаЗаЕдиницу for `per` base units (Коэффициент), as the price of one, to the kopeck."""
    if per and per != 1:
        price = price / per
    return price.quantize(KOPECK, rounding=ROUND_HALF_UP)


def _quantity(value: Decimal) -> Decimal:
    return value.quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


def chosen_price_type(types: dict[str, PriceType], wanted: str) -> PriceType | None:
    """The price type the business setting names (by name, case and ё aside, or by id);
    unset ("-"): the package's first."""
    if not types:
        return None
    if wanted and wanted != "-":
        key = wanted.replace("ё", "е").casefold().strip()
        for price_type in types.values():
            if price_type.onec_id == wanted or (
                price_type.name.replace("ё", "е").casefold().strip() == key
            ):
                return price_type
        return None
    return next(iter(types.values()))


def package_day(generated_at: datetime | None, now: datetime, zone: ZoneInfo) -> date:
    """The day a package's prices take effect: its ДатаФормирования (1C's local time), else
    today in the company's zone."""
    if generated_at is not None:
        return generated_at.date()
    return now.astimezone(zone).date()


def _exchange_product(
    onec_id: str,
    article: str | None,
    name: str,
    unit: str | None,
    unit_code: str | None,
    removed: bool,
    code: str,
) -> ExchangeProduct:
    return ExchangeProduct(
        onec_id=onec_id,
        code=code,
        name=name[:512],
        search_key=search_key(name),
        unit=(unit or None) and unit[:16],
        unit_code=(unit_code or None) and unit_code[:8],
        removed=removed,
    )


async def _save_products(repos: Repos, batch: list[CatalogProduct]) -> tuple[dict[str, int], int]:
    """Store a batch of products: matched by 1C id, else by an article no other 1C product
    holds yet. Returns 1C id → product id, and how many were new."""
    by_id = {p.onec_id: p for p in batch}  # a repeated id: its last statement counts
    wanted_codes = {product_code(p.article, p.onec_id) for p in by_id.values()}
    known = await repos.exchange.known_products(by_id, wanted_codes)
    id_of = {k.onec_id: k.id for k in known if k.onec_id}
    by_code = {k.code: k for k in known}
    taken_codes = set(by_code)
    updates: list[tuple[int, ExchangeProduct]] = []
    new: list[ExchangeProduct] = []
    for product in by_id.values():
        code = product_code(product.article, product.onec_id)
        stored_id = id_of.get(product.onec_id)
        holder = by_code.get(code)
        if stored_id is None and holder is not None and holder.onec_id is None:
            stored_id = holder.id  # a file import's product: the exchange names it now
            id_of[product.onec_id] = stored_id
        elif holder is not None and holder.id != stored_id:
            # The article is another product's (variants share their product's article).
            code = product_code(None, product.onec_id)
        elif stored_id is None and code in taken_codes:
            code = product_code(None, product.onec_id)
        taken_codes.add(code)
        row = _exchange_product(
            product.onec_id,
            product.article,
            product.name,
            product.unit,
            product.unit_code,
            product.deleted,
            code,
        )
        if stored_id is None:
            new.append(row)
        else:
            updates.append((stored_id, row))
    await repos.exchange.update_products(updates)
    id_of.update(await repos.exchange.add_products(new))
    return id_of, len(new)


async def apply_catalog(
    database: Database, path: Path, *, max_bytes: int, now: datetime
) -> ExchangeCounts:
    """import.xml: products (and, in CommerceML 3, warehouses). Raises CommerceMLError for a
    file that cannot be applied, before writing anything."""
    counts = ExchangeCounts()
    with StagedBatches[CatalogProduct]() as staged:

        def read() -> CatalogHeader:
            header, products = read_catalog(path, max_bytes=max_bytes)
            staged.stage(products, BATCH)
            return header

        header = await asyncio.to_thread(read)
        if header.warehouses:
            async with database.transaction() as session:
                await Repos(session).exchange.save_warehouses(
                    {w.onec_id: w.name for w in header.warehouses.values()}, now
                )
        for batch in staged:
            async with database.transaction() as session:
                _, added = await _save_products(Repos(session), batch)
            counts.products += len(batch)
            counts.new_products += added
    return counts


class StagedOffer(NamedTuple):
    """What the apply needs of an offer, reduced while the file is read: the chosen price
    type's price in kopecks, stock per warehouse in thousandths (ints pickle fast)."""

    onec_id: str
    article: str | None
    name: str | None
    unit: str | None
    price: int | None
    currency: str | None
    stock: tuple[tuple[str, int], ...] | None  # None: the offer states no stock


def staged_offer(offer: Offer, price_type: PriceType | None) -> StagedOffer:
    price: int | None = None
    currency: str | None = None
    if price_type is not None and offer.has_prices:
        for stated in offer.prices:
            if stated.price_type_id == price_type.onec_id:
                price = int(to_kopecks(stated.price, stated.per) * 100)
                code = stated.currency or price_type.currency or ""
                currency = currency_code(code, code) or "RUB"
                break
    stock: tuple[tuple[str, int], ...] | None = None
    if offer.has_stock:
        stock = tuple(
            (level.warehouse_id or ALL_WAREHOUSES, int(_quantity(level.quantity) * 1000))
            for level in offer.stock
        )
        if not stock and offer.total_quantity is not None:
            stock = ((ALL_WAREHOUSES, int(_quantity(offer.total_quantity) * 1000)),)
    return StagedOffer(
        offer.onec_id, offer.article, offer.name, offer.unit, price, currency, stock
    )


def _offer_as_product(offer: StagedOffer) -> CatalogProduct | None:
    """An offer for a product no catalog named yet (a variant `guid#guid`, or offers sent
    before the catalog): a product of its own, if the offer names it."""
    if not offer.name:
        return None
    return CatalogProduct(
        onec_id=offer.onec_id,
        article=offer.article,
        name=offer.name,
        unit=offer.unit,
        unit_code=None,
        group_ids=(),
        deleted=False,
    )


async def _apply_offer_batch(
    repos: Repos,
    batch: list[StagedOffer],
    *,
    warehouses: dict[str, int],
    day: date,
    now: datetime,
    counts: ExchangeCounts,
) -> None:
    known = await repos.exchange.known_products([o.onec_id for o in batch], ())
    id_of = {k.onec_id: k.id for k in known if k.onec_id}
    missing = [o for o in batch if o.onec_id not in id_of]
    if missing:
        addable = [p for o in missing if (p := _offer_as_product(o)) is not None]
        if addable:
            added, new = await _save_products(repos, addable)
            id_of.update(added)
            counts.new_products += new
        counts.unknown += sum(1 for o in missing if o.onec_id not in id_of)
    unnamed = {
        warehouse
        for offer in batch
        for warehouse, _ in offer.stock or ()
        if warehouse not in warehouses
    }
    if unnamed:  # CommerceML 3 names warehouses in import.xml; one not seen yet: its id
        warehouses.update(await repos.exchange.save_warehouses({w: w for w in unnamed}, now))
    prices: list[PriceRow] = []
    stock: dict[tuple[int, int], Decimal] = {}
    for offer in batch:
        product_id = id_of.get(offer.onec_id)
        if product_id is None:
            continue
        counts.products += 1
        if offer.price is not None:
            price = Decimal(offer.price).scaleb(-2)
            prices.append(PriceRow(product_id, price, offer.currency or "RUB", day))
        for warehouse, thousandths in offer.stock or ():
            stock[(product_id, warehouses[warehouse])] = Decimal(thousandths).scaleb(-3)
    if prices:
        current = await repos.exchange.current_prices([p.product_id for p in prices], day)
        # Unchanged prices write nothing; a changed one of the same day corrects that day's.
        changed = [
            p
            for p in prices
            if (c := current.get(p.product_id)) is None
            or c.price != p.price
            or c.currency != p.currency
        ]
        await repos.exchange.save_prices(changed, now)
        counts.prices += len(changed)
    stored = await repos.exchange.stock_levels({pid for pid, _ in stock})
    await repos.exchange.save_stock(
        [
            StockRow(pid, wid, quantity)
            for (pid, wid), quantity in stock.items()
            if stored.get((pid, wid)) != quantity
        ],
        now,
    )
    counts.stock += len(stock)


async def apply_offers(
    database: Database,
    path: Path,
    *,
    max_bytes: int,
    now: datetime,
    zone: ZoneInfo,
) -> ExchangeCounts:
    """offers.xml / prices.xml / rests.xml. A full package (not СодержитТолькоИзменения)
    states all stock: what it leaves out is out of stock. Raises CommerceMLError for a file
    that cannot be applied, before writing anything."""
    counts = ExchangeCounts()
    async with database.read() as session:
        wanted = str((await load_settings(Repos(session)))["erp_sync_price_type"])
    with StagedBatches[StagedOffer]() as staged:

        def read() -> tuple[OffersHeader, PriceType | None, bool]:
            header, offers = read_offers(path, max_bytes=max_bytes)
            price_type = chosen_price_type(dict(header.price_types), wanted)
            stated_stock = False

            def reduced() -> Iterator[StagedOffer]:
                nonlocal stated_stock
                for offer in offers:
                    stated_stock = stated_stock or offer.has_stock
                    yield staged_offer(offer, price_type)

            staged.stage(reduced(), BATCH)
            return header, price_type, stated_stock

        header, price_type, any_stock = await asyncio.to_thread(read)
        names = {w.onec_id: w.name for w in header.warehouses.values()}
        names.setdefault(ALL_WAREHOUSES, "")
        async with database.transaction() as session:
            warehouses = await Repos(session).exchange.save_warehouses(names, now)
        counts.price_type = price_type.name if price_type else None
        day = package_day(header.generated_at, now, zone)
        for batch in staged:
            async with database.transaction() as session:
                await _apply_offer_batch(
                    Repos(session),
                    batch,
                    warehouses=warehouses,
                    day=day,
                    now=now,
                    counts=counts,
                )
    if any_stock and not header.only_changes:
        async with database.transaction() as session:
            counts.cleared = await Repos(session).exchange.clear_stock_not_stated_since(now)
    return counts
