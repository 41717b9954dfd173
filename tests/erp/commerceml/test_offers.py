"""offers.xml, and CommerceML 3.1's prices.xml and rests.xml, read into prices and stock
(issue 17): prices per price type with a decimal comma or dot, stock per warehouse in each
shape 1C writes, variants `guid#guid`, delta packages, windows-1251, UTF-8 with and without
a BOM, and what an offer says about prices and stock when it leaves them out."""

from __future__ import annotations

import codecs
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from bot.services.commerceml import (
    CommerceMLError,
    Offer,
    OfferPrice,
    PriceType,
    StockLevel,
    Warehouse,
    read_offers,
)

FIXTURES = Path(__file__).parents[2] / "fakes" / "commerceml"
LIMIT = 1 << 20
WHOLESALE = "cbcf495d-55bc-11d9-848a-00112f43529a"
RETAIL = "cbcf493b-55bc-11d9-848a-00112f43529a"
MAIN, KHIMKI, PODOLSK = (
    "a8aa0578-1862-11de-9d9d-001a4d4b12d9",
    "6f87e83f-722c-11df-b336-0011955cba6b",
    "08305acc-7303-11df-b338-0011955cba6b",
)
FILM = "8de3d432-9a21-11e7-8b00-94de80a9c64c#8de3d433-9a21-11e7-8b00-94de80a9c64c"


def test_offers_2_08_prices_and_stock_per_warehouse() -> None:
    header, offers = read_offers(FIXTURES / "offers.xml", max_bytes=LIMIT)

    assert header.schema_version == "2.08"
    assert header.generated_at == datetime(2026, 2, 27, 17, 40, 15)  # noqa: DTZ001 - as 1C writes it
    assert header.only_changes is False
    assert header.price_types == {
        WHOLESALE: PriceType(WHOLESALE, "Оптовая", "руб"),
        RETAIL: PriceType(RETAIL, "Розничная", "RUB"),
    }
    assert header.warehouses == {
        MAIN: Warehouse(MAIN, "Основной склад"),
        KHIMKI: Warehouse(KHIMKI, "Склад Химки"),
        PODOLSK: Warehouse(PODOLSK, "Склад Подольск"),
    }
    assert list(offers) == [
        Offer(
            onec_id="0d9efc08-d695-11e8-8324-b010418127da",
            article="GK-400",
            name='Гофрокороб 400x300x200 "Т-23" & крышка',
            unit="шт",
            prices=(
                OfferPrice(WHOLESALE, Decimal("1234.56"), "руб", "шт", Decimal(1)),
                # "1499,50" with a comma; no Валюта: the price type's.
                OfferPrice(RETAIL, Decimal("1499.50"), "RUB", "шт", Decimal(1)),
            ),
            stock=(
                StockLevel(MAIN, Decimal(100)),
                StockLevel(KHIMKI, Decimal(20)),
                StockLevel(PODOLSK, Decimal(0)),
            ),
            total_quantity=Decimal(120),
            has_prices=True,
            has_stock=True,
        ),
        Offer(
            onec_id=FILM,
            article="STR-23",
            name="Стрейч-плёнка 500 мм (20 мкм)",
            unit="кг",
            # 3 125 for a pack of ten kilograms.
            prices=(OfferPrice(WHOLESALE, Decimal(3125), "руб", "упак", Decimal(10)),),
            stock=(StockLevel(MAIN, Decimal("12.500")),),
            total_quantity=Decimal("12.500"),  # written "12,500"
            has_prices=True,
            has_stock=True,
        ),
        Offer(
            onec_id="05e26d77-01e4-11dc-a411-00055d80a2d1#218a1599-044b-11dc-a414-00055d80a2d1",
            article=None,
            name="Стулья (Красный)",
            unit="шт",  # Код="796 " with only a Пересчет inside
            prices=(OfferPrice(WHOLESALE, Decimal(850), "руб", None, Decimal(1)),),
            stock=(StockLevel(MAIN, Decimal(2)), StockLevel(KHIMKI, Decimal(-2))),
            total_quantity=Decimal(0),
            has_prices=True,
            has_stock=True,
        ),
    ]


