"""import.xml, the catalog 1C sends under type=catalog: the classifier (groups nested to any
depth, properties, and in CommerceML 3 the price types, warehouses and units) and the
products (Ид, Артикул, Наименование, the base unit, groups, deletion marks).

`read_catalog` returns the header as soon as the parse reaches the first product and
streams the products after it, one `Товар` in memory at a time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bot.services.commerceml.model import (
    CatalogHeader,
    CatalogProduct,
    CommerceMLError,
    PriceType,
    Warehouse,
)
from bot.services.commerceml.safe import (
    ROOT,
    Element,
    LocalNames,
    attribute,
    child,
    child_text,
    children,
    iterparse,
    text,
    to_bool,
    to_datetime,
)
from bot.services.commerceml.stream import RecordStream

# The OKEI units 1C's catalogs use most: code → (short name, full name, international code).
# A unit given by its code alone ("796 " in CommerceML 3, <БазоваяЕдиница Код="796">
# without text in 2.05) gets its short name here.
OKEI_UNITS: dict[str, tuple[str, str, str]] = {
    "796": ("шт", "Штука", "PCE"),
    "166": ("кг", "Килограмм", "KGM"),
    "163": ("г", "Грамм", "GRM"),
    "168": ("т", "Тонна", "TNE"),
    "112": ("л", "Литр", "LTR"),
    "006": ("м", "Метр", "MTR"),
    "055": ("м2", "Квадратный метр", "MTK"),
    "113": ("м3", "Кубический метр", "MTQ"),
    "778": ("упак", "Упаковка", "NMP"),
    "704": ("набор", "Набор", "SET"),
    "715": ("пар", "Пара (2 шт.)", "NPR"),
}

Units = dict[str, tuple[str | None, str | None]]  # unit Ид or code → (short name, code)


def read_catalog(path: Path, *, max_bytes: int) -> tuple[CatalogHeader, Iterator[CatalogProduct]]:
    """The header of an import.xml and an iterator over its products. Raises CommerceMLError
    for an unsafe or malformed file, or one that is not a catalog; the iterator raises it
    too if the file breaks after the header."""
    reader = _CatalogReader(iterparse(path, max_bytes=max_bytes, tags=("Товар", "Каталог", ROOT)))
    return reader.header(), reader.records()


def read_price_types(container: Element | None) -> dict[str, PriceType]:
    """ТипыЦен/ТипЦены: Ид, Наименование, Валюта."""
    found: dict[str, PriceType] = {}
    for item in children(container, "ТипЦены"):
        if onec_id := child_text(item, "Ид"):
            name = child_text(item, "Наименование") or onec_id
            found[onec_id] = PriceType(onec_id, name, child_text(item, "Валюта"))
    return found


def read_warehouses(container: Element | None) -> dict[str, Warehouse]:
    """Склады/Склад: Ид, Наименование."""
    found: dict[str, Warehouse] = {}
    for item in children(container, "Склад"):
        if onec_id := child_text(item, "Ид"):
            found[onec_id] = Warehouse(onec_id, child_text(item, "Наименование") or onec_id)
    return found


def read_unit(element: Element, units: Units) -> tuple[str | None, str | None]:
    """БазоваяЕдиница as (short name, OKEI code) in each shape 1C writes: `<… Код="796"
    НаименованиеПолное="Штука" МеждународноеСокращение="PCE">шт</…>`, `<… Код="796 " …>`
    with only a Пересчет inside, and CommerceML 3's `<БазоваяЕдиница>796 </…>` naming a
    unit of the classifier."""
    code = attribute(element, "Код")
    short = attribute(element, "НаименованиеКраткое")
    body = text(element)
    if body is not None:
        if body in units:
            known_short, known_code = units[body]
            short, code = short or known_short, code or known_code
        elif body.isdigit():
            code = code or body
        else:
            short = body
    if short is None and code is not None:
        short = units.get(code, (None, None))[0] or OKEI_UNITS.get(code, (None,))[0]
    return short, code


def is_deleted(status: str | None) -> bool:
    return status is not None and status.strip().casefold().replace("ё", "е") == "удален"


class _CatalogReader(RecordStream[CatalogHeader, CatalogProduct]):
    record = "Товар"
    records_in = "Товары"
    containers = ("Каталог",)

    def __init__(self, events: Iterator[tuple[str, Element]]) -> None:
        super().__init__(events)
        self._units: Units = {}
        self._names = LocalNames()

    def _header(self, root: Element, catalog: Element | None) -> CatalogHeader:
        classifier = child(root, "Классификатор")
        if catalog is None and classifier is None:
            raise CommerceMLError("not a catalog: no Каталог or Классификатор in the file")
        groups: dict[str, str] = {}
        price_types: dict[str, PriceType] = {}
        warehouses: dict[str, Warehouse] = {}
        if classifier is not None:
            groups = _groups(child(classifier, "Группы"))
            price_types = read_price_types(child(classifier, "ТипыЦен"))
            warehouses = read_warehouses(child(classifier, "Склады"))
            self._units = _units(child(classifier, "ЕдиницыИзмерения"))
        marked: Element = catalog if catalog is not None else classifier
        changes_only = marked.get("СодержитТолькоИзменения")
        header = CatalogHeader(
            schema_version=attribute(root, "ВерсияСхемы") or "",
            generated_at=to_datetime(root.get("ДатаФормирования")),
            only_changes=to_bool(changes_only),
            catalog_id=child_text(catalog, "Ид"),
            groups=groups,
            price_types=price_types,
            warehouses=warehouses,
        )
        if classifier is not None:
            classifier.clear()  # its properties and their values can be large
        return header

    def _record(self, element: Element) -> CatalogProduct:
        onec_id = article = name = unit = unit_code = None
        group_ids: list[str] = []
        deleted = is_deleted(element.get("Статус"))
        names = self._names
        for item in element:
            tag = names[item.tag]
            if tag == "Ид":
                onec_id = text(item)
            elif tag == "Артикул":
                article = text(item)
            elif tag == "Наименование":
                name = text(item)
            elif tag == "БазоваяЕдиница":
                unit, unit_code = read_unit(item, self._units)
            elif tag == "Группы":
                group_ids = [group for group in map(text, item) if group]
            elif tag == "ПометкаУдаления":
                deleted = deleted or to_bool(text(item))
            elif tag == "Статус":
                deleted = deleted or is_deleted(text(item))
        if onec_id is None:
            raise CommerceMLError(f"a Товар without Ид (named {name!r})")
        return CatalogProduct(
            onec_id, article, name or "", unit, unit_code, tuple(group_ids), deleted
        )


def _groups(container: Element | None) -> dict[str, str]:
    """Группы/Группа, nested Группы flattened: Ид → Наименование."""
    found: dict[str, str] = {}
    pending = [container]
    while pending:
        for group in children(pending.pop(), "Группа"):
            if onec_id := child_text(group, "Ид"):
                found[onec_id] = child_text(group, "Наименование") or onec_id
            pending.append(child(group, "Группы"))
    return found


def _units(container: Element | None) -> Units:
    """CommerceML 3's ЕдиницыИзмерения: the unit's Ид and its Код both name it."""
    found: Units = {}
    for item in children(container, "ЕдиницаИзмерения"):
        code = child_text(item, "Код")
        unit = (child_text(item, "НаименованиеКраткое"), code)
        for key in (child_text(item, "Ид"), code):
            if key:
                found[key] = unit
    return found
