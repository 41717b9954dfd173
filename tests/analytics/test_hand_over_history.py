"""A hand-over does not rewrite history: figures of past periods count each document for
the manager who owned its client on the document's date, the future for the new owner.

The case, computed by hand. Boss supervises Ivan and Olga (Moscow). ООО «Ромашка» (К-1)
was Ivan's until Boss gave it to Olga on Tuesday 10.11.2026 at 12:00 Moscow time: from
that day on it is hers (the hand-over day is the new owner's first day).

    shipment  date        client   amount    owner on the date
    Р-1       15.10.2026  Ромашка  100 000   Ivan
    Р-2       09.11.2026  Ромашка   50 000   Ivan
    Р-3       10.11.2026  Ромашка   30 000   Olga
    Р-4       20.11.2026  Ромашка  200 000   Olga
    Р-5       05.12.2026  Ромашка   70 000   Olga
    Р-6       20.10.2026  Лютик    300 000   Ivan (his all along)
    Р-7       25.11.2026  Север    100 000   Olga (hers all along)

    payments: П-1 05.11 Ромашка 60 000 (Ivan), П-2 15.11 Ромашка 40 000 (Olga)
    orders:   З-1 01.10 Ромашка, Плёнка 100 000 (Ivan); З-2 20.11 Ромашка, Скотч 50 000 (Olga)

Shipped: Q4 Ivan 450 000, Olga 400 000; October Ivan 400 000, Olga 0; November Ivan
50 000, Olga 330 000; December Ivan 0, Olga 70 000. Paid in November: Ivan 60 000, Olga
40 000. Before the fix everything of Ромашка went to Olga: Q4 Ivan 300 000, Olga 550 000.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event

from bot.services.accounts import reassign_client
from bot.services.analytics import abc_report, apply_abc_tiers
from bot.services.business_settings import change_setting, load_settings
from bot.services.export import build_workbook, export_data
from bot.services.plans import Period, client_plan_lines, month_of, plan_lines, quarter_of
from bot.services.reports import SummaryKind, summary_for
from storage.accounts import OwnershipPeriod
from storage.dto import ClientDTO, Role, Tier, UserDTO, UserUpdate
from storage.erp import ErpRepo
from storage.repositories import Repos
from tests.erp.files import import_rows
from tests.factories import make_client, make_user

D = Decimal
MSK = timedelta(hours=3)
HANDED_OVER = date(2026, 11, 10)
Q4 = quarter_of(date(2026, 10, 1))
SET_UP_AT = datetime(2026, 9, 1, tzinfo=UTC)
# Thursday 31.12.2026, 10:00 in Moscow: the whole quarter has happened.
YEAR_END = datetime(2026, 12, 31, 7, 0, tzinfo=UTC)
SHIPMENTS = ["Номер", "Дата", "Код контрагента", "Сумма", "Срок оплаты"]
PAYMENTS = ["Номер", "Дата", "Код контрагента", "Сумма", "Документ расчетов"]
ORDERS = ["Номер", "Дата", "Код контрагента", "Статус", "Сумма"]
LINES = ["Номер заказа", "Дата заказа", "N", "Артикул", "Номенклатура", "Количество", "Цена"]
LINES += ["Сумма"]


def msk(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - MSK


@dataclass
class Case:
    admin: UserDTO
    boss: UserDTO
    ivan: UserDTO
    olga: UserDTO
    romashka: ClientDTO
    lyutik: ClientDTO
    sever: ClientDTO


async def _documents(app, tmp_path) -> None:
    for kind, header, rows in (
        (
            "shipments",
            SHIPMENTS,
            [
                ["Р-1", "15.10.2026", "К-1", "100 000,00", "15.11.2026"],
                ["Р-2", "09.11.2026", "К-1", "50 000,00", "09.12.2026"],
                ["Р-3", "10.11.2026", "К-1", "30 000,00", "10.12.2026"],
                ["Р-4", "20.11.2026", "К-1", "200 000,00", "20.12.2026"],
                ["Р-5", "05.12.2026", "К-1", "70 000,00", "05.01.2027"],
                ["Р-6", "20.10.2026", "К-2", "300 000,00", "20.11.2026"],
                ["Р-7", "25.11.2026", "К-3", "100 000,00", "25.12.2026"],
            ],
        ),
        (
            "payments",
            PAYMENTS,
            [
                ["П-1", "05.11.2026", "К-1", "60 000,00", "Р-1"],
                ["П-2", "15.11.2026", "К-1", "40 000,00", "Р-1"],
            ],
        ),
        (
            "orders",
            ORDERS,
            [
                ["З-1", "01.10.2026", "К-1", "Закрыт", "100 000,00"],
                ["З-2", "20.11.2026", "К-1", "Закрыт", "50 000,00"],
            ],
        ),
        (
            "order_lines",
            LINES,
            [
                ["З-1", "01.10.2026", "1", "A-1", "Плёнка", "10", "10 000,00", "100 000,00"],
                ["З-2", "20.11.2026", "1", "A-2", "Скотч", "10", "5 000,00", "50 000,00"],
            ],
        ),
    ):
        summary = await import_rows(app, tmp_path, kind, header, rows, now=SET_UP_AT)
        assert not summary.rejected, (kind, summary.rejected)


@pytest.fixture
async def case(app, tmp_path) -> Case:
    app.clock.set(SET_UP_AT)
    admin = await make_user(app, 8000, Role.ADMIN, name="Anna Admin")
    boss = await make_user(app, 8001, Role.SUPERVISOR, name="Boss")
    ivan = await make_user(app, 8002, name="Ivan", supervisor=boss)
    olga = await make_user(app, 8003, name="Olga", supervisor=boss, language="ru")
    romashka = await make_client(app, "ООО «Ромашка»", ivan, tier=Tier.C)
    lyutik = await make_client(app, "АО «Лютик»", ivan, tier=Tier.C)
    sever = await make_client(app, "ООО «Север»", olga, tier=Tier.C)
    async with app.database.transaction() as s:
        repos = Repos(s)
        for client, code in ((romashka, "К-1"), (lyutik, "К-2"), (sever, "К-3")):
            await ErpRepo(s).attach_code(client.id, code)
        for user, start, end, amount in (
            (ivan, Q4.start, Q4.end, "1000000"),
            (olga, Q4.start, Q4.end, "800000"),
            (ivan, date(2026, 11, 1), date(2026, 11, 30), "100000"),
            (olga, date(2026, 11, 1), date(2026, 11, 30), "330000"),
        ):
            await repos.plans.set(user.id, start, end, D(amount), actor_id=boss.id, now=SET_UP_AT)
        # Ivan's plan for Ромашка was set while it was his; Olga's after it became hers.
        await repos.plans.set(
            ivan.id,
            Q4.start,
            Q4.end,
            D("200000"),
            actor_id=boss.id,
            now=SET_UP_AT,
            client_id=romashka.id,
        )
    await _documents(app, tmp_path)
    async with app.database.transaction() as s:
        await reassign_client(
            Repos(s), boss, romashka.id, olga.id, now=msk(HANDED_OVER), texts=app.translator
        )
    async with app.database.transaction() as s:
        await Repos(s).plans.set(
            olga.id,
            Q4.start,
            Q4.end,
            D("400000"),
            actor_id=boss.id,
            now=msk(HANDED_OVER),
            client_id=romashka.id,
        )
    app.clock.set(YEAR_END)
    return Case(admin, boss, ivan, olga, romashka, lyutik, sever)


async def _plans(app, user: UserDTO, period: Period) -> dict[str, tuple[Decimal, Decimal]]:
    async with app.database.read() as s:
        lines = await plan_lines(Repos(s), user, period, today=YEAR_END.date())
    return {line.name: (line.result.actual, line.result.percent) for line in lines}


async def test_the_hand_over_is_kept_as_ownership_periods(app, case):
    async with app.database.read() as s:
        repos = Repos(s)
        assert await repos.clients.ownership(case.romashka.id) == [
            OwnershipPeriod(case.ivan.id, None, HANDED_OVER),
            OwnershipPeriod(case.olga.id, HANDED_OVER, None),
        ]
        assert await repos.clients.ownership(case.lyutik.id) == []  # one owner all along


async def test_plan_fulfilment_of_the_quarter_and_its_months(app, case):
    assert await _plans(app, case.boss, Q4) == {
        "Ivan": (D("450000.00"), D("45.0")),  # Р-1, Р-2, Р-6 (before the fix 300 000)
        "Olga": (D("400000.00"), D("50.0")),  # Р-3, Р-4, Р-5, Р-7 (before the fix 550 000)
    }
    months = {m: await _plans(app, case.boss, month_of(date(2026, m, 1))) for m in (10, 11, 12)}
    assert {m: {n: a for n, (a, _) in lines.items()} for m, lines in months.items()} == {
        10: {"Ivan": D("400000.00"), "Olga": D("0")},
        11: {"Ivan": D("50000.00"), "Olga": D("330000.00")},
        12: {"Ivan": D("0"), "Olga": D("70000.00")},
    }
    assert months[11]["Ivan"][1] == D("50.0") and months[11]["Olga"][1] == D("100.0")
    # Each manager sees the same figure of their own.
    assert await _plans(app, case.ivan, Q4) == {"Ivan": (D("450000.00"), D("45.0"))}
    assert await _plans(app, case.olga, Q4) == {"Olga": (D("400000.00"), D("50.0"))}


async def test_plan_by_payments_follows_the_owner_on_the_day_paid(app, case):
    async with app.database.transaction() as s:
        await change_setting(
            Repos(s), "plan_actual_basis", "paid", actor_id=case.admin.id, now=YEAR_END
        )
    assert await _plans(app, case.boss, month_of(date(2026, 11, 1))) == {
        "Ivan": (D("60000.00"), D("60.0")),  # П-1, 05.11
        "Olga": (D("40000.00"), D("12.1")),  # П-2, 15.11: 40 000 of 330 000
    }


async def test_a_per_client_plan_counts_the_clients_time_with_that_manager(app, case):
    async with app.database.read() as s:
        lines = await client_plan_lines(Repos(s), case.boss, Q4, today=YEAR_END.date())
    assert [(line.user_id, line.client_name, line.result.actual) for line in lines] == [
        (case.ivan.id, "ООО «Ромашка»", D("150000.00")),  # Р-1 + Р-2 of his 200 000
        (case.olga.id, "ООО «Ромашка»", D("300000.00")),  # Р-3 + Р-4 + Р-5 of her 400 000
    ]


async def test_the_weekly_summary_measures_each_plan_by_its_owners_documents(app, case):
    week = Period(date(2026, 11, 23), date(2026, 11, 29))
    async with app.database.read() as s:
        repos = Repos(s)
        summary = await summary_for(
            repos,
            case.boss,
            week,
            now=datetime(2026, 11, 30, 6, 5, tzinfo=UTC),
            settings=await load_settings(repos),
            kind=SummaryKind.WEEKLY,
        )
    ivan, olga = summary.managers
    assert (ivan.name, ivan.plan, ivan.actual) == ("Ivan", D("100000"), D("50000.00"))
    assert (olga.name, olga.plan, olga.actual) == ("Olga", D("330000"), D("330000.00"))
    assert summary.total.actual == D("380000.00")


async def _abc(app, user: UserDTO, subject: str, period: Period = Q4):
    async with app.database.read() as s:
        repos = Repos(s)
        report = await abc_report(repos, user, subject, period, await load_settings(repos))
    return [(item.name, item.revenue) for item in report.result.items], report


async def test_abc_of_the_quarter_per_manager(app, case):
    assert (await _abc(app, case.ivan, "c"))[0] == [
        ("АО «Лютик»", D("300000.00")),
        ("ООО «Ромашка»", D("150000.00")),  # his part of the quarter (before: none)
    ]
    assert (await _abc(app, case.olga, "c"))[0] == [
        ("ООО «Ромашка»", D("300000.00")),  # her part (before: all 450 000)
        ("ООО «Север»", D("100000.00")),
    ]
    team = [
        ("ООО «Ромашка»", D("450000.00")),
        ("АО «Лютик»", D("300000.00")),
        ("ООО «Север»", D("100000.00")),
    ]
    assert (await _abc(app, case.boss, "c"))[0] == team
    assert (await _abc(app, case.admin, "c"))[0] == team
    # Products by the order's date: З-1 was Ivan's, З-2 Olga's.
    assert (await _abc(app, case.ivan, "p"))[0] == [("Плёнка", D("100000.00"))]
    assert (await _abc(app, case.olga, "p"))[0] == [("Скотч", D("50000.00"))]
    assert (await _abc(app, case.boss, "p"))[0] == [
        ("Плёнка", D("100000.00")),
        ("Скотч", D("50000.00")),
    ]
    # October was all Ivan's: in Olga's October her clients have no revenue at all.
    assert (await _abc(app, case.olga, "c", month_of(date(2026, 10, 1))))[0] == [
        ("ООО «Ромашка»", D("0.00")),
        ("ООО «Север»", D("0.00")),
    ]
    assert (await _abc(app, case.ivan, "c", month_of(date(2026, 10, 1))))[0] == [
        ("АО «Лютик»", D("300000.00")),
        ("ООО «Ромашка»", D("100000.00")),
    ]


async def test_the_export_plan_sheet_counts_by_the_owner_on_the_date(app, case):
    from io import BytesIO

    from openpyxl import load_workbook

    async with app.database.read() as s:
        data = await export_data(Repos(s), case.boss, Q4, now=YEAR_END)
    workbook = load_workbook(BytesIO(build_workbook(data, app.translator.get("en"))))
    sheet = workbook["Plan fulfilment"]
    rows = [tuple(c.value for c in row[:4]) for row in sheet.iter_rows(min_row=2)]
    assert rows == [
        ("Ivan", None, 1000000, 450000),
        ("Ivan", "ООО «Ромашка»", 200000, 150000),
        ("Olga", None, 800000, 400000),
        ("Olga", "ООО «Ромашка»", 400000, 300000),
    ]


async def test_receivables_are_a_state_and_stay_with_the_current_owner(app, case):
    """What is owed today is the current owner's to collect, whoever shipped it: Р-2 (Ivan's
    shipment) is overdue on Olga's list. Overdue on 31.12: Ромашка Р-2 50 000, Р-3 30 000,
    Р-4 200 000 (Р-1 was paid by П-1 and П-2); Север Р-7 100 000; Лютик Р-6 300 000."""
    today = date(2026, 12, 31)
    starts = [today - timedelta(days=d) for d in (30, 60, 90)]
    async with app.database.read() as s:
        owed = await ErpRepo(s).overdue_by_owner([case.ivan.id, case.olga.id], today, starts)
    total: dict[int, Decimal] = {}
    for owner, _, amount in owed:
        total[owner] = total.get(owner, D(0)) + amount
    assert total == {case.ivan.id: D("300000.00"), case.olga.id: D("380000.00")}


async def test_the_figures_stay_one_query_whatever_the_hand_overs(app, case):
    """Joining the ownership periods on the document's date keeps each list one query."""

    async def queries() -> int:
        statements: list[str] = []

        def record(conn, cursor, statement, *args) -> None:
            statements.append(statement)

        engine = app.database.engine.sync_engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            async with app.database.read() as s:
                repos = Repos(s)
                ids = [case.ivan.id, case.olga.id]
                await repos.plans.actuals(ids, Q4.start, Q4.end, basis="shipped")
                await repos.plans.client_actuals(
                    [case.romashka.id], Q4.start, Q4.end, basis="paid"
                )
                await repos.analytics.client_revenue({case.ivan.id}, Q4.start, Q4.end)
                await repos.analytics.product_revenue({case.ivan.id}, Q4.start, Q4.end)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len([q for q in statements if q.lstrip().upper().startswith("SELECT")])

    few = await queries()
    more = [await make_client(app, f"Клиент {n}", case.ivan) for n in range(6)]
    async with app.database.transaction() as s:
        for n, client in enumerate(more):
            await reassign_client(
                Repos(s),
                case.boss,
                client.id,
                case.olga.id,
                now=msk(date(2026, 11, 2 + n)),
                texts=app.translator,
            )
    assert await queries() == few == 4


