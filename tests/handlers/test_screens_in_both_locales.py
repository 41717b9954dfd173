"""Every screen with figures, in Russian and in English, through the dispatcher: numbers,
money, percentages and dates in the user's language, plural forms from the catalogues,
the aging buckets and the order lines readable (issue 14).

One small book of Ivan's, seen on Monday 23.11.2026 (12:00 in Moscow):
shipments to ООО «Ромашка» overdue by 21, 5, 2 and 1 days, 265 776,70 ₽ in all (all in
the 1–30 bucket); November's plan 303 400 ₽, so 265 776,70 / 303 400 = 87,599… → 87,6 %;
an order of a 48 mm × 150 m tape (1 300 at 12,50 ₽) and 2,5 of glue; the glue's price
rises from 20,00 to 21,40 ₽ (+7 %); ООО «Ключ», key A, never contacted for 60 days:
46 days past its 14-day cadence.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from bot.services.erp_import import run_import
from bot.services.reminders import run_digests
from bot.views.reminders.texts import ReminderTexts
from storage.dto import Role, Tier, UserDTO, UserUpdate
from storage.repositories import Repos
from tests.erp.files import csv_1c, import_rows
from tests.factories import make_client, make_user
from tests.helpers import ChatClient, last_with_buttons, texts

NB = "\u00a0"
MONDAY_9_MSK = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


def rub(text: str) -> str:
    """A money amount as written in the tests below, with the no-break spaces."""
    return text.replace(" ", NB) + NB + "₽"


async def _import(app, tmp_path: Path, kind: str, header: list[str], rows: list[list[str]]):
    summary = await import_rows(app, tmp_path, kind, header, rows)
    assert not summary.rejected, summary.rejected


async def _import_utf8(app, tmp_path: Path, kind: str, header: list[str], rows: list[list[str]]):
    """A UTF-8 export (Windows-1251 has no "×")."""
    path = csv_1c(tmp_path / f"{kind}-utf8.csv", header, rows, encoding="utf-8")
    summary = await run_import(
        app.database,
        kind,
        path,
        file_name=path.name,
        snapshot=False,
        actor_id=None,
        now=app.clock(),
        texts=app.translator,
    )
    assert not summary.rejected, summary.rejected


@pytest.fixture(params=["ru", "en"])
async def book(request, app, tmp_path, clock) -> tuple[str, UserDTO, UserDTO]:
    language = request.param
    boss = await make_user(app, 8000, Role.SUPERVISOR, name="Boss", language=language)
    ivan = await make_user(app, 8001, name="Ivan", supervisor=boss, language=language)
    async with app.database.transaction() as s:
        await Repos(s).users.update(
            ivan.id, UserUpdate(erp_name="Иванов Иван"), actor_id=None, now=clock()
        )
    start = clock()
    clock.set(start - timedelta(days=60))  # created 60 days ago, never contacted
    await make_client(app, "ООО «Ключ»", ivan, tier=Tier.A)
    clock.set(start)
    await _import(
        app,
        tmp_path,
        "clients",
        ["Код", "Наименование", "ИНН", "Ответственный"],
        [["К-1", "ООО «Ромашка»", "7707083893", "Иванов И.И."]],
    )
    await _import(
        app,
        tmp_path,
        "shipments",
        ["Номер", "Дата", "Код контрагента", "Сумма", "Срок оплаты"],
        [
            ["Р-1", "01.11.2026", "К-1", "50 000,00", "02.11.2026"],  # 21 days overdue
            ["Р-2", "10.11.2026", "К-1", "65 776,70", "18.11.2026"],  # 5 days
            ["Р-3", "15.11.2026", "К-1", "100 000,00", "21.11.2026"],  # 2 days
            ["Р-4", "16.11.2026", "К-1", "50 000,00", "22.11.2026"],  # 1 day
        ],
    )
    await _import(
        app,
        tmp_path,
        "orders",
        ["Номер", "Дата", "Код контрагента", "Статус", "Сумма"],
        [["4512", "01.11.2026", "К-1", "Закрыт", "16 255,00"]],
    )
    await _import_utf8(
        app,
        tmp_path,
        "order_lines",
        ["Номер заказа", "Дата заказа", "N", "Номенклатура", "Количество", "Цена", "Сумма"],
        [
            ["4512", "01.11.2026", "1", "Лента 48 мм × 150 м", "1300", "12,50", "16 250,00"],
            ["4512", "01.11.2026", "2", "Клей", "2,5", "2,00", "5,00"],
        ],
    )
    await _import(
        app,
        tmp_path,
        "prices",
        ["Артикул", "Номенклатура", "Цена", "Дата начала действия"],
        [
            ["G-1", "Клей", "20,00", "01.01.2026"],
            ["G-1", "Клей", "21,40", "01.12.2026"],
        ],
    )
    async with app.database.transaction() as s:
        await Repos(s).plans.set(
            ivan.id,
            date(2026, 11, 1),
            date(2026, 11, 30),
            Decimal("303400"),
            actor_id=boss.id,
            now=clock(),
        )
    return language, boss, ivan


def assert_locale_forms(text: str, language: str) -> None:
    """No figure in the other language's form: a decimal point (or comma) before ₽ or %,
    a percent sign glued to the figure in Russian or spaced from it in English."""
    if language == "ru":
        assert not re.search(r"\d\.\d+\s?[₽%]", text), text
        assert not re.search(r"\d%", text), text
        assert not re.search(r"\d,\d{3}", text), text  # an English thousands comma
    else:
        assert not re.search(r"\d,\d{1,2}\s?[₽%]", text), text
        assert not re.search(r"\d\s%", text), text


EXPECT = {
    "ru": {
        "aging": "1–30 дн.: " + rub("265 776,70"),
        "owed": "Долг: " + rub("265 776,70") + ", просрочено: " + rub("265 776,70"),
        "days": [
            "просрочка 21 день",
            "просрочка 5 дней",
            "просрочка 2 дня",
            "просрочка 1 день",
        ],
        "line1": "1. Лента 48 мм × 150 м — 1"
        + NB
        + "300 по "
        + rub("12,50")
        + " = "
        + rub("16 250,00"),
        "line2": "2. Клей — 2,5 по " + rub("2,00") + " = " + rub("5,00"),
        "card": "Дебиторка: "
        + rub("265 776,70")
        + ", просрочено "
        + rub("265 776,70")
        + " (до 21 дня)",
        "price": "с 01.12.2026: " + rub("21,40") + " (+7" + NB + "%)",
        "neglected": "ООО «Ключ» — контакт просрочен на 46 дней (категория A)",
        "plan": "(87,6" + NB + "%)",
        "plan_left": "осталось 5 рабочих дней",
        "digest_title": "Доброе утро! Ваши дела на 23.11.2026:",
        "digest_total": "Всего просрочено: "
        + rub("265 776,70")
        + " (1–30 дн.: "
        + rub("265 776,70")
        + " · 31–60 дн.: "
        + rub("0,00"),
        "period": "Этот месяц",
        "report_plan": "План 11.2026: 87,6"
        + NB
        + "% ("
        + rub("265 776,70")
        + " из "
        + rub("303 400,00")
        + ")",
        "team_plan": "план 87,6" + NB + "%",
    },
    "en": {
        "aging": "1–30 d: " + rub("265,776.70"),
        "owed": "Owed: " + rub("265,776.70") + ", overdue: " + rub("265,776.70"),
        "days": [
            "21 days overdue",
            "5 days overdue",
            "2 days overdue",
            "1 day overdue",
        ],
        "line1": "1. Лента 48 мм × 150 м — 1,300 at " + rub("12.50") + " = " + rub("16,250.00"),
        "line2": "2. Клей — 2.5 at " + rub("2.00") + " = " + rub("5.00"),
        "card": "Receivable: "
        + rub("265,776.70")
        + ", overdue "
        + rub("265,776.70")
        + " (up to 21 days)",
        "price": "from 01.12.2026: " + rub("21.40") + " (+7%)",
        "neglected": "ООО «Ключ» — contact 46 days overdue (tier A)",
        "plan": "(87.6%)",
        "plan_left": "for 5 business days",
        "digest_title": "Good morning! Your day, 23.11.2026:",
        "digest_total": "Overdue in all: "
        + rub("265,776.70")
        + " (1–30 d: "
        + rub("265,776.70")
        + " · 31–60 d: "
        + rub("0.00"),
        "period": "This month",
        "report_plan": "Plan 11.2026: 87.6% ("
        + rub("265,776.70")
        + " of "
        + rub("303,400.00")
        + ")",
        "team_plan": "plan 87.6%",
    },
}


async def test_manager_screens(app, chat, book) -> None:
    language, _, ivan = book
    want = EXPECT[language]
    me: ChatClient = chat(ivan.telegram_id, language_code=language)

    debts = texts(await me.send("/debts"))[0]
    assert debts.startswith(want["owed"]), debts
    assert want["aging"] in debts, debts
    assert "1–30 265" not in debts and "1–30 " + NB not in debts  # the label stands apart

    one = texts(await me.send("/debts ромашка"))[0]
    for line in want["days"]:
        assert line in one, one

    order = texts(await me.send("/order 4512"))[0]
    assert want["line1"] in order, order
    assert want["line2"] in order, order

    card = texts(await me.send("ромашка"))[0]
    assert want["card"] in card, card

    prices = texts(await me.send("/prices клей"))[0]
    assert want["price"] in prices, prices

    today = texts(await me.send("/today"))[0]
    assert want["neglected"] in today, today

    plan = "\n".join(texts(await me.send("/plan")))
    assert want["plan"] in plan and want["plan_left"] in plan, plan

    for text in (debts, one, order, card, prices, today, plan):
        assert_locale_forms(text, language)


async def test_morning_digest(app, book) -> None:
    language, _, _ = book
    want = EXPECT[language]
    async with app.database.transaction() as s:
        assert await run_digests(Repos(s), MONDAY_9_MSK, ReminderTexts(app.translator)) == 1
    async with app.database.read() as s:
        [row] = [r for r in await Repos(s).outbox.list() if r.kind == "digest"]
    text = row.payload["text"]
    assert text.splitlines()[0] == want["digest_title"]
    assert want["neglected"] in text, text
    assert want["digest_total"] in text, text
    assert want["days"][-1] in text, text  # overdue since Sunday: new, "1 день" / "1 day"
    assert_locale_forms(text, language)


async def test_supervisor_summary_and_team(app, chat, book) -> None:
    language, boss, _ = book
    want = EXPECT[language]
    me: ChatClient = chat(boss.telegram_id, language_code=language)
    sent = await me.click(last_with_buttons(await me.send("/report")), want["period"])
    report = texts(sent)[0]
    assert want["report_plan"] in report, report
    assert want["aging"] in report, report
    assert want["neglected"].split(" — ")[0] in report
    team = texts(await me.send("/team"))[0]
    assert want["team_plan"] in team, team
    for text in (report, team):
        assert_locale_forms(text, language)
