"""Reminders with injected time: digest content, business days and zones, quiet hours,
snooze and done, follow-ups at their hour, overdue alerts, price changes, idempotence and
the restart catch-up."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.services.business_settings import load_settings
from bot.services.reminders import (
    build_digests,
    run_digests,
    run_follow_ups,
    run_overdue_alerts,
    run_price_changes,
)
from bot.views.reminders.texts import ReminderTexts
from storage.dto import FollowUpCreate, OutboxStatus, Role, Tier, UserUpdate
from storage.models import Price
from storage.reminders import ReminderRepo
from storage.repositories import Repos
from tests.erp.files import import_rows
from tests.factories import make_client, make_user
from tests.helpers import alerts, texts

# Monday 2026-11-23 09:00 Moscow = 06:00 UTC.
MONDAY_9_MSK = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


async def _run(app, job, now):
    async with app.database.transaction() as s:
        return await job(Repos(s), now, ReminderTexts(app.translator))


async def _owed(app, kind: str | None = None):
    async with app.database.read() as s:
        rows = await Repos(s).outbox.list()
    return [r for r in rows if kind is None or r.kind == kind]


async def _import(app, tmp_path: Path, kind: str, header, rows) -> None:
    summary = await import_rows(app, tmp_path, kind, header, rows)
    assert not summary.rejected, summary.rejected


async def _sales_and_prices(app, tmp_path: Path, clients, orders, lines, prices) -> None:
    """Clients of Ivan's, their orders and order lines, and the product prices."""
    await _import(
        app, tmp_path, "clients", ["Код", "Наименование", "ИНН", "Ответственный"], clients
    )
    await _import(app, tmp_path, "orders", ["Номер", "Дата", "Код контрагента", "Сумма"], orders)
    await _import(
        app,
        tmp_path,
        "order_lines",
        ["Номер заказа", "Дата заказа", "Артикул", "Номенклатура", "Количество", "Сумма"],
        lines,
    )
    await _import(
        app,
        tmp_path,
        "prices",
        ["Артикул", "Номенклатура", "Цена", "Дата начала действия"],
        prices,
    )


@pytest.fixture
async def ivan(app):
    boss = await make_user(app, 7000, Role.SUPERVISOR, name="Boss")
    user = await make_user(app, 7001, name="Ivan", supervisor=boss)
    async with app.database.transaction() as s:
        await Repos(s).users.update(
            user.id, UserUpdate(erp_name="Иванов Иван"), actor_id=None, now=app.clock()
        )
    return user


async def test_digest_lists_every_kind_with_numbered_buttons(app, tmp_path, ivan):
    key = await make_client(app, "ООО «Ключ»", ivan, tier=Tier.A)  # never contacted: past cadence
    async with app.database.transaction() as s:
        await Repos(s).follow_ups.add(
            FollowUpCreate(
                client_id=key.id, owner_id=ivan.id, text="send offer", due_date=date(2026, 11, 20)
            ),
            now=app.clock(),
        )
    await _import(
        app,
        tmp_path,
        "clients",
        ["Код", "Наименование", "ИНН", "Ответственный"],
        [["К-1", "ООО «Ромашка»", "7707083893", "Иванов И."]],
    )
    await _import(
        app,
        tmp_path,
        "shipments",
        ["Номер", "Дата", "Код контрагента", "Сумма", "Срок оплаты"],
        [
            ["Р-1", "01.11.2026", "К-1", "50 000,00", "21.11.2026"],  # overdue since Sunday: new
            ["Р-2", "01.09.2026", "К-1", "10 000,00", "01.10.2026"],  # overdue long ago
        ],
    )
    app.clock.set(MONDAY_9_MSK - timedelta(days=60))  # the client existed for 60 days
    async with app.database.transaction() as s:
        from sqlalchemy import update

        from storage.models import Client

        await s.execute(update(Client).values(created_at=app.clock()))
    assert await _run(app, run_digests, MONDAY_9_MSK) == 1
    [row] = await _owed(app, "digest")
    text = row.payload["text"]
    assert text.splitlines()[0] == "Good morning! Your day, 23.11.2026:"
    assert "1. ООО «Ключ» — send offer (overdue by 3 days)" in text
    assert "2. ООО «Ключ» — contact 46 days overdue (tier A)" in text
    assert "3. ООО «Ромашка»: shipment Р-1, 50,000.00\u00a0₽, 2 days overdue" in text
    assert "Р-2" not in text  # overdue before the last digest: in the totals only
    assert "Overdue in all: 60,000.00\u00a0₽" in text
    buttons = [b["text"] for r in row.payload["reply_markup"]["inline_keyboard"] for b in r]
    assert buttons == ["1", "2", "3"]
    assert row.not_before == MONDAY_9_MSK  # 09:00 is outside quiet hours