async def test_tiers_are_written_only_for_the_clients_the_team_has_now(app, case):
    """Another team's supervisor sees a client they handed over in their past ABC, but its
    tier is no longer theirs to write."""
    other = await make_user(app, 8010, Role.SUPERVISOR, name="Other boss")
    petr = await make_user(app, 8011, name="Petr", supervisor=other)
    async with app.database.transaction() as s:
        await reassign_client(
            Repos(s), case.admin, case.lyutik.id, petr.id, now=YEAR_END, texts=app.translator
        )
    rows, report = await _abc(app, case.boss, "c")
    assert ("АО «Лютик»", D("300000.00")) in rows  # shipped while the team had it
    assert case.lyutik.id not in report.tier_changes
    async with app.database.transaction() as s:
        repos = Repos(s)
        await apply_abc_tiers(repos, case.boss, Q4, await load_settings(repos), now=YEAR_END)
    async with app.database.read() as s:
        assert (await Repos(s).clients.get(case.lyutik.id)).tier is Tier.C


async def test_the_import_records_the_owner_change(app, tmp_path):
    """An ERP export that names another manager hands the client over through the same
    service: the shipments before the import's day stay with the previous manager."""
    boss = await make_user(app, 8101, Role.SUPERVISOR, name="Boss")
    ivan = await make_user(app, 8102, name="Ivan", supervisor=boss)
    olga = await make_user(app, 8103, name="Olga", supervisor=boss)
    async with app.database.transaction() as s:
        repos = Repos(s)
        for user, erp_name in ((ivan, "Иванов Иван Иванович"), (olga, "Петрова Ольга Петровна")):
            await repos.users.update(
                user.id, UserUpdate(erp_name=erp_name), actor_id=None, now=SET_UP_AT
            )
    header = ["Код", "Наименование", "ИНН", "КПП", "Ответственный", "Категория"]
    row = ["К-1", "ООО «Ромашка»", "7707083893", "770701001"]
    await import_rows(
        app, tmp_path, "clients", header, [[*row, "Иванов И.И.", "A"]], now=SET_UP_AT
    )
    await import_rows(
        app,
        tmp_path,
        "shipments",
        SHIPMENTS,
        [
            ["Р-1", "15.10.2026", "К-1", "100 000,00", "15.11.2026"],
            ["Р-2", "20.11.2026", "К-1", "200 000,00", "20.12.2026"],
        ],
        now=SET_UP_AT,
    )
    (tmp_path / "again").mkdir()
    await import_rows(
        app,
        tmp_path / "again",
        "clients",
        header,
        [[*row, "Петрова О.П.", "A"]],
        now=msk(HANDED_OVER),
    )
    async with app.database.read() as s:
        repos = Repos(s)
        [client] = await repos.clients.search("ромашка", None, None, 5)
        actuals = await repos.plans.actuals([ivan.id, olga.id], Q4.start, Q4.end, basis="shipped")
        assert client.owner_id == olga.id
        assert actuals == {ivan.id: D("100000.00"), olga.id: D("200000.00")}
        assert await repos.clients.ownership(client.id) == [
            OwnershipPeriod(ivan.id, None, HANDED_OVER),
            OwnershipPeriod(olga.id, HANDED_OVER, None),
        ]


async def test_a_deactivated_managers_past_stays_theirs(app, case, chat, admin):
    """Deactivation hands the clients to the supervisor from that day: the manager's
    shipments before it stay theirs."""
    app.clock.set(msk(date(2026, 12, 15)))
    await admin.send("/start")
    sent = await admin.send("/users")
    from tests.helpers import last_with_buttons

    sent = await admin.click(last_with_buttons(sent), lambda t: t.startswith("Ivan"))
    sent = await admin.click(last_with_buttons(sent), "Deactivate")
    await admin.click(last_with_buttons(sent), "Yes, deactivate")
    async with app.database.read() as s:
        repos = Repos(s)
        actuals = await repos.plans.actuals(
            [case.ivan.id, case.boss.id], Q4.start, Q4.end, basis="shipped"
        )
        assert actuals == {case.ivan.id: D("450000.00")}  # the supervisor shipped nothing since
        assert await repos.clients.ownership(case.lyutik.id) == [
            OwnershipPeriod(case.ivan.id, None, date(2026, 12, 15)),
            OwnershipPeriod(case.boss.id, date(2026, 12, 15), None),
        ]
