from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.services.receivables import (
    PaymentFact,
    ShipmentFact,
    aging_bucket,
    penalty,
    receivables,
)

TODAY = date(2026, 11, 23)
D = Decimal


def ship(
    i: int,
    amount: str,
    days_ago: int,
    deferral: int = 10,
    contract: int | None = 1,
    base: int | None = None,
) -> ShipmentFact:
    shipped = TODAY - timedelta(days=days_ago)
    return ShipmentFact(
        i,
        f"Р-{i}",
        shipped,
        shipped + timedelta(days=deferral),
        D(amount),
        "RUB",
        7,
        contract,
        base,
    )


def pay(i: int, amount: str, shipment: int | None = None, contract: int | None = 1) -> PaymentFact:
    return PaymentFact(i, TODAY, D(amount), "RUB", 7, contract, shipment)


def test_fifo_named_payment_and_advance() -> None:
    shipments = [ship(1, "1000.00", 100), ship(2, "500.00", 50), ship(3, "300.00", 5)]
    payments = [pay(10, "300.00", shipment=3), pay(11, "1200.00")]
    [r] = receivables(shipments, payments, TODAY).values()
    assert [(o.shipment.id, o.remaining) for o in r.open] == [(2, D("300.00"))]
    assert r.overdue == D("300.00") and r.advance == D("0.00")
    [r] = receivables(shipments, [*payments, pay(12, "400.00")], TODAY).values()
    assert r.open == [] and r.advance == D("100.00")


def test_unnamed_payment_stays_in_its_contract() -> None:
    shipments = [ship(1, "1000.00", 40, contract=1), ship(2, "1000.00", 40, contract=2)]
    [r] = receivables(shipments, [pay(10, "1000.00", contract=2)], TODAY).values()
    assert [o.shipment.id for o in r.open] == [1]


def test_return_reduces_the_shipment_it_names() -> None:
    shipments = [ship(1, "1000.00", 40), ship(2, "-250.00", 30, base=1)]
    [r] = receivables(shipments, [], TODAY).values()
    assert r.open[0].remaining == D("750.00")


def test_aging_buckets_and_days_overdue() -> None:
    shipments = [
        ship(1, "100.00", 20),
        ship(2, "200.00", 60),
        ship(3, "300.00", 80),
        ship(4, "400.00", 200),
        ship(5, "50.00", 3),
    ]
    [r] = receivables(shipments, [], TODAY).values()
    assert r.buckets == {
        "1-30": D("100.00"),
        "31-60": D("200.00"),
        "61-90": D("300.00"),
        "90+": D("400.00"),
    }
    assert r.total == D("1050.00") and r.overdue == D("1000.00") and r.oldest_overdue_days == 190
    assert [o.shipment.id for o in r.overdue_oldest_first()] == [4, 3, 2, 1]


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (1, "1-30"),
        (30, "1-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "90+"),
    ],
)
def test_bucket_boundaries(days: int, bucket: str) -> None:
    assert aging_bucket(days) == bucket


def test_penalty_is_exact() -> None:
    assert penalty(D("150000.00"), D("0.1"), 45) == D("6750.00")
    assert penalty(D("1000.01"), D("0.03"), 7) == D("2.10")
