"""The pure rules of /stock and the out-of-stock lists: which way a price goes, the total
of a product never stated (none, not 0), when the figures are as of, the short list of
names, the query's mark on page buttons, and who may look stock up."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.runtime.i18n import Translator
from bot.services.client_search import search_key
from bot.services.stock import (
    QUERY_REF_MAX,
    STOCK_ROLES,
    Direction,
    ProductStock,
    clean_query,
    price_direction,
    query_ref,
    short_list,
    stock_as_of,
    stock_total,
)
from bot.views.common.menu import FEATURES
from bot.views.stock.texts import product_names
from storage.exchange import WarehouseStock

EARLY = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
LATE = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("current", "upcoming", "expected"),
    [
        (Decimal("20.00"), Decimal("23.00"), Direction.UP),
        (Decimal("25.00"), Decimal("22.00"), Direction.DOWN),
        (Decimal("20.00"), Decimal("20.00"), Direction.SAME),
        (Decimal("20.00"), Decimal("20.01"), Direction.UP),
        (None, Decimal("20.00"), None),  # no current price: no direction to speak of
    ],
)
def test_price_direction(
    current: Decimal | None, upcoming: Decimal, expected: Direction | None
) -> None:
    assert price_direction(current, upcoming) is expected


def test_a_product_never_stated_has_no_total_and_one_stated_empty_has_zero() -> None:
    assert stock_total([]) is None
    assert stock_as_of([]) is None
    out = [WarehouseStock("A", Decimal("0"), EARLY), WarehouseStock("B", Decimal("0"), LATE)]
    assert stock_total(out) == 0
    mixed = [
        WarehouseStock("A", Decimal("12.500"), EARLY),
        WarehouseStock("B", Decimal("-2"), LATE),  # 1C's negative balance counts against
    ]
    assert stock_total(mixed) == Decimal("10.5")
    assert stock_as_of(mixed) == LATE  # the exchange's latest word on the product


def test_the_product_carries_its_total_as_of_and_direction() -> None:
    product = ProductStock(
        product_id=1,
        code="B-8",
        name="Болт М8",
        unit="шт",
        levels=(WarehouseStock("A", Decimal("3"), EARLY),),
        price=Decimal("20.00"),
        currency="RUB",
        next_price=Decimal("19.00"),
    )
    assert (product.total, product.as_of, product.direction) == (Decimal(3), EARLY, Direction.DOWN)
    assert ProductStock(2, "X", "X", None, (), None, None).direction is None


def test_short_list_and_its_text_in_both_languages() -> None:
    names = ["Болт", "Гайка", "Шайба", "Винт", "Дюбель"]
    assert short_list(names, 3) == (["Болт", "Гайка", "Шайба"], 2)
    assert short_list(names[:2], 3) == (["Болт", "Гайка"], 0)
    assert short_list([], 3) == ([], 0)
    translator = Translator()
    assert product_names(names, translator.get("en"), 3) == "Болт, Гайка, Шайба and 2 more"
    assert product_names(names, translator.get("ru"), 3) == "Болт, Гайка, Шайба и ещё 2"
    assert product_names(names[:3], translator.get("en"), 3) == "Болт, Гайка, Шайба"


def test_query_ref_is_stable_small_and_tells_queries_apart() -> None:
    assert query_ref("болт") == query_ref("болт")
    assert query_ref("болт") != query_ref("болт м8")
    assert all(0 <= query_ref(q) <= QUERY_REF_MAX for q in ("", "болт", "x" * 100))


def test_a_query_is_trimmed_and_bounded() -> None:
    assert clean_query("  B-8 \n") == "B-8"
    assert len(clean_query("б" * 5000)) == 100


@pytest.mark.parametrize("name", ["Болт_М8", "a_b", "___", "_", "Винт  _  12", "ООО «_»"])
def test_no_search_key_holds_an_underscore(name: str) -> None:
    """Search keys are words of letters and digits joined by single spaces."""
    assert "_" not in search_key(name)
    assert "  " not in search_key(name)


def test_who_may_look_stock_up_is_who_the_menu_offers_it_to() -> None:
    [feature] = [f for f in FEATURES if f.command == "stock"]
    assert feature.roles == STOCK_ROLES
