"""The live sync against the fake 1C (УТ 11.5, its real entity and field names) through the
real OData client: figures as 1C has them, a payment posted in 1C on the next sync, an
unposted document gone, a second sync changing nothing, 1C down told once and the old
figures kept, an unpublished entity skipped and named, /sync and *Sync now* in the chat."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pydantic import SecretStr

from bot.runtime.config import Settings
from bot.services.erp_sync.onec import sync_from_onec
from bot.services.erp_sync.run import UnknownEntity
from bot.services.erp_views import debts
from bot.services.local_time import user_today
from bot.services.onec import profiles as p
from bot.views.sync.callbacks import SyncAction, SyncCallback
from storage.dto import OutboxDTO, Role, UserUpdate
from storage.repositories import Repos
from tests.conftest import ADMIN_ID
from tests.erp.test_bank_import import _import, document, statement
from tests.factories import make_user
from tests.fakes.onec_company import MANAGER, PASSWORD, USER, OneCCompany
from tests.fakes.onec_odata import FakeOneC
from tests.helpers import TEST_TOKEN, last_with_buttons, texts

ROMASHKA = "ООО «Ромашка»"


@pytest.fixture
async def onec() -> AsyncIterator[OneCCompany]:
    async with FakeOneC(user=USER, password=PASSWORD) as fake:
        company = OneCCompany(fake)
        company.client(ROMASHKA, "7707083893", "770701001")
        yield company


@pytest.fixture
def settings(db_url: str, onec: OneCCompany) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TEST_TOKEN,
        database_url=db_url,
        admin_ids=frozenset({ADMIN_ID}),
        onec_odata_url=onec.fake.base_url,
        onec_odata_user=USER,
        onec_odata_password=SecretStr(PASSWORD),
    )


async def _people(app):
    admin = await make_user(app, ADMIN_ID, Role.ADMIN, name="Admin")
    ivan = await make_user(app, 5001, name="Иван Иванов")
    async with app.database.transaction() as s:
        await Repos(s).users.update(
            ivan.id, UserUpdate(erp_name=MANAGER), actor_id=None, now=app.clock()
        )
        ivan = await Repos(s).users.get(ivan.id)
    return admin, ivan


async def no_wait(seconds: float) -> None:
    """The client's backoff between retries, without waiting on the wall clock."""


async def _sync(app, **kw):
    return await sync_from_onec(
        app.database, app.settings, now=app.clock(), texts=app.translator, sleep=no_wait, **kw
    )


async def _owed(app, user) -> tuple[Decimal, Decimal]:
    async with app.database.read() as s:
        reports = await debts(Repos(s), user, today=user_today(user, app.clock()))
    return (reports[0].total, reports[0].overdue) if reports else (Decimal(0), Decimal(0))


async def _outbox(app) -> list[OutboxDTO]:
    async with app.database.read() as s:
        return await Repos(s).outbox.list()


async def test_the_figures_follow_1c_sync_after_sync(app, onec: OneCCompany):
    _, ivan = await _people(app)
    today = app.clock().date()  # 23.11.2026; contracts give 30 days
    old = onec.shipment(ROMASHKA, "РТ-0001", today - timedelta(days=40), "100000.00")
    onec.shipment(ROMASHKA, "РТ-0002", today - timedelta(days=5), "50000.50")
    onec.payment(ROMASHKA, "ПБ-0001", today - timedelta(days=3), "40000.00", pays=old)

    first = await _sync(app)
    assert first.unreachable is None
    assert {r.kind: r.error for r in first.results if r.error} == {}
    assert [r.kind for r in first.results] == [
        "clients",
        "contracts",
        "orders",
        "order_lines",
        "shipments",
        "payments",
    ]  # no price type set: prices are not read, and nobody is told
    # The client went to the manager 1C names, and the money is exact.
    assert await _owed(app, ivan) == (Decimal("110000.50"), Decimal("60000.00"))

    # The same 1C again: nothing changes.
    again = await _sync(app)
    assert again.changed == 0

    # The client pays the rest in 1C; the next sync shows it.
    onec.payment(ROMASHKA, "ПБ-0002", today, "60000.00", pays=old)
    await _sync(app)
    assert await _owed(app, ivan) == (Decimal("50000.50"), Decimal(0))

    # An accountant unposts the second shipment: it is gone on the next sync.
    onec.unpost(p.SHIPMENTS, onec.fake.records(p.SHIPMENTS)[1])
    third = await _sync(app)
    shipments = next(r for r in third.results if r.kind == "shipments")
    assert shipments.summary is not None and shipments.summary.removed == 1
    assert await _owed(app, ivan) == (Decimal(0), Decimal(0))
    # /debts says how fresh the figures are.
    async with app.database.read() as s:
        assert await Repos(s).erp_sync.receivables_as_of() == app.clock()


