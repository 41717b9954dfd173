"""offers.xml (CommerceML 2.03–2.10) and CommerceML 3.1's prices.xml and rests.xml: the
package's price types and warehouses, then per offer its prices and its stock.

Stock comes in each shape 1C writes: `<Склад ИдСклада="…" КоличествоНаСкладе="…"/>` (2.04+,
also as `<Склады ИдСклада …/>` in ИзмененияПакетаПредложений), `<Остатки><Остаток><Склад>
<Ид/><Количество/></Склад></Остаток></Остатки>` (3.1) and `<Остатки><Остаток><Количество/>`
without a warehouse, plus the offer's own `<Количество>`. An offer says whether it carried
prices and stock at all (`has_prices`, `has_stock`): a prices.xml offer leaves stock as it
is and a rests.xml offer leaves prices."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from bot.services.commerceml.catalog import read_price_types, read_unit, read_warehouses
from bot.services.commerceml.model import (
    CommerceMLError,
    Offer,
    OfferPrice,
    OffersHeader,
    PriceType,
    StockLevel,
)
from bot.services.commerceml.safe import (
    ROOT,
    Element,
    LocalNames,
    attribute,
    child,
    child_text,
    iterparse,
    local_name,
    text,
    to_bool,
    to_datetime,
    to_decimal,
)
from bot.services.commerceml.stream import RecordStream

_PACKAGES = ("ПакетПредложений", "ИзмененияПакетаПредложений")
_ONE = Decimal(1)
_ZERO = Decimal(0)
_FIELDS = frozenset({"Ид", "Количество", "Артикул", "Наименование", "ИдХарактеристики"})


def read_offers(path: Path, *, max_bytes: int) -> tuple[OffersHeader, Iterator[Offer]]:
    """The header of an offers file and an iterator over its offers. Raises CommerceMLError
    for an unsafe or malformed file, or one that is not an offers package; the iterator
    raises it too if the file breaks after the header."""
    tags = ("Предложение", *_PACKAGES, ROOT)
    reader = _OffersReader(iterparse(path, max_bytes=max_bytes, tags=tags))
    return reader.header(), reader.records()


class _OffersReader(RecordStream[OffersHeader, Offer]):
    record = "Предложение"
    records_in = "Предложения"
    containers = _PACKAGES

    def __init__(self, events: Iterator[tuple[str, Element]]) -> None:
        super().__init__(events)
        self._price_types: dict[str, PriceType] = {}
        self._names = LocalNames()

    def _header(self, root: Element, package: Element | None) -> OffersHeader:
        if package is None:
            raise CommerceMLError("not an offers file: no ПакетПредложений in the file")
        changes = local_name(package.tag) == "ИзмененияПакетаПредложений"
        self._price_types = read_price_types(child(package, "ТипыЦен"))
        return OffersHeader(
            schema_version=attribute(root, "ВерсияСхемы") or "",
            generated_at=to_datetime(root.get("ДатаФормирования")),
            only_changes=changes or to_bool(package.get("СодержитТолькоИзменения")),
            price_types=self._price_types,
            warehouses=read_warehouses(child(package, "Склады")),
        )

    def _record(self, element: Element) -> Offer:
        names = self._names
        onec_id = characteristic = article = name = unit = None
        prices: list[OfferPrice] = []
        stock: list[StockLevel] = []
        total: Decimal | None = None
        rests_total: Decimal | None = None
        has_prices = has_stock = False
        for item in element:
            tag = names[item.tag]
            if tag == "Цены":
                has_prices = True
                for price in item:
                    prices.append(self._price(price, onec_id))
            elif tag == "Склад" or tag == "Склады":
                if warehouse := item.get("ИдСклада"):
                    has_stock = True
                    quantity = _quantity(item.get("КоличествоНаСкладе"), onec_id)
                    stock.append(StockLevel(warehouse.strip(), quantity))
            elif tag == "Остатки":
                has_stock = True
                rests_total = self._rests(item, stock, onec_id, rests_total)
            elif tag == "БазоваяЕдиница":
                unit = read_unit(item, {})[0]
            elif tag in _FIELDS:
                raw = item.text
                value = (raw.strip() or None) if raw else None
                if tag == "Ид":
                    onec_id = value
                elif tag == "Количество":
                    has_stock = True
                    total = _quantity(value, onec_id)
                elif tag == "Артикул":
                    article = value
                elif tag == "Наименование":
                    name = value
                else:
                    characteristic = value
        if onec_id is None:
            raise CommerceMLError(f"a Предложение without Ид (named {name!r})")
        if characteristic and "#" not in onec_id:
            onec_id = f"{onec_id}#{characteristic}"
        return Offer(
            onec_id=onec_id,
            article=article,
            name=name,
            unit=unit,
            prices=tuple(prices),
            stock=tuple(stock),
            total_quantity=total if total is not None else rests_total,
            has_prices=has_prices,
            has_stock=has_stock,
        )

    def _price(self, element: Element, offer: str | None) -> OfferPrice:
        names = self._names
        if names[element.tag] != "Цена":
            raise CommerceMLError(f"offer {offer}: <{names[element.tag]}> inside Цены")
        type_id = amount = currency = unit = per = None
        for item in element:
            tag = names[item.tag]
            if tag == "Представление":
                continue
            raw = item.text
            value = (raw.strip() or None) if raw else None
            if tag == "ЦенаЗаЕдиницу":
                amount = value
            elif tag == "ИдТипаЦены":
                type_id = value
            elif tag == "Валюта":
                currency = value
            elif tag == "Единица":
                unit = value
            elif tag == "Коэффициент":
                per = value
        if type_id is None or amount is None:
            raise CommerceMLError(f"offer {offer}: a Цена without ИдТипаЦены or ЦенаЗаЕдиницу")
        if currency is None and type_id in self._price_types:
            currency = self._price_types[type_id].currency
        return OfferPrice(
            price_type_id=type_id,
            price=to_decimal(amount, f"offer {offer}: ЦенаЗаЕдиницу"),
            currency=currency,
            unit=unit,
            per=_ONE if per is None else to_decimal(per, f"offer {offer}: Коэффициент"),
        )

    def _rests(
        self, container: Element, stock: list[StockLevel], offer: str | None, total: Decimal | None
    ) -> Decimal | None:
        """Остатки/Остаток: per warehouse into `stock`; a warehouse-less Количество adds to
        the returned total."""
        names = self._names
        for rest in container:
            for item in rest:
                tag = names[item.tag]
                if tag == "Склад":
                    if warehouse := child_text(item, "Ид"):
                        quantity = _quantity(child_text(item, "Количество"), offer)
                        stock.append(StockLevel(warehouse, quantity))
                elif tag == "Количество":
                    total = (total or _ZERO) + _quantity(text(item), offer)
        return total


def _quantity(value: str | None, offer: str | None) -> Decimal:
    return _ZERO if value is None else to_decimal(value, f"offer {offer}: quantity")
