"""Reading a base through the fake 1C: the profile a base gets, what it lacks, each kind's
rows (and that the importer's `validate_row` accepts them), the date window, what is left
out (unposted, deleted, cancelled, other operations, other price types)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import pytest

from bot.services.erp_import.validate import COLUMNS, Lookups, validate_row
from bot.services.onec import profiles as p
from bot.services.onec.odata import ODataClient
from bot.services.onec.profiles import MissingPart, Profile, choose_profile, missing
from bot.services.onec.reading import OneCReader, SkippedKind, currency_code, enum_text
from storage.erp_dto import (
    ContractRef,
    DateWindow,
    DocumentRef,
    ErpContract,
    ErpOrderLine,
    ErpPayment,
    ErpShipment,
)
from tests.fakes import onec_records as r
from tests.fakes.onec_odata import FakeOneC

TODAY = date(2026, 11, 23)  # the window: 2026-10-09 .. 2026-11-23
USER, PASSWORD = "Обмен", "Пароль1С"
Record = dict[str, Any]
Rows = list[dict[str, object]]


@dataclass
class Base:
    """What the fake base holds, by name, for the assertions."""

    fake: FakeOneC
    items: dict[str, Record] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Record:
        return self.items[name]

    def add(self, entity: str, name: str, record: Record) -> Record:
        self.fake.add(entity, record)
        self.items[name] = record
        return record


def populate(fake: FakeOneC, release: Literal["11.5", "11.4"] = "11.5") -> Base:
    base = Base(fake)
    ids = r.Ids(2026)
    add = base.add
    rub = add(p.CURRENCIES, "rub", r.currency(ids))
    add(p.CURRENCIES, "usd", r.currency(ids, code="840", name="USD", full="Доллар США"))
    petrov = add(p.USERS, "petrov", r.user(ids, name="Петров Пётр Петрович"))
    ivanova = add(p.USERS, "ivanova", r.user(ids, name="Иванова Анна Сергеевна"))
    p_romashka = add(p.PARTNERS, "p_romashka", r.partner(ids, name="Ромашка", manager=petrov))
    p_holding = add(p.PARTNERS, "p_holding", r.partner(ids, name="Холдинг", manager=ivanova))
    p_sidorov = add(p.PARTNERS, "p_sidorov", r.partner(ids, name="Сидоров"))
    romashka = add(
        p.CONTRACTORS,
        "romashka",
        r.contractor(
            ids, name="ООО «Ромашка»", inn="7707083893", kpp="770701001", partner=p_romashka
        ),
    )
    head = add(
        p.CONTRACTORS,
        "head",
        r.contractor(
            ids, name="АО «Холдинг»", inn="7736207543", kpp="773601001", partner=p_holding
        ),
    )
    add(
        p.CONTRACTORS,
        "branch",
        r.contractor(
            ids,
            name="АО «Холдинг», филиал в Казани",
            inn="7736207543",
            kpp="165545001",
            partner=p_holding,
            head=head,
        ),
    )
    add(p.CONTRACTORS, "gone", r.contractor(ids, name="ООО «Закрыто»", deleted=True))
    sidorov = add(
        p.CONTRACTORS,
        "sidorov",
        r.contractor(ids, name="ИП Сидоров С. С.", inn="500100732259", partner=p_sidorov),
    )
    k_romashka = add(
        p.CONTRACTS,
        "k_romashka",
        r.contract(
            ids,
            contractor=romashka,
            number="15/2026",
            day=date(2026, 1, 1),
            deferral_days=30,
            credit_limit=Decimal("500000.00"),
            currency=rub,
        ),
    )
    add(
        p.CONTRACTS,
        "k_head",
        r.contract(ids, contractor=head, number="", day=date(2025, 6, 1), name="Основной договор"),
    )
    add(
        p.CONTRACTS,
        "k_gone",
        r.contract(ids, contractor=romashka, number="1/2020", day=date(2020, 1, 1), deleted=True),
    )
    pcs = add(p.PACKAGES, "pcs", r.package(ids, name="шт"))
    meter = add(p.PACKAGES, "meter", r.package(ids, name="м"))
    box = add(p.PACKAGES, "box", r.package(ids, name="упаковка (10 штук)"))
    nail = add(
        p.PRODUCTS,
        "nail",
        r.product(
            ids, name="Гвоздь строительный 4×100", article="G-100", code="00-0001", unit=pcs
        ),
    )
    cable = add(
        p.PRODUCTS, "cable", r.product(ids, name="Кабель ВВГ 3×2,5", code="00-0002", unit=meter)
    )
    add(p.PRODUCTS, "folder", r.product(ids, name="Крепёж", folder=True))

    o_old = add(
        p.ORDERS,
        "o_old",
        r.order(
            ids,
            number="ЗК-0005",
            day=date(2026, 9, 1),
            contractor=romashka,
            lines=[r.goods(nail, 1, "10.10")],
        ),
    )
    o1 = add(
        p.ORDERS,
        "o1",
        r.order(
            ids,
            number="ЗК-0101",
            day=date(2026, 11, 2),
            contractor=romashka,
            contract=k_romashka,
            status="КОтгрузке",
            ship_date=date(2026, 11, 5),
            currency=rub,
            lines=[
                r.goods(nail, "12.500", "10.10"),
                r.goods(cable, 100, "12.34"),
                r.goods(nail, 3, "10.10", cancelled=True),
            ],
        ),
    )
    add(
        p.ORDERS,
        "o2",
        r.order(
            ids,
            number="ЗК-0102",
            day=date(2026, 11, 10),
            contractor=head,
            status="НеСогласован",
            lines=[r.goods(nail, 1, "0.10")],
        ),
    )
    add(
        p.ORDERS,
        "o_draft",
        r.order(
            ids,
            number="ЗК-0103",
            day=date(2026, 11, 11),
            contractor=head,
            posted=False,
            lines=[r.goods(nail, 1, 1)],
        ),
    )
    add(
        p.ORDERS,
        "o_deleted",
        r.order(
            ids,
            number="ЗК-0104",
            day=date(2026, 11, 12),
            contractor=head,
            deleted=True,
            lines=[r.goods(nail, 1, 1)],
        ),
    )

    s1 = add(
        p.SHIPMENTS,
        "s1",
        r.shipment(
            ids,
            number="РТ-0201",
            day=date(2026, 11, 3),
            contractor=romashka,
            contract=k_romashka,
            order=o1,
            currency=rub,
            lines=[r.goods(nail, "12.500", "10.10"), r.goods(cable, 100, "12.34")],
        ),
    )
    s2 = add(
        p.SHIPMENTS,
        "s2",
        r.shipment(
            ids,
            number="РТ-0202",
            day=date(2026, 11, 4),
            contractor=romashka,
            order=o_old,
            lines=[r.goods(nail, 1, "10.10")],
        ),
    )
    s_old = add(
        p.SHIPMENTS,
        "s_old",
        r.shipment(
            ids,
            number="РТ-0150",
            day=date(2026, 9, 5),
            contractor=romashka,
            lines=[r.goods(cable, 10, "12.34")],
        ),
    )
    add(
        p.SHIPMENTS,
        "s_draft",
        r.shipment(
            ids,
            number="РТ-0203",
            day=date(2026, 11, 6),
            contractor=romashka,
            posted=False,
            lines=[r.goods(cable, 1, 1)],
        ),
    )
    fake.add(
        p.PLAN_PAYMENTS,
        r.plan_payment(s1, line=1, due=date(2026, 12, 3), amount="1000.00"),
        r.plan_payment(s1, line=2, due=date(2026, 11, 20), amount=s1["СуммаДокумента"] - 1000),
        r.plan_payment(s1, line=3, due=date(2026, 11, 1), amount="5.00", record_type="Expense"),
    )

    def pays(target: Record, amount: Decimal, basis: Record | None = None) -> Record:
        """A breakdown row paying `target` (a shipment) the way this release names it."""
        contract = (basis, p.CONTRACTS) if basis else None
        if release == "11.4":
            return r.breakdown(amount, document=(target, p.SHIPMENTS), basis=contract)
        settlement = add(
            p.SETTLEMENT_OBJECTS,
            f"so_{target['Number']}",
            r.settlement_object(ids, target=target, entity=p.SHIPMENTS),
        )
        return r.breakdown(amount, settlement=settlement, basis=contract)

    add(
        p.BANK_RECEIPTS,
        "pay1",
        r.bank_payment(
            ids,
            number="ПБ-0301",
            day=date(2026, 11, 15),
            contractor=romashka,
            amount=s1["СуммаДокумента"],
            rows=[pays(s1, s1["СуммаДокумента"])],
            incoming_number="784",
            incoming_date=date(2026, 11, 14),
            currency=rub,
        ),
    )
    add(
        p.BANK_RECEIPTS,
        "pay2",
        r.bank_payment(
            ids,
            number="ПБ-0302",
            day=date(2026, 11, 16),
            contractor=romashka,
            amount="110.10",
            rows=[
                pays(s1, Decimal("100.00"), basis=k_romashka),
                pays(s2, Decimal("10.10"), basis=k_romashka),
            ],
            incoming_number="790",
            incoming_date=date(2026, 11, 16),
        ),
    )
    add(
        p.BANK_RECEIPTS,
        "pay3",
        r.bank_payment(
            ids,
            number="ПБ-0303",
            day=date(2026, 11, 17),
            contractor=romashka,
            amount=s_old["СуммаДокумента"],
            rows=[pays(s_old, s_old["СуммаДокумента"])],
        ),
    )
    add(
        p.BANK_RECEIPTS,
        "refund",
        r.bank_payment(
            ids,
            number="ПБ-0304",
            day=date(2026, 11, 17),
            contractor=romashka,
            amount="999.00",
            operation="ВозвратДенежныхСредствОтПоставщика",
        ),
    )
    add(
        p.BANK_RECEIPTS,
        "pay_old",
        r.bank_payment(
            ids, number="ПБ-0100", day=date(2026, 9, 20), contractor=romashka, amount="1.00"
        ),
    )
    add(
        p.CASH_RECEIPTS,
        "cash",
        r.cash_payment(
            ids, number="ПКО-0401", day=date(2026, 11, 18), contractor=sidorov, amount="1500.00"
        ),
    )

    wholesale = add(p.PRICE_TYPES, "wholesale", r.price_type(ids, name="Оптовая", currency=rub))
    retail = add(p.PRICE_TYPES, "retail", r.price_type(ids, name="Розничная", currency=rub))
    prices = p.PRICES_25 if release == "11.5" else p.PRICES_OLD
    recorder, later = ids(), ids()
    fake.add(
        prices,
        r.price_record(
            recorder,
            line=1,
            period=date(2026, 11, 1),
            price_type=wholesale,
            product=nail,
            price="10.10",
        ),
        r.price_record(
            recorder,
            line=2,
            period=date(2026, 11, 1),
            price_type=wholesale,
            product=cable,
            price="12.34",
            package=box,
        ),
        r.price_record(
            recorder,
            line=3,
            period=date(2026, 11, 1),
            price_type=retail,
            product=nail,
            price="15.00",
        ),
        r.price_record(
            recorder,
            line=4,
            period=date(2026, 11, 1),
            price_type=wholesale,
            product=nail,
            price="11.00",
            characteristic=ids(),
        ),
        r.price_record(
            later,
            line=1,
            period=date(2026, 12, 1),
            price_type=wholesale,
            product=nail,
            price="10.50",
        ),
        r.price_record(
            later,
            line=2,
            period=date(2026, 12, 1),
            price_type=wholesale,
            product=cable,
            price="13.00",
            active=False,
        ),
        r.price_record(
            ids(),
            line=1,
            period=date(2026, 8, 1),
            price_type=wholesale,
            product=nail,
            price="9.90",
        ),
    )
    return base


@pytest.fixture
async def base() -> AsyncIterator[Base]:
    async with FakeOneC(user=USER, password=PASSWORD) as fake:
        yield populate(fake)


def _client(fake: FakeOneC, page_size: int = 1000) -> ODataClient:
    return ODataClient(fake.base_url, USER, PASSWORD, page_size=page_size)


async def _reader(
    client: ODataClient, *, price_type: str | None = "Оптовая", full: bool = False
) -> OneCReader:
    profile = choose_profile(await client.metadata())
    reader = OneCReader(client, profile, price_type=price_type, today=TODAY, full=full)
    await reader.load_references()
    return reader


async def _rows(reader: OneCReader, kind: str) -> Rows:
    rows = []
    number = 0
    async for batch in reader.batches(kind):
        for row in batch:
            number += 1
            assert row.number == number
            rows.append(row.values)
    return rows


async def _read(fake: FakeOneC, kind: str, **kw: Any) -> Rows:
    async with _client(fake) as client:
        return await _rows(await _reader(client, **kw), kind)


# --- profiles and what is missing ---------------------------------------------------------------


async def test_the_release_chooses_the_profile_by_its_price_register() -> None:
    releases: tuple[tuple[Literal["11.5", "11.4"], Profile], ...] = (
        ("11.5", p.UT_11_5),
        ("11.4", p.UT_11_4),
    )
    for release, profile in releases:
        async with FakeOneC(user=USER, password=PASSWORD, release=release) as fake:
            async with _client(fake) as client:
                assert choose_profile(await client.metadata()) is profile
            # Prices not published: the payment breakdown tells the releases apart.
            fake.unpublish(profile.prices)
            fake.unpublish(profile.prices.removesuffix("_RecordType"))
            fake.metadata.complex_types.pop(
                profile.prices.replace("_RecordType", "_RowType"), None
            )
            async with _client(fake) as client:
                metadata = await client.metadata()
                assert not metadata.has(profile.prices)
                assert choose_profile(metadata) is profile
    assert p.UT_11_5.prices == "InformationRegister_ЦеныНоменклатуры25_RecordType"
    assert p.UT_11_4.prices == "InformationRegister_ЦеныНоменклатуры_RecordType"


@pytest.mark.parametrize("release", ["11.5", "11.4"])
async def test_a_fully_published_base_misses_nothing_and_extensions_are_not_read(
    release: Literal["11.5", "11.4"],
) -> None:
    async with FakeOneC(user=USER, password=PASSWORD, release=release) as fake:
        populate(fake, release)
        async with _client(fake) as client:
            metadata = await client.metadata()
            profile = choose_profile(metadata)
            assert missing(metadata, profile) == []
            reader = await _reader(client)
            assert reader.skipped == {}
            assert reader.kinds() == list(p.KINDS)
            for kind in reader.kinds():
                await _rows(reader, kind)
    selected = ",".join(q.query.get("$select", "") for q in fake.queries())
    assert "Расш1_" not in selected and "ИШ_" not in selected
    assert "Расш1_КодКлиентаCRM" in metadata.entity_sets[p.CONTRACTORS]


async def test_a_missing_object_or_field_is_named_with_what_to_tick_and_skips_that_kind(
    base: Base,
) -> None:
    fake = base.fake
    fake.unpublish(p.CASH_RECEIPTS)
    fake.drop_field(p.ORDERS, "СуммаДокумента")
    fake.unpublish(p.PLAN_PAYMENTS)
    async with _client(fake) as client:
        reader = await _reader(client)
        assert (
            MissingPart(
                "payments",
                p.CASH_RECEIPTS,
                None,
                "Документ.ПриходныйКассовыйОрдер",
                "Приходный кассовый ордер",
                needed=True,
            )
            in reader.missing
        )
        assert (
            MissingPart(
                "orders",
                p.ORDERS,
                "СуммаДокумента",
                "Документ.ЗаказКлиента",
                "Заказ клиента",
                needed=True,
            )
            in reader.missing
        )
        plan = [part for part in reader.missing if part.entity == p.PLAN_PAYMENTS]
        assert [(part.kind, part.needed, part.tick) for part in plan] == [
            ("shipments", False, "РегистрНакопления.РасчетыСКлиентамиПланОплат")
        ]
        assert set(reader.skipped) == {"orders", "payments"}
        assert reader.skipped["orders"].reason == "not_published"
        assert [part.field for part in reader.skipped["orders"].parts] == ["СуммаДокумента"]
        assert reader.kinds() == ["clients", "contracts", "order_lines", "shipments", "prices"]
        with pytest.raises(SkippedKind) as caught:
            await _rows(reader, "payments")
        assert caught.value.skip is reader.skipped["payments"]
        # The shipments are still read, without the plan register's due dates.
        shipments = await _rows(reader, "shipments")
        assert [(row["number"], row["due"]) for row in shipments] == [
            ("РТ-0201", None),
            ("РТ-0202", None),
        ]
        lines = await _rows(reader, "order_lines")
        assert len(lines) == 3


async def test_reading_before_the_references_is_refused(base: Base) -> None:
    async with _client(base.fake) as client:
        reader = OneCReader(client, p.UT_11_5, price_type=None, today=TODAY)
        with pytest.raises(RuntimeError, match="load_references"):
            await _rows(reader, "clients")


# --- each kind ---------------------------------------------------------------------------------


async def test_clients_with_inn_kpp_manager_and_holding(base: Base) -> None:
    rows = await _read(base.fake, "clients")
    by_name = {row["name"]: row for row in rows}
    assert set(by_name) == {
        "ООО «Ромашка»",
        "АО «Холдинг»",
        "АО «Холдинг», филиал в Казани",
        "ИП Сидоров С. С.",
    }  # the deleted contractor is not a client
    head, branch = base["head"]["Ref_Key"], base["branch"]["Ref_Key"]
    assert by_name["ООО «Ромашка»"] == {
        # УТ 11's contractors have no code: a contractor is known by its Ref_Key.
        "code": base["romashka"]["Ref_Key"],
        "name": "ООО «Ромашка»",
        "inn": "7707083893",
        "kpp": "770701001",
        "manager": "Петров Пётр Петрович",
        "holding": None,
    }
    assert by_name["АО «Холдинг», филиал в Казани"]["code"] == branch
    assert by_name["АО «Холдинг», филиал в Казани"]["holding"] == head
    assert by_name["АО «Холдинг»"]["holding"] is None  # its own head
    assert by_name["АО «Холдинг»"]["manager"] == "Иванова Анна Сергеевна"
    assert (
        by_name["ИП Сидоров С. С."]["manager"] is None
        and by_name["ИП Сидоров С. С."]["kpp"] is None
    )


async def test_a_catalog_with_codes_names_clients_by_code_everywhere(base: Base) -> None:
    fake = base.fake
    fake.add_field(p.CONTRACTORS, "Code")
    for name, code in (("romashka", "00-000017"), ("head", "00-000002"), ("branch", "00-000003")):
        base[name]["Code"] = code
    async with _client(fake) as client:
        reader = await _reader(client)
        clients = {row["name"]: row for row in await _rows(reader, "clients")}
        shipments = await _rows(reader, "shipments")
    assert clients["ООО «Ромашка»"]["code"] == "00-000017"
    assert clients["АО «Холдинг», филиал в Казани"]["holding"] == "00-000002"
    assert clients["ИП Сидоров С. С."]["code"] == base["sidorov"]["Ref_Key"]  # no code
    assert {row["client_code"] for row in shipments} == {"00-000017"}


async def test_contracts_with_number_date_deferral_and_credit_limit(base: Base) -> None:
    rows = await _read(base.fake, "contracts")
    assert sorted(rows, key=lambda row: str(row["number"])) == [
        {
            "client_code": base["romashka"]["Ref_Key"],
            "number": "15/2026",
            "date": date(2026, 1, 1),
            "deferral": 30,
            "credit_limit": Decimal("500000.00"),
            "currency": "RUB",
        },
        {
            "client_code": base["head"]["Ref_Key"],
            "number": "Основной договор",  # no Номер: its name
            "date": date(2025, 6, 1),
            "deferral": None,
            "credit_limit": None,  # ОграничиватьСуммуЗадолженности is off
            "currency": None,
        },
    ]  # the deleted contract is not read


async def test_orders_in_the_window_posted_and_not_deleted(base: Base) -> None:
    fake = base.fake
    rows = await _read(fake, "orders")
    assert sorted(row["number"] for row in rows) == ["ЗК-0101", "ЗК-0102"]  # type: ignore[type-var]
    first = next(row for row in rows if row["number"] == "ЗК-0101")
    assert first == {
        "number": "ЗК-0101",
        "date": date(2026, 11, 2),
        "client_code": base["romashka"]["Ref_Key"],
        "contract": "15/2026",
        "status": "К отгрузке",
        "amount": Decimal("1360.25"),  # 12.500 × 10.10 + 100 × 12.34; the cancelled line not
        "ship_date": date(2026, 11, 5),
        "currency": "RUB",
    }
    second = next(row for row in rows if row["number"] == "ЗК-0102")
    assert second["status"] == "Не согласован" and second["contract"] is None
    [query] = fake.queries(p.ORDERS)
    assert query.query["$filter"] == (
        "Date ge datetime'2026-10-09T00:00:00' and Date le datetime'2026-11-23T23:59:59' "
        "and Posted eq true and DeletionMark eq false"
    )
    everything = await _read(fake, "orders", full=True)
    assert sorted(row["number"] for row in everything) == [  # type: ignore[type-var]
        "ЗК-0005",
        "ЗК-0101",
        "ЗК-0102",
    ]
    assert (
        fake.queries(p.ORDERS)[-1].query["$filter"] == "Posted eq true and DeletionMark eq false"
    )


async def test_the_window_is_today_less_the_look_back_or_none_when_full(base: Base) -> None:
    async with _client(base.fake) as client:
        window = OneCReader(client, p.UT_11_5, price_type=None, today=TODAY, look_back_days=10)
        full = OneCReader(client, p.UT_11_5, price_type=None, today=TODAY, full=True)
    assert window.window == DateWindow(date(2026, 11, 13), TODAY)
    assert full.window is None


async def test_order_lines_with_int_line_numbers_exact_quantities_and_articles(base: Base) -> None:
    rows = await _read(base.fake, "order_lines")
    ours = [row for row in rows if row["order"] == "ЗК-0101"]
    assert ours == [
        {
            "order": "ЗК-0101",
            "order_date": date(2026, 11, 2),
            "line": 1,
            "code": "G-100",  # the article
            "product": "Гвоздь строительный 4×100",
            "quantity": Decimal("12.500"),
            "price": Decimal("10.10"),
            "amount": Decimal("126.25"),
        },
        {
            "order": "ЗК-0101",
            "order_date": date(2026, 11, 2),
            "line": 2,
            "code": "00-0002",  # no article: the code
            "product": "Кабель ВВГ 3×2,5",
            "quantity": Decimal("100"),
            "price": Decimal("12.34"),
            "amount": Decimal("1234.00"),
        },
    ]  # line 3 was cancelled
    assert len(rows) == 3


async def test_shipments_name_their_order_and_the_earliest_planned_payment(base: Base) -> None:
    fake = base.fake
    rows = await _read(fake, "shipments")
    assert sorted(rows, key=lambda row: str(row["number"])) == [
        {
            "number": "РТ-0201",
            "date": date(2026, 11, 3),
            "client_code": base["romashka"]["Ref_Key"],
            "contract": "15/2026",
            "order": "ЗК-0101",
            "amount": Decimal("1360.25"),
            "due": date(2026, 11, 20),  # the earlier of two; the Expense record is not a plan
            "currency": "RUB",
        },
        {
            "number": "РТ-0202",
            "date": date(2026, 11, 4),
            "client_code": base["romashka"]["Ref_Key"],
            "contract": None,
            "order": "ЗК-0005",  # an order before the window, looked up by its Ref_Key
            "amount": Decimal("10.10"),
            "due": None,
            "currency": None,
        },
    ]  # not the unposted one, nor the one before the window
    [plan] = fake.queries(p.PLAN_PAYMENTS)
    assert plan.query["$orderby"] == "Recorder,LineNumber"
    assert plan.query["$filter"].startswith("Period ge datetime'2026-10-09T00:00:00'")
    # The orders were not read by this reader: both are looked up, in one request.
    keys = sorted((base["o1"]["Ref_Key"], base["o_old"]["Ref_Key"]))
    [lookup] = fake.queries(p.ORDERS)
    assert lookup.query["$filter"] == " or ".join(f"Ref_Key eq guid'{key}'" for key in keys)
    assert lookup.query["$select"] == "Ref_Key,Number"


async def test_payments_from_clients_with_the_shipment_their_breakdown_names(base: Base) -> None:
    rows = await _read(base.fake, "payments")
    by_number = {row["number"]: row for row in rows}
    assert set(by_number) == {"ПБ-0301", "ПБ-0302", "ПБ-0303", "ПКО-0401"}
    assert by_number["ПБ-0301"] == {
        "number": "ПБ-0301",
        "date": date(2026, 11, 15),
        "client_code": base["romashka"]["Ref_Key"],
        "contract": None,
        "shipment": "РТ-0201",
        "amount": Decimal("1360.25"),
        "currency": "RUB",
        "incoming_number": "784",
        "incoming_date": date(2026, 11, 14),
    }
    # Two shipments in one breakdown: none named (FIFO), the contract both rows agree on.
    assert by_number["ПБ-0302"]["shipment"] is None
    assert by_number["ПБ-0302"]["contract"] == "15/2026"
    assert by_number["ПБ-0302"]["amount"] == Decimal("110.10")
    # A shipment before the window, looked up.
    assert by_number["ПБ-0303"]["shipment"] == "РТ-0150"
    cash = by_number["ПКО-0401"]
    assert cash["client_code"] == base["sidorov"]["Ref_Key"]
    assert cash["shipment"] is None and cash["incoming_number"] is None
    assert cash["amount"] == Decimal("1500.00")


async def test_payments_of_an_older_release_name_the_shipment_itself() -> None:
    async with FakeOneC(user=USER, password=PASSWORD, release="11.4") as fake:
        base = populate(fake, "11.4")
        async with _client(fake) as client:
            reader = await _reader(client)
            assert reader.profile is p.UT_11_4
            rows = {row["number"]: row for row in await _rows(reader, "payments")}
            prices = await _rows(reader, "prices")
    assert rows["ПБ-0301"]["shipment"] == "РТ-0201"
    assert rows["ПБ-0302"]["shipment"] is None and rows["ПБ-0302"]["contract"] == "15/2026"
    assert rows["ПБ-0303"]["shipment"] == "РТ-0150"
    assert not fake.queries(p.SETTLEMENT_OBJECTS)
    assert {row["code"] for row in prices} == {"G-100", "00-0002"}
    assert base["s1"]["Number"] == "РТ-0201"


async def test_prices_of_the_configured_type_only(base: Base) -> None:
    fake = base.fake
    rows = await _read(fake, "prices")
    assert sorted(rows, key=lambda row: (str(row["code"]), str(row["effective_from"]))) == [
        {
            "code": "00-0002",
            "product": "Кабель ВВГ 3×2,5",
            "price": Decimal("12.34"),
            "effective_from": date(2026, 11, 1),
            "unit": "упаковка (10 шту",  # the record's package, cut to the importer's 16
            "currency": "RUB",
        },
        {
            "code": "G-100",
            "product": "Гвоздь строительный 4×100",
            "price": Decimal("10.10"),
            "effective_from": date(2026, 11, 1),
            "unit": "шт",  # no package: the product's unit
            "currency": "RUB",
        },
        {
            "code": "G-100",
            "product": "Гвоздь строительный 4×100",
            "price": Decimal("10.50"),
            "effective_from": date(2026, 12, 1),  # a coming price is read too
            "unit": "шт",
            "currency": "RUB",
        },
    ]
    [query] = fake.queries(p.PRICES_25)
    wholesale = base["wholesale"]["Ref_Key"]
    assert query.query["$filter"] == (
        f"ВидЦены_Key eq guid'{wholesale}' and Period ge datetime'2026-10-09T00:00:00'"
    )


@pytest.mark.parametrize(
    ("price_type", "reason"),
    [(None, "no_price_type"), ("Мелкооптовая", "price_type_unknown"), ("оптовая", None)],
)
async def test_the_price_type_is_found_by_name_or_prices_are_skipped(
    base: Base, price_type: str | None, reason: str | None
) -> None:
    async with _client(base.fake) as client:
        reader = await _reader(client, price_type=price_type)
    skip = reader.skipped.get("prices")
    assert (skip.reason if skip else None) == reason
    assert "prices" in reader.kinds() if reason is None else "prices" not in reader.kinds()


async def test_two_live_price_types_of_one_name_are_ambiguous(base: Base) -> None:
    ids = r.Ids(77)
    base.fake.add(p.PRICE_TYPES, r.price_type(ids, name="Оптовая"))
    base.fake.add(p.PRICE_TYPES, r.price_type(ids, name="Розничная", deleted=True))
    async with _client(base.fake) as client:
        ambiguous = await _reader(client, price_type="Оптовая")
        retail = await _reader(client, price_type="Розничная")
    assert ambiguous.skipped["prices"].reason == "price_type_ambiguous"
    assert "prices" not in retail.skipped  # the deleted namesake does not count


# --- exactness, paging, and the importer's own checks -------------------------------------------


async def test_the_rows_are_the_same_when_1c_sends_numbers_as_strings() -> None:
    read: dict[bool, dict[str, Rows]] = {}
    for as_strings in (False, True):
        async with FakeOneC(user=USER, password=PASSWORD, numbers_as_strings=as_strings) as fake:
            populate(fake)
            async with _client(fake) as client:
                reader = await _reader(client)
                read[as_strings] = {kind: await _rows(reader, kind) for kind in p.KINDS}
    assert read[True] == read[False]
    amounts = [row["amount"] for row in read[True]["shipments"]]
    assert all(isinstance(amount, Decimal) for amount in amounts)


async def test_small_pages_and_many_lookups_give_the_same_rows(base: Base) -> None:
    ids = r.Ids(99)
    romashka, nail = base["romashka"], base["nail"]
    old_orders = [
        r.order(
            ids,
            number=f"ЗК-{n:04}",
            day=date(2026, 8, 1),
            contractor=romashka,
            lines=[r.goods(nail, 1, 1)],
        )
        for n in range(1000, 1030)
    ]
    base.fake.add(p.ORDERS, *old_orders)
    base.fake.add(
        p.SHIPMENTS,
        *(
            r.shipment(
                ids,
                number=f"РТ-{n:04}",
                day=date(2026, 11, 21),
                contractor=romashka,
                order=old,
                lines=[r.goods(nail, 1, 1)],
            )
            for n, old in enumerate(old_orders, 5000)
        ),
    )
    async with _client(base.fake, page_size=7) as client:
        reader = await _reader(client)
        rows = await _rows(reader, "shipments")
    assert len(rows) == 32
    orders = {row["number"]: row["order"] for row in rows}
    assert all(orders[f"РТ-{n:04}"] == old["Number"] for n, old in enumerate(old_orders, 5000))
    lookups = base.fake.queries(p.ORDERS)
    assert all(q.query["$filter"].count("Ref_Key eq") <= 25 for q in lookups)
    assert len({q.query["$filter"] for q in lookups}) >= 2


def _lookups(kinds: dict[str, Rows], base: Base) -> Lookups:
    """What the importer would have stored after the earlier kinds (ids in reading order)."""
    by_code = {str(row["code"]): n for n, row in enumerate(kinds["clients"], 1)}
    contracts = {
        (by_code[str(row["client_code"])], str(row["number"])): ContractRef(n, 0)
        for n, row in enumerate(kinds["contracts"], 1)
    }

    def documents(rows: Rows) -> dict[str, list[DocumentRef]]:
        found: dict[str, list[DocumentRef]] = {}
        for n, row in enumerate(rows, 1):
            day = row["date"]
            assert isinstance(day, date)
            ref = DocumentRef(n, day, by_code[str(row["client_code"])])
            found.setdefault(str(row["number"]), []).append(ref)
        return found

    orders = documents(kinds["orders"])
    # The old order a shipment names was imported by an earlier, full sync.
    romashka = by_code[base["romashka"]["Ref_Key"]]
    orders["ЗК-0005"] = [DocumentRef(99, date(2026, 9, 1), romashka)]
    shipments = documents(kinds["shipments"])
    shipments["РТ-0150"] = [DocumentRef(98, date(2026, 9, 5), romashka)]
    return Lookups(by_code, {}, {}, {}, {}, contracts, orders, shipments, {})


async def test_every_row_passes_the_importers_validation(base: Base) -> None:
    async with _client(base.fake) as client:
        reader = await _reader(client)
        kinds = {kind: await _rows(reader, kind) for kind in reader.kinds()}
    look = _lookups(kinds, base)
    for kind, rows in kinds.items():
        names = {column.name for column in COLUMNS[kind]}
        extra = {"incoming_number", "incoming_date"} if kind == "payments" else set()
        for values in rows:
            assert set(values) <= names | extra, kind
            assert all(
                value is None or isinstance(value, str | int | Decimal | date)
                for value in values.values()
            )
            validate_row(kind, values, look)  # raises RowError on a bad value
    [numbered] = [row for row in kinds["contracts"] if row["number"] == "15/2026"]
    contract = validate_row("contracts", numbered, look)
    assert isinstance(contract, ErpContract)
    assert (contract.deferral_days, contract.credit_limit) == (30, Decimal("500000.00"))
    [nails] = [
        row for row in kinds["order_lines"] if row["order"] == "ЗК-0101" and row["line"] == 1
    ]
    line = validate_row("order_lines", nails, look)
    assert isinstance(line, ErpOrderLine)
    assert (line.line_no, line.quantity, line.amount) == (1, Decimal("12.500"), Decimal("126.25"))
    [first] = [row for row in kinds["shipments"] if row["number"] == "РТ-0201"]
    shipment = validate_row("shipments", first, look)
    assert isinstance(shipment, ErpShipment)
    assert shipment.due_on == date(2026, 11, 20) and shipment.amount == Decimal("1360.25")
    [paying] = [row for row in kinds["payments"] if row["number"] == "ПБ-0303"]
    payment = validate_row("payments", paying, look)
    assert isinstance(payment, ErpPayment) and payment.shipment_id == 98


def test_enumeration_members_and_currencies_read_as_people_write_them() -> None:
    assert enum_text("КОтгрузке") == "К отгрузке"
    assert enum_text("НеСогласован") == "Не согласован"
    assert enum_text("КОбеспечению") == "К обеспечению"
    assert enum_text("Закрыт") == "Закрыт"
    assert enum_text("ПродажаБезНДС") == "Продажа без НДС"
    assert currency_code("643", "RUB") == "RUB"
    assert currency_code("643", "руб.") == "RUB"
    assert currency_code("840", "дол.") == "USD"
    assert currency_code("999", "у.е.") == "999"  # unknown: its own code, not roubles
