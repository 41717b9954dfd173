"""The `plans` import kind: Russian and English headers, managers by ERP name or Telegram
id, periods as 1C and people write them, an optional client, exact positive amounts;
upsert by (manager, client, period), rejected rows with reasons, audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.runtime.i18n import Translator
from bot.services.erp_import import KINDS, run_import
from bot.services.plans import month_of, plan_lines
from storage.dto import Role, Tier, UserUpdate
from storage.repositories import Repos
from tests.erp.files import csv_1c, xlsx_1c
from tests.factories import make_client, make_user

HEADER = ["Менеджер", "Период", "Код контрагента", "Сумма"]


async def _people(app):
    boss = await make_user(app, 6301, Role.SUPERVISOR, name="Boss")
    ivan = await make_user(app, 6302, name="Ivan", supervisor=boss)
    olga = await make_user(app, 6303, name="Olga", supervisor=boss)
    async with app.database.transaction() as s:
        repos = Repos(s)
        await repos.users.update(
            ivan.id, UserUpdate(erp_name="Иванов Иван Иванович"), actor_id=None, now=app.clock()
        )
        await repos.users.update(
            boss.id, UserUpdate(erp_name="Босс Борис"), actor_id=None, now=app.clock()
        )
    romashka = await make_client(app, "ООО «Ромашка»", ivan, tier=Tier.A)
    olgas = await make_client(app, "ООО «Ольгин»", olga)
    async with app.database.transaction() as s:
        from storage.erp import ErpRepo

        await ErpRepo(s).attach_code(romashka.id, "К-1")
        await ErpRepo(s).attach_code(olgas.id, "К-2")
    return boss, ivan, olga, romashka


async def _import(app, path, actor_id=None):
    return await run_import(
        app.database,
        "plans",
        path,
        file_name=path.name,
        snapshot=False,
        actor_id=actor_id,
        now=app.clock(),
        texts=app.translator,
    )


async def _plans(app, ivan_id: int):
    async with app.database.read() as s:
        repos = Repos(s)
        book = await repos.plans.totals([ivan_id], date(2026, 11, 1), date(2026, 11, 30))
        quarter = await repos.plans.totals([ivan_id], date(2026, 10, 1), date(2026, 12, 31))
        clients = await repos.plans.client_plans([ivan_id], date(2026, 10, 1), date(2026, 12, 31))
    return book, quarter, clients


async def test_plans_import_with_russian_headers_and_rejected_rows(app, tmp_path):
    _, ivan, olga, romashka = await _people(app)
    admin = await make_user(app, 6300, Role.ADMIN, name="Admin")
    path = csv_1c(
        tmp_path / "plans.csv",
        HEADER,
        [
            ["Иванов И.И.", "11.2026", "", "2 000 000,00"],  # row 5: the whole book
            ["Иванов И.", "4 кв. 2026", "К-1", "5 000 000,50"],  # one client, a quarter
            [str(olga.telegram_id), "Q4 2026", "", "6 000 000"],  # by Telegram id
            ["Иванов И.И.", "13.2026", "", "100,00"],  # row 8
            ["Иванов И.И.", "12.2026", "", "0"],
            ["Иванов И.И.", "12.2026", "", "-5,00"],
            ["Иванов И.И.", "12.2026", "", "100,555"],
            ["Петров П.П.", "12.2026", "", "100,00"],
            ["Босс Борис", "12.2026", "", "100,00"],  # a supervisor has no plans
            ["Иванов И.И.", "Q4 2026", "К-2", "100,00"],  # Olga's client
            ["Иванов И.И.", "Q4 2026", "К-404", "100,00"],
            ["", "12.2026", "", "100,00"],
            ["Иванов Иван", "11.2026", "", "3 000 000,00"],  # the same scope again
        ],
        title="Планы продаж",
    )
    summary = await _import(app, path, actor_id=admin.id)
    assert (summary.read, summary.inserted, summary.updated) == (13, 3, 0)
    rejected = [(r.row, r.column, r.reason) for r in summary.rejected]
    assert rejected == [
        (8, "period", "not a period (11.2026, Q4 2026, 4 кв. 2026)"),
        (9, "amount", "must be a positive amount"),
        (10, "amount", "negative amount"),
        (11, "amount", "not an amount: ambiguous separator"),
        (12, "manager", "unknown manager"),
        (13, "manager", "not an active manager"),
        (14, "client_code", "not this manager's client"),
        (15, "client_code", "unknown client"),
        (16, "manager", "no manager given"),
        (17, "", "repeats an earlier row"),
    ]
    book, quarter, clients = await _plans(app, ivan.id)
    assert book == {ivan.id: Decimal("2000000.00")}
    assert quarter == {}
    assert clients == [(ivan.id, romashka.id, "ООО «Ромашка»", Decimal("5000000.50"))]
    async with app.database.read() as s:
        repos = Repos(s)
        olga_q4 = await repos.plans.totals([olga.id], date(2026, 10, 1), date(2026, 12, 31))
        audit = await repos.audit.history("plan", 2)
    assert olga_q4 == {olga.id: Decimal("6000000.00")}
    assert audit[0].actor_id == admin.id and audit[0].changes["client_id"] == [None, romashka.id]

    # The same file again changes nothing; a new amount updates the one scope, audited.
    again = await _import(app, path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    changed = csv_1c(
        tmp_path / "plans2.csv", HEADER, [["Иванов И.И.", "11.2026", "", "2 500 000,00"]]
    )
    assert (await _import(app, changed)).updated == 1
    book, _, _ = await _plans(app, ivan.id)
    assert book == {ivan.id: Decimal("2500000.00")}
    async with app.database.read() as s:
        history = await Repos(s).audit.history("plan", 1)
    assert [h.changes["amount"] for h in history] == [
        [None, "2000000.00"],
        ["2000000.00", "2500000.00"],
    ]


async def test_plans_import_from_xlsx_with_english_headers(app, tmp_path):
    _, ivan, _, romashka = await _people(app)
    path = xlsx_1c(
        tmp_path / "plans.xlsx",
        ["Manager", "Telegram ID", "Period", "Client code", "Amount"],
        [
            ["Иванов Иван Иванович", None, "2026-Q4", "К-1", 750000.5],
            [None, ivan.telegram_id, date(2026, 11, 1), None, 1000000],  # a date cell: 11.2026
            ["Иванов Иван Иванович", None, "ноябрь", None, 1000000],
            [None, 999, "12.2026", None, 1000000],
        ],
    )
    summary = await _import(app, path)
    assert (summary.inserted, len(summary.rejected)) == (2, 2)
    assert [(r.column, r.reason, r.value) for r in summary.rejected] == [
        ("period", "not a period (11.2026, Q4 2026, 4 кв. 2026)", "ноябрь"),
        ("telegram_id", "no manager with this Telegram id", "999"),
    ]
    book, _, clients = await _plans(app, ivan.id)
    assert book == {ivan.id: Decimal("1000000.00")}
    assert clients == [(ivan.id, romashka.id, "ООО «Ромашка»", Decimal("750000.50"))]
    # The imported plan is the one /plan measures.
    async with app.database.read() as s:
        lines = await plan_lines(
            Repos(s), ivan, month_of(date(2026, 11, 23)), today=date(2026, 11, 23)
        )
    assert [line.result.plan for line in lines] == [Decimal("1000000.00")]


def test_plans_is_a_kind_with_buttons_in_both_languages():
    assert "plans" in KINDS
    translator = Translator()
    assert translator.get("en")("import-kind-plans") == "Plans"
    assert translator.get("ru")("import-kind-plans") == "Планы"
