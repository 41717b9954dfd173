"""A small company in the fake 1C (УТ 11.5): a manager, clients with their partners and
contracts, a product, and helpers to post shipments and payments as people do in 1C. Used
by the sync's in-process and end-to-end tests and by bench/erp_sync.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from bot.services.onec import profiles as p
from tests.fakes import onec_records as r
from tests.fakes.onec_odata import FakeOneC

Record = dict[str, Any]
MANAGER = "Иванов Иван Иванович"
USER, PASSWORD = "Обмен", "Пароль1С"


@dataclass
class OneCCompany:
    fake: FakeOneC
    ids: r.Ids = field(default_factory=lambda: r.Ids(2026))
    clients: dict[str, Record] = field(default_factory=dict)
    contracts: dict[str, Record] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rub = self._add(p.CURRENCIES, r.currency(self.ids))
        self.manager = self._add(p.USERS, r.user(self.ids, name=MANAGER))
        self.pcs = self._add(p.PACKAGES, r.package(self.ids, name="шт"))
        self.product = self._add(
            p.PRODUCTS,
            r.product(self.ids, name="Гофрокороб 400×300", article="GK-400", unit=self.pcs),
        )
        self.wholesale = self._add(
            p.PRICE_TYPES, r.price_type(self.ids, name="Оптовая", currency=self.rub)
        )

    def _add(self, entity: str, record: Record) -> Record:
        self.fake.add(entity, record)
        return record

    def client(self, name: str, inn: str, kpp: str = "", *, deferral_days: int = 30) -> Record:
        """A client of the manager: partner, contractor and a contract with a deferral."""
        partner = self._add(p.PARTNERS, r.partner(self.ids, name=name, manager=self.manager))
        contractor = self._add(
            p.CONTRACTORS,
            r.contractor(self.ids, name=name, inn=inn, kpp=kpp, partner=partner),
        )
        self.clients[name] = contractor
        self.contracts[name] = self._add(
            p.CONTRACTS,
            r.contract(
                self.ids,
                contractor=contractor,
                number=f"{len(self.contracts) + 1}/2026",
                day=date(2026, 1, 1),
                deferral_days=deferral_days,
                currency=self.rub,
            ),
        )
        return contractor

    def shipment(self, client: str, number: str, day: date, amount: Decimal | str) -> Record:
        return self._add(p.SHIPMENTS, self.shipment_record(client, number, day, amount))

    def shipment_record(
        self, client: str, number: str, day: date, amount: Decimal | str
    ) -> Record:
        return r.shipment(
            self.ids,
            number=number,
            day=day,
            contractor=self.clients[client],
            contract=self.contracts[client],
            currency=self.rub,
            lines=[r.goods(self.product, 1, amount)],
        )

    def payment(
        self, client: str, number: str, day: date, amount: Decimal | str, *, pays: Record | None
    ) -> Record:
        return self._add(p.BANK_RECEIPTS, self.payment_record(client, number, day, amount, pays))

    def payment_record(
        self, client: str, number: str, day: date, amount: Decimal | str, pays: Record | None
    ) -> Record:
        rows = []
        if pays is not None:
            settlement = self._add(
                p.SETTLEMENT_OBJECTS,
                r.settlement_object(self.ids, target=pays, entity=p.SHIPMENTS),
            )
            rows = [r.breakdown(amount, settlement=settlement)]
        return r.bank_payment(
            self.ids,
            number=number,
            day=day,
            contractor=self.clients[client],
            amount=amount,
            rows=rows,
            incoming_number=number.split("-")[-1],
            incoming_date=day,
            currency=self.rub,
        )

    def unpost(self, entity: str, record: Record) -> None:
        """As an accountant who cancels a document's posting in 1C."""
        self.fake.replace(entity, {**record, "Posted": False})