async def test_no_digest_on_weekends_holidays_and_before_the_hour_per_zone(app, ivan):
    app.clock.set(MONDAY_9_MSK - timedelta(days=60))
    await make_client(app, "ООО «Ключ»", ivan, tier=Tier.A)
    far = await make_user(app, 7002, name="Kamchatka", timezone="Asia/Kamchatka")
    await make_client(app, "Далёкий клиент", far, tier=Tier.A)
    saturday = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    assert await _run(app, run_digests, saturday) == 0
    new_year = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)  # the New Year holidays
    assert await _run(app, run_digests, new_year) == 0
    # Monday 23.11, 21:00 UTC: already Tuesday 09:00 in Kamchatka, night in Moscow.
    assert await _run(app, run_digests, datetime(2026, 11, 23, 21, 0, tzinfo=UTC)) == 1
    [row] = await _owed(app, "digest")
    assert row.chat_id == far.telegram_id and row.key.endswith(":2026-11-24")


async def test_empty_digest_is_not_sent_and_runs_are_idempotent(app, ivan):
    assert await _run(app, run_digests, MONDAY_9_MSK) == 0
    assert await _owed(app) == []
    await make_client(app, "ООО «Ключ»", ivan, tier=Tier.A, is_key=True)
    later = MONDAY_9_MSK + timedelta(days=30)
    assert await _run(app, run_digests, later) == 1
    assert await _run(app, run_digests, later + timedelta(minutes=5)) == 0
    assert len(await _owed(app, "digest")) == 1


async def test_missed_digest_sent_until_cutoff_then_dropped(app, ivan, caplog):
    caplog.set_level(logging.INFO)
    app.clock.set(MONDAY_9_MSK - timedelta(days=60))
    await make_client(app, "ООО «Ключ»", ivan, tier=Tier.A)
    eleven = MONDAY_9_MSK + timedelta(hours=2)
    assert await _run(app, run_digests, eleven) == 1  # down at 09:00, back at 11:00: sent
    async with app.database.transaction() as s:
        await run_digests(
            Repos(s),
            MONDAY_9_MSK + timedelta(days=1, hours=4),
            ReminderTexts(app.translator),
            catch_up=True,
        )
    assert len(await _owed(app, "digest")) == 1  # Tuesday 13:00: past the 12:00 cut-off
    assert any(
        "dropped: past the 12:00 cut-off" in r.getMessage()
        for r in caplog.records
        if r.levelno == logging.INFO
    )


async def test_snooze_and_done_from_the_digest(app, chat, ivan):
    client = await make_client(app, "ООО «Ключ»", ivan)
    async with app.database.transaction() as s:
        follow_up = await Repos(s).follow_ups.add(
            FollowUpCreate(
                client_id=client.id, owner_id=ivan.id, text="call", due_date=date(2026, 11, 23)
            ),
            now=app.clock(),
        )
    me = chat(ivan.telegram_id, language_code="en")
    sent = await me.press(None, f"rm:f:{follow_up.id}:o:0")
    assert texts(sent) == ["Next step with ООО «Ключ»:"]
    sent = await me.press(None, f"rm:f:{follow_up.id}:s:3")
    assert alerts(sent) == ["Snoozed until 26.11.2026."]
    assert await _run(app, run_digests, MONDAY_9_MSK + timedelta(days=1)) == 0  # hidden on Tuesday
    assert await _run(app, run_digests, MONDAY_9_MSK + timedelta(days=3)) == 1  # back on Thursday
    sent = await me.press(None, f"rm:f:{follow_up.id}:d:0")
    assert alerts(sent) == ["Done: it will not come back."]
    assert await _run(app, run_digests, MONDAY_9_MSK + timedelta(days=4)) == 0
    other = await make_user(app, 7009, name="Other")
    forged = await chat(other.telegram_id, language_code="en").press(
        None, f"rm:f:{follow_up.id}:d:0"
    )
    assert alerts(forged) == ["This is not available to you (or no longer exists)."]


