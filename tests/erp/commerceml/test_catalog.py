"""import.xml read into the catalog the bot keeps (issue 17): CommerceML 2.05 with its
namespace, 3.1 with its classifier units, every shape of the base unit, deletion marks, a
classifier-only file, and a file that breaks after its header."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.services.commerceml import (
    CatalogHeader,
    CatalogProduct,
    CommerceMLError,
    PriceType,
    Warehouse,
    read_catalog,
)
from tests.fakes.commerceml_files import write_catalog_file

FIXTURES = Path(__file__).parents[2] / "fakes" / "commerceml"
LIMIT = 1 << 20


def test_catalog_2_05_with_namespace() -> None:
    header, products = read_catalog(FIXTURES / "import.xml", max_bytes=LIMIT)

    assert header == CatalogHeader(
        schema_version="2.05",
        generated_at=datetime(2026, 2, 27, 17, 40, 12),  # noqa: DTZ001 - naive, as 1C writes it
        only_changes=False,
        catalog_id="bd72d8f9-55bc-11d9-848a-00112f43529a",
        groups={
            "05e26d6f-01e4-11dc-a411-00055d80a2d1": "Упаковка",
            "16b791bb-816f-11e9-9c72-e0d55e229524": "Гофрокороба",
            "16b791bc-816f-11e9-9c72-e0d55e229524": "Четырёхклапанные",
            "9d67a9b6-baf9-11e6-853e-60a44c5c87dc": "Плёнка & скотч",
        },
    )
    assert list(products) == [
        CatalogProduct(
            onec_id="0d9efc08-d695-11e8-8324-b010418127da",
            article="GK-400",
            name='Гофрокороб 400x300x200 "Т-23" & крышка',
            unit="шт",
            unit_code="796",
            group_ids=("16b791bc-816f-11e9-9c72-e0d55e229524",),
            deleted=False,
        ),
        # <БазоваяЕдиница Код="166 " …> holding only a Пересчет: the short name from OKEI.
        CatalogProduct(
            onec_id="8de3d432-9a21-11e7-8b00-94de80a9c64c",
            article="STR-23",
            name="Стрейч-плёнка 500 мм",
            unit="кг",
            unit_code="166",
            group_ids=(
                "9d67a9b6-baf9-11e6-853e-60a44c5c87dc",
                "05e26d6f-01e4-11dc-a411-00055d80a2d1",
            ),
            deleted=False,
        ),
        # Статус="удален", in lower case as 1C 8.3 writes it; an empty <Артикул/>.
        CatalogProduct(
            onec_id="05e26d70-01e4-11dc-a411-00055d80a2d1",
            article=None,
            name="Стол обеденный",
            unit="шт",
            unit_code="796",
            group_ids=("05e26d6f-01e4-11dc-a411-00055d80a2d1",),
            deleted=True,
        ),
        # <ПометкаУдаления>true</…>; a unit by НаименованиеКраткое.
        CatalogProduct(
            onec_id="7d2dcab5-e453-11e6-9483-00155d020201",
            article="LT-48",
            name="Скотч 48 мм",
            unit="рул",
            unit_code="736",
            group_ids=(),
            deleted=True,
        ),
    ]


def test_catalog_3_1_units_price_types_and_warehouses_from_the_classifier() -> None:
    header, products = read_catalog(FIXTURES / "cml3" / "import.xml", max_bytes=LIMIT)

    assert header.schema_version == "3.1"
    assert header.only_changes is True
    assert header.catalog_id == "3471fae0-92bc-47f5-8234-db142906215a"
    assert header.groups == {
        "94dcb60e-616e-498e-9332-e9991143bbf6": "Программное обеспечение",
        "94dcb60f-616e-498e-9332-e9991143bbf6": "Антивирусы",
        "a46abc88-5031-11e4-9440-00155d020201": "Канцелярия",
    }
    assert header.price_types == {
        "aef2c177-1862-11de-9d9d-001a4d4b12d9": PriceType(
            "aef2c177-1862-11de-9d9d-001a4d4b12d9", "Отпускная цена", "руб"
        ),
        "58b675d7-515d-11e0-a140-00241d886595": PriceType(
            "58b675d7-515d-11e0-a140-00241d886595", "Отпускная, евро", "EUR"
        ),
    }
    assert header.warehouses == {
        "be3dfd89-0ac5-11e1-84f0-00241d886595": Warehouse(
            "be3dfd89-0ac5-11e1-84f0-00241d886595", "Основной склад"
        ),
        "a2975786-af00-11de-9055-00155d3ebc00": Warehouse(
            "a2975786-af00-11de-9055-00155d3ebc00", "Офис Тюмень"
        ),
    }
    assert [(p.onec_id, p.article, p.unit, p.unit_code, p.deleted) for p in products] == [
        # <БазоваяЕдиница>796 </…>: the classifier's unit of that Ид.
        ("afc7eb78-8172-11e7-948c-00155d020201", "KL1941ROBFR", "шт", "796", False),
        # A unit of 1C's own, named by a GUID and without an OKEI code.
        ("235ccc6d-ab81-11e4-944a-00155d020201", None, "кор", None, True),
        # A code the classifier does not list: OKEI's name for it.
        ("56ece96f-ae16-11e5-9468-00155d020201", "PL-12", "кг", "166", False),
    ]


def test_a_classifier_alone_is_a_catalog_without_products(tmp_path: Path) -> None:
    path = tmp_path / "import___classifier.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_3" ВерсияСхемы="3.1" '
        'ДатаФормирования="2026-03-01T13:50:45">'
        '<Классификатор СодержитТолькоИзменения="true"><Ид>c1</Ид><Наименование>К</Наименование>'
        "<Группы><Группа><Ид>g1</Ид><Наименование>Бумага</Наименование></Группа></Группы>"
        "</Классификатор></КоммерческаяИнформация>",
        encoding="utf-8",
    )

    header, products = read_catalog(path, max_bytes=LIMIT)

    assert (header.only_changes, header.catalog_id, header.groups) == (
        True,
        None,
        {"g1": "Бумага"},
    )
    assert list(products) == []


def test_an_offers_file_is_not_a_catalog() -> None:
    with pytest.raises(CommerceMLError, match="not a catalog"):
        read_catalog(FIXTURES / "offers.xml", max_bytes=LIMIT)


def test_a_product_without_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "import.xml"
    path.write_text(
        '<КоммерческаяИнформация ВерсияСхемы="2.08" ДатаФормирования="2026-03-01T00:00:00">'
        "<Каталог><Ид>c</Ид><Товары><Товар><Наименование>Без Ид</Наименование></Товар>"
        "</Товары></Каталог></КоммерческаяИнформация>",
        encoding="utf-8",
    )
    with pytest.raises(CommerceMLError, match="without Ид"):
        read_catalog(path, max_bytes=LIMIT)


def test_the_header_comes_first_and_a_file_broken_later_fails_while_streaming(
    tmp_path: Path,
) -> None:
    """The header is read before the products are; a file cut off in its products gives
    the first ones and then CommerceMLError, so the caller applies nothing."""
    whole = tmp_path / "whole.xml"
    write_catalog_file(whole, 300)
    data = whole.read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(data[: data.index(b"GK-000250") + 20])

    header, products = read_catalog(cut, max_bytes=LIMIT)
    assert header.catalog_id == "bd72d8f9-55bc-11d9-848a-00112f43529a"
    seen: list[str] = []

    def read_all() -> None:
        seen.extend(product.article or "" for product in products)

    with pytest.raises(CommerceMLError, match="malformed XML"):
        read_all()
    assert seen[:2] == ["GK-000000", "GK-000001"]
    assert len(seen) < 251
