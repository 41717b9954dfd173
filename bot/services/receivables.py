"""Receivables as 1C keeps them: shipments create debt due after the contract's deferral;
payments pay the shipment they name, or first-in-first-out within the contract; money beyond
the debt is an advance. Pure functions of the facts and today's date."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# The facts are what the repository reads (storage.erp.ErpRepo.receivable_facts).
from storage.erp_dto import OpenAmount, PaymentFact, ShipmentFact

__all__ = [
    "BUCKETS",
    "ZERO",
    "ClientReceivables",
    "OpenAmount",
    "OpenShipment",
    "PaymentFact",
    "ShipmentFact",
    "aging_bucket",
    "open_amounts",
    "penalty",
    "receivables",
]
ZERO = Decimal("0.00")
BUCKETS = ("1-30", "31-60", "61-90", "90+")


@dataclass(frozen=True, slots=True)
class OpenShipment:
    shipment: ShipmentFact
    remaining: Decimal
    days_overdue: int  # 0 when not yet due


@dataclass
class ClientReceivables:
    client_id: int
    currency: str
    open: list[OpenShipment] = field(default_factory=list)
    advance: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return sum((o.remaining for o in self.open), ZERO)

    @property
    def overdue(self) -> Decimal:
        return sum((o.remaining for o in self.open if o.days_overdue > 0), ZERO)

    @property
    def buckets(self) -> dict[str, Decimal]:
        result = dict.fromkeys(BUCKETS, ZERO)
        for item in self.open:
            if item.days_overdue > 0:
                result[aging_bucket(item.days_overdue)] += item.remaining
        return result

    @property
    def oldest_overdue_days(self) -> int:
        return max((o.days_overdue for o in self.open), default=0)

    def overdue_oldest_first(self) -> list[OpenShipment]:
        return sorted((o for o in self.open if o.days_overdue > 0), key=lambda o: -o.days_overdue)


def aging_bucket(days_overdue: int) -> str:
    if days_overdue <= 30:
        return "1-30"
    if days_overdue <= 60:
        return "31-60"
    if days_overdue <= 90:
        return "61-90"
    return "90+"


def receivables(
    shipments: Iterable[ShipmentFact], payments: Iterable[PaymentFact], today: date
) -> dict[tuple[int, str], ClientReceivables]:
    """Per (client, currency): the shipments still owed (oldest first) and any advance."""
    remaining: dict[int, Decimal] = {}
    by_id: dict[int, ShipmentFact] = {}
    credits: dict[tuple[int, str, int | None], list[tuple[date, int, Decimal]]] = defaultdict(list)
    for s in sorted(shipments, key=lambda s: (s.shipped_on, s.id)):
        if s.amount >= 0:
            remaining[s.id] = s.amount
            by_id[s.id] = s
    for s in shipments:
        if s.amount < 0:
            # A return or correction reduces the shipment it names; anything beyond, or one
            # naming nothing, works like money paid under the contract.
            left = -s.amount
            if s.base_shipment_id in remaining:
                used = min(left, remaining[s.base_shipment_id])
                remaining[s.base_shipment_id] -= used
                left -= used
            if left > 0:
                credits[(s.client_id, s.currency, s.contract_id)].append(
                    (s.shipped_on, s.id, left)
                )
    for p in payments:
        left = p.amount
        if p.shipment_id in remaining and by_id[p.shipment_id].currency == p.currency:
            used = min(left, remaining[p.shipment_id])
            remaining[p.shipment_id] -= used
            left -= used
        if left > 0:
            contract = p.contract_id
            if contract is None and p.shipment_id in by_id:
                contract = by_id[p.shipment_id].contract_id
            credits[(p.client_id, p.currency, contract)].append((p.paid_on, p.id, left))
    result: dict[tuple[int, str], ClientReceivables] = {}

    def bucket(client_id: int, currency: str) -> ClientReceivables:
        return result.setdefault((client_id, currency), ClientReceivables(client_id, currency))

    open_by_contract: dict[tuple[int, str, int | None], list[int]] = defaultdict(list)
    for s in by_id.values():
        open_by_contract[(s.client_id, s.currency, s.contract_id)].append(s.id)
    for group, money in credits.items():
        pool = sum((amount for _, _, amount in money), ZERO)
        for shipment_id in open_by_contract.get(group, []):  # already oldest first
            if pool <= 0:
                break
            used = min(pool, remaining[shipment_id])
            remaining[shipment_id] -= used
            pool -= used
        if pool > 0:
            bucket(group[0], group[1]).advance += pool
    for shipment_id, owed in remaining.items():
        if owed <= 0:
            continue
        s = by_id[shipment_id]
        days = max((today - s.due_on).days, 0)
        bucket(s.client_id, s.currency).open.append(OpenShipment(s, owed, days))
    for item in result.values():
        item.open.sort(key=lambda o: (o.shipment.shipped_on, o.shipment.id))
    return result


def penalty(amount: Decimal, rate_percent_per_day: Decimal, days: int) -> Decimal:
    """Contract penalty: amount × rate % × days, to the kopeck."""
    return (amount * rate_percent_per_day / 100 * days).quantize(Decimal("0.01"))


def open_amounts(
    shipments: Iterable[ShipmentFact], payments: Iterable[PaymentFact]
) -> list[OpenAmount]:
    """What is still owed on every shipment (0 when paid), for keeping it in the database."""
    listed = list(shipments)
    owed = {
        o.shipment.id: o.remaining
        for money in receivables(listed, payments, date.max).values()
        for o in money.open
    }
    return [OpenAmount(s.id, owed.get(s.id, ZERO)) for s in listed if s.amount >= 0]