async def test_follow_up_at_its_hour_and_quiet_hours(app, ivan):
    client = await make_client(app, "ООО «Ключ»", ivan)
    at_1430 = datetime(2026, 11, 23, 11, 30, tzinfo=UTC)  # 14:30 in Moscow
    at_2230 = datetime(2026, 11, 23, 19, 30, tzinfo=UTC)  # 22:30 in Moscow: quiet hours
    async with app.database.transaction() as s:
        for when in (at_1430, at_2230):
            await Repos(s).follow_ups.add(
                FollowUpCreate(
                    client_id=client.id,
                    owner_id=ivan.id,
                    text=f"call {when:%H}",
                    due_date=when.date(),
                    due_at=when,
                ),
                now=app.clock(),
            )
    assert await _run(app, run_follow_ups, at_1430 - timedelta(minutes=1)) == 0
    assert await _run(app, run_follow_ups, at_1430) == 1
    assert await _run(app, run_follow_ups, at_1430 + timedelta(minutes=1)) == 0
    assert await _run(app, run_follow_ups, at_2230) == 1
    rows = await _owed(app, "followup_due")
    assert rows[0].payload["text"] == "⏰ 23.11.2026 14:30: ООО «Ключ» — call 11"
    assert rows[1].not_before == datetime(2026, 11, 24, 5, 0, tzinfo=UTC)  # 08:00 Moscow


async def test_overdue_alert_on_the_first_business_day_above_the_threshold(app, tmp_path, ivan):
    await _import(
        app,
        tmp_path,
        "clients",
        ["Код", "Наименование", "ИНН", "Ответственный"],
        [["К-1", "ООО «Ромашка»", "7707083893", "Иванов И."]],
    )
    await _import(
        app,
        tmp_path,
        "shipments",
        ["Номер", "Дата", "Код контрагента", "Сумма", "Срок оплаты"],
        [
            ["Р-1", "01.11.2026", "К-1", "150 000,00", "20.11.2026"],  # due Friday: overdue Monday
            ["Р-2", "01.11.2026", "К-1", "5 000,00", "20.11.2026"],  # below the threshold
        ],
    )
    assert (
        await _run(app, run_overdue_alerts, datetime(2026, 11, 21, 9, 0, tzinfo=UTC)) == 0
    )  # Saturday
    assert await _run(app, run_overdue_alerts, MONDAY_9_MSK) == 1
    assert await _run(app, run_overdue_alerts, MONDAY_9_MSK + timedelta(hours=1)) == 0
    assert await _run(app, run_overdue_alerts, MONDAY_9_MSK + timedelta(days=1)) == 0
    [row] = await _owed(app, "overdue_alert")
    assert (
        "shipment Р-1 of 01.11.2026 for 150,000.00\u00a0₽ became overdue today"
        in row.payload["text"]
    )


async def test_price_change_notices_informed_marks_and_second_notice(app, tmp_path, ivan, chat):
    await _sales_and_prices(
        app,
        tmp_path,
        [
            ["К-1", "ООО «Ромашка»", "7707083893", "Иванов И."],
            ["К-2", "ПАО «Лютик»", "7736207543", "Иванов И."],
            ["К-3", "Давний покупатель", "", "Иванов И."],
        ],
        [
            ["1", "01.10.2026", "К-1", "100,00"],
            ["2", "01.09.2026", "К-2", "100,00"],
            ["3", "01.01.2025", "К-3", "100,00"],
        ],
        [
            ["1", "01.10.2026", "B-8", "Болт М8", "5", "100,00"],
            ["2", "01.09.2026", "B-8", "Болт М8", "5", "100,00"],
            ["3", "01.01.2025", "B-8", "Болт М8", "5", "100,00"],
        ],
        [["B-8", "Болт М8", "20,00", "01.01.2026"], ["B-8", "Болт М8", "23,00", "10.12.2026"]],
    )
    assert await _run(app, run_price_changes, MONDAY_9_MSK) == 1
    [first] = await _owed(app, "price_change")
    text = first.payload["text"]
    assert text.startswith("💲 Price change: Болт М8 from 10.12.2026. Tell these clients:")
    assert "• ООО «Ромашка»: 20.00\u00a0₽ → 23.00\u00a0₽ (+15%)" in text and "Давний" not in text
    informed = next(
        b["callback_data"]
        for r in first.payload["reply_markup"]["inline_keyboard"]
        for b in r
        if "Ромашка" in b["text"]
    )
    sent = await chat(ivan.telegram_id, language_code="en").press(None, informed)
    assert alerts(sent) == ["Marked as informed."]
    [redrawn] = [s for s in sent if s.name == "EditMessageReplyMarkup"]
    assert [t for t, _ in redrawn.inline_buttons] == ["✓ Informed: ПАО «Лютик»"]
    assert (
        await _run(app, run_price_changes, MONDAY_9_MSK + timedelta(days=1)) == 0
    )  # not yet 3 days ahead
    assert await _run(app, run_price_changes, datetime(2026, 12, 7, 9, 0, tzinfo=UTC)) == 1
    second = (await _owed(app, "price_change"))[1]
    assert "Not yet informed" in second.payload["text"]
    assert "Лютик" in second.payload["text"] and "Ромашка" not in second.payload["text"]
    assert await _run(app, run_price_changes, datetime(2026, 12, 8, 9, 0, tzinfo=UTC)) == 0
    assert {r.status for r in await _owed(app)} == {OutboxStatus.PENDING}