def test_windows_1251_without_namespace_and_without_warehouses() -> None:
    header, offers = read_offers(FIXTURES / "offers_cp1251.xml", max_bytes=LIMIT)

    assert (header.schema_version, header.warehouses) == ("2.03", {})
    assert header.price_types == {RETAIL: PriceType(RETAIL, "Розничная", "руб")}
    assert [(o.onec_id, o.name, o.prices, o.stock, o.total_quantity) for o in offers] == [
        (
            "dee6e19a-55bc-11d9-848a-00112f43529a",
            'Телевизор "JVC" № 5 — «Ёлка»',
            (OfferPrice(RETAIL, Decimal("6394.47"), "руб", "шт", Decimal(1)),),
            (),
            Decimal(5),
        ),
        (
            "dee6e1a0-55bc-11d9-848a-00112f43529a",
            'Пылесос "Витязь"',
            (OfferPrice(RETAIL, Decimal("2150.00"), "руб", None, Decimal(1)),),  # "2 150,00"
            (),
            Decimal(0),
        ),
    ]


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8], ids=["utf-8", "utf-8 with BOM"])
def test_utf8_with_and_without_bom_read_the_same(tmp_path: Path, bom: bytes) -> None:
    path = tmp_path / "offers.xml"
    path.write_bytes(bom + (FIXTURES / "offers.xml").read_bytes())

    header, offers = read_offers(path, max_bytes=LIMIT)

    assert header.warehouses[KHIMKI].name == "Склад Химки"
    assert next(o.name for o in offers) == 'Гофрокороб 400x300x200 "Т-23" & крышка'


def test_a_utf8_bom_wins_over_a_windows_1251_declaration(tmp_path: Path) -> None:
    """1C has been seen to write the BOM of UTF-8 before a declaration that names
    windows-1251; the bytes are UTF-8, as the BOM says."""
    text = (FIXTURES / "offers.xml").read_text(encoding="utf-8")
    path = tmp_path / "offers.xml"
    path.write_bytes(codecs.BOM_UTF8 + text.replace("UTF-8", "windows-1251", 1).encode())

    header, _ = read_offers(path, max_bytes=LIMIT)

    assert header.price_types[WHOLESALE].name == "Оптовая"


def test_a_delta_package_contains_only_changes() -> None:
    header, offers = read_offers(FIXTURES / "offers_delta.xml", max_bytes=LIMIT)

    assert header.only_changes is True
    assert list(offers) == [
        Offer(
            onec_id="0d9efc08-d695-11e8-8324-b010418127da",
            article="GK-400",
            name='Гофрокороб 400x300x200 "Т-23" & крышка',
            unit="шт",
            prices=(OfferPrice(WHOLESALE, Decimal("1290.00"), "руб", "шт", Decimal(1)),),
            stock=(StockLevel(KHIMKI, Decimal(15)),),
            total_quantity=Decimal(95),
            has_prices=True,
            has_stock=True,
        )
    ]


def test_changes_of_a_package_join_the_characteristic_to_the_product() -> None:
    header, offers = read_offers(FIXTURES / "offers_changes.xml", max_bytes=LIMIT)

    assert header.only_changes is True  # ИзмененияПакетаПредложений is changes by name
    assert list(offers) == [
        Offer(
            onec_id=FILM,
            article=None,
            name=None,
            unit=None,
            prices=(OfferPrice(WHOLESALE, Decimal(3190), "руб", "упак", Decimal(10)),),
            stock=(StockLevel(MAIN, Decimal("7.25")),),  # <Склады ИдСклада … />
            total_quantity=Decimal("7.25"),
            has_prices=True,
            has_stock=True,
        )
    ]


