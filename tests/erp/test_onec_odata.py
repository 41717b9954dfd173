"""The OData client against the fake 1C: paging, UTF-8 Basic auth, retries through the
injected sleep, 1C's error bodies, exact numbers, `$metadata` (safely parsed)."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal

import pytest

from bot.services.onec import profiles as p
from bot.services.onec.odata import (
    ODataAuthError,
    ODataClient,
    ODataError,
    ODataUnreachable,
    basic_authorization,
    parse_metadata,
)
from tests.fakes import onec_records as r
from tests.fakes.onec_odata import FakeOneC

USER, PASSWORD = "Администратор", "пароль-Ёж 1"


class Sleeps:
    """The injected sleep: records the delays, waits for nothing."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


@pytest.fixture
async def fake() -> AsyncIterator[FakeOneC]:
    async with FakeOneC(user=USER, password=PASSWORD) as server:
        yield server


def _client(
    fake: FakeOneC,
    sleeps: Sleeps | None = None,
    *,
    password: str = PASSWORD,
    page_size: int = 1000,
    attempts: int = 4,
    backoff: float = 1.0,
) -> ODataClient:
    return ODataClient(
        fake.base_url,
        USER,
        password,
        page_size=page_size,
        attempts=attempts,
        backoff=backoff,
        sleep=sleeps or Sleeps(),
    )


async def _all(
    client: ODataClient,
    entity: str,
    *,
    select: list[str] | None = None,
    filter: str | None = None,
) -> list[list[dict[str, object]]]:
    return [page async for page in client.pages(entity, select=select, filter=filter)]


async def test_a_collection_of_2500_comes_in_three_stable_pages(fake: FakeOneC) -> None:
    ids = r.Ids(11)
    products = [r.product(ids, name=f"Товар {n}", article=f"A-{n}") for n in range(2500)]
    shuffled = products[:]
    random.Random(5).shuffle(shuffled)
    fake.add(p.PRODUCTS, *shuffled)
    async with _client(fake) as client:
        pages = await _all(client, p.PRODUCTS, select=["Ref_Key", "Артикул"])
    assert [len(page) for page in pages] == [1000, 1000, 500]
    keys = [row["Ref_Key"] for page in pages for row in page]
    assert keys == sorted(product["Ref_Key"] for product in products)
    assert all(set(row) == {"Ref_Key", "Артикул"} for page in pages for row in page)
    asked = [(q.query["$skip"], q.query["$top"], q.query["$orderby"]) for q in fake.queries()]
    assert asked == [
        ("0", "1000", "Ref_Key"),
        ("1000", "1000", "Ref_Key"),
        ("2000", "1000", "Ref_Key"),
    ]


async def test_a_full_last_page_costs_one_empty_request_and_yields_nothing(fake: FakeOneC) -> None:
    ids = r.Ids(12)
    fake.add(p.USERS, *(r.user(ids, name=f"Пользователь {n}") for n in range(6)))
    async with _client(fake, page_size=3) as client:
        pages = await _all(client, p.USERS)
    assert [len(page) for page in pages] == [3, 3]
    assert [q.query["$skip"] for q in fake.queries(p.USERS)] == ["0", "3", "6"]


async def test_basic_auth_is_built_from_utf8_so_a_cyrillic_login_works(fake: FakeOneC) -> None:
    fake.add(p.USERS, r.user(r.Ids(1), name="Иванов Иван"))
    async with _client(fake) as client:
        pages = await _all(client, p.USERS, select=["Description"])
    assert pages == [[{"Description": "Иванов Иван"}]]
    assert fake.requests[-1].user == USER
    assert basic_authorization("Иван", "ё") == "Basic " + "0JjQstCw0L060ZE="


async def test_a_wrong_password_is_an_auth_error_at_once_and_never_shows_it(
    fake: FakeOneC,
) -> None:
    sleeps = Sleeps()
    async with _client(fake, sleeps, password="не тот пароль") as client:
        with pytest.raises(ODataAuthError) as caught:
            await _all(client, p.USERS)
        assert "не тот пароль" not in repr(client)
    assert caught.value.status == 401 and caught.value.entity == p.USERS
    assert "не тот пароль" not in str(caught.value) and PASSWORD not in str(caught.value)
    assert len(fake.requests) == 1 and sleeps.delays == []