async def test_1c_down_keeps_the_figures_and_tells_the_admins_once(app, onec: OneCCompany):
    admin, ivan = await _people(app)
    today = app.clock().date()
    onec.shipment(ROMASHKA, "РТ-0001", today - timedelta(days=40), "100000.00")
    await _sync(app)
    before = await _owed(app, ivan)

    await onec.fake.set_down("refuse")
    down = await _sync(app)
    assert down.unreachable is not None and not down.results
    app.clock.set(app.clock() + timedelta(minutes=15))
    await _sync(app)
    assert await _owed(app, ivan) == before
    told = [m for m in await _outbox(app) if m.kind == "erp_sync"]
    assert len(told) == 1 and told[0].chat_id == admin.telegram_id
    assert "1C is not answering" in told[0].payload["text"]

    await onec.fake.set_down(None)
    app.clock.set(app.clock() + timedelta(minutes=15))
    back = await _sync(app)
    assert back.unreachable is None
    told = [m for m in await _outbox(app) if m.kind == "erp_sync"]
    assert len(told) == 2 and "answering the sync again" in told[1].payload["text"]


async def test_a_failure_mid_entity_changes_nothing_of_it(app, onec: OneCCompany):
    _, ivan = await _people(app)
    day = app.clock().date() - timedelta(days=40)
    onec.shipment(ROMASHKA, "РТ-0000", day, "100.00")
    await _sync(app)
    assert await _owed(app, ivan) == (Decimal(100), Decimal(100))
    # 1,500 new shipments: two pages; 1C fails for good after the first.
    for n in range(1, 1501):
        onec.shipment(ROMASHKA, f"РТ-{n:04}", day, "1.00")
    onec.fake.fail_next(4, 503, entity=p.SHIPMENTS, after=1)  # every try of page 2
    report = await _sync(app)
    assert report.unreachable is not None
    failed = next(r for r in report.results if r.kind == "shipments")
    assert failed.error is not None
    assert await _owed(app, ivan) == (Decimal(100), Decimal(100))
    # 1C answers again: all of them at once.
    await _sync(app)
    assert await _owed(app, ivan) == (Decimal(1600), Decimal(1600))


async def test_an_unpublished_entity_is_skipped_and_named_once(app, onec: OneCCompany):
    _, ivan = await _people(app)
    today = app.clock().date()
    onec.shipment(ROMASHKA, "РТ-0001", today - timedelta(days=40), "100.00")
    onec.fake.unpublish(p.CASH_RECEIPTS)
    onec.fake.unpublish(p.SHIPMENTS)
    report = await _sync(app)
    errors = {r.kind: r.error for r in report.results if r.error}
    # Payments are read from both receipts or not at all: half of them would make debts
    # look larger than they are.
    assert set(errors) == {"shipments", "payments"}
    assert "Документ.РеализацияТоваровУслуг" in errors["shipments"]
    assert "Документ.ПриходныйКассовыйОрдер" in errors["payments"]
    # The clients came in all the same.
    async with app.database.read() as s:
        assert [c.name for c in await Repos(s).clients.owned_by(ivan.id)] == [ROMASHKA]
    app.clock.set(app.clock() + timedelta(minutes=15))
    await _sync(app)
    told = [m for m in await _outbox(app) if m.kind == "erp_sync_missing"]
    assert len(told) == 2 and "РеализацияТоваровУслуг" in told[0].payload["text"]
    assert "The 1C sync cannot read Shipments:" in told[0].payload["text"]


async def test_sync_screen_and_sync_now(app, onec: OneCCompany, chat):
    await _people(app)
    onec.shipment(ROMASHKA, "РТ-0001", date(2026, 11, 1), "100.00")
    admin = chat(ADMIN_ID)
    first = await admin.send("/sync")
    assert "No sync has run yet" in texts(first)[0]
    screen = last_with_buttons(first)
    sent = await admin.click(screen, "🔄 Sync now")
    await asyncio.gather(*app.background)
    done = [s.text for s in sent] + [s.text for s in admin.session.sent[-3:]]
    assert any("Sync finished" in text for text in done), done
    again = await admin.send("/sync")
    shown = texts(again)[0]
    assert "Shipments (Document_РеализацияТоваровУслуг): ✅" in shown
    assert "read 1, changed 1" in shown
    # A manager cannot open it.
    manager = chat(5001)
    refused = await manager.send("/sync")
    assert "Shipments" not in " ".join(texts(refused))


