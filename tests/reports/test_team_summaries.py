"""Team summaries on a company whose figures are computed by hand (tests/reports/company.py):
the summary's every figure, the weekly and daily jobs (once, on time, with a chart after
the text), /report and /team in the chat, and access."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from aiogram.methods import SendMessage, SendPhoto
from PIL import Image

from bot.runtime.outbox_sender import message_parts
from bot.services.business_settings import change_setting, load_settings
from bot.services.plans import Period
from bot.services.reports import AttentionKind, summary_for
from jobs import JOBS, JobContext
from storage.dto import OutboxStatus
from storage.repositories import Repos
from tests.helpers import alerts, last_with_buttons, texts
from tests.reports.company import WEEKLY_AT, Company, build_company

WEEK = Period(date(2026, 11, 23), date(2026, 11, 29))
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def company(app, tmp_path) -> Company:
    return await build_company(app, tmp_path)


def ctx(app) -> JobContext:
    return app.job_context(None)


async def _summary(app, user, period=WEEK, now=WEEKLY_AT):
    async with app.database.read() as s:
        repos = Repos(s)
        return await summary_for(repos, user, period, now=now, settings=await load_settings(repos))


async def test_every_figure_of_the_weekly_summary(app, company):
    summary = await _summary(app, company.boss)
    assert [m.name for m in summary.managers] == ["Ivan", "Olga"]  # Petr is not Boss's
    ivan, olga = summary.managers
    assert dict(ivan.contacts) == {"call": 1, "visit": 1, "meeting": 1}
    assert (ivan.key_due, ivan.key_contacted) == (2, 1)  # Ромашка yes, Вектор no; Лютик not due
    assert ivan.follow_ups_missed == 2
    assert (ivan.overdue_total, ivan.overdue_new) == (Decimal("130000.00"), Decimal("100000.00"))
    assert (ivan.claims_opened, ivan.claims_closed, ivan.claims_late) == (1, 1, 1)
    assert (ivan.won, ivan.won_amount, ivan.lost) == (1, Decimal("150000.00"), 1)
    assert summary.plan_period == Period(date(2026, 11, 1), date(2026, 11, 30))
    assert ivan.fulfilment is not None
    assert (ivan.fulfilment.plan, ivan.fulfilment.actual) == (
        Decimal("1000000"),
        Decimal("100000.00"),
    )
    assert ivan.fulfilment.percent == Decimal("10.0")
    # November has 20 business days on the RU calendar, all worked by the 30th.
    assert ivan.fulfilment.forecast == Decimal("100000.00")
    assert dict(olga.contacts) == {"email": 1}
    assert (olga.key_due, olga.follow_ups_missed, olga.overdue_total) == (
        0,
        1,
        Decimal("200000.00"),
    )
    assert olga.fulfilment is None
    total = summary.total
    assert total.contacts_total == 4 and total.follow_ups_missed == 3
    assert (total.overdue_total, total.overdue_new) == (Decimal("330000.00"), Decimal("100000.00"))
    assert total.fulfilment is not None and total.fulfilment.percent == Decimal("10.0")
    assert dict(summary.aging) == {
        "1-30": Decimal("100000.00"),
        "31-60": Decimal("30000.00"),
        "61-90": Decimal("0.00"),
        "90+": Decimal("200000.00"),
    }
    overdue, neglected, claim = summary.attention
    assert (overdue.kind, overdue.item_id, overdue.amount) == (
        AttentionKind.OVERDUE,
        company.sever.id,
        Decimal("200000.00"),
    )
    assert (neglected.kind, neglected.item_id, neglected.days) == (
        AttentionKind.NEGLECTED,
        company.vektor.id,
        46,  # last contact 01.10, cadence 14 days, as of 30.11
    )
    assert (claim.kind, claim.item_id, claim.days, claim.deadline) == (
        AttentionKind.CLAIM,
        company.late_claim,
        -10,
        date(2026, 11, 20),
    )


async def test_an_admin_sees_the_whole_company(app, company):
    summary = await _summary(app, company.admin)
    # A row per team: a thousand managers' lines would not fit a phone.
    assert summary.by_team
    assert [(t.user_id, t.name) for t in summary.managers] == [
        (company.boss.id, "Boss"),
        (company.other_boss.id, "Other boss"),
    ]
    boss_team, other_team = summary.managers
    assert boss_team.overdue_total == Decimal("330000.00") and boss_team.contacts_total == 4
    assert other_team.overdue_new == Decimal("900000.00") and other_team.claims_late == 1
    assert summary.total.overdue_new == Decimal("1000000.00")
    assert summary.attention[0].item_id == company.yug.id  # Petr's 900 000
    assert summary.attention[-1].deadline == date(2026, 11, 1)


async def test_weekly_job_queues_text_then_chart_once(app, company):
    result = await JOBS["team_weekly"].run(WEEKLY_AT, ctx(app))
    assert result == "3 team summaries queued"  # Boss, Other boss (Petr) and the admin
    async with app.database.read() as s:
        rows = await Repos(s).outbox.list(status=OutboxStatus.PENDING)
    by_chat = {r.chat_id: r for r in rows}
    row = by_chat[company.boss.telegram_id]
    assert row.key == f"team_weekly:{company.boss.telegram_id}:week-2026-11-23:-"
    text = row.payload["text"]
    assert text.startswith("📊 Weekly team summary, 23.11–29.11.2026 · Boss")
    assert "Contacts: 3 (call 1, meeting 1, visit 1) · key clients contacted: 1 of 2 due" in text
    assert "Missed next steps: 2 · overdue 130,000.00\u00a0₽ (new 100,000.00\u00a0₽)" in text
    assert "Plan 11.2026: 10% (100,000.00\u00a0₽ of 1,000,000.00\u00a0₽)" in text
    assert "1. ООО «Север»: 200,000.00\u00a0₽ overdue (Olga)" in text
    assert "2. ООО «Вектор»: contact 46 days overdue (Ivan)" in text
    assert "deadline 20.11.2026 passed 10 days ago (Ivan)" in text
    assert "Petr" not in text
    # The chart follows the text as a photo of its own; the drill-in buttons stay on the text.
    assert row.attachment is not None and row.attachment.startswith(PNG)
    parts = message_parts(row)
    assert [p.photo is not None for p in parts] == [False, True]
    assert parts[0].markup is not None and parts[1].markup is None
    assert Image.open(io.BytesIO(row.attachment)).size[0] > 400
    admin_text = by_chat[company.admin.telegram_id].payload["text"]
    assert "whole company" in admin_text and "Petr" in admin_text
    # Run again, and later the same day: nothing more.
    assert await JOBS["team_weekly"].run(WEEKLY_AT, ctx(app)) == "0 team summaries queued"
    later = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    assert await JOBS["team_weekly"].run(later, ctx(app)) == "0 team summaries queued"


async def test_weekly_job_waits_for_its_hour_and_day(app, company):
    before = datetime(2026, 11, 30, 5, 55, tzinfo=UTC)  # 08:55 in Moscow
    assert await JOBS["team_weekly"].run(before, ctx(app)) == "0 team summaries queued"
    tuesday = datetime(2026, 12, 1, 6, 5, tzinfo=UTC)
    assert await JOBS["team_weekly"].run(tuesday, ctx(app)) == "0 team summaries queued"


async def test_weekly_summary_moves_to_the_next_business_day(app, company, clock):
    async with app.database.transaction() as s:
        await change_setting(
            Repos(s),
            "calendar_overrides",
            "30.11.2026 off",
            actor_id=company.admin.id,
            now=clock(),
        )
    assert await JOBS["team_weekly"].run(WEEKLY_AT, ctx(app)) == "0 team summaries queued"
    tuesday = datetime(2026, 12, 1, 6, 5, tzinfo=UTC)
    assert await JOBS["team_weekly"].run(tuesday, ctx(app)) == "3 team summaries queued"


async def test_daily_summary_on_business_days_at_the_local_hour(app, company):
    friday_1755 = datetime(2026, 11, 27, 14, 55, tzinfo=UTC)
    friday_1805 = datetime(2026, 11, 27, 15, 5, tzinfo=UTC)
    saturday = datetime(2026, 11, 28, 15, 5, tzinfo=UTC)
    assert await JOBS["team_daily"].run(friday_1755, ctx(app)) == "0 team summaries queued"
    # Supervisors only (admins get the weekly one); no chart with the daily summary.
    assert await JOBS["team_daily"].run(friday_1805, ctx(app)) == "2 team summaries queued"
    assert await JOBS["team_daily"].run(friday_1805, ctx(app)) == "0 team summaries queued"
    assert await JOBS["team_daily"].run(saturday, ctx(app)) == "0 team summaries queued"
    async with app.database.read() as s:
        rows = await Repos(s).outbox.list(status=OutboxStatus.PENDING)
    boss = next(r for r in rows if r.chat_id == company.boss.telegram_id)
    assert boss.attachment is None
    # Friday 27.11: Olga's e-mail of that day is the team's only contact.
    assert boss.payload["text"].startswith("📊 Team summary for 27.11.2026 · Boss")
    assert "Contacts: 1 (email 1)" in boss.payload["text"]


async def test_daily_summary_in_the_supervisors_own_zone(app, company):
    async with app.database.transaction() as s:
        from storage.dto import UserUpdate

        await Repos(s).users.update(
            company.boss.id, UserUpdate(timezone="Asia/Vladivostok"), actor_id=None, now=WEEKLY_AT
        )
    # 18:05 in Vladivostok (UTC+10) on Friday is 08:05 UTC; Moscow's supervisor is not due.
    vladivostok_1805 = datetime(2026, 11, 27, 8, 5, tzinfo=UTC)
    assert await JOBS["team_daily"].run(vladivostok_1805, ctx(app)) == "1 team summaries queued"


async def test_report_in_the_chat_with_its_chart(app, company, chat, clock):
    clock.set(WEEKLY_AT)
    boss = chat(company.boss.telegram_id, language_code="en")
    sent = await boss.send("/report")
    assert texts(sent) == ["Team summary for which period?"]
    sent = await boss.click(last_with_buttons(sent), "Last week")
    messages = [s for s in sent if isinstance(s.method, SendMessage)]
    photos = [s for s in sent if isinstance(s.method, SendPhoto)]
    assert messages[0].text.startswith(
        "📊 Team summary, 23.11–29.11.2026 (as of 30.11.2026) · Boss"
    )
    assert len(photos) == 1
    assert photos[0].method.photo.data.startswith(PNG)  # type: ignore[union-attr]
    # The numbered attention items open the client card or the claim.
    numbers = last_with_buttons(sent)
    opened = await boss.click(numbers, "1")
    assert texts(opened)[0].startswith("ООО «Север»")


async def test_report_in_russian(app, company, chat, clock):
    clock.set(WEEKLY_AT)
    boss = chat(company.boss.telegram_id, language_code="ru")
    async with app.database.transaction() as s:
        from storage.dto import UserUpdate

        await Repos(s).users.update(
            company.boss.id, UserUpdate(language="ru"), actor_id=None, now=WEEKLY_AT
        )
    sent = await boss.send("/report")
    sent = await boss.click(last_with_buttons(sent), "Прошлая неделя")
    text = texts(sent)[0]
    assert "Контакты: 3 (звонок 1, встреча 1, визит 1)" in text
    assert (
        "Пропущено шагов: 2 · просрочка 130\u00a0000,00\u00a0₽, "
        "из них новая 100\u00a0000,00\u00a0₽" in text
    )


async def test_team_list_and_a_managers_view(app, company, chat, clock):
    clock.set(WEEKLY_AT)
    boss = chat(company.boss.telegram_id, language_code="en")
    sent = await boss.send("/team")
    lines = texts(sent)[0].splitlines()
    assert lines[0].startswith("🧑‍💼 Your team this week (30.11–06.12.2026)")
    assert lines[1].startswith(
        "1. Ivan: contacts 1, key clients 0/1, missed 0, overdue 130,000.00"
    )
    assert lines[2].startswith("2. Olga:")
    view = await boss.click(last_with_buttons(sent), "1")
    assert "👤 Ivan" in texts(view)[0] and "Olga" not in texts(view)[0]
    back = await boss.click(last_with_buttons(view), "← Team")
    assert texts(back)[0].startswith("🧑‍💼 Your team")


async def test_access_is_checked_on_the_server(app, company, chat, clock):
    clock.set(WEEKLY_AT)
    other = chat(company.other_boss.telegram_id, language_code="en")
    # Ivan is Boss's: a forged button for him is refused and shows nothing.
    from bot.views.reports.callbacks import ReportCallback, TeamCallback

    sent = await other.press(None, TeamCallback(user_id=company.ivan.id).pack())
    assert alerts(sent) == ["This is not available to you (or no longer exists)."]
    assert not [s for s in sent if isinstance(s.method, SendMessage)]
    sent = await other.press(None, "rp:x")  # a forged period: no such code
    assert alerts(sent) == ["This is not available to you (or no longer exists)."]
    ivan = chat(company.ivan.telegram_id, language_code="en")
    assert texts(await ivan.send("/report")) == ["Reports are for supervisors and admins."]
    assert texts(await ivan.send("/team")) == ["Reports are for supervisors and admins."]
    sent = await ivan.press(None, ReportCallback(period="w").pack())
    assert alerts(sent) == ["This is not available to you (or no longer exists)."]


async def test_an_admin_opens_a_team_then_a_manager(app, company, chat, clock):
    clock.set(WEEKLY_AT)
    admin = chat(company.admin.telegram_id, language_code="en")
    sent = await admin.send("/team")
    lines = texts(sent)[0].splitlines()
    assert lines[0].startswith("🏢 Teams this week")
    assert lines[1].startswith("1. Boss:") and lines[2].startswith("2. Other boss:")
    team = await admin.click(last_with_buttons(sent), "1")
    lines = texts(team)[0].splitlines()
    assert lines[0].startswith("👥 Team of Boss this week")
    assert [line.split(":")[0] for line in lines[1:]] == ["1. Ivan", "2. Olga"]
    view = await admin.click(last_with_buttons(team), "2")
    assert texts(view)[0].startswith("📊 Team summary, 30.11–06.12.2026 (as of 30.11.2026) · Olga")
    back = await admin.click(last_with_buttons(view), "← Team")
    assert texts(back)[0].startswith("👥 Team of Boss")


async def test_churn_signals_in_the_summary(app, company, tmp_path):
    from tests.erp.files import import_rows

    # Юг (Petr's key client) shipped 3 000 000 in July (paid) and 900 000 since: −70 %.
    for kind, header, rows in (
        (
            "shipments",
            ["Номер", "Дата", "Код контрагента", "Сумма"],
            [["Р-5", "01.07.2026", "К-4", "3 000 000,00"]],
        ),
        (
            "payments",
            ["Номер", "Дата", "Код контрагента", "Сумма", "Документ расчетов"],
            [["П-5", "02.07.2026", "К-4", "3 000 000,00", "Р-5"]],
        ),
    ):
        await import_rows(app, tmp_path, kind, header, rows, now=WEEKLY_AT)
    assert (await _summary(app, company.boss)).churn == ()
    await JOBS["team_weekly"].run(WEEKLY_AT, ctx(app))
    async with app.database.read() as s:
        rows = await Repos(s).outbox.list(status=OutboxStatus.PENDING)
    other = next(r for r in rows if r.chat_id == company.other_boss.telegram_id).payload["text"]
    assert "📉 Key clients at risk of leaving:" in other
    assert (
        "• ООО «Юг»: revenue of the last 90 days 900,000.00\u00a0₽ against 3,000,000.00\u00a0₽ "
        "before (−70%) (Petr)"
    ) in other


async def test_new_overdue_counts_the_first_overdue_day(app, company):
    # Р-1 is due on Wednesday 25.11: overdue from Thursday 26.11, so new on that day only.
    for day, expected in ((25, "0.00"), (26, "100000.00"), (27, "0.00")):
        moment = datetime(2026, 11, day, 15, 5, tzinfo=UTC)
        one_day = Period(date(2026, 11, day), date(2026, 11, day))
        ivan = (await _summary(app, company.boss, one_day, moment)).managers[0]
        assert ivan.overdue_new == Decimal(expected), day
