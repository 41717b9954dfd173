"""1C's site exchange in-process: aiohttp's test server over the production application,
a real migrated SQLite database, and the fake 1C client (tests/fakes/onec_exchange.py)
running the protocol as 1C's platform does."""

from __future__ import annotations

import base64
import io
import zipfile
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from lxml import etree
from pydantic import SecretStr
from sqlalchemy import select

from bot.http.exchange import COOKIE, ExchangeRefused, make_cookie, session_id_of, upload_path
from bot.http.server import create_http_app
from bot.runtime.factory import create_app
from storage.chat_orders import ChatOrderState, NewOrderLine
from storage.models import OutboxMessage
from storage.repositories import Repos
from tests.conftest import START
from tests.factories import make_client, make_user
from tests.fakes.onec_exchange import ExchangeFailed, FakeOneCExchange
from tests.fakes.onec_exchange_docs import CHAR, P1, P2, catalog_xml, offers_xml, statuses_xml

USER = "Обмен"  # a Cyrillic login, as 1C users often have
PASSWORD = "пароль-1С"


@pytest.fixture
def exchange_wait() -> float:
    return 20.0


@pytest.fixture
async def exchange_app(
    settings, clock, migrated_database, tmp_path: Path, exchange_wait: float
) -> AsyncIterator[Any]:
    from tests.conftest import _start_from

    configured = settings.model_copy(
        update={
            "onec_exchange_user": USER,
            "onec_exchange_password": SecretStr(PASSWORD),
            "onec_exchange_dir": tmp_path / "exchange",
            "onec_exchange_file_limit": 64 * 1024,
            "onec_exchange_wait": exchange_wait,
        }
    )
    _start_from(migrated_database, configured.database_url)
    application = create_app(configured, clock=clock)
    yield application
    await application.database.dispose()


@pytest.fixture
async def http(exchange_app) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_http_app(exchange_app))) as client:
        yield client


def fake_1c(http: TestClient, **kw: Any) -> FakeOneCExchange:
    return FakeOneCExchange(str(http.make_url("/1c_exchange")), USER, PASSWORD, **kw)


def _files(tmp_path: Path, **documents: bytes) -> list[Path]:
    paths = []
    for name, body in documents.items():
        path = tmp_path / f"{name}.xml"
        path.write_bytes(body)
        paths.append(path)
    return paths


async def _stock(app) -> dict[tuple[str, str], Decimal]:
    async with app.database.read() as s:
        repos = Repos(s)
        known = await repos.exchange.known_products([P1, f"{P2}#{CHAR}", P2], ())
        ids = {k.id: k.onec_id for k in known}
        stock = await repos.exchange.stock_of(list(ids))
    return {
        (ids[pid], level.warehouse): level.quantity
        for pid, levels in stock.items()
        for level in levels
    }


async def test_checkauth_wants_the_exchange_login(http: TestClient) -> None:
    bad = "Basic " + base64.b64encode(f"{USER}:wrong".encode()).decode()
    response = await http.get(
        "/1c_exchange",
        params={"type": "catalog", "mode": "checkauth"},
        headers={"Authorization": bad},
    )
    assert response.status == 401
    assert (await response.text()).splitlines()[0] == "failure"
    # Without a session nothing else is reachable either.
    response = await http.get("/1c_exchange", params={"type": "sale", "mode": "query"})
    assert response.status == 401
    forged = {"Cookie": f"{COOKIE}={'a' * 32}.{int(START.timestamp())}.{'0' * 64}"}
    response = await http.get(
        "/1c_exchange", params={"type": "sale", "mode": "query"}, headers=forged
    )
    assert response.status == 401


async def test_checkauth_takes_a_cyrillic_login_in_utf8_and_cp1251(http: TestClient) -> None:
    for encoding in ("utf-8", "windows-1251"):
        onec = fake_1c(http)
        async with aiohttp.ClientSession() as session:
            answer = await onec.checkauth(session, "catalog", auth_encoding=encoding)
        assert answer.lines[0] == "success" and answer.lines[1] == COOKIE


async def test_init_announces_zip_and_the_chunk_size_and_the_version(http: TestClient) -> None:
    onec = fake_1c(http, version="3.1")
    async with aiohttp.ClientSession() as session:
        await onec.checkauth(session, "catalog")
        options = await onec.init(session, "catalog")
    assert options["zip"] == "yes"
    assert options["file_limit"] == str(64 * 1024)
    assert options["version"] == "3.1" and len(options["sessid"]) == 32