async def test_one_entity_by_its_kind_or_its_1c_name(app, onec: OneCCompany):
    await _people(app)
    onec.shipment(ROMASHKA, "РТ-0001", app.clock().date() - timedelta(days=3), "10.00")
    await _sync(app)
    onec.shipment(ROMASHKA, "РТ-0002", app.clock().date(), "5.00")
    by_name = await _sync(app, only="Document_РеализацияТоваровУслуг")
    assert [(r.kind, r.changed) for r in by_name.results] == [("shipments", 1)]
    by_kind = await _sync(app, only="clients")
    assert [(r.kind, r.changed) for r in by_kind.results] == [("clients", 0)]
    with pytest.raises(UnknownEntity):
        await _sync(app, only="Document_Нечто")


async def test_a_statement_payment_gives_way_to_1c_s_own_receipt(app, onec: OneCCompany, tmp_path):
    """A statement loaded into the bot before the accountant posted it in 1C: once 1C has
    the receipt, the next sync keeps 1C's and drops the statement's (1C is the source of
    payments within the sync's window), so the money counts once."""
    _, ivan = await _people(app)
    today = app.clock().date()
    shipped = onec.shipment(ROMASHKA, "РТ-0001", today - timedelta(days=40), "100000.00")
    await _sync(app)
    payer = ("7707083893", "770701001", "40702810400000054321")
    day = (today - timedelta(days=1)).strftime("%d.%m.%Y")
    text = statement(document("784", day, "30000.00", payer, "Оплата по УПД РТ-0001"))
    bank = await _import(app, tmp_path, text)
    assert bank.payments.inserted == 1
    assert await _owed(app, ivan) == (Decimal(70000), Decimal(70000))
    onec.payment(ROMASHKA, "ПБ-0001", today - timedelta(days=1), "30000.00", pays=shipped)
    await _sync(app)
    assert await _owed(app, ivan) == (Decimal(70000), Decimal(70000))
    async with app.database.read() as s:
        facts = await Repos(s).erp.receivable_facts(None)
    assert len(facts.payments) == 1


async def test_the_sync_screen_and_the_outage_speak_russian(app, onec: OneCCompany, chat):
    await make_user(app, ADMIN_ID, Role.ADMIN, name="Анна", language="ru")
    onec.shipment(ROMASHKA, "РТ-0001", date(2026, 11, 1), "100.00")
    await _sync(app)
    shown = texts(await chat(ADMIN_ID).send("/sync"))[0]
    assert shown.startswith("🔄 Синхронизация с 1С (http://127.0.0.1:")
    assert "(Document_РеализацияТоваровУслуг): ✅" in shown
    assert "прочитано 1, изменено 1" in shown
    await onec.fake.set_down("refuse")
    await _sync(app)
    told = [m for m in await _outbox(app) if m.kind == "erp_sync"]
    assert len(told) == 1
    assert told[0].payload["text"].startswith("⚠️ 1С не отвечает синхронизации")


async def test_full_reload_reads_beyond_the_window_and_a_manager_cannot_press_it(
    app, onec: OneCCompany, chat
):
    _, ivan = await _people(app)
    # 100 days ago: outside the 45-day window of a normal sync.
    onec.shipment(ROMASHKA, "РТ-0001", app.clock().date() - timedelta(days=100), "100.00")
    await _sync(app)
    assert await _owed(app, ivan) == (Decimal(0), Decimal(0))
    # A manager forging the button: refused, nothing synced.
    manager = chat(5001)
    forged = await manager.press(None, SyncCallback(action=SyncAction.FULL).pack())
    await asyncio.gather(*app.background)
    assert not any("Sync" in (s.text or "") for s in forged)
    assert await _owed(app, ivan) == (Decimal(0), Decimal(0))
    admin = chat(ADMIN_ID)
    screen = last_with_buttons(await admin.send("/sync"))
    await admin.click(screen, "Full reload")
    await asyncio.gather(*app.background)
    assert await _owed(app, ivan) == (Decimal(100), Decimal(100))


async def test_1c_s_own_error_reaches_the_admin_once_and_skips_that_kind(app, onec: OneCCompany):
    _, ivan = await _people(app)
    onec.shipment(ROMASHKA, "РТ-0001", app.clock().date() - timedelta(days=40), "100.00")
    message = "Ошибка доступа к объекту Document_РеализацияТоваровУслуг"
    for _ in range(2):
        onec.fake.fail_next(1, 400, message=message, entity=p.SHIPMENTS)
        report = await _sync(app)
        errors = {r.kind: r.error for r in report.results if r.error}
        assert errors == {"shipments": message}
        app.clock.set(app.clock() + timedelta(minutes=15))
    told = [m for m in await _outbox(app) if m.kind == "erp_sync_missing"]
    assert len(told) == 1
    assert message in told[0].payload["text"] and "1C refused" in told[0].payload["text"]
    # The clients came in all the same; the shipment on the next sync.
    await _sync(app)
    assert await _owed(app, ivan) == (Decimal(100), Decimal(100))