def test_cml3_prices_say_nothing_of_stock() -> None:
    header, offers = read_offers(FIXTURES / "cml3" / "prices.xml", max_bytes=LIMIT)

    assert (header.schema_version, header.only_changes) == ("3.1", True)
    assert (header.price_types, header.warehouses) == ({}, {})  # in import.xml's classifier
    assert list(offers) == [
        Offer(
            onec_id="afc7eb78-8172-11e7-948c-00155d020201#a5abd77f-93f6-11e5-9468-00155d020201",
            article=None,
            name=None,
            unit=None,
            prices=(
                OfferPrice(
                    "aef2c177-1862-11de-9d9d-001a4d4b12d9",
                    Decimal("2042.66"),
                    "руб",
                    None,
                    Decimal(1),
                ),
                OfferPrice(
                    "58b675d7-515d-11e0-a140-00241d886595",
                    Decimal("22.5"),
                    "EUR",
                    None,
                    Decimal(1),
                ),
            ),
            stock=(),
            total_quantity=None,
            has_prices=True,
            has_stock=False,
        ),
        Offer(
            onec_id="56ece96f-ae16-11e5-9468-00155d020201#d708d347-168c-11e6-946e-00155d020201",
            article=None,
            name=None,
            unit=None,
            prices=(
                OfferPrice(
                    "aef2c177-1862-11de-9d9d-001a4d4b12d9",
                    Decimal("6981.45"),
                    "руб",
                    None,
                    Decimal(1),
                ),
            ),
            stock=(),
            total_quantity=None,
            has_prices=True,
            has_stock=False,
        ),
    ]


def test_cml3_rests_say_nothing_of_prices() -> None:
    _, offers = read_offers(FIXTURES / "cml3" / "rests.xml", max_bytes=LIMIT)

    assert [
        (o.onec_id, o.prices, o.stock, o.total_quantity, o.has_prices, o.has_stock) for o in offers
    ] == [
        (
            "afc7eb78-8172-11e7-948c-00155d020201#a5abd77f-93f6-11e5-9468-00155d020201",
            (),
            (
                StockLevel("be3dfd89-0ac5-11e1-84f0-00241d886595", Decimal(14)),
                StockLevel("a2975786-af00-11de-9055-00155d3ebc00", Decimal(0)),
            ),
            None,
            False,
            True,
        ),
        # <Остатки><Остаток><Количество> without a warehouse: the total only.
        (
            "56ece96f-ae16-11e5-9468-00155d020201#d708d347-168c-11e6-946e-00155d020201",
            (),
            (),
            Decimal("3.75"),
            False,
            True,
        ),
    ]


def _offers_file(tmp_path: Path, offer: str) -> Path:
    path = tmp_path / "offers.xml"
    path.write_text(
        '<КоммерческаяИнформация ВерсияСхемы="2.08" ДатаФормирования="2026-03-01T00:00:00">'
        f"<ПакетПредложений><Предложения>{offer}</Предложения></ПакетПредложений>"
        "</КоммерческаяИнформация>",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("price", "reason"),
    [
        ("<ЦенаЗаЕдиницу>12,5,0</ЦенаЗаЕдиницу>", "is not a number"),
        ("<ЦенаЗаЕдиницу>NaN</ЦенаЗаЕдиницу>", "is not a number"),
        ("<ЦенаЗаЕдиницу>1e999999999</ЦенаЗаЕдиницу>", "is out of range"),
        ("<ЦенаЗаЕдиницу>1e-999999999</ЦенаЗаЕдиницу>", "is out of range"),
        ("", "without ИдТипаЦены or ЦенаЗаЕдиницу"),
    ],
)
def test_a_price_that_is_not_a_number_is_refused(tmp_path: Path, price: str, reason: str) -> None:
    path = _offers_file(
        tmp_path,
        f"<Предложение><Ид>p1</Ид><Цены><Цена><ИдТипаЦены>t</ИдТипаЦены>{price}</Цена>"
        "</Цены></Предложение>",
    )
    with pytest.raises(CommerceMLError, match=reason):
        read_offers(path, max_bytes=LIMIT)


def test_an_offer_without_prices_or_stock_says_so(tmp_path: Path) -> None:
    path = _offers_file(
        tmp_path, "<Предложение><Ид>p1</Ид><Наименование>N</Наименование></Предложение>"
    )
    _, offers = read_offers(path, max_bytes=LIMIT)
    assert [(o.has_prices, o.has_stock, o.prices, o.stock) for o in offers] == [
        (False, False, (), ())
    ]


def test_a_catalog_is_not_an_offers_file() -> None:
    with pytest.raises(CommerceMLError, match="not an offers file"):
        read_offers(FIXTURES / "import.xml", max_bytes=LIMIT)
