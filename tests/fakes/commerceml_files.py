"""Large CommerceML files in the shapes 1C's "Обмен с сайтами" writes (УТ 11, schema 2.08,
with the `urn:1C.ru:commerceml_2` namespace), streamed to disk a thousand records at a time
so that the benchmark's 50,000 products × 3 warehouses never sit in memory. The ids are
deterministic: `product_id(n)`, `warehouse_id(n)`, `PRICE_TYPE_IDS` say what a test or the
benchmark will find in the file; every fifth product is a variant (`guid#guid`)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

NAMESPACE = "urn:1C.ru:commerceml_2"
SCHEMA_VERSION = "2.08"
GENERATED_AT = "2026-03-02T09:15:00"
CATALOG_ID = "bd72d8f9-55bc-11d9-848a-00112f43529a"
PRICE_TYPE_IDS = (
    "cbcf495d-55bc-11d9-848a-00112f43529a",  # Оптовая
    "cbcf493b-55bc-11d9-848a-00112f43529a",  # Розничная
)
_BATCH = 1000


def _guid(kind: int, n: int) -> str:
    return (
        f"{kind:08x}-{n >> 32 & 0xFFFF:04x}-4{n >> 20 & 0xFFF:03x}-8{n >> 8 & 0xFFF:03x}-{n:012x}"
    )


def product_id(n: int) -> str:
    """The 1C id of the n-th product (from 0) of a generated file: a variant every fifth."""
    base = _guid(0x0D9EFC08, n)
    return f"{base}#{_guid(0x8DE3D433, n)}" if n % 5 == 4 else base


def warehouse_id(n: int) -> str:
    return _guid(0x6F87E83F, n)


def group_id(n: int) -> str:
    return _guid(0x16B791BB, n)


def wholesale_price(n: int) -> Decimal:
    return Decimal(100 + n % 997) + Decimal(n % 100) / 100


def stock(n: int, warehouse: int) -> Decimal:
    return Decimal((n * 7 + warehouse * 13) % 50)


def _declaration(encoding: str) -> str:
    label = "windows-1251" if encoding.lower() in {"cp1251", "windows-1251"} else "UTF-8"
    return f'<?xml version="1.0" encoding="{label}"?>\n'


def _root_open() -> str:
    return (
        f'<КоммерческаяИнформация xmlns="{NAMESPACE}" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'ВерсияСхемы="{SCHEMA_VERSION}" ДатаФормирования="{GENERATED_AT}">\n'
    )


_OWNER = (
    "\t\t<Владелец>\n\t\t\t<Ид>bd72d900-55bc-11d9-848a-00112f43529a</Ид>\n"
    "\t\t\t<Наименование>Торговый дом «Комплексный»</Наименование>\n"
    "\t\t\t<ОфициальноеНаименование>ООО «Торговый дом Комплексный»</ОфициальноеНаименование>\n"
    "\t\t\t<ИНН>7701234567</ИНН>\n\t\t\t<КПП>770101001</КПП>\n\t\t</Владелец>\n"
)


def _offer(n: int, warehouses: int) -> str:
    wholesale = wholesale_price(n)
    retail = (wholesale * Decimal("1.25")).quantize(Decimal("0.01"))
    rests = "".join(
        f'\t\t\t\t<Склад ИдСклада="{warehouse_id(w)}" КоличествоНаСкладе="{stock(n, w)}"/>\n'
        for w in range(warehouses)
    )
    total = sum((stock(n, w) for w in range(warehouses)), Decimal(0))
    name = escape(f"Гофрокороб {n} «Т-{n % 24}» 400x300 & крышка")
    return (
        "\t\t\t<Предложение>\n"
        f"\t\t\t\t<Ид>{product_id(n)}</Ид>\n"
        f"\t\t\t\t<Артикул>GK-{n:06d}</Артикул>\n"
        f"\t\t\t\t<Наименование>{name}</Наименование>\n"
        '\t\t\t\t<БазоваяЕдиница Код="796" НаименованиеПолное="Штука" '
        'МеждународноеСокращение="PCE">шт</БазоваяЕдиница>\n'
        "\t\t\t\t<Цены>\n"
        f"{_price(PRICE_TYPE_IDS[0], wholesale)}{_price(PRICE_TYPE_IDS[1], retail)}"
        "\t\t\t\t</Цены>\n"
        f"\t\t\t\t<Количество>{total}</Количество>\n"
        f"{rests}"
        "\t\t\t</Предложение>\n"
    )


def _price(type_id: str, amount: Decimal) -> str:
    shown = f"{amount:,.2f}".replace(",", "\u00a0").replace(".", ",")
    return (
        "\t\t\t\t\t<Цена>\n"
        f"\t\t\t\t\t\t<Представление>{shown} руб. за шт</Представление>\n"
        f"\t\t\t\t\t\t<ИдТипаЦены>{type_id}</ИдТипаЦены>\n"
        f"\t\t\t\t\t\t<ЦенаЗаЕдиницу>{amount}</ЦенаЗаЕдиницу>\n"
        "\t\t\t\t\t\t<Валюта>руб</Валюта>\n\t\t\t\t\t\t<Единица>PCE</Единица>\n"
        "\t\t\t\t\t\t<Коэффициент>1</Коэффициент>\n\t\t\t\t\t</Цена>\n"
    )


def _offers_parts(products: int, warehouses: int, encoding: str) -> Iterator[str]:
    yield _declaration(encoding) + _root_open()
    yield (
        '\t<ПакетПредложений СодержитТолькоИзменения="false">\n'
        f"\t\t<Ид>{CATALOG_ID}#</Ид>\n\t\t<Наименование>Пакет предложений</Наименование>\n"
        f"\t\t<ИдКаталога>{CATALOG_ID}</ИдКаталога>\n"
        f"\t\t<ИдКлассификатора>{CATALOG_ID}</ИдКлассификатора>\n{_OWNER}"
        "\t\t<ТипыЦен>\n"
    )
    for type_id, name in zip(PRICE_TYPE_IDS, ("Оптовая", "Розничная"), strict=True):
        yield (
            f"\t\t\t<ТипЦены>\n\t\t\t\t<Ид>{type_id}</Ид>\n"
            f"\t\t\t\t<Наименование>{name}</Наименование>\n\t\t\t\t<Валюта>руб</Валюта>\n"
            "\t\t\t\t<Налог>\n\t\t\t\t\t<Наименование>НДС</Наименование>\n"
            "\t\t\t\t\t<УчтеноВСумме>true</УчтеноВСумме>\n\t\t\t\t</Налог>\n\t\t\t</ТипЦены>\n"
        )
    yield "\t\t</ТипыЦен>\n\t\t<Склады>\n"
    for w in range(warehouses):
        yield (
            f"\t\t\t<Склад>\n\t\t\t\t<Ид>{warehouse_id(w)}</Ид>\n"
            f"\t\t\t\t<Наименование>Склад № {w + 1}</Наименование>\n\t\t\t</Склад>\n"
        )
    yield "\t\t</Склады>\n\t\t<Предложения>\n"
    for start in range(0, products, _BATCH):
        yield "".join(_offer(n, warehouses) for n in range(start, min(start + _BATCH, products)))
    yield "\t\t</Предложения>\n\t</ПакетПредложений>\n</КоммерческаяИнформация>\n"


def write_offers_file(
    path: Path, products: int, warehouses: int, *, encoding: str = "utf-8"
) -> None:
    """An offers.xml of `products` offers, each with two prices and stock per warehouse."""
    with path.open("w", encoding=encoding, newline="\n") as out:
        for part in _offers_parts(products, warehouses, encoding):
            out.write(part)


def _product(n: int, groups: int) -> str:
    status = ' Статус="Удален"' if n % 100 == 99 else ""
    name = escape(f"Гофрокороб {n} «Т-{n % 24}» 400x300 & крышка")
    return (
        f"\t\t\t<Товар{status}>\n"
        f"\t\t\t\t<Ид>{product_id(n).partition('#')[0]}</Ид>\n"
        f"\t\t\t\t<Артикул>GK-{n:06d}</Артикул>\n"
        f"\t\t\t\t<Наименование>{name}</Наименование>\n"
        '\t\t\t\t<БазоваяЕдиница Код="796" НаименованиеПолное="Штука" '
        'МеждународноеСокращение="PCE">шт</БазоваяЕдиница>\n'
        f"\t\t\t\t<Группы>\n\t\t\t\t\t<Ид>{group_id(n % groups)}</Ид>\n\t\t\t\t</Группы>\n"
        "\t\t\t\t<Описание/>\n"
        "\t\t\t\t<ЗначенияРеквизитов>\n\t\t\t\t\t<ЗначениеРеквизита>\n"
        "\t\t\t\t\t\t<Наименование>ВидНоменклатуры</Наименование>\n"
        "\t\t\t\t\t\t<Значение>Товар</Значение>\n\t\t\t\t\t</ЗначениеРеквизита>\n"
        "\t\t\t\t\t<ЗначениеРеквизита>\n"
        "\t\t\t\t\t\t<Наименование>Полное наименование</Наименование>\n"
        f"\t\t\t\t\t\t<Значение>{name}</Значение>\n\t\t\t\t\t</ЗначениеРеквизита>\n"
        "\t\t\t\t</ЗначенияРеквизитов>\n"
        "\t\t\t</Товар>\n"
    )


def _catalog_parts(products: int, encoding: str, groups: int = 12) -> Iterator[str]:
    yield _declaration(encoding) + _root_open()
    yield (
        f"\t<Классификатор>\n\t\t<Ид>{CATALOG_ID}</Ид>\n"
        f"\t\t<Наименование>Классификатор (Основной каталог товаров)</Наименование>\n{_OWNER}"
        "\t\t<Группы>\n"
    )
    for parent in range(0, groups, 3):
        children = "".join(
            f"\t\t\t\t\t<Группа>\n\t\t\t\t\t\t<Ид>{group_id(child)}</Ид>\n"
            f"\t\t\t\t\t\t<Наименование>Подгруппа {child}</Наименование>\n\t\t\t\t\t</Группа>\n"
            for child in range(parent + 1, min(parent + 3, groups))
        )
        yield (
            f"\t\t\t<Группа>\n\t\t\t\t<Ид>{group_id(parent)}</Ид>\n"
            f"\t\t\t\t<Наименование>Группа {parent}</Наименование>\n"
            f"\t\t\t\t<Группы>\n{children}\t\t\t\t</Группы>\n\t\t\t</Группа>\n"
        )
    yield (
        "\t\t</Группы>\n\t\t<Свойства>\n\t\t\t<Свойство>\n"
        "\t\t\t\t<Ид>b12f0e4f-931f-11e3-9430-00155d020201</Ид>\n"
        "\t\t\t\t<Наименование>Производитель</Наименование>\n"
        "\t\t\t\t<ТипЗначений>Строка</ТипЗначений>\n\t\t\t</Свойство>\n\t\t</Свойства>\n"
        "\t</Классификатор>\n"
        '\t<Каталог СодержитТолькоИзменения="false">\n'
        f"\t\t<Ид>{CATALOG_ID}</Ид>\n\t\t<ИдКлассификатора>{CATALOG_ID}</ИдКлассификатора>\n"
        f"\t\t<Наименование>Основной каталог товаров</Наименование>\n{_OWNER}\t\t<Товары>\n"
    )
    for start in range(0, products, _BATCH):
        yield "".join(_product(n, groups) for n in range(start, min(start + _BATCH, products)))
    yield "\t\t</Товары>\n\t</Каталог>\n</КоммерческаяИнформация>\n"


def write_catalog_file(path: Path, products: int, *, encoding: str = "utf-8") -> None:
    """An import.xml: a classifier of nested groups and `products` products (every
    hundredth marked Статус="Удален")."""
    with path.open("w", encoding=encoding, newline="\n") as out:
        for part in _catalog_parts(products, encoding):
            out.write(part)


__all__ = [
    "CATALOG_ID",
    "PRICE_TYPE_IDS",
    "group_id",
    "product_id",
    "stock",
    "warehouse_id",
    "wholesale_price",
    "write_catalog_file",
    "write_offers_file",
]
