"""The generated CommerceML files the benchmark reads (tests/fakes/commerceml_files.py) are
valid CommerceML 2.08, carry what their helpers say, and are read with memory flat in their
size."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from bot.services.commerceml import OfferPrice, StockLevel, read_catalog, read_offers
from tests.fakes.commerceml_files import (
    PRICE_TYPE_IDS,
    product_id,
    stock,
    warehouse_id,
    wholesale_price,
    write_catalog_file,
    write_offers_file,
)

SCHEMA = Path(__file__).parents[2] / "fakes" / "commerceml" / "schema" / "commerceml_2.08.xsd"


@pytest.mark.parametrize("encoding", ["utf-8", "windows-1251"])
def test_generated_files_are_valid_commerceml_2_08(tmp_path: Path, encoding: str) -> None:
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    offers, catalog = tmp_path / "offers.xml", tmp_path / "import.xml"
    write_offers_file(offers, 12, 3, encoding=encoding)
    write_catalog_file(catalog, 150, encoding=encoding)

    for path in (offers, catalog):
        assert schema.validate(etree.parse(str(path))), schema.error_log


def test_generated_offers_carry_what_the_helpers_say(tmp_path: Path) -> None:
    path = tmp_path / "offers.xml"
    write_offers_file(path, 2_500, 3)

    header, offers = read_offers(path, max_bytes=10 << 20)

    assert set(header.warehouses) == {warehouse_id(w) for w in range(3)}
    for n, offer in enumerate(offers):
        assert offer.onec_id == product_id(n)
        assert offer.prices[0] == OfferPrice(
            PRICE_TYPE_IDS[0], wholesale_price(n), "руб", "PCE", offer.prices[0].per
        )
        assert offer.stock == tuple(StockLevel(warehouse_id(w), stock(n, w)) for w in range(3))
        assert offer.total_quantity == sum(stock(n, w) for w in range(3))
    assert n == 2_499
    assert "#" in product_id(4) and "#" not in product_id(5)


def test_generated_catalog_marks_every_hundredth_deleted(tmp_path: Path) -> None:
    path = tmp_path / "import.xml"
    write_catalog_file(path, 300)

    header, products = read_catalog(path, max_bytes=10 << 20)

    assert len(header.groups) == 12
    assert [p.article for p in products if p.deleted] == ["GK-000099", "GK-000199", "GK-000299"]


def _rss() -> int:
    with Path("/proc/self/status").open() as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_reading_is_flat_in_memory(tmp_path: Path) -> None:
    """20,000 offers (35 MB): kept whole, their tree would take some 220 MB; released as
    read, the process grows by well under 32 MB."""
    path = tmp_path / "offers.xml"
    write_offers_file(path, 20_000, 3)
    start = peak = _rss()

    _, offers = read_offers(path, max_bytes=100 << 20)
    for n, _ in enumerate(offers):
        if n % 1000 == 0:
            peak = max(peak, _rss())

    assert n == 19_999
    assert peak - start < 32 << 20
