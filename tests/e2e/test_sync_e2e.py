"""1C without hands, end to end: the real bot process syncs from the fake 1C (УТ 11.5 over
its OData interface) on its own schedule, on *Sync now* and from the shell; a manager's
/debts and morning digest show 1C's figures; a payment posted in 1C and an unposted shipment
change them on the next sync; 1C down is told to the admin once and the old figures stay."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from bot.services.business_calendar import BusinessCalendar
from bot.services.onec import profiles as p
from storage.dto import Role
from storage.engine import Database
from storage.repositories import Repos
from tests.e2e.conftest import (
    ADMIN_ID,
    Person,
    Stack,
    midday_zone,
    register,
    running_stack,
    texts,
    with_buttons,
)
from tests.fakes.onec_company import MANAGER, PASSWORD, USER, OneCCompany
from tests.fakes.onec_odata import FakeOneC

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]
MANAGER_ID = 810_001
ROMASHKA = "ООО «Ромашка»"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def onec() -> AsyncIterator[OneCCompany]:
    async with FakeOneC(user=USER, password=PASSWORD) as fake:
        yield OneCCompany(fake)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stack(
    tmp_path_factory: pytest.TempPathFactory, onec: OneCCompany
) -> AsyncIterator[Stack]:
    env = {
        "ONEC_ODATA_URL": onec.fake.base_url,
        "ONEC_ODATA_USER": USER,
        "ONEC_ODATA_PASSWORD": PASSWORD,
        # 1C down is known at the first refused connection, not after 7 s of backoff.
        "ONEC_ODATA_ATTEMPTS": "1",
        "ONEC_ODATA_TIMEOUT": "10",
    }
    async with running_stack(tmp_path_factory.mktemp("sync-e2e"), **env) as started:
        yield started


async def _first_sync_done(stack: Stack) -> None:
    """The bot syncs once as it starts (the job's first run): wait for its record."""
    db = Database(stack.env["DATABASE_URL"])
    try:
        for _ in range(150):
            async with db.read() as s:
                if await Repos(s).erp_sync.last_sync_at() is not None:
                    return
            await asyncio.sleep(0.2)
        raise AssertionError("the bot did not sync at start")
    finally:
        await db.dispose()


async def _debts(manager: Person) -> str:
    return "\n".join(texts(await manager.say("/debts")))


async def test_a_company_that_publishes_its_1c_works_from_live_data(
    stack: Stack, onec: OneCCompany
) -> None:
    await _first_sync_done(stack)  # 1C has no clients yet: an empty first sync
    await register(stack, MANAGER_ID, Role.MANAGER, "Иван Иванов", erp_name=MANAGER)
    # The admin lives where it is midday: the outage notice is not held by quiet hours.
    await register(stack, ADMIN_ID, Role.ADMIN, "Anna", timezone=midday_zone())
    admin = Person(stack.fake, ADMIN_ID, name="Anna", language="en")
    manager = Person(stack.fake, MANAGER_ID, name="Ivan", language="en")

    # In 1C: a client of the manager, two shipments (30 days' deferral), a part payment.
    today = datetime.now(UTC).date()
    onec.client(ROMASHKA, "7707083893", "770701001")
    # 40 days back: inside the 45-day look-back window in Moscow too (a day ahead of UTC
    # late in the UTC evening).
    old = onec.shipment(ROMASHKA, "РТ-0001", today - timedelta(days=40), "100000.00")
    onec.shipment(ROMASHKA, "РТ-0002", today - timedelta(days=3), "25000.50")
    onec.payment(ROMASHKA, "ПБ-0001", today - timedelta(days=2), "40000.00", pays=old)

    # The admin syncs now from the chat; the progress message ends with the outcome.
    final = await _sync_now(stack, admin)
    assert "Shipments: read 2, changed 2" in final

    debts = await _debts(manager)
    assert "Owed: 85,000.50\u00a0₽, overdue: 60,000.00\u00a0₽" in debts, debts
    assert "ERP data as of" in debts

    # The client pays the rest; the sync from the shell brings it in.
    onec.payment(ROMASHKA, "ПБ-0002", today, "60000.00", pays=old)
    code, out, err = await stack.cli("sync")
    assert code == 0, err
    assert "payments (Document_ПоступлениеБезналичныхДенежныхСредств" in out
    assert "Owed: 25,000.50\u00a0₽, overdue: 0.00\u00a0₽" in await _debts(manager)

    # An accountant unposts the second shipment in 1C, and posts one that fell due
    # yesterday (the digest's "newly overdue"): both on the next sync.
    second = next(s for s in onec.fake.records(p.SHIPMENTS) if s["Number"] == "РТ-0002")
    onec.unpost(p.SHIPMENTS, second)
    # The digest's morning (09:05 in Moscow) must be past already: the sender holds a
    # message until its time on the real clock.
    moscow = datetime.now(ZoneInfo("Europe/Moscow"))
    base = moscow.date() if moscow.time() >= time(9, 6) else moscow.date() - timedelta(days=1)
    day = BusinessCalendar("RU").previous_business_day(base, include_today=True)
    onec.shipment(ROMASHKA, "РТ-0003", day - timedelta(days=31), "7000.00")
    assert "Shipments: read 2, changed 2" in await _sync_now(stack, admin)
    assert "Owed: 7,000.00\u00a0₽, overdue: 7,000.00\u00a0₽" in await _debts(manager)

    # The morning digest of a business day comes from what 1C says.
    code, out, err = await stack.cli("job", "digest", "--at", f"{day.isoformat()}T09:05:00+03:00")
    assert (code, out.strip()) == (0, "1 digests queued"), (out, err)
    digest = await stack.fake.wait_for(
        "sendMessage",
        chat_id=MANAGER_ID,
        predicate=lambda r: bool(r.text) and r.text.startswith("Good morning!"),
        timeout=20,
    )
    assert "ООО «Ромашка»: shipment РТ-0003, 7,000.00\u00a0₽" in (digest.text or ""), digest.text
    assert "Overdue in all: 7,000.00\u00a0₽" in (digest.text or ""), digest.text

    # 1C goes down: two syncs fail, the admin hears of it once, and the figures stay.
    await onec.fake.set_down("refuse")
    mark = stack.fake.mark()
    for _ in range(2):
        assert "1C is not answering" in await _sync_now(stack, admin, done="Nothing was changed")
    told = await stack.fake.wait_for(
        "sendMessage",
        chat_id=ADMIN_ID,
        after=mark,
        predicate=lambda r: bool(r.text) and "tries again on schedule" in r.text,
        timeout=20,
    )
    await stack.fake.wait_idle(quiet=1.5, timeout=20)
    outage = [r for r in stack.fake.delivered(ADMIN_ID) if "tries again on" in (r.text or "")]
    assert outage == [told]
    assert "Owed: 7,000.00\u00a0₽, overdue: 7,000.00\u00a0₽" in await _debts(manager)
    status = "\n".join(texts(await admin.say("/sync")))
    assert "1C is not answering" in status
    await onec.fake.set_down(None)


async def _sync_now(stack: Stack, admin: Person, *, done: str = "Sync finished") -> str:
    screen = with_buttons(await admin.say("/sync"))
    assert "1C sync (http://127.0.0.1:" in (screen.text or "")
    mark = stack.fake.mark()
    await admin.press(screen, "🔄 Sync now")
    final = await stack.fake.wait_for(
        "editMessageText",
        chat_id=ADMIN_ID,
        after=mark,
        predicate=lambda r: bool(r.text) and done in r.text,
        timeout=30,
    )
    return final.text or ""