async def test_503_twice_then_the_page_with_sleeps_doubling(fake: FakeOneC) -> None:
    fake.add(p.CURRENCIES, r.currency(r.Ids(2)))
    fake.fail_next(2, 503)
    sleeps = Sleeps()
    async with _client(fake, sleeps, backoff=0.5) as client:
        pages = await _all(client, p.CURRENCIES, select=["Code"])
    assert pages == [[{"Code": "643"}]]
    assert sleeps.delays == [0.5, 1.0]
    assert [q.status for q in fake.queries(p.CURRENCIES)] == [503, 503, 200]


async def test_a_base_that_refuses_connections_is_unreachable_after_the_retries(
    fake: FakeOneC,
) -> None:
    sleeps = Sleeps()
    async with _client(fake, sleeps, attempts=3) as client:
        await fake.set_down("refuse")
        with pytest.raises(ODataUnreachable) as caught:
            await client.metadata()
        assert caught.value.status is None and caught.value.entity == "$metadata"
        assert sleeps.delays == [1.0, 2.0]
        await fake.set_down(None)  # back on the same port: the same client reads again
        assert p.CONTRACTORS in (await client.metadata()).entity_sets


async def test_a_web_server_answering_503_is_unreachable_with_its_page_text(
    fake: FakeOneC,
) -> None:
    await fake.set_down("503")
    sleeps = Sleeps()
    async with _client(fake, sleeps) as client:
        with pytest.raises(ODataUnreachable) as caught:
            await _all(client, p.CONTRACTORS)
    assert caught.value.status == 503
    assert "Service Unavailable" in caught.value.message
    assert len(fake.requests) == 4 and sleeps.delays == [1.0, 2.0, 4.0]


async def test_an_odata_error_body_gives_its_message_without_retrying(fake: FakeOneC) -> None:
    fake.fail_next(1, 400, message="Ошибка при разборе выражения отбора")
    sleeps = Sleeps()
    async with _client(fake, sleeps) as client:
        with pytest.raises(ODataError) as caught:
            await _all(client, p.CONTRACTORS, filter="ИНН eq '7707083893'")
    assert type(caught.value) is ODataError
    assert caught.value.status == 400 and caught.value.message == (
        "Ошибка при разборе выражения отбора"
    )
    assert str(caught.value) == (f"{p.CONTRACTORS}: HTTP 400: Ошибка при разборе выражения отбора")
    assert sleeps.delays == []


async def test_a_500_with_1cs_message_is_retried_then_unreachable_with_that_message(
    fake: FakeOneC,
) -> None:
    fake.fail_next(2, 500, message="Сеанс работы завершен администратором")
    sleeps = Sleeps()
    async with _client(fake, sleeps, attempts=2) as client:
        with pytest.raises(ODataUnreachable) as caught:
            await _all(client, p.CONTRACTORS)
    assert caught.value.message == "Сеанс работы завершен администратором"
    assert sleeps.delays == [1.0]


async def test_a_field_1c_does_not_know_is_refused_with_its_text(fake: FakeOneC) -> None:
    async with _client(fake) as client:
        with pytest.raises(ODataError) as caught:
            await _all(client, p.CONTRACTORS, select=["Ref_Key", "НетТакогоПоля"])
    assert caught.value.status == 400 and "НетТакогоПоля" in caught.value.message


async def test_one_object_by_guid_and_none_for_a_missing_one(fake: FakeOneC) -> None:
    ids = r.Ids(3)
    item = r.contractor(ids, name="ООО «Ромашка»", inn="7707083893")
    fake.add(p.CONTRACTORS, item)
    async with _client(fake) as client:
        found = await client.one(p.CONTRACTORS, item["Ref_Key"], select=["Description", "ИНН"])
        absent = await client.one(p.CONTRACTORS, ids())
        with pytest.raises(ValueError, match="badly formed"):
            await client.one(p.CONTRACTORS, "1' or true or '")
    assert found is not None
    assert found["Description"] == "ООО «Ромашка»" and found["ИНН"] == "7707083893"
    assert str(found["odata.metadata"]).endswith(f"$metadata#{p.CONTRACTORS}/@Element")
    assert absent is None
    assert fake.queries()[0].path == f"{p.CONTRACTORS}(guid'{item['Ref_Key']}')"