@pytest.mark.parametrize("use_zip", [True, False])
async def test_a_catalog_exchange_fills_products_prices_and_stock(
    http: TestClient, exchange_app, tmp_path: Path, use_zip: bool
) -> None:
    files = _files(tmp_path, import_=catalog_xml(encoding="windows-1251"), offers=offers_xml())
    onec = fake_1c(http, use_zip=use_zip)
    answers = await onec.send_catalog(files)
    assert all(a.lines[0] == "success" for a in answers)
    async with exchange_app.database.read() as s:
        repos = Repos(s)
        items = await repos.chat_orders.find_items("шуруп", "ШУР-4x40", START.date(), 10)
        runs = await repos.exchange.recent_runs(10)
    screw = next(i for i in items if i.code == "ШУР-4x40")
    assert screw.name == "Шуруп 4x40 оцинкованный" and screw.unit == "шт"
    assert screw.unit_code == "796"
    # The package's first price type, the setting being unset: retail.
    assert screw.price == Decimal("2.50") and screw.currency == "RUB"
    assert screw.in_stock == Decimal("150")
    stock = await _stock(exchange_app)
    assert stock[(P1, "Основной склад")] == Decimal("120")
    assert stock[(P1, "Склад Подольск")] == Decimal("30")
    # A variant offered by 1C is a product of its own, out of stock.
    assert stock[(f"{P2}#{CHAR}", "Основной склад")] == Decimal("0")
    assert [r.status for r in runs] == ["ok", "ok"]
    assert runs[0].counts["stock"] == 3 and runs[1].counts["products"] == 2


@pytest.mark.parametrize("exchange_wait", [1e-6])
async def test_a_long_import_answers_progress_until_it_is_done(
    http: TestClient, exchange_app, tmp_path: Path
) -> None:
    """The import does not finish within ONEC_EXCHANGE_WAIT: 1C hears `progress` and asks
    again, and the last answer is `success` with everything applied."""
    onec = fake_1c(http)
    answers = await onec.send_catalog(_files(tmp_path, import_=catalog_xml(), offers=offers_xml()))
    assert [a.lines[0] for a in answers] == ["success", "success"]
    assert onec.progress_answers >= 1
    stock = await _stock(exchange_app)
    assert stock[(P1, "Основной склад")] == Decimal("120")
    async with exchange_app.database.read() as s:
        runs = await Repos(s).exchange.recent_runs(10)
    assert [r.status for r in runs] == ["ok", "ok"]  # one run per file, however often asked


async def test_a_delta_package_changes_only_what_it_lists_and_a_full_one_clears_the_rest(
    http: TestClient, exchange_app, tmp_path: Path
) -> None:
    await fake_1c(http).send_catalog(_files(tmp_path, import_=catalog_xml(), offers=offers_xml()))
    only_p1 = offers_xml(("5", "7"), only_changes=True, variant=False)
    (tmp_path / "delta").mkdir()
    await fake_1c(http).send_catalog(_files(tmp_path / "delta", offers=only_p1))
    stock = await _stock(exchange_app)
    assert stock[(P1, "Основной склад")] == Decimal("5")
    assert stock[(P1, "Склад Подольск")] == Decimal("7")
    assert (f"{P2}#{CHAR}", "Основной склад") in stock  # untouched by the delta
    full_p1 = offers_xml(("5", "7"), only_changes=False, variant=False)
    (tmp_path / "full").mkdir()
    await fake_1c(http).send_catalog(_files(tmp_path / "full", offers=full_p1))
    stock = await _stock(exchange_app)
    assert stock[(P1, "Основной склад")] == Decimal("5")
    assert stock[(f"{P2}#{CHAR}", "Основной склад")] == Decimal("0")


async def test_a_file_import_product_and_the_exchange_product_are_one(
    http: TestClient, exchange_app, tmp_path: Path
) -> None:
    from storage.models import Product

    async with exchange_app.database.transaction() as s:
        s.add(Product(code="ШУР-4x40", name="Шуруп 4x40", search_key="шуруп 4x40", unit="шт"))
    await fake_1c(http).send_catalog(_files(tmp_path, import_=catalog_xml()))
    async with exchange_app.database.read() as s:
        rows = (await s.execute(select(Product.code, Product.onec_id))).all()
    assert sorted(rows) == [("ДЮБ-6", P2), ("ШУР-4x40", P1)]


async def test_a_malformed_or_unsafe_file_is_refused_and_nothing_applied(
    http: TestClient, exchange_app, tmp_path: Path
) -> None:
    broken = offers_xml()[:-200]
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<\xd0\x9a>&lol2;</\xd0\x9a>"
    )
    for name, body in (("broken", broken), ("bomb", bomb)):
        folder = tmp_path / name
        folder.mkdir()
        with pytest.raises(ExchangeFailed) as failed:
            await fake_1c(http, use_zip=False).send_catalog(_files(folder, offers=body))
        assert "failure" in str(failed.value)
    assert await _stock(exchange_app) == {}
    async with exchange_app.database.read() as s:
        runs = await Repos(s).exchange.recent_runs(10)
    assert [r.status for r in runs] == ["failed", "failed"]
    assert all(r.error for r in runs)


async def test_a_zip_climbing_out_of_its_folder_is_refused(
    http: TestClient, exchange_app, tmp_path: Path
) -> None:
    onec = fake_1c(http)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("../../evil.xml", offers_xml())
    async with aiohttp.ClientSession() as session:
        await onec.checkauth(session, "catalog")
        await onec.init(session, "catalog")
        await onec.upload(session, "catalog", "1cbitrix.zip", packed.getvalue(), 1 << 20)
        answer = await onec._call(session, "catalog", "import", filename="evil.xml")
    assert answer.lines[0] == "failure"
    assert not (tmp_path / "evil.xml").exists()
    assert not (tmp_path / "exchange" / "evil.xml").exists()