async def test_digest_lists_price_changes_not_yet_announced_by_client_in_both_languages(
    app, tmp_path, ivan
):
    """Each user's price lines by client, then date and product; the informed left out."""
    await _sales_and_prices(
        app,
        tmp_path,
        [
            ["К-1", "ООО «Ромашка»", "7707083893", "Иванов И."],
            ["К-2", "АО «Астра»", "7736207543", "Иванов И."],
        ],
        [["1", "01.10.2026", "К-1", "100,00"], ["2", "01.09.2026", "К-2", "100,00"]],
        [
            [order, day, code, name, "5", "50,00"]
            for order, day in (("1", "01.10.2026"), ("2", "01.09.2026"))
            for code, name in (("B-8", "Болт М8"), ("G-1", "Гайка М8"))
        ],
        [
            ["B-8", "Болт М8", "20,00", "01.01.2026"],
            ["B-8", "Болт М8", "23,00", "15.12.2026"],
            ["G-1", "Гайка М8", "10,00", "01.01.2026"],
            ["G-1", "Гайка М8", "9,50", "10.12.2026"],
        ],
    )
    assert await _run(app, run_price_changes, MONDAY_9_MSK) == 2
    async with app.database.transaction() as s:
        reminders = ReminderRepo(s)
        nut = next(
            n
            for n in await reminders.price_notices(user_ids=[ivan.id])
            if n[8] == "Гайка М8" and n[2] == "АО «Астра»"
        )
        assert await reminders.mark_informed(nut[0], nut[1], ivan.id, MONDAY_9_MSK)
    assert await _run(app, run_digests, MONDAY_9_MSK) == 1
    [row] = await _owed(app, "digest")
    lines = row.payload["text"].splitlines()
    start = lines.index("Price changes to announce:")
    assert lines[start + 1 : start + 4] == [
        "1. АО «Астра»: Болт М8 → 23.00\u00a0₽ from 15.12.2026 (+15%)",
        "2. ООО «Ромашка»: Гайка М8 → 9.50\u00a0₽ from 10.12.2026 (\u22125%)",
        "3. ООО «Ромашка»: Болт М8 → 23.00\u00a0₽ from 15.12.2026 (+15%)",
    ]
    buttons = [b["text"] for r in row.payload["reply_markup"]["inline_keyboard"] for b in r]
    assert buttons == ["1", "2", "3"]
    # The same digest for a manager who reads Russian.
    russian = ivan.model_copy(update={"language": "ru"})
    async with app.database.read() as s:
        repos = Repos(s)
        digest = (await build_digests(repos, [russian], MONDAY_9_MSK, await load_settings(repos)))[
            ivan.id
        ]
    text, _markup = ReminderTexts(app.translator).digest(russian, digest)
    assert "Изменения цен — сообщите клиентам:" in text
    assert "2. ООО «Ромашка»: Гайка М8 → 9,50\u00a0₽ с 10.12.2026 (\u22125\u00a0%)" in text
    # Once a price is in effect there is nothing left to announce; nor when the ERP withdrew it.
    friday = datetime(2026, 12, 11, 6, 0, tzinfo=UTC)

    async def price_lines() -> list[tuple[str, str]]:
        async with app.database.read() as s:
            repos = Repos(s)
            digest = (await build_digests(repos, [ivan], friday, await load_settings(repos)))[
                ivan.id
            ]
        return [(line.client_name, line.text) for line in digest.lines if line.kind == "price"]

    assert await price_lines() == [("АО «Астра»", "Болт М8"), ("ООО «Ромашка»", "Болт М8")]
    async with app.database.transaction() as s:
        await s.execute(
            update(Price)
            .where(Price.effective_from == date(2026, 12, 15))
            .values(removed_in_erp=True)
        )
    assert await price_lines() == []