async def test_cyrillic_names_and_literals_are_url_encoded_right() -> None:
    async with FakeOneC(user=USER, password=PASSWORD, infobase="УТ11") as fake:
        ids = r.Ids(4)
        wanted = r.contractor(ids, name="ООО «Рога & Копыта» + 'сыновья'", inn="7707083893")
        fake.add(p.CONTRACTORS, wanted, r.contractor(ids, name="ООО «Ромашка»"))
        assert "/%D0%A3%D0%A211/" in ODataClient(fake.base_url, None, None).base_url
        async with _client(fake) as client:
            pages = await _all(
                client,
                p.CONTRACTORS,
                select=["Ref_Key"],
                filter="Description eq 'ООО «Рога & Копыта» + ''сыновья''' and ИНН ne ''",
            )
    assert pages == [[{"Ref_Key": wanted["Ref_Key"]}]]
    assert fake.queries()[0].query["$filter"].startswith("Description eq 'ООО «Рога & Копыта» +")


@pytest.mark.parametrize("as_strings", [False, True])
async def test_numbers_stay_exact_whether_1c_writes_them_as_numbers_or_strings(
    as_strings: bool,
) -> None:
    async with FakeOneC(user=USER, password=PASSWORD, numbers_as_strings=as_strings) as fake:
        ids = r.Ids(5)
        item = r.product(ids, name="Кабель")
        contractor = r.contractor(ids, name="ООО «Ромашка»")
        document = r.order(
            ids,
            number="0001",
            day=date(2026, 11, 2),
            contractor=contractor,
            lines=[r.goods(item, "0.1", "1250.10"), r.goods(item, "0.2", "0.30")],
        )
        fake.add(p.ORDERS, document)
        async with _client(fake) as client:
            [[row]] = await _all(client, p.ORDERS, select=["СуммаДокумента", "Товары"])
    # JSON numbers come as Decimals of their own digits (never through a float); numbers 1C
    # sends as strings stay the exact text (the reader makes Decimals of them).
    kind = str if as_strings else Decimal
    lines = row["Товары"]
    assert isinstance(lines, list)
    values = [row["СуммаДокумента"], *(line[f] for line in lines for f in ("Количество", "Сумма"))]
    assert all(type(value) is kind for value in values)
    assert [Decimal(value) for value in values] == [
        Decimal("125.07"),
        Decimal("0.1"),
        Decimal("125.01"),
        Decimal("0.2"),
        Decimal("0.06"),
    ]
    assert [line["LineNumber"] for line in lines] == ["1", "2"]  # Edm.Int64: a string


async def test_a_byte_order_mark_before_the_json_is_read_through() -> None:
    async with FakeOneC(user=USER, password=PASSWORD, bom=True) as fake:
        fake.add(p.USERS, r.user(r.Ids(6), name="Сидорова Анна"))
        async with _client(fake) as client:
            pages = await _all(client, p.USERS, select=["Description"])
    assert pages == [[{"Description": "Сидорова Анна"}]]


async def test_metadata_gives_entity_sets_fields_row_types_and_enums(fake: FakeOneC) -> None:
    async with _client(fake) as client:
        metadata = await client.metadata()
        assert await client.metadata() is metadata  # read once per client
    goods = metadata.fields("Document_РеализацияТоваровУслуг_Товары")
    assert goods is not None and {"Ref_Key", "LineNumber", "Номенклатура_Key", "Сумма"} <= goods
    assert "Расш1_КодКлиентаCRM" in metadata.entity_sets[p.CONTRACTORS]  # an extension's
    assert "Code" not in metadata.entity_sets[p.CONTRACTORS]  # УТ 11: contractors have none
    row = metadata.row_types["Document_ЗаказКлиента_Товары"]
    assert {"LineNumber", "Количество", "Отменено"} <= row
    assert metadata.enums["СтатусыЗаказовКлиентов"][:3] == (
        "НеСогласован",
        "КОбеспечению",
        "КОтгрузке",
    )
    assert metadata.has(p.PRICES_25) and not metadata.has(p.PRICES_OLD)
    assert len([q for q in fake.requests if q.path == "$metadata"]) == 1


def test_metadata_with_a_dtd_or_entities_is_refused_not_expanded() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE edmx [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<edmx:Edmx xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">&b;</edmx:Edmx>'
    )
    with pytest.raises(ODataError, match="DTD"):
        parse_metadata(bomb)
    external = b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>'
    with pytest.raises(ODataError, match="DTD"):
        parse_metadata(external)
    with pytest.raises(ODataError, match="not valid XML"):
        parse_metadata(b"<edmx:Edmx><not closed>")