def test_upload_names_stay_inside_the_session_folder(tmp_path: Path) -> None:
    assert upload_path(tmp_path, "import_files/ab/x.jpg") == tmp_path / "import_files/ab/x.jpg"
    for bad in ("../x.xml", "/etc/passwd", "a/../../x", "", "C:\\..\\x", "a\x00b"):
        with pytest.raises(ExchangeRefused):
            upload_path(tmp_path, bad)


def test_a_session_cookie_is_signed_and_expires(exchange_app) -> None:
    now = START.timestamp()
    cookie = make_cookie(exchange_app, now)
    assert session_id_of(exchange_app, cookie, now + 60) is not None
    assert session_id_of(exchange_app, cookie, now + 13 * 3600) is None
    tampered = cookie[:-1] + ("0" if cookie[-1] != "0" else "1")
    assert session_id_of(exchange_app, tampered, now) is None


async def _order(app, *, inn: str = "7707083893") -> Any:
    manager = await make_user(app, 501, name="Иван Иванов")
    client = await make_client(app, "ООО «Ромашка»", manager, inn=inn, kpp="770701001")
    async with app.database.transaction() as s:
        repos = Repos(s)
        known = await repos.exchange.known_products([P1], ())
        order = await repos.chat_orders.create(
            client_id=client.id,
            manager_id=manager.id,
            delivery_date=START.date(),
            comment='Позвонить за час <до> "приезда" & не опаздывать',
            currency="RUB",
            lines=[NewOrderLine(known[0].id, Decimal("100"), Decimal("2.50"))],
            now=app.clock(),
        )
    return order


async def test_orders_go_to_1c_on_query_until_it_confirms_and_its_answer_comes_back(
    http: TestClient, exchange_app, tmp_path: Path
) -> None:
    await fake_1c(http).send_catalog(_files(tmp_path, import_=catalog_xml(), offers=offers_xml()))
    order = await _order(exchange_app)
    onec = fake_1c(http)
    # A query without success: the order is handed over again next time.
    first = await onec.take_orders(confirm=False)
    assert first.charset == "windows-1251"
    assert order.site_id.encode() in first.body
    again = await onec.take_orders()
    document = etree.fromstring(again.body)
    ids = document.xpath("//*[local-name()='Документ']/*[local-name()='Ид']/text()")
    assert ids == [order.site_id]
    comment = document.xpath("//*[local-name()='Документ']/*[local-name()='Комментарий']/text()")
    assert comment == ['Позвонить за час <до> "приезда" & не опаздывать']
    inn = document.xpath("//*[local-name()='Контрагент']/*[local-name()='ИНН']/text()")
    assert inn == ["7707083893"]
    goods = document.xpath("//*[local-name()='Товар']/*[local-name()='Ид']/text()")
    assert goods == [P1]
    # Confirmed: the next query hands over nothing.
    empty = await onec.take_orders()
    assert b"\xc4\xee\xea\xf3\xec\xe5\xed\xf2" not in empty.body  # "Документ" in cp1251
    # 1C's answer: accepted with its number, then shipped.
    await onec.send_order_statuses("orders-1.xml", statuses_xml(order.site_id, order.number))
    async with exchange_app.database.read() as s:
        stored = await Repos(s).chat_orders.get(order.id)
        told = (await s.execute(select(OutboxMessage.payload))).scalars().all()
    assert stored is not None and stored.state is ChatOrderState.ACCEPTED
    assert stored.onec_number == "ЗК-000451" and stored.taken
    assert any("ЗК-000451" in str(p) for p in told)
    await onec.send_order_statuses(
        "orders-2.xml", statuses_xml(order.site_id, order.number, Отгружен="true")
    )
    async with exchange_app.database.read() as s:
        stored = await Repos(s).chat_orders.get(order.id)
        told = (await s.execute(select(OutboxMessage.payload))).scalars().all()
    assert stored is not None and stored.state is ChatOrderState.SHIPPED
    assert len(told) == 2


async def test_commerceml_3_gets_its_orders_in_utf8(
    http: TestClient, exchange_app, tmp_path: Path
) -> None:
    await fake_1c(http).send_catalog(_files(tmp_path, import_=catalog_xml(), offers=offers_xml()))
    order = await _order(exchange_app)
    answer = await fake_1c(http, version="3.1").take_orders()
    assert answer.charset == "utf-8"
    assert order.number.encode() in answer.body
    assert "ООО «Ромашка»".encode() in answer.body


async def test_the_exchange_is_off_without_its_login(app) -> None:
    async with TestClient(TestServer(create_http_app(app))) as client:
        response = await client.get(
            "/1c_exchange", params={"type": "catalog", "mode": "checkauth"}
        )
        assert response.status == 404
        assert (await response.text()).startswith("failure")
